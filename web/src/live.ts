// Checks and renders the spec after each edit: debounced, in the worker (core.ts), and only the
// newest edit's result is applied, so a slow result never overwrites a newer one.
import { core } from "./core";
import type { RenderOutput } from "../pkg/multirun_wasm.js";

const FILE_NAME = "multirun.yaml";
// Edits closer together than this are checked once, after the last: typing a word costs one run.
const DEBOUNCE_MS = 120;

export interface Applied {
  /** The spec the result is for: the editor's text when it is applied. */
  source: string;
  result: RenderOutput;
  /** The time the core took (validate and render), in the worker. */
  ms: number;
  /** The run's number, counted from 1 at page load. */
  generation: number;
}

export function liveRender(currentSource: () => string, apply: (applied: Applied) => void) {
  let timer: number | undefined;
  let generation = 0;

  /** Runs the core on the current spec now. */
  async function run() {
    const gen = ++generation;
    const source = currentSource();
    const { output, ms } = await core.render(source, FILE_NAME);
    if (gen !== generation || source !== currentSource()) return; // a newer edit wins
    apply({ source, result: output, ms, generation: gen });
  }

  /** Runs the core once edits pause. */
  function schedule() {
    clearTimeout(timer);
    timer = window.setTimeout(run, DEBOUNCE_MS);
  }

  return { run, schedule };
}
