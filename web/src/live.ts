// Checks and renders the spec after each edit: debounced, in the worker (core.ts), and only the
// newest edit's result is applied, so a slow result never overwrites a newer one.
//
// In two phases, what the user sees first: phase 1 checks the spec and renders only the target
// of the file on screen (the diagram, for the default "Architecture" tab), and is applied at
// once; phase 2 renders every other target, and its files are merged with phase 1's into the
// complete set. Phase 2 is skipped when a newer edit is already waiting: that edit's run does
// its own. A spec with errors renders nothing, so its phase 1 is the complete result.
import { core } from "./core";
import type { RenderOutput, RenderedFile } from "../pkg/multirun_wasm.js";

const FILE_NAME = "multirun.yaml";
// Edits closer together than this are checked once, after the last: typing a word costs one run.
const DEBOUNCE_MS = 120;

export interface Applied {
  /** The spec the result is for: the editor's text when it is applied. */
  source: string;
  /**
   * "visible": the validation and only the files of `target` (the visible file's target);
   * "complete": the validation and every file, as one full render gives them.
   */
  phase: "visible" | "complete";
  result: RenderOutput;
  /** The target phase 1 rendered; null when it rendered every target (or nothing: errors). */
  target: string | null;
  /** The core's time (validate and render), in the worker: phase 1's for "visible", phase 1's
   * plus phase 2's for "complete". */
  ms: number;
  /** The core's time of phase 1 alone: what the user waits for. */
  visibleMs: number;
  /** Time since the run started, on the page's clock, when this result arrived (messaging
   * to and from the worker included). */
  wallMs: number;
  /** The run's number, counted from 1 at page load. */
  generation: number;
}

/** Files sorted by path, as the core sorts them (paths compared code unit by code unit). */
const byPath = (a: RenderedFile, b: RenderedFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * `visibleTarget`: the target of the file on screen, null when not known yet (then one run
 * renders every target); `allTargets`: every target's name (from `core.init`).
 */
export function liveRender(
  currentSource: () => string,
  visibleTarget: () => string | null,
  allTargets: () => string[],
  apply: (applied: Applied) => void,
) {
  let timer: number | undefined;
  let generation = 0;

  /** Runs the core on the current spec now. */
  async function run() {
    const gen = ++generation;
    const source = currentSource();
    const started = performance.now();
    const stale = () => gen !== generation || source !== currentSource(); // a newer edit wins
    const target = visibleTarget();
    const first = await core.render(source, FILE_NAME, target === null ? undefined : [target]);
    if (stale()) return;
    const base = { source, target, visibleMs: first.ms, generation: gen };
    if (target === null || first.output.error !== null) {
      apply({ ...base, phase: "complete", result: first.output, ms: first.ms, wallMs: performance.now() - started });
      return;
    }
    // Asked for before phase 1 is applied, so the worker renders while the page updates.
    const rest = core.render(source, FILE_NAME, allTargets().filter((t) => t !== target));
    apply({ ...base, phase: "visible", result: first.output, ms: first.ms, wallMs: performance.now() - started });
    const second = await rest;
    if (stale()) return;
    // Phase 2 checks the same text again, so its validation is phase 1's.
    const files = second.output.error === null ? [...first.output.files, ...second.output.files].sort(byPath) : [];
    apply({
      ...base,
      phase: "complete",
      result: { ...second.output, files },
      ms: first.ms + second.ms,
      wallMs: performance.now() - started,
    });
  }

  /** Runs the core once edits pause. */
  function schedule() {
    clearTimeout(timer);
    timer = window.setTimeout(run, DEBOUNCE_MS);
  }

  return { run, schedule };
}
