// Shared by the parity and end-to-end tests: the repository, the native CLI, the spec corpus.
import { readFileSync, readdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join, relative } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../", import.meta.url));
export const web = fileURLToPath(new URL("../", import.meta.url));
export const cliPath = process.env.MULTIRUN_BIN ?? join(root, "target/debug/multirun");

/** Runs the native CLI from the repository root. */
export function cli(args, input) {
  const r = spawnSync(cliPath, args, { cwd: root, input, maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: "1" } });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Every fixture and example spec, as paths relative to the repository root, sorted. */
export function corpus() {
  return [...walk(join(root, "tests/fixtures")), ...walk(join(root, "examples"))]
    .filter((p) => /\.ya?ml$/.test(p))
    .map((p) => relative(root, p))
    .sort();
}

/** Every file under dir, by `/`-separated relative path, as bytes. */
export function readTree(dir) {
  const files = {};
  for (const path of walk(dir)) files[relative(dir, path).split("\\").join("/")] = readFileSync(path);
  return files;
}

/** The list of generated files that `multirun render` keeps in DIR (see README, "Commands"). */
export const MANIFEST = ".multirun-files";

/** The paths a manifest lists, whatever their target, sorted. */
export const manifestPaths = (text) => text.split("\n").filter((l) => l && !l.startsWith("#") && !l.startsWith("[")).sort();

/**
 * `multirun render SPEC --out TMP`: {status, files, manifest} (files empty unless it rendered).
 * `files` leaves out the manifest, which only the CLI writes (it describes a directory, and the
 * playground's zip is not one); `manifest` is its text.
 */
export function cliRender(specPath) {
  const out = mkdtempSync(join(tmpdir(), "multirun-parity-"));
  try {
    const r = cli(["render", specPath, "--out", out]);
    const files = r.status === 0 ? readTree(out) : {};
    const manifest = files[MANIFEST]?.toString("utf8") ?? null;
    delete files[MANIFEST];
    return { status: r.status, stderr: r.stderr, files, manifest };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The wasm's JSON value printed as the CLI prints JSON (serde_json pretty, final newline). */
export const pretty = (value) => JSON.stringify(value, null, 2) + "\n";

export function decodeUtf8(bytes) {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}
