// Parity: for every fixture and example, the wasm package gives the native CLI's bytes:
// `validate --format json`, the files of `render` (less the CLI's `.multirun-files`, which
// lists them), and rules/regions/schema/explain.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as wasm from "../pkg/multirun_wasm.js";
import { cli, cliRender, corpus, decodeUtf8, manifestPaths, pretty, root, web } from "./helpers.mjs";

wasm.initSync({ module: readFileSync(join(web, "pkg/multirun_wasm_bg.wasm")) });

const specs = corpus();
const targetNames = wasm.targets().map((t) => t.name);

test("the corpus is not empty", () => {
  assert.ok(specs.length >= 10, `only ${specs.length} specs found`);
  assert.ok(specs.some((p) => p.startsWith("examples/")));
});

for (const spec of specs) {
  test(`validate: ${spec}`, (t) => {
    const bytes = readFileSync(join(root, spec));
    const source = decodeUtf8(bytes);
    if (source === null) return t.skip("not UTF-8: a browser editor never holds such bytes");
    const native = cli(["validate", "--format", "json", spec]).stdout.toString();
    assert.equal(pretty(wasm.validate(source, spec)), native);
  });

  test(`render: ${spec}`, (t) => {
    const source = decodeUtf8(readFileSync(join(root, spec)));
    if (source === null) return t.skip("not UTF-8");
    const native = cliRender(spec);
    const out = wasm.render(source, spec);
    assert.equal(pretty(out.validation), cli(["validate", "--format", "json", spec]).stdout.toString());
    if (native.status !== 0) {
      assert.deepEqual(out.files, [], "the CLI rendered nothing, nor may the wasm");
      assert.ok(out.error, "an error says why nothing was rendered");
      return;
    }
    assert.equal(out.error, null);
    const mine = Object.fromEntries(out.files.map((f) => [f.path, Buffer.from(f.contents, "utf8")]));
    assert.deepEqual(Object.keys(mine).sort(), Object.keys(native.files).sort());
    for (const [path, bytes] of Object.entries(native.files)) assert.ok(bytes.equals(mine[path]), `${path} differs`);
    // The CLI's manifest, which the wasm doesn't produce, lists exactly those files.
    assert.deepEqual(manifestPaths(native.manifest), Object.keys(mine).sort());
    // The playground's two phases: one target exactly, then every other, merged, are the same
    // files in the same order, each tagged with the target that produced it.
    assert.ok(out.files.every((f) => targetNames.includes(f.target)), "every file names its target");
    for (const first of ["diagram", "terraform"]) {
      const visible = wasm.render(source, spec, { targets: [first], exactTargets: true });
      const rest = wasm.render(source, spec, { targets: targetNames.filter((t) => t !== first), exactTargets: true });
      assert.ok(visible.files.every((f) => f.target === first));
      const merged = [...visible.files, ...rest.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      assert.deepEqual(merged, out.files, `${first} first, then the rest`);
    }
  });
}

test("utf-16 positions move only spans and columns", () => {
  const source = "# é😀\nversion: 1\nproject: \"ü😀\"\n";
  const a = wasm.validate(source, "x.yaml").files[0].diagnostics;
  const b = wasm.validate(source, "x.yaml", { positionEncoding: "utf-16" }).files[0].diagnostics;
  assert.ok(a.length > 0);
  const units = (byte) => Buffer.from(source, "utf8").subarray(0, byte).toString("utf8").length;
  a.forEach((d, i) => {
    assert.equal(b[i].code, d.code);
    assert.equal(b[i].line, d.line);
    assert.equal(b[i].span.start, units(d.span.start));
    assert.equal(b[i].span.end, units(d.span.end));
  });
  assert.throws(() => wasm.validate(source, "x.yaml", { positionEncoding: "latin-1" }), /invalid options/);
});

test("rules, regions, schema, explain and version match the CLI", () => {
  assert.equal(pretty(wasm.rules()), cli(["rules", "--format", "json"]).stdout.toString());
  assert.equal(pretty(wasm.regions()), cli(["regions", "--format", "json"]).stdout.toString());
  assert.equal(wasm.schema(), cli(["schema"]).stdout.toString());
  // Targets: the lines of `render --list-templates` that are not indented (those are templates).
  const listed = cli(["render", "--list-templates"]).stdout.toString().split("\n").filter((l) => /^\S/.test(l));
  assert.deepEqual(wasm.targets().map((t) => `${t.name}: ${t.description}`), listed);
  assert.ok(cli(["--version"]).stdout.toString().includes(wasm.version()));
  for (const rule of wasm.rules()) {
    assert.equal(wasm.explain(rule.code), cli(["explain", rule.code]).stdout.toString(), rule.code);
    assert.equal(wasm.explain(rule.name), wasm.explain(rule.code));
  }
  assert.equal(wasm.explain("MR999999"), undefined);
});
