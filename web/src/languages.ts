// Syntax highlighting for the generated files, chosen by extension.
import { StreamLanguage, type LanguageSupport, type StreamParser } from "@codemirror/language";
import type { Extension } from "@codemirror/state";
import { shell } from "@codemirror/legacy-modes/mode/shell";
import { yaml } from "@codemirror/lang-yaml";
import { json } from "@codemirror/lang-json";
import { xml } from "@codemirror/lang-xml";

// Enough of HCL for Terraform files: comments, strings with ${} interpolation, numbers,
// block keywords, attribute names.
const hclParser: StreamParser<{ inString: boolean; inComment: boolean }> = {
  name: "hcl",
  startState: () => ({ inString: false, inComment: false }),
  token(stream, state) {
    if (state.inComment) {
      if (stream.skipTo("*/")) { stream.next(); stream.next(); state.inComment = false; } else stream.skipToEnd();
      return "comment";
    }
    if (state.inString) {
      if (stream.match("${")) { stream.skipTo("}"); stream.next(); return "meta"; }
      while (!stream.eol()) {
        const ch = stream.next();
        if (ch === "\\") { stream.next(); continue; }
        if (ch === '"') { state.inString = false; break; }
        if (stream.peek() === "$" ) break;
      }
      return "string";
    }
    if (stream.eatSpace()) return null;
    if (stream.match("#") || stream.match("//")) { stream.skipToEnd(); return "comment"; }
    if (stream.match("/*")) { state.inComment = true; return "comment"; }
    if (stream.match('"')) { state.inString = true; return "string"; }
    if (stream.match(/^<<-?\w+/)) return "string";
    if (stream.match(/^-?\d+(\.\d+)?/)) return "number";
    if (stream.match(/^(true|false|null)\b/)) return "atom";
    if (stream.match(/^(resource|data|variable|output|locals|module|provider|terraform|dynamic|for_each|count|depends_on|lifecycle)\b/)) return "keyword";
    if (stream.match(/^[A-Za-z_][\w-]*(?=\s*=)/)) return "propertyName";
    if (stream.match(/^[A-Za-z_][\w.-]*/)) return "variableName";
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: "#" } },
};

const hcl = StreamLanguage.define(hclParser);
const sh = StreamLanguage.define(shell);

export function languageFor(path: string): Extension | LanguageSupport {
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  switch (ext) {
    case "sh":
    case "bash":
      return sh;
    case "tf":
    case "hcl":
    case "tfvars":
      return hcl;
    case "yaml":
    case "yml":
      return yaml();
    case "json":
      return json();
    case "svg":
    case "xml":
      return xml();
    default:
      return [];
  }
}
