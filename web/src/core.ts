// The main thread's handle on the worker that runs the wasm core.
import type { InitResult, RenderResult, Request } from "./worker";

type Pending = { resolve: (value: any) => void; reject: (error: Error) => void };
type Body<R> = R extends unknown ? Omit<R, "id"> : never;

const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
const pending = new Map<number, Pending>();
let next = 1;

worker.onmessage = (event: MessageEvent<{ id: number; result?: unknown; error?: string }>) => {
  const { id, result, error } = event.data;
  const p = pending.get(id);
  pending.delete(id);
  if (!p) return;
  if (error !== undefined) p.reject(new Error(error));
  else p.resolve(result);
};

function call<T>(request: Body<Request>): Promise<T> {
  const id = next++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ ...request, id });
  });
}

export const core = {
  init: () => call<InitResult>({ kind: "init" }),
  /** Checks and renders `targets` exactly (all when absent): see worker.ts. */
  render: (source: string, fileName: string, targets?: string[]) => call<RenderResult>({ kind: "render", source, fileName, targets }),
  explain: (code: string) => call<string | null>({ kind: "explain", code }),
};
