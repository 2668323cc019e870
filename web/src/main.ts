import "./style.css";
import { EditorState, Compartment, type Extension } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
  highlightSpecialChars, rectangularSelection, crosshairCursor, dropCursor,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { syntaxHighlighting, indentOnInput, bracketMatching, foldGutter, foldKeymap } from "@codemirror/language";
import { classHighlighter } from "@lezer/highlight";
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { lintGutter, lintKeymap, setDiagnostics, type Diagnostic as CmDiagnostic } from "@codemirror/lint";
import { yaml } from "@codemirror/lang-yaml";
import { zipSync, strToU8 } from "fflate";
import LZString from "lz-string";
import { marked } from "marked";

import { core } from "./core";
import { specCompletion } from "./completion";
import { EXAMPLES } from "./examples";
import { languageFor } from "./languages";
import type { Diagnostic, RenderedFile, RenderOutput, RuleInfo } from "../pkg/multirun_wasm.js";

const FILE_NAME = "multirun.yaml";
const DEBOUNCE_MS = 120;
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

// ---- theme ------------------------------------------------------------------------------

const themeButton = $<HTMLButtonElement>("theme");
const darkCompartment = new Compartment();
function preferredTheme(): "light" | "dark" {
  const saved = localStorage.getItem("multirun-theme");
  if (saved === "light" || saved === "dark") return saved;
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}
let theme = preferredTheme();
function applyTheme() {
  document.documentElement.dataset.theme = theme;
  themeButton.textContent = theme === "dark" ? "Light" : "Dark";
  themeButton.setAttribute("aria-pressed", String(theme === "dark"));
  themeButton.setAttribute("aria-label", `Switch to the ${theme === "dark" ? "light" : "dark"} theme`);
  for (const view of [editor, output]) view?.dispatch({ effects: darkCompartment.reconfigure(EditorView.theme({}, { dark: theme === "dark" })) });
}
themeButton.addEventListener("click", () => {
  theme = theme === "dark" ? "light" : "dark";
  localStorage.setItem("multirun-theme", theme);
  applyTheme();
});

// ---- state kept in the URL fragment -----------------------------------------------------

function sourceFromHash(): string | null {
  const m = /^#spec=(.+)$/.exec(location.hash);
  if (!m) return null;
  return LZString.decompressFromEncodedURIComponent(m[1]) || null;
}
function shareUrl(source: string): string {
  return `${location.origin}${location.pathname}${location.search}#spec=${LZString.compressToEncodedURIComponent(source)}`;
}

// ---- editors ----------------------------------------------------------------------------

const commonTheme = EditorView.theme({
  "&": { height: "100%", fontSize: "13px" },
  ".cm-scroller": { fontFamily: "var(--mono)" },
});

const completionCompartment = new Compartment();
let editor: EditorView;
let output: EditorView;

function editorExtensions(): Extension[] {
  return [
    lineNumbers(), highlightActiveLineGutter(), highlightSpecialChars(), history(), foldGutter(), drawSelection(),
    dropCursor(), EditorState.allowMultipleSelections.of(true), indentOnInput(), bracketMatching(), closeBrackets(),
    rectangularSelection(), crosshairCursor(), highlightActiveLine(), highlightSelectionMatches(),
    syntaxHighlighting(classHighlighter), yaml(), lintGutter(), commonTheme, darkCompartment.of([]),
    completionCompartment.of(autocompletion()),
    keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap, ...completionKeymap, ...lintKeymap]),
    EditorView.contentAttributes.of({ "aria-label": "Spec (YAML)" }),
    EditorView.updateListener.of((u) => { if (u.docChanged) schedule(); }),
  ];
}

const languageCompartment = new Compartment();
output = new EditorView({
  parent: $("output"),
  state: EditorState.create({
    doc: "",
    extensions: [
      lineNumbers(), highlightSpecialChars(), drawSelection(), syntaxHighlighting(classHighlighter), highlightSelectionMatches(),
      EditorState.readOnly.of(true), EditorView.editable.of(true), commonTheme, darkCompartment.of([]),
      languageCompartment.of([]), keymap.of([...defaultKeymap, ...searchKeymap]),
      EditorView.contentAttributes.of({ "aria-label": "Generated file (read only)" }),
    ],
  }),
});

