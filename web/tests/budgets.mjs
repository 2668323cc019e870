// Prints the budgets measured by the end-to-end test, and fails when the .wasm is over its
// size budget (deterministic). Timings are printed against their targets but do not fail the
// run: they depend on how busy the machine is.
import { readFileSync } from "node:fs";

const WASM_GZIP_BUDGET = 400 * 1024;
const EDIT_MEDIAN_TARGET_MS = 5;
const b = JSON.parse(readFileSync(process.argv[2], "utf8"));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const mark = (ok) => (ok ? "ok" : "OVER");
console.log(`wasm size, gzipped:            ${kb(b.wasmGzipBytes)} (raw ${kb(b.wasmBytes)}; budget ${kb(WASM_GZIP_BUDGET)}) ${mark(b.wasmGzipBytes <= WASM_GZIP_BUDGET)}`);
console.log(`page load to first diagnostics: ${b.firstDiagnosticsMs.toFixed(0)} ms`);
console.log(`validate + render per edit:     median ${b.editMedianMs.toFixed(2)} ms, p90 ${b.editP90Ms.toFixed(2)} ms (${b.allRegions} regions, ${b.allRegionsFiles} files; target median <= ${EDIT_MEDIAN_TARGET_MS} ms) ${mark(b.editMedianMs <= EDIT_MEDIAN_TARGET_MS)}`);
if (b.wasmGzipBytes > WASM_GZIP_BUDGET) {
  console.error("the .wasm is over its size budget: `twiggy top -n 30 web/pkg/multirun_wasm_bg.wasm` shows where the size goes");
  process.exit(1);
}
