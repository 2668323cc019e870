// Runs the wasm core off the main thread, so typing never waits for validation or rendering.
import init, * as core from "../pkg/multirun_wasm.js";
import type { RenderOutput, RegionCatalog, RuleInfo, TargetInfo } from "../pkg/multirun_wasm.js";

/** `targets`: render only these, exactly (without the targets their files read); all when absent. */
export type Request =
  | { id: number; kind: "init" }
  | { id: number; kind: "render"; source: string; fileName: string; targets?: string[] }
  | { id: number; kind: "explain"; code: string };

export interface InitResult { version: string; rules: RuleInfo[]; regions: RegionCatalog; schema: string; targets: TargetInfo[] }
export interface RenderResult { output: RenderOutput; ms: number }

const ready = init();

self.onmessage = async (event: MessageEvent<Request>) => {
  const request = event.data;
  try {
    await ready;
    let result: unknown;
    switch (request.kind) {
      case "init":
        result = { version: core.version(), rules: core.rules(), regions: core.regions(), schema: core.schema(), targets: core.targets() } satisfies InitResult;
        break;
      case "render": {
        const started = performance.now();
        const output = core.render(request.source, request.fileName, {
          positionEncoding: "utf-16",
          ...(request.targets ? { targets: request.targets, exactTargets: true } : {}),
        });
        result = { output, ms: performance.now() - started } satisfies RenderResult;
        break;
      }
      case "explain":
        result = core.explain(request.code) ?? null;
        break;
    }
    self.postMessage({ id: request.id, result });
  } catch (error) {
    self.postMessage({ id: request.id, error: String(error) });
  }
};
