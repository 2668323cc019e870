// End to end: Debian's chromium (headless, driven by playwright-core) against the built site
// (dist/) served on 127.0.0.1. Also measures the budgets and writes them to
// test-artifacts/budgets.json.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { unzipSync } from "fflate";
import { cli, cliRender, root, web } from "./helpers.mjs";
import { serve } from "./server.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const artifacts = join(root, "test-artifacts");
const dist = join(web, "dist");
const budgets = {};

let server, context, page, userDataDir;
const requests = [];
const problems = [];

/** Waits until the playground has applied a result for the editor's current text. */
async function settled(p = page) {
  await p.waitForFunction(() => {
    const pg = window.__playground;
    return pg && pg.current && pg.appliedSource === pg.source;
  }, null, { timeout: 20_000 });
}

async function source(p = page) {
  return p.evaluate(() => window.__playground.source);
}

/** Replaces the first `from` in the editor by `to`, by selecting it and typing. */
async function typeOver(from, to) {
  await page.evaluate((from) => {
    const view = window.__playground.view;
    const at = view.state.doc.toString().indexOf(from);
    if (at < 0) throw new Error(`not in the editor: ${from}`);
    view.dispatch({ selection: { anchor: at, head: at + from.length } });
    view.focus();
  }, from);
  await page.keyboard.type(to, { delay: 15 });
  await settled();
}

