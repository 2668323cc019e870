// What the core found in the spec, shown three ways: in the editor (squiggles, gutter marks, a
// hover card with code, message and help, a quick fix when the core has a certain one), in the
// problems list under it (an entry jumps to its place), and as the rule's page ("Explain").
import type { EditorView } from "@codemirror/view";
import { setDiagnostics, type Diagnostic as LintDiagnostic } from "@codemirror/lint";
import { marked } from "marked";

import { core } from "./core";
import { byId } from "./dom";
import type { Diagnostic, ValidateOutput } from "../pkg/multirun_wasm.js";

/** Wires the Explain dialog; `show` puts a validation of the editor's text on the page. */
export function setupDiagnostics(editor: EditorView) {
  const dialog = byId<HTMLDialogElement>("explain");
  byId("explain-close").addEventListener("click", () => dialog.close());

  async function explain(d: Diagnostic) {
    const doc = await core.explain(d.code);
    byId("explain-title").textContent = `${d.code} ${d.name}`;
    // The page is the rule's doc comment, compiled into the wasm: trusted, and rendered
    // without any script (the CSP forbids inline scripts anyway).
    byId("explain-body").innerHTML = doc ? (marked.parse(doc, { async: false }) as string) : "<p>No documentation for this code.</p>";
    dialog.showModal();
  }

  function goTo(d: Diagnostic) {
    const { from, to } = clampedSpan(d, editor.state.doc.length);
    editor.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
    editor.focus();
  }

  function show(validation: ValidateOutput) {
    const list = validation.files[0].diagnostics;
    const length = editor.state.doc.length;
    editor.dispatch(setDiagnostics(editor.state, list.map((d) => lintDiagnostic(d, length))));
    const s = validation.summary;
    byId("summary").textContent = list.length ? `${s.errors} error(s), ${s.warnings} warning(s), ${s.infos} info` : "none: the spec is valid";
    byId("diagnostics").replaceChildren(...list.map((d) => problem(d, goTo, explain)));
  }

  return { show };
}

/** The diagnostic's span inside a document of `length`: a result may describe an older text. */
function clampedSpan(d: Diagnostic, length: number): { from: number; to: number } {
  const from = Math.min(d.span.start, length);
  return { from, to: Math.min(Math.max(d.span.end, from), length) };
}

function lintDiagnostic(d: Diagnostic, length: number): LintDiagnostic {
  const actions = d.suggestion !== undefined
    ? [{ name: "Apply fix", apply: (view: EditorView, from: number, to: number) => view.dispatch({ changes: { from, to, insert: d.suggestion! } }) }]
    : [];
  return {
    ...clampedSpan(d, length), severity: d.severity, source: d.code, message: `${d.code}: ${d.message}`,
    renderMessage: () => hoverCard(d), actions,
  };
}

/** The hover card on a squiggle: code, message, help. */
function hoverCard(d: Diagnostic): HTMLElement {
  const el = document.createElement("div");
  el.className = "hover";
  const head = document.createElement("div");
  head.innerHTML = `<code class="code"></code> <span class="msg"></span>`;
  head.querySelector(".code")!.textContent = d.code;
  head.querySelector(".msg")!.textContent = d.message;
  el.append(head);
  if (d.help) el.append(helpLine(d.help, "help"));
  return el;
}

/** One entry of the problems list: a button that jumps to the place, one that explains the rule. */
function problem(d: Diagnostic, goTo: (d: Diagnostic) => void, explain: (d: Diagnostic) => void): HTMLLIElement {
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
  jump.addEventListener("click", () => goTo(d));
  const explainButton = document.createElement("button");
  explainButton.type = "button";
  explainButton.className = "explain";
  explainButton.textContent = "Explain";
  explainButton.setAttribute("aria-label", `Explain ${d.code} (${d.name})`);
  explainButton.addEventListener("click", () => explain(d));
  li.append(jump, explainButton);
  if (d.help) li.append(helpLine(d.help, "help muted"));
  return li;
}

function helpLine(help: string, className: string): HTMLDivElement {
  const div = document.createElement("div");
  div.className = className;
  div.textContent = `help: ${help}`;
  return div;
}
