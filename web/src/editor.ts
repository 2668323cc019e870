// The page's two CodeMirror views: the spec editor (YAML, lint gutter, schema-aware completion
// once the core has loaded) and the read-only viewer of one generated file.
import { EditorState, Compartment, type Extension } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
  highlightSpecialChars, rectangularSelection, crosshairCursor, dropCursor,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { syntaxHighlighting, indentOnInput, bracketMatching, foldGutter, foldKeymap } from "@codemirror/language";
import { classHighlighter } from "@lezer/highlight";
import {
  autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap, type CompletionSource,
} from "@codemirror/autocomplete";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { lintGutter, lintKeymap } from "@codemirror/lint";
import { yaml } from "@codemirror/lang-yaml";

import { languageFor } from "./languages";

const sizeAndFont = EditorView.theme({
  "&": { height: "100%", fontSize: "13px" },
  ".cm-scroller": { fontFamily: "var(--mono)" },
});

// Both views hold it: it tells CodeMirror's base styles whether the page is dark.
const darkMode = new Compartment();
// Plain word completion until the core has loaded; then the one from the schema and catalogs.
const completion = new Compartment();

/** The spec editor; `onDocChanged` runs after every edit. */
export function createSpecEditor(parent: HTMLElement, doc: string, onDocChanged: () => void): EditorView {
  const extensions: Extension[] = [
    lineNumbers(), highlightActiveLineGutter(), highlightSpecialChars(), history(), foldGutter(), drawSelection(),
    dropCursor(), EditorState.allowMultipleSelections.of(true), indentOnInput(), bracketMatching(), closeBrackets(),
    rectangularSelection(), crosshairCursor(), highlightActiveLine(), highlightSelectionMatches(),
    syntaxHighlighting(classHighlighter), yaml(), lintGutter(), sizeAndFont, darkMode.of([]),
    completion.of(autocompletion()),
    keymap.of([
      ...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap,
      ...completionKeymap, ...lintKeymap,
    ]),
    EditorView.contentAttributes.of({ "aria-label": "Spec (YAML)" }),
    EditorView.updateListener.of((u) => { if (u.docChanged) onDocChanged(); }),
  ];
  return new EditorView({ parent, state: EditorState.create({ doc, extensions }) });
}

/** Replaces the spec editor's completion by `source` (see completion.ts). */
export function enableSpecCompletion(editor: EditorView, source: CompletionSource) {
  editor.dispatch({ effects: completion.reconfigure(autocompletion({ override: [source] })) });
}

/** Replaces the whole text of the spec editor, as one undoable edit. */
export function replaceSource(editor: EditorView, source: string) {
  editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: source } });
}

export function setDarkMode(views: EditorView[], dark: boolean) {
  for (const view of views) view.dispatch({ effects: darkMode.reconfigure(EditorView.theme({}, { dark })) });
}

/** The read-only view of one generated file, highlighted by its extension. */
export class FileViewer {
  readonly view: EditorView;
  private readonly language = new Compartment();
  // The file whose language the view is set up for.
  private path = "";

  constructor(parent: HTMLElement) {
    this.view = new EditorView({
      parent,
      state: EditorState.create({
        doc: "",
        extensions: [
          lineNumbers(), highlightSpecialChars(), drawSelection(), syntaxHighlighting(classHighlighter),
          highlightSelectionMatches(),
          // Read only, yet editable: the text can be focused, selected and searched.
          EditorState.readOnly.of(true), EditorView.editable.of(true), sizeAndFont, darkMode.of([]),
          this.language.of([]), keymap.of([...defaultKeymap, ...searchKeymap]),
          EditorView.contentAttributes.of({ "aria-label": "Generated file (read only)" }),
        ],
      }),
    });
  }

  /** Shows `text` as the file at `path`; a no-op when that is what the view shows already. */
  show(path: string, text: string) {
    const doc = this.view.state.doc.toString();
    const effects = this.path !== path ? [this.language.reconfigure(languageFor(path))] : [];
    if (doc === text && !effects.length) return;
    const changes = doc !== text ? { from: 0, to: this.view.state.doc.length, insert: text } : undefined;
    this.view.dispatch({ changes, effects });
    this.path = path;
  }
}
