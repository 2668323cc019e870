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

// What the end-to-end tests wait for and the budgets they measure.
const timings: number[] = [];
let current: RenderOutput | null = null;
let appliedSource: string | null = null;

const live = liveRender(currentSource, ({ source, result, ms, generation }: Applied) => {
  timings.push(ms);
  current = result;
  appliedSource = source;
  keepInUrl(source);
  diagnostics.show(result.validation);
  outputs.show(result);
  byId("status").textContent = `checked${result.error === null ? " and rendered" : ""} in ${ms.toFixed(1)} ms`;
  if (!performance.getEntriesByName("first-diagnostics").length) performance.mark("first-diagnostics");
  document.body.dataset.generation = String(generation);
});

core.init().then((info) => {
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
  output: viewer.view,
  get files() { return outputs.files; },
  view: editor,
};
