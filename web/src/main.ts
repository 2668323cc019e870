// The playground's entry: builds the page from its parts and runs the core on every edit.
import "./style.css";

import { core } from "./core";
import { specCompletion } from "./completion";
import { setupDiagnostics } from "./diagnostics";
import { byId } from "./dom";
import { createSpecEditor, enableSpecCompletion, FileViewer, replaceSource, setDarkMode } from "./editor";
import { EXAMPLES, setupExamplesMenu } from "./examples";
import { liveRender, type Applied } from "./live";
import { setupOutputs } from "./outputs";
import { keepInUrl, setupSharing, sourceFromUrl } from "./share";
import { setupThemeToggle } from "./theme";
import type { RenderOutput } from "../pkg/multirun_wasm.js";

const viewer = new FileViewer(byId("output"));
const editor = createSpecEditor(byId("editor"), sourceFromUrl() ?? EXAMPLES[0].source, () => live.schedule());
const currentSource = () => editor.state.doc.toString();
const setSource = (source: string) => replaceSource(editor, source);

setupThemeToggle(byId<HTMLButtonElement>("theme"), (dark) => setDarkMode([editor, viewer.view], dark));
const diagnostics = setupDiagnostics(editor);
const outputs = setupOutputs(viewer);
setupSharing(currentSource, setSource);
setupExamplesMenu(byId<HTMLSelectElement>("examples"), setSource);

// What the end-to-end tests wait for and the budgets they measure: per complete run, the core's
// time to the first phase (what the user waits for) and to the complete set, and the same on
// the page's clock (worker messaging and page updates included).
interface Timing { visibleMs: number; completeMs: number; visibleWallMs: number; completeWallMs: number; target: string | null }
const timings: Timing[] = [];
let current: RenderOutput | null = null;
let appliedSource: string | null = null;
let visibleSource: string | null = null;
let visibleWallMs = 0;
let targets: string[] = [];

function applyResult({ source, phase, result, target, ms, visibleMs, wallMs, generation }: Applied) {
  if (phase === "visible") {
    visibleSource = source;
    visibleWallMs = wallMs;
    diagnostics.show(result.validation);
    outputs.showVisible(result, target!);
    byId("status").textContent = `checked and rendered ${target} in ${ms.toFixed(1)} ms`;
  } else {
    // A run without a first phase (no file on screen yet, or errors) shows it all at once.
    if (visibleSource !== source || target === null || result.error !== null) {
      visibleSource = source;
      visibleWallMs = wallMs;
      diagnostics.show(result.validation);
    }
    timings.push({ visibleMs, completeMs: ms, visibleWallMs, completeWallMs: wallMs, target });
    current = result;
    appliedSource = source;
    keepInUrl(source);
    outputs.show(result);
    byId("status").textContent = result.error === null
      ? `checked and rendered in ${ms.toFixed(1)} ms${target === null ? "" : ` (${target} in ${visibleMs.toFixed(1)} ms)`}`
      : `checked in ${ms.toFixed(1)} ms`;
  }
  if (!performance.getEntriesByName("first-diagnostics").length) performance.mark("first-diagnostics");
  document.body.dataset.generation = String(generation);
}

const live = liveRender(currentSource, () => outputs.visibleTarget(), () => targets, applyResult);

core.init().then((info) => {
  targets = info.targets.map((t) => t.name);
  byId("version").textContent = `v${info.version}`;
  enableSpecCompletion(editor, specCompletion(JSON.parse(info.schema), info.regions.regions, info.rules));
  live.run();
});

// Hooks for the end-to-end tests and the budgets they print.
(window as any).__playground = {
  get source() { return currentSource(); },
  setSource,
  timings,
  get current() { return current; },
  get appliedSource() { return appliedSource; },
  /** The worker's core, for the budget test's reference figure (one full render). */
  core,
  /** The spec whose first phase (diagnostics and the file on screen) was applied last. */
  get visibleSource() { return visibleSource; },
  output: viewer.view,
  get files() { return outputs.files; },
  view: editor,
};
