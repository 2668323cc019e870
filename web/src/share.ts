// The spec lives in the URL fragment (`#spec=`, lz-string compressed), so a link restores it.
// A fragment never reaches a server.
import LZString from "lz-string";

import { byId, copyText, flash } from "./dom";

/** The spec held in the page's URL, if it holds one. */
export function sourceFromUrl(): string | null {
  const m = /^#spec=(.+)$/.exec(location.hash);
  if (!m) return null;
  return LZString.decompressFromEncodedURIComponent(m[1]) || null;
}

function urlHolding(source: string): string {
  return `${location.origin}${location.pathname}${location.search}#spec=${LZString.compressToEncodedURIComponent(source)}`;
}

/** Puts `source` in the address bar, replacing the history entry rather than adding one per edit. */
export function keepInUrl(source: string): string {
  const url = urlHolding(source);
  window.history.replaceState(null, "", url);
  return url;
}

/**
 * The "Share link" button copies a link holding the spec; a fragment changed by hand (or by
 * following such a link from this page) loads its spec.
 */
export function setupSharing(currentSource: () => string, setSource: (source: string) => void) {
  const button = byId("share");
  button.addEventListener("click", async () => {
    const url = keepInUrl(currentSource());
    flash(button, (await copyText(url)) ? "Link copied" : "Link in the address bar");
  });
  window.addEventListener("hashchange", () => {
    const source = sourceFromUrl();
    if (source !== null && source !== currentSource()) setSource(source);
  });
}
