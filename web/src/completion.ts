// Schema-aware completion for the spec editor: keys and enum values from the JSON Schema, region
// names from the catalog, rule codes for `lint.allow`. The YAML path at the cursor is worked out
// from indentation, which is all a spec being typed reliably has.
import type { Completion, CompletionContext, CompletionResult, CompletionSource } from "@codemirror/autocomplete";
import type { RegionInfo, RuleInfo } from "../pkg/multirun_wasm.js";

type Schema = Record<string, any>;

interface Line {
  dashCols: number[];
  keyCol: number;
  key: string | null;
  blank: boolean;
}

export function parseLine(text: string): Line {
  let i = 0;
  while (text[i] === " ") i++;
  const dashCols: number[] = [];
  while (text[i] === "-" && (text[i + 1] === " " || i + 1 === text.length)) {
    dashCols.push(i);
    i += 1;
    while (text[i] === " ") i++;
  }
  const rest = text.slice(i);
  const m = /^("[^"]*"|'[^']*'|[^\s:#'"][^:#]*?)\s*:(\s|$)/.exec(rest);
  const key = m ? m[1].replace(/^["']|["']$/g, "") : null;
  const content = rest.trim();
  return { dashCols, keyCol: i, key, blank: dashCols.length === 0 && (content === "" || content.startsWith("#")) };
}

/** The keys and `[]` (array items) leading to a line's content at column `col`. */
export function pathAt(lines: string[], lineIndex: number, col: number, dashCols: number[]): string[] {
  const path: string[] = [];
  let target = col;
  let allowEqual = false;
  for (const d of [...dashCols].reverse()) {
    if (d < target) {
      path.unshift("[]");
      target = d;
      allowEqual = true;
    }
  }
  for (let n = lineIndex - 1; n >= 0 && (target > 0 || allowEqual); n--) {
    const line = parseLine(lines[n]);
    if (line.blank) continue;
    if (line.key !== null && (line.keyCol < target || (allowEqual && line.keyCol === target))) {
      path.unshift(line.key);
      target = line.keyCol;
      allowEqual = false;
    }
    for (const d of [...line.dashCols].reverse()) {
      if (d < target) {
        path.unshift("[]");
        target = d;
        allowEqual = true;
      }
    }
  }
  return path;
}

function deref(root: Schema, s: Schema | undefined): Schema | undefined {
  let seen = 0;
  while (s && typeof s.$ref === "string" && seen++ < 20) {
    // The generated schema is draft-07 (`#/definitions/...`); `#/$defs/...` is the newer spelling.
    const name = s.$ref.replace(/^#\/(\$defs|definitions)\//, "");
    const target = root.$defs?.[name] ?? root.definitions?.[name];
    s = { ...target, ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== "$ref")) };
  }
  if (s && !s.properties && !s.items) {
    for (const branch of [...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])]) {
      const b = deref(root, branch);
      if (b && (b.properties || b.items)) return { ...s, ...b };
    }
  }
  return s;
}

export function schemaAt(root: Schema, path: string[]): Schema | undefined {
  let s: Schema | undefined = deref(root, root);
  for (const seg of path) {
    if (!s) return undefined;
    // A map's entries (`secrets.env.NAME`) have the schema of `additionalProperties`.
    const entry = typeof s.additionalProperties === "object" ? s.additionalProperties : undefined;
    s = deref(root, seg === "[]" ? s.items : (s.properties?.[seg] ?? entry));
  }
  return s;
}

/** Literal values a schema allows: enums, consts of its branches, booleans. */
function literals(root: Schema, s: Schema | undefined): Completion[] {
  const out: Completion[] = [];
  const visit = (x: Schema | undefined) => {
    x = deref(root, x);
    if (!x) return;
    if (Array.isArray(x.enum)) for (const v of x.enum) if (v !== null) out.push({ label: String(v), type: "enum" });
    if ("const" in x && x.const !== null) out.push({ label: String(x.const), type: "enum", info: x.description });
    if (x.type === "boolean" || (Array.isArray(x.type) && x.type.includes("boolean"))) {
      out.push({ label: "true", type: "keyword" }, { label: "false", type: "keyword" });
    }
    for (const b of [...(x.oneOf ?? []), ...(x.anyOf ?? [])]) visit(b);
  };
  visit(s);
  return out;
}

function typeName(s: Schema | undefined): string {
  if (!s) return "";
  if (s.type) return Array.isArray(s.type) ? s.type.filter((t: string) => t !== "null").join(" | ") : s.type;
  if (s.properties) return "object";
  return "";
}

export function specCompletion(schema: Schema, regions: RegionInfo[], rules: RuleInfo[]): CompletionSource {
  const regionOptions: Completion[] = regions.map((r) => ({
    label: r.name,
    type: "constant",
    detail: r.location,
    info: `${r.location}, ${r.continent}: tier ${r.tier}${r.lowCo2 ? ", low CO₂" : ""}`,
  }));
  const ruleOptions: Completion[] = rules.flatMap((r) => [
    { label: r.code, type: "constant", detail: r.name, info: r.summary },
    { label: r.name, type: "constant", detail: r.code, info: r.summary },
  ]);

  const valuesFor = (path: string[], s: Schema | undefined): Completion[] => {
    const tail = path.slice(-3).join("/");
    if (tail === "regions/[]/name") return regionOptions;
    if (path.slice(-3).join("/") === "lint/allow/[]") return ruleOptions;
    return literals(schema, s);
  };

  return (context: CompletionContext): CompletionResult | null => {
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    if (/#/.test(before.replace(/"[^"]*"|'[^']*'/g, ""))) return null;
    const lines: string[] = [];
    for (let n = 1; n < line.number; n++) lines.push(context.state.doc.line(n).text);
    const parsed = parseLine(before);

    // A value after `key: `.
    const value = /^(\s*(?:-\s+)*)([^\s:#'"][^:#]*?)\s*:\s+([\w.-]*)$/.exec(before);
    if (value) {
      const path = [...pathAt(lines, lines.length, parsed.keyCol, parsed.dashCols), value[2]];
      const options = valuesFor(path, schemaAt(schema, path));
      if (!options.length) return null;
      return { from: context.pos - value[3].length, options, validFor: /^[\w.-]*$/ };
    }

    // A key (or an array item's value) being typed at the start of its content.
    const key = /^(\s*(?:-\s*)*)([\w-]*)$/.exec(before);
    if (!key) return null;
    if (!context.explicit && key[2] === "" ) return null;
    const path = pathAt(lines, lines.length, parsed.keyCol, parsed.dashCols);
    const here = schemaAt(schema, path);
    const from = context.pos - key[2].length;
    if (here?.properties) {
      const options: Completion[] = Object.entries(here.properties as Record<string, Schema>).map(([name, prop]) => {
        const p = deref(schema, prop);
        const nested = p?.properties || p?.items || typeName(p) === "object" || typeName(p) === "array";
        return { label: name, type: "property", detail: typeName(p), info: prop.description ?? p?.description, apply: nested ? `${name}:` : `${name}: ` };
      });
      return { from, options, validFor: /^[\w-]*$/ };
    }
    if (path[path.length - 1] === "[]") {
      const options = valuesFor(path, here);
      if (options.length) return { from, options, validFor: /^[\w.-]*$/ };
    }
    return null;
  };
}