const initialSource = sourceFromHash() ?? EXAMPLES[0].source;
editor = new EditorView({ parent: $("editor"), state: EditorState.create({ doc: initialSource, extensions: editorExtensions() }) });
applyTheme();

// ---- validation and rendering -----------------------------------------------------------

let rules: RuleInfo[] = [];
let timer: number | undefined;
let generation = 0;
let lastGood: RenderedFile[] = [];
let current: RenderOutput | null = null;
const timings: number[] = [];
let appliedSource: string | null = null;

function schedule() {
  clearTimeout(timer);
  timer = window.setTimeout(run, DEBOUNCE_MS);
}

async function run() {
  const gen = ++generation;
  const source = editor.state.doc.toString();
  const { output: result, ms } = await core.render(source, FILE_NAME);
  if (gen !== generation || source !== editor.state.doc.toString()) return; // a newer edit wins
  timings.push(ms);
  current = result;
  appliedSource = source;
  window.history.replaceState(null, "", shareUrl(source));
  showDiagnostics(result.validation.files[0].diagnostics, result);
  if (result.error === null) lastGood = result.files;
  showOutputs(result);
  $("status").textContent = `checked${result.error === null ? " and rendered" : ""} in ${ms.toFixed(1)} ms`;
  if (!performance.getEntriesByName("first-diagnostics").length) performance.mark("first-diagnostics");
  document.body.dataset.generation = String(gen);
}

function severityOf(d: Diagnostic): CmDiagnostic["severity"] {
  return d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "info";
}

function hoverMessage(d: Diagnostic): HTMLElement {
  const el = document.createElement("div");
  el.className = "hover";
  const head = document.createElement("div");
  head.innerHTML = `<code class="code"></code> <span class="msg"></span>`;
  head.querySelector(".code")!.textContent = d.code;
  head.querySelector(".msg")!.textContent = d.message;
  el.append(head);
  if (d.help) {
    const help = document.createElement("div");
    help.className = "help";
    help.textContent = `help: ${d.help}`;
    el.append(help);
  }
  return el;
}

function showDiagnostics(list: Diagnostic[], result: RenderOutput) {
  const len = editor.state.doc.length;
  const cm: CmDiagnostic[] = list.map((d) => {
    const from = Math.min(d.span.start, len);
    const to = Math.min(Math.max(d.span.end, from), len);
    const actions = d.suggestion !== undefined
      ? [{ name: "Apply fix", apply: (view: EditorView, f: number, t: number) => view.dispatch({ changes: { from: f, to: t, insert: d.suggestion! } }) }]
      : [];
    return { from, to, severity: severityOf(d), source: d.code, message: `${d.code}: ${d.message}`, renderMessage: () => hoverMessage(d), actions };
  });
  editor.dispatch(setDiagnostics(editor.state, cm));

  const s = result.validation.summary;
  $("summary").textContent = list.length ? `${s.errors} error(s), ${s.warnings} warning(s), ${s.infos} info` : "none: the spec is valid";
  const ul = $("diagnostics");
  ul.replaceChildren(...list.map((d) => {
    const li = document.createElement("li");
    li.className = `diag ${d.severity}`;
    li.dataset.code = d.code;
    li.dataset.line = String(d.line);
    const jump = document.createElement("button");
    jump.type = "button";
    jump.className = "jump";
    jump.innerHTML = `<span class="sev"></span> <code class="code"></code> <span class="msg"></span> <span class="pos muted"></span>`;
    jump.querySelector(".sev")!.textContent = d.severity;
    jump.querySelector(".code")!.textContent = d.code;
    jump.querySelector(".msg")!.textContent = d.message;
    jump.querySelector(".pos")!.textContent = `line ${d.line}, column ${d.column}`;
    jump.title = d.help ? `help: ${d.help}` : "Go to this place in the spec";
    jump.addEventListener("click", () => {
      const from = Math.min(d.span.start, editor.state.doc.length);
      const to = Math.min(Math.max(d.span.end, from), editor.state.doc.length);
      editor.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
      editor.focus();
    });
    const explain = document.createElement("button");
    explain.type = "button";
    explain.className = "explain";
    explain.textContent = "Explain";
    explain.setAttribute("aria-label", `Explain ${d.code} (${d.name})`);
    explain.addEventListener("click", () => showExplain(d.code));
    li.append(jump, explain);
    if (d.help) {
      const help = document.createElement("div");
      help.className = "help muted";
      help.textContent = `help: ${d.help}`;
      li.append(help);
    }
    return li;
  }));
}

