// Small DOM helpers shared by the page's modules.

/** The element of index.html with this id (the page has every id the modules ask for). */
export const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** Shows `text` on a button for a moment, then its label again: the feedback of copy and share. */
export function flash(button: HTMLElement, text: string) {
  const old = button.textContent;
  button.textContent = text;
  setTimeout(() => (button.textContent = old), 1200);
}

/** Whether `text` reached the clipboard: browsers refuse without permission or a secure origin. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
