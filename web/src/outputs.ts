// The generated files: one tab each, plus "Architecture" (the SVG diagram shown as a picture),
// a copy button and the zip download. While the spec has errors, the files of its last valid
// version stay, dimmed. Each edit comes in two phases (live.ts): the visible file's target first,
// which refreshes the file on screen and keeps the tab list, then the complete set, which
// replaces every file and the tabs; the zip is only ever built from a complete set.
import { zipSync, strToU8 } from "fflate";

import { byId, copyText, flash } from "./dom";
import type { FileViewer } from "./editor";
import type { RenderedFile, RenderOutput } from "../pkg/multirun_wasm.js";

// The diagram tab's id: no file path holds a NUL.
const ARCHITECTURE = "\u0000architecture";

const isDiagram = (f: RenderedFile) => f.path.endsWith(".svg");

function tabsFor(files: RenderedFile[]): { id: string; label: string }[] {
  const tabs = files.map((f) => ({ id: f.path, label: f.path }));
  return files.some(isDiagram) ? [{ id: ARCHITECTURE, label: "Architecture" }, ...tabs] : tabs;
}

/**
 * The zip of the rendered files: the same paths and bytes as `multirun render --out DIR`, less
 * the CLI's `.multirun-files` (see README, "Playground").
 */
export function zipFiles(files: RenderedFile[]): Uint8Array {
  const mtime = new Date();
  const entries: Record<string, [Uint8Array, { mtime: Date; os: number; attrs: number }]> = {};
  for (const f of files) {
    const mode = f.path.endsWith(".sh") ? 0o100755 : 0o100644;
    entries[f.path] = [strToU8(f.contents), { mtime, os: 3, attrs: (mode << 16) >>> 0 }];
  }
  return zipSync(entries, { level: 6 });
}

const byPath = (a: RenderedFile, b: RenderedFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * Wires the tabs, copy and download; `show` puts each complete result on the page, `showVisible`
 * the first phase's.
 */
export function setupOutputs(viewer: FileViewer) {
  // The files of the last version of the spec that rendered (after a first phase, the rendered
  // target's files are the new version's, the others the previous version's until the second).
  let files: RenderedFile[] = [];
  // The newest complete result: the zip is built from it, and only when it rendered. Null while
  // the newest edit has only its first phase: a download waits for the complete set.
  let latest: RenderOutput | null = null;
  let waitingDownload = false;
  let selected = ARCHITECTURE;
  let diagramUrl = "";
  let shownDiagram = "";

  const fileOfTab = (id: string) => (id === ARCHITECTURE ? files.find(isDiagram) : files.find((f) => f.path === id));

  /** The target of the file on screen; null when there is none yet. */
  function visibleTarget(): string | null {
    return fileOfTab(selected)?.target ?? null;
  }

  /**
   * A first phase's result (no error; the files of `target` only): the file on screen and the
   * copy button get the new version; the tab list and the other files stay until `show`.
   */
  function showVisible(result: RenderOutput, target: string) {
    latest = null;
    files = [...files.filter((f) => f.target !== target), ...result.files].sort(byPath);
    document.body.classList.remove("stale");
    byId("no-output").hidden = true;
    select(selected, false);
  }

  function show(result: RenderOutput) {
    latest = result;
    if (result.error === null) files = result.files;
    if (waitingDownload) {
      waitingDownload = false;
      download();
    }
    const stale = result.error !== null;
    document.body.classList.toggle("stale", stale);
    byId<HTMLButtonElement>("download").disabled = stale || files.length === 0;
    byId("download").title = stale ? "Fix the errors first: only a valid spec is rendered" : "Download every generated file as a .zip";
    const tabs = tabsFor(files);
    if (!tabs.some((t) => t.id === selected)) selected = tabs[0]?.id ?? "";
    const bar = byId("tabs");
    const existing = [...bar.children].map((b) => (b as HTMLElement).dataset.id).join("\n");
    if (existing !== tabs.map((t) => t.id).join("\n")) {
      bar.replaceChildren(...tabs.map((t) => {
        const b = document.createElement("button");
        b.type = "button";
        b.role = "tab";
        b.id = `tab-${t.id.replace(/[^\w-]/g, "_")}`;
        b.dataset.id = t.id;
        b.textContent = t.label;
        b.addEventListener("click", () => select(t.id));
        return b;
      }));
    }
    const note = byId("no-output");
    note.hidden = !stale;
    note.textContent = stale
      ? files.length ? "The spec has errors: these outputs are from the last valid version." : "The spec has errors: fix them to see the generated files."
      : "";
    select(selected, false);
  }

  function select(id: string, focus = false) {
    selected = id;
    for (const b of byId("tabs").children as HTMLCollectionOf<HTMLButtonElement>) {
      const on = b.dataset.id === id;
      b.setAttribute("aria-selected", String(on));
      b.tabIndex = on ? 0 : -1;
      if (on) {
        byId("panel").setAttribute("aria-labelledby", b.id);
        if (focus) b.focus();
      }
    }
    const diagramTab = id === ARCHITECTURE;
    const file = fileOfTab(id);
    byId("panel-path").textContent = diagramTab ? `Architecture (${file?.path ?? ""})` : (file?.path ?? "");
    byId("diagram").hidden = !diagramTab;
    byId("output").hidden = diagramTab;
    if (diagramTab && file && file.contents !== shownDiagram) showDiagram(file.contents);
    if (!diagramTab) viewer.show(id, file?.contents ?? "");
  }

  function showDiagram(svg: string) {
    shownDiagram = svg;
    if (diagramUrl) URL.revokeObjectURL(diagramUrl);
    diagramUrl = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
    const img = document.createElement("img");
    img.src = diagramUrl;
    img.alt = "Architecture diagram of the generated deployment";
    byId("diagram").replaceChildren(img);
  }

  // The tab list's keyboard, as the ARIA tabs pattern has it.
  byId("tabs").addEventListener("keydown", (e) => {
    const ids = [...byId("tabs").children].map((b) => (b as HTMLElement).dataset.id!);
    let i = ids.indexOf(selected);
    if (e.key === "ArrowRight") i = (i + 1) % ids.length;
    else if (e.key === "ArrowLeft") i = (i - 1 + ids.length) % ids.length;
    else if (e.key === "Home") i = 0;
    else if (e.key === "End") i = ids.length - 1;
    else return;
    e.preventDefault();
    select(ids[i], true);
  });

  byId("copy").addEventListener("click", async () => {
    const file = fileOfTab(selected);
    if (file) flash(byId("copy"), (await copyText(file.contents)) ? "Copied" : "Copy failed");
  });

  function download() {
    // The newest edit's complete set is a few milliseconds away: download that one.
    if (!latest) {
      waitingDownload = true;
      return;
    }
    if (latest.error !== null) return;
    const blob = new Blob([zipFiles(latest.files) as BlobPart], { type: "application/zip" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "multirun-output.zip";
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }
  byId("download").addEventListener("click", download);

  return {
    show,
    showVisible,
    visibleTarget,
    /** The files shown: those of the last version of the spec that rendered. */
    get files() { return files; },
  };
}