// ---- explain ----------------------------------------------------------------------------

const dialog = $<HTMLDialogElement>("explain");
$("explain-close").addEventListener("click", () => dialog.close());
async function showExplain(code: string) {
  const doc = await core.explain(code);
  const rule = rules.find((r) => r.code === code);
  $("explain-title").textContent = rule ? `${rule.code} ${rule.name}` : code;
  // The page is the rule's doc comment, compiled into the wasm: trusted, and rendered
  // without any script (the CSP forbids inline scripts anyway).
  $("explain-body").innerHTML = doc ? (marked.parse(doc, { async: false }) as string) : "<p>No documentation for this code.</p>";
  dialog.showModal();
}

// ---- outputs ----------------------------------------------------------------------------

const ARCHITECTURE = "\u0000architecture";
let selected = ARCHITECTURE;
let diagramUrl = "";
// Which file's language the output view is set up for.
let shownPath = "";
let shownDiagram = "";

function tabsFor(files: RenderedFile[]): { id: string; label: string }[] {
  const tabs = files.map((f) => ({ id: f.path, label: f.path }));
  return files.some((f) => f.path.endsWith(".svg")) ? [{ id: ARCHITECTURE, label: "Architecture" }, ...tabs] : tabs;
}

function showOutputs(result: RenderOutput) {
  const files = lastGood;
  const stale = result.error !== null;
  document.body.classList.toggle("stale", stale);
  $<HTMLButtonElement>("download").disabled = stale || files.length === 0;
  $("download").title = stale ? "Fix the errors first: only a valid spec is rendered" : "Download every generated file as a .zip";
  const tabs = tabsFor(files);
  if (!tabs.some((t) => t.id === selected)) selected = tabs[0]?.id ?? "";
  const bar = $("tabs");
  const existing = [...bar.children].map((b) => (b as HTMLElement).dataset.id).join("\n");
  if (existing !== tabs.map((t) => t.id).join("\n")) {
    bar.replaceChildren(...tabs.map((t) => {
      const b = document.createElement("button");
      b.type = "button";
      b.role = "tab";
      b.id = `tab-${t.id.replace(/[^\w-]/g, "_")}`;
      b.dataset.id = t.id;
      b.textContent = t.label;
      b.addEventListener("click", () => select(t.id));
      return b;
    }));
  }
  const note = $("no-output");
  note.hidden = !stale;
  note.textContent = stale
    ? files.length ? "The spec has errors: these outputs are from the last valid version." : "The spec has errors: fix them to see the generated files."
    : "";
  select(selected, false);
}

function select(id: string, focus = false) {
  selected = id;
  for (const b of $("tabs").children as HTMLCollectionOf<HTMLButtonElement>) {
    const on = b.dataset.id === id;
    b.setAttribute("aria-selected", String(on));
    b.tabIndex = on ? 0 : -1;
    if (on) {
      $("panel").setAttribute("aria-labelledby", b.id);
      if (focus) b.focus();
    }
  }
  const isDiagram = id === ARCHITECTURE;
  const svg = lastGood.find((f) => f.path.endsWith(".svg"));
  const file = isDiagram ? svg : lastGood.find((f) => f.path === id);
  $("panel-path").textContent = isDiagram ? `Architecture (${svg?.path ?? ""})` : (file?.path ?? "");
  $("diagram").hidden = !isDiagram;
  $("output").hidden = isDiagram;
  if (isDiagram && svg && svg.contents !== shownDiagram) {
    shownDiagram = svg.contents;
    if (diagramUrl) URL.revokeObjectURL(diagramUrl);
    diagramUrl = URL.createObjectURL(new Blob([svg.contents], { type: "image/svg+xml" }));
    const img = document.createElement("img");
    img.src = diagramUrl;
    img.alt = "Architecture diagram of the generated deployment";
    $("diagram").replaceChildren(img);
  }
  if (!isDiagram) {
    const text = file?.contents ?? "";
    const doc = output.state.doc.toString();
    const effects = shownPath !== id ? [languageCompartment.reconfigure(languageFor(id))] : [];
    if (doc !== text || effects.length) {
      output.dispatch({ changes: doc !== text ? { from: 0, to: output.state.doc.length, insert: text } : undefined, effects });
      shownPath = id;
    }
  }
}