/** What the CLI says about `text` (saved as multirun.yaml in a temporary directory). */
function cliValidate(text) {
  const dir = mkdtempSync(join(tmpdir(), "multirun-e2e-"));
  try {
    writeFileSync(join(dir, "multirun.yaml"), text);
    return JSON.parse(cli(["validate", "--format", "json", join(dir, "multirun.yaml")]).stdout.toString()).files[0].diagnostics;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Line numbers and text of the squiggles shown in the editor. */
async function squiggles() {
  return page.evaluate(() => {
    const view = window.__playground.view;
    return [...document.querySelectorAll(".cm-lintRange-error, .cm-lintRange-warning, .cm-lintRange-info, .cm-lintPoint")].map((el) => {
      const pos = view.posAtDOM(el, 0);
      return { line: view.state.doc.lineAt(pos).number, text: el.textContent, cls: el.className };
    });
  });
}

before(async () => {
  assert.ok(existsSync(join(dist, "index.html")), "build the site first (npm run build)");
  assert.ok(existsSync(CHROMIUM), `no chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  mkdirSync(artifacts, { recursive: true });
  server = await serve(dist);
  userDataDir = mkdtempSync(join(tmpdir(), "multirun-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    viewport: { width: 1400, height: 860 },
    acceptDownloads: true,
  });
  context.on("request", (r) => requests.push(r.url()));
  page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" || /Content.Security.Policy|Refused to/i.test(m.text())) problems.push(`console ${m.type()}: ${m.text()}`);
  });
});

after(async () => {
  await context?.close();
  await server?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  writeFileSync(join(artifacts, "budgets.json"), JSON.stringify(budgets, null, 2) + "\n");
});

test("loads, shows the first diagnostics and the outputs", async () => {
  const started = Date.now();
  await page.goto(server.url);
  await settled();
  budgets.firstDiagnosticsMs = await page.evaluate(() => performance.getEntriesByName("first-diagnostics")[0]?.startTime);
  budgets.firstDiagnosticsWallMs = Date.now() - started;
  assert.ok(budgets.firstDiagnosticsMs > 0);
  assert.match(await page.textContent("#version"), /^v\d+\.\d+\.\d+/);
  const tabs = await page.$$eval("#tabs [role=tab]", (els) => els.map((e) => e.dataset.id));
  assert.ok(tabs.length >= 2, `tabs: ${tabs}`);
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
  assert.ok(csp && !/'unsafe-eval'/.test(csp) && /'wasm-unsafe-eval'/.test(csp), csp ?? "no CSP meta tag");
});

test("an error typed at a line shows its code there; fixing it updates the outputs", async () => {
  const before = await page.evaluate(() => window.__playground.files.map((f) => f.contents).join("\0"));
  // The weighted example splits 50/30/20: make it 50/30/10, which sums to 90.
  await typeOver("weight: 20", "weight: 10");
  const text = await source();
  const expected = cliValidate(text).find((d) => d.code === "MR103");
  assert.ok(expected, "the CLI reports MR103 for weights summing to 90");
  const item = await page.waitForSelector('#diagnostics li[data-code="MR103"]');
  assert.equal(Number(await item.getAttribute("data-line")), expected.line);
  const marks = await squiggles();
  assert.ok(marks.some((m) => m.line === expected.line), `a squiggle on line ${expected.line}: ${JSON.stringify(marks)}`);
  assert.equal(await page.getAttribute("#download", "disabled"), "");
  // Clicking the entry puts the cursor on it.
  await (await item.$("button.jump")).click();
  const cursorLine = await page.evaluate(() => { const v = window.__playground.view; return v.state.doc.lineAt(v.state.selection.main.head).number; });
  assert.equal(cursorLine, expected.line);
  // Hover shows code, message and help.
  await page.hover(".cm-lintRange-error");
  const tip = await page.waitForSelector(".cm-tooltip-lint", { timeout: 5000 });
  assert.match(await tip.textContent(), /MR103/);
  await page.mouse.move(0, 0);
  // "Explain" opens the rule's page.
  await (await item.$("button.explain")).click();
  await page.waitForSelector("dialog#explain[open]");
  assert.match(await page.textContent("#explain-title"), /MR103/);
  assert.ok((await page.textContent("#explain-body")).length > 100);
  await page.keyboard.press("Escape");
  // Fix it the other way: 50/40/10.
  await typeOver("weight: 30", "weight: 40");
  assert.equal(await page.$('#diagnostics li[data-code="MR103"]'), null);
  assert.equal(await page.evaluate(() => window.__playground.current.error), null);
  const after = await page.evaluate(() => window.__playground.files.map((f) => f.contents).join("\0"));
  assert.notEqual(after, before, "the outputs changed with the weights");
});

test("squiggles land on the right characters in non-ASCII text", async () => {
  const text = (await source()).replace(/^project: .*$/m, 'project: "prøjekt-😀-ü"');
  await page.evaluate((t) => window.__playground.setSource(t), text);
  await settled();
  const native = cliValidate(text);
  const bytes = Buffer.from(text, "utf8");
  const errors = native.filter((d) => d.severity === "error");
  assert.ok(errors.length >= 1, JSON.stringify(native));
  const shown = (await squiggles()).filter((m) => m.cls.includes("error")).map((m) => m.text).join("");
  for (const d of errors) {
    const want = bytes.subarray(d.span.start, d.span.end).toString("utf8");
    assert.ok(want.length > 0 && shown.includes(want), `squiggle "${shown}" should cover "${want}"`);
  }
});

test("tabs switch by click and keyboard", async () => {
  await page.evaluate((t) => window.__playground.setSource(t), readFileSync(join(root, "examples/weighted.yaml"), "utf8"));
  await settled();
  const ids = await page.$$eval("#tabs [role=tab]", (els) => els.map((e) => e.dataset.id));
  const files = await page.evaluate(() => window.__playground.files);
  const target = ids.find((id) => id.endsWith(".tf")) ?? ids[ids.length - 1];
  await page.click(`#tabs [data-id="${target}"]`);
  assert.equal(await page.getAttribute(`#tabs [data-id="${target}"]`, "aria-selected"), "true");
  const shown = await page.evaluate(() => window.__playground.output.state.doc.toString());
  assert.equal(shown, files.find((f) => f.path === target).contents);
  assert.equal(await page.textContent("#panel-path"), target);
  await page.keyboard.press("ArrowRight");
  const next = ids[(ids.indexOf(target) + 1) % ids.length];
  assert.equal(await page.getAttribute(`#tabs [data-id="${next}"]`, "aria-selected"), "true");
  // The architecture view shows the SVG as a picture.
  if (ids[0].startsWith("\u0000")) {
    await page.click("#tabs [role=tab]:first-child");
    await page.waitForSelector("#diagram img");
    assert.ok(await page.evaluate(() => document.querySelector("#diagram img").naturalWidth > 0 || !document.querySelector("#diagram img").complete));
  }
});

test("an edit shows the visible file first, then every file as a full render gives it", async () => {
  await page.evaluate((t) => window.__playground.setSource(t), readFileSync(join(root, "examples/weighted.yaml"), "utf8"));
  await settled();
  await page.click("#tabs [role=tab]:first-child");
  const ids = await page.$$eval("#tabs [role=tab]", (els) => els.map((e) => e.dataset.id));
  assert.ok(ids[0].startsWith("\u0000"), "the first tab is Architecture");
  const before = await page.evaluate(() => window.__playground.files);
  const n = await page.evaluate(() => window.__playground.timings.length);
  const text = (await source()).replace("weight: 30", "weight: 25").replace("weight: 20", "weight: 25");
  await page.evaluate((t) => window.__playground.setSource(t), text);
  await settled();
  await page.waitForFunction((n) => window.__playground.timings.length > n, n);
  // The first phase rendered the diagram, the Architecture tab's target.
  const timing = await page.evaluate(() => window.__playground.timings.at(-1));
  assert.equal(timing.target, "diagram");
  assert.ok(timing.visibleMs <= timing.completeMs, JSON.stringify(timing));
  // Every file, once complete, is what `multirun render` writes for the same text.
  const after = await page.evaluate(() => window.__playground.files);
  const dir = mkdtempSync(join(tmpdir(), "multirun-e2e-"));
  let native;
  try {
    writeFileSync(join(dir, "multirun.yaml"), text);
    native = cliRender(join(dir, "multirun.yaml"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(native.status, 0, native.stderr);
  assert.deepEqual(after.map((f) => f.path), Object.keys(native.files).sort());
  for (const f of after) assert.ok(Buffer.from(f.contents, "utf8").equals(native.files[f.path]), `${f.path} differs from the CLI's`);
  // A tab of another target shows the new version, not the one before the edit.
  const other = after.find((f) => f.target === "terraform" && f.contents !== before.find((b) => b.path === f.path)?.contents);
  assert.ok(other, "the weights change a Terraform file");
  await page.click(`#tabs [data-id="${other.path}"]`);
  assert.equal(await page.evaluate(() => window.__playground.output.state.doc.toString()), native.files[other.path].toString("utf8"));
  // The copy button copies the file on screen (the clipboard may be refused headless: then
  // the button says so, and there is nothing to compare).
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  await page.click("#copy");
  await page.waitForFunction(() => /^Cop(ied|y failed)$/.test(document.getElementById("copy").textContent));
  if ((await page.textContent("#copy")) === "Copied") {
    const copied = await page.evaluate(() => navigator.clipboard.readText().catch(() => null));
    if (copied !== null) assert.equal(copied, native.files[other.path].toString("utf8"));
  }
  // The tab list is rebuilt only when the complete set changes it, once: never by a first phase.
  await page.evaluate(() => {
    window.__tabMutations = 0;
    new MutationObserver((records) => (window.__tabMutations += records.length)).observe(document.getElementById("tabs"), { childList: true });
  });
  await page.evaluate((t) => window.__playground.setSource(t), text.replace("weight: 50", "weight: 49").replace("weight: 25\n", "weight: 26\n"));
  await settled();
  assert.equal(await page.evaluate(() => window.__tabMutations), 0, "the same files: the tabs stay");
  const withRegion = text.replace("  - name: asia-east1\n    weight: 25\n", "  - name: asia-east1\n    weight: 15\n  - name: us-east1\n    weight: 10\n");
  assert.notEqual(withRegion, text);
  await page.evaluate((t) => window.__playground.setSource(t), withRegion);
  await settled();
  assert.equal(await page.evaluate(() => window.__tabMutations), 1, "a new region's files: the tabs change once");
  assert.ok(await page.$('#tabs [data-id="gcloud/run-service-us-east1.yaml"]'));
  await page.evaluate((t) => window.__playground.setSource(t), text);
  await settled();
  // And an edit seen from that tab renders Terraform first.
  const m = await page.evaluate(() => window.__playground.timings.length);
  await page.evaluate((t) => window.__playground.setSource(t), text.replace("maxInstances: 100", "maxInstances: 90"));
  await settled();
  await page.waitForFunction((m) => window.__playground.timings.length > m, m);
  assert.equal(await page.evaluate(() => window.__playground.timings.at(-1).target), "terraform");
  await page.click("#tabs [role=tab]:first-child");
});

test("the zip holds exactly what `multirun render` writes", async () => {
  const text = await source();
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
  const zipPath = join(artifacts, "multirun-output.zip");
  await download.saveAs(zipPath);
  const zipped = unzipSync(new Uint8Array(readFileSync(zipPath)));
  const dir = mkdtempSync(join(tmpdir(), "multirun-e2e-"));
  try {
    writeFileSync(join(dir, "multirun.yaml"), text);
    const native = cliRender(join(dir, "multirun.yaml"));
    assert.equal(native.status, 0, native.stderr);
    assert.deepEqual(Object.keys(zipped).sort(), Object.keys(native.files).sort());
    for (const [path, bytes] of Object.entries(native.files)) assert.ok(Buffer.from(zipped[path]).equals(bytes), `${path} differs`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the examples menu offers every bundled example, and picking one loads it", async () => {
  const bundled = readdirSync(join(root, "examples")).filter((f) => f.endsWith(".yaml")).map((f) => f.slice(0, -5)).sort();
  const offered = await page.$$eval("#examples option", (options) => options.map((o) => o.value).filter((v) => v !== ""));
  assert.deepEqual([...offered].sort(), bundled);
  // The tests after this one continue from the editor's text: put it back afterwards.
  const before = await source();
  for (const id of ["production", "kitchen-sink"]) {
    await page.selectOption("#examples", id);
    await settled();
    assert.equal(await source(), readFileSync(join(root, "examples", `${id}.yaml`), "utf8"));
    const out = await page.evaluate(() => window.__playground.current);
    assert.equal(out.error, null, `${id} renders`);
  }
  await page.evaluate((t) => window.__playground.setSource(t), before);
  await settled();
});

test("a share link round-trips the spec", async () => {
  const text = (await source()).replace("maxInstances: 100", "maxInstances: 77") + "# shared: ünïcødé ✓\n";
  await page.evaluate((t) => window.__playground.setSource(t), text);
  await settled();
  await page.click("#share");
  const link = await page.evaluate(() => location.href);
  assert.match(link, /#spec=/);
  const other = await context.newPage();
  await other.goto(link);
  await settled(other);
  assert.equal(await source(other), text);
  await other.close();
});

test("keeps working offline once loaded", async () => {
  await context.setOffline(true);
  try {
    const text = (await source()).replace("maxInstances: 77", "maxInstances: 0");
    await page.evaluate((t) => window.__playground.setSource(t), text);
    await settled();
    assert.ok(await page.$("#diagnostics li"), "diagnostics still come");
  } finally {
    await context.setOffline(false);
  }
});

test("light and dark themes; screenshots saved", async () => {
  await page.evaluate((t) => window.__playground.setSource(t), readFileSync(join(root, "examples/errors.yaml"), "utf8"));
  await settled();
  await page.screenshot({ path: join(artifacts, "playground-light.png") });
  await page.click("#theme");
  assert.equal(await page.getAttribute("html", "data-theme"), "dark");
  await page.screenshot({ path: join(artifacts, "playground-dark.png") });
  await page.click("#theme");
});

test("budget: validate + render per edit with every catalog region", async () => {
  const catalog = JSON.parse(cli(["regions", "--format", "json"]).stdout.toString());
  const base = readFileSync(join(root, "examples/nearest.yaml"), "utf8");
  const regions = "regions:\n" + catalog.regions.map((r) => `  - name: ${r.name}\n`).join("");
  const spec = base.replace(/^regions:\n(?:[ -].*\n)*/m, regions);
  await page.evaluate((t) => window.__playground.setSource(t), spec);
  await settled();
  const out = await page.evaluate(() => window.__playground.current);
  assert.equal(out.error, null, `the all-regions spec renders: ${JSON.stringify(out.validation.summary)}`);
  /** `count` edits seen from the tab `tab`: the median and p90 of each timing. */
  async function measure(tab, count, from) {
    // A CSS selector can't hold the NUL of the Architecture tab's id.
    await page.evaluate((tab) => [...document.querySelectorAll("#tabs [role=tab]")].find((b) => b.dataset.id === tab).click(), tab);
    const samples = [];
    for (let i = 0; i < count; i++) {
      const n = await page.evaluate(() => window.__playground.timings.length);
      await page.evaluate((t) => window.__playground.setSource(t), spec.replace("maxInstances: 100", `maxInstances: ${from + i}`));
      await settled();
      await page.waitForFunction((n) => window.__playground.timings.length > n, n);
      samples.push(await page.evaluate(() => window.__playground.timings.at(-1)));
    }
    const stats = {};
    for (const key of ["visibleMs", "completeMs", "visibleWallMs", "completeWallMs"]) {
      const values = samples.map((s) => s[key]).sort((a, b) => a - b);
      stats[key] = { median: values[Math.floor(values.length / 2)], p90: values[Math.floor(values.length * 0.9)] };
    }
    assert.ok(samples.every((s) => s.target !== null), "every edit had a first phase");
    return { target: samples[0].target, ...stats };
  }
  // The default tab, Architecture (the diagram), is the budget; Terraform's main.tf, one of the
  // dearest targets, is printed too.
  const architecture = await measure("\u0000architecture", 25, 101);
  const terraform = await measure("terraform/main.tf", 9, 201);
  // For comparison, in the same conditions: one full render in one call (each edit's only
  // phase before the two phases), straight from the worker, nothing applied to the page.
  const oneCall = [];
  for (let i = 0; i < 15; i++) {
    oneCall.push(await page.evaluate((t) => window.__playground.core.render(t, "multirun.yaml").then((r) => r.ms), spec.replace("maxInstances: 100", `maxInstances: ${301 + i}`)));
  }
  oneCall.sort((a, b) => a - b);
  budgets.fullRenderOneCallMs = { median: oneCall[7], p90: oneCall[13] };
  budgets.allRegions = catalog.regions.length;
  budgets.allRegionsFiles = out.files.length;
  budgets.edit = { architecture, terraform };
  await page.click("#tabs [role=tab]:first-child");
});

test("no request left the page's origin; no CSP violation or page error", async () => {
  const origin = new URL(server.url).origin;
  const foreign = requests.filter((u) => !u.startsWith(origin + "/") && !u.startsWith("blob:") && !u.startsWith("data:"));
  assert.deepEqual(foreign, []);
  assert.deepEqual(problems, []);
  const wasm = readdirSync(join(dist, "assets")).find((f) => f.endsWith(".wasm"));
  const bytes = readFileSync(join(dist, "assets", wasm));
  budgets.wasmBytes = bytes.length;
  budgets.wasmGzipBytes = gzipSync(bytes, { level: 9 }).length;
});
