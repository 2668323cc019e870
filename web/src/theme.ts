// Light or dark: the visitor's last choice, else the system's. The page's colours follow
// <html data-theme>; the editors are told too, for CodeMirror's own dark styles.

type Theme = "light" | "dark";
const STORAGE_KEY = "multirun-theme";

function preferredTheme(): Theme {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === "light" || saved === "dark") return saved;
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

/** Applies the preferred theme now and makes `button` switch it; `onChange` hears every change, the first included. */
export function setupThemeToggle(button: HTMLButtonElement, onChange: (dark: boolean) => void) {
  let theme = preferredTheme();
  const apply = () => {
    const dark = theme === "dark";
    document.documentElement.dataset.theme = theme;
    button.textContent = dark ? "Light" : "Dark";
    button.setAttribute("aria-pressed", String(dark));
    button.setAttribute("aria-label", `Switch to the ${dark ? "light" : "dark"} theme`);
    onChange(dark);
  };
  button.addEventListener("click", () => {
    theme = theme === "dark" ? "light" : "dark";
    localStorage.setItem(STORAGE_KEY, theme);
    apply();
  });
  apply();
}
