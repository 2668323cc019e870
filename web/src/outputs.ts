// The generated files: one tab each, plus "Architecture" (the SVG diagram shown as a picture),
// a copy button and the zip download. While the spec has errors, the files of its last valid
// version stay, dimmed.
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

/** Wires the tabs, copy and download; `show` puts each new result on the page. */
export function setupOutputs(viewer: FileViewer) {
  // The files of the last version of the spec that rendered.
  let files: RenderedFile[] = [];
  // The newest result: the zip is built from it, and only when it rendered.
  let latest: RenderOutput | null = null;
  let selected = ARCHITECTURE;
  let diagramUrl = "";
  let shownDiagram = "";

  const fileOfTab = (id: string) => (id === ARCHITECTURE ? files.find(isDiagram) : files.find((f) => f.path === id));

  function show(result: RenderOutput) {
    latest = result;
    if (result.error === null) files = result.files;
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

  byId("download").addEventListener("click", () => {
    if (!latest || latest.error !== null) return;
    const blob = new Blob([zipFiles(latest.files) as BlobPart], { type: "application/zip" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "multirun-output.zip";
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  });

  return {
    show,
    /** The files shown: those of the last version of the spec that rendered. */
    get files() { return files; },
  };
}