$("tabs").addEventListener("keydown", (e) => {
  const ids = [...$("tabs").children].map((b) => (b as HTMLElement).dataset.id!);
  let i = ids.indexOf(selected);
  if (e.key === "ArrowRight") i = (i + 1) % ids.length;
  else if (e.key === "ArrowLeft") i = (i - 1 + ids.length) % ids.length;
  else if (e.key === "Home") i = 0;
  else if (e.key === "End") i = ids.length - 1;
  else return;
  e.preventDefault();
  select(ids[i], true);
});

function flash(button: HTMLElement, text: string) {
  const old = button.textContent;
  button.textContent = text;
  setTimeout(() => (button.textContent = old), 1200);
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

$("copy").addEventListener("click", async () => {
  const file = selected === ARCHITECTURE ? lastGood.find((f) => f.path.endsWith(".svg")) : lastGood.find((f) => f.path === selected);
  if (file) flash($("copy"), (await copyText(file.contents)) ? "Copied" : "Copy failed");
});

// ---- download, share, examples ----------------------------------------------------------

/**
 * The zip of the rendered files: the same paths and bytes as `multirun render --out DIR`, less
 * the CLI's `.multirun-files` (see README, "Playground").
 */
export function zipFiles(files: RenderedFile[]): Uint8Array {
  const mtime = new Date();
  const entries: Record<string, [Uint8Array, { mtime: Date; os: number; attrs: number }]> = {};
  for (const f of files) {
    const mode = f.path.endsWith(".sh") ? 0o100755 : 0o100644;
    entries[f.path] = [strToU8(f.contents), { mtime, os: 3, attrs: (mode << 16) >>> 0 }];
  }
  return zipSync(entries, { level: 6 });
}

$("download").addEventListener("click", () => {
  if (!current || current.error !== null) return;
  const blob = new Blob([zipFiles(current.files) as BlobPart], { type: "application/zip" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = "multirun-output.zip";
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
});

$("share").addEventListener("click", async () => {
  const url = shareUrl(editor.state.doc.toString());
  window.history.replaceState(null, "", url);
  flash($("share"), (await copyText(url)) ? "Link copied" : "Link in the address bar");
});

const examples = $<HTMLSelectElement>("examples");
for (const ex of EXAMPLES) examples.append(new Option(ex.title, ex.id));
examples.addEventListener("change", () => {
  const ex = EXAMPLES.find((e) => e.id === examples.value);
  if (ex) setSource(ex.source);
  examples.value = "";
});

function setSource(source: string) {
  editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: source } });
}

window.addEventListener("hashchange", () => {
  const source = sourceFromHash();
  if (source !== null && source !== editor.state.doc.toString()) setSource(source);
});

// ---- start ------------------------------------------------------------------------------

core.init().then((info) => {
  rules = info.rules;
  $("version").textContent = `v${info.version}`;
  editor.dispatch({ effects: completionCompartment.reconfigure(autocompletion({ override: [specCompletion(JSON.parse(info.schema), info.regions.regions, info.rules)] })) });
  run();
});

// Hooks for the end-to-end tests and the budgets they print.
(window as any).__playground = {
  get source() { return editor.state.doc.toString(); },
  setSource,
  timings,
  get current() { return current; },
  get appliedSource() { return appliedSource; },
  output,
  get files() { return lastGood; },
  view: editor,
};
