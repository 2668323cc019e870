#!/usr/bin/env node
// Checks generated Terraform against the real tools, not imitations of them:
//
// - HashiCorp's HCL parser (npm `@cdktf/hcl2json`, a WebAssembly build of hashicorp/hcl) parses
//   every `*.tf` file, and parses every interpolated expression into an AST;
// - every resource type, attribute and nested block (recursively, `dynamic` blocks included) is
//   checked against the google provider schema as the jsii assembly of PyPI's
//   `cdktn-provider-google` describes it (21.1.0 is generated from hashicorp/google 8.7.0;
//   tests/setup.sh extracts it): an unknown type, attribute or block, a missing required
//   argument, a block written as an attribute (or the reverse), a single block repeated, a
//   literal of the wrong type, or a literal outside the provider's enum ("Possible values")
//   fails;
// - `required_providers.google.version` must admit the checked provider version;
// - every reference resolves: `TYPE.NAME[.attr]` to a declared resource (and a known attribute of
//   its type, with an instance key exactly when it has `for_each`/`count`), `var.*`, `local.*`,
//   `data.*`, `module.*`, `each.*` (only under `for_each`), `count.*` (only under `count`),
//   `path.*`, `terraform.workspace`, `for` and `dynamic` iterators; and `file("${path.module}/REL")`
//   names a file that exists.
//
// Usage:
//   node tests/external/check-terraform.mjs DIR...      DIR is a rendered output dir (its
//                                                       `terraform/*.tf`) or a dir of `*.tf`
//   node tests/external/check-terraform.mjs --self-test  runs the fixtures under
//                                                       tests/external/fixtures/terraform/: `valid-*`
//                                                       must pass, `invalid-*` must fail with every
//                                                       line of their `expect.txt` among the problems
//   node tests/external/check-terraform.mjs --schema TYPE   prints TYPE's schema (a debugging aid)
//   MULTIRUN_PROVIDER_JSII=DIR node tests/external/...      reads DIR/.jsii and DIR/package.json
//                                                       (another provider version's bindings)
//
// Exit status: 0 when every dir passes, 1 when any problem is found, 2 on a usage error.

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { parse, getExpressionAst } from "@cdktf/hcl2json";

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------------
// The provider schema, from a jsii assembly of prebuilt CDK bindings: PyPI's
// `cdktn-provider-google` (CDK Terrain), whose `.jsii` tests/setup.sh extracts under
// `.venv/cdktn-provider-google/VERSION/package/`. Its package.json names the hashicorp/google
// version it was generated from. MULTIRUN_PROVIDER_JSII=DIR reads another assembly,
// e.g. an older release's (CDKTF's `@cdktf/provider-google` assemblies read the same way).

const REPO = path.resolve(HERE, "..", "..");
/** The cdktn-provider-google release tests/setup.sh installs: hashicorp/google 8.7.0. */
const DEFAULT_JSII = path.join(REPO, ".venv", "cdktn-provider-google", "21.1.0", "package");

function loadProviderSchema(dir = process.env.MULTIRUN_PROVIDER_JSII || DEFAULT_JSII) {
  const pkgPath = path.join(dir, "package.json");
  if (!fs.existsSync(path.join(dir, ".jsii"))) {
    throw new Error(`no provider schema at ${dir}/.jsii: run tests/setup.sh (it extracts cdktn-provider-google's jsii assembly there)`);
  }
  const pkg = JSON.parse(fs.readFileSync(pkgPath, "utf8"));
  const jsii = JSON.parse(fs.readFileSync(path.join(dir, ".jsii"), "utf8"));
  const meta = pkg.cdktf ?? pkg.cdktn;
  const providerVersion = meta?.provider?.version;
  if (!providerVersion) throw new Error(`${pkgPath} names no provider version`);
  const types = jsii.types;
  const resources = new Map();
  const dataSources = new Map();
  let provider = null;
  const linkRe = /\{@link https:\/\/registry\.terraform\.io\/providers\/hashicorp\/google\/[^/\s]+\/docs(?:\/(resources|data-sources)\/[^\s}]+)? ([a-z0-9_]+)\}/;
  // CDKTF's classes derive from `cdktf.*`, CDK Terrain's from `cdktn.*`.
  const kinds = {};
  for (const lib of ["cdktf", "cdktn"]) {
    Object.assign(kinds, { [`${lib}.TerraformResource`]: "resource", [`${lib}.TerraformDataSource`]: "data", [`${lib}.TerraformProvider`]: "provider" });
  }
  for (const type of Object.values(types)) {
    if (type.kind !== "class") continue;
    const kind = kinds[type.base];
    if (!kind) continue;
    const match = linkRe.exec(type.docs?.summary ?? "");
    if (!match) throw new Error(`cannot tell the Terraform name of ${type.fqn}`);
    const config = type.initializer.parameters.find((p) => p.name === "config")?.type.fqn;
    const entry = { name: match[2], fqn: type.fqn, config, computed: computedAttributes(type) };
    if (kind === "resource") resources.set(entry.name, entry);
    else if (kind === "data") dataSources.set(entry.name, entry);
    else provider = entry;
  }
  return { providerVersion, packageName: pkg.name, packageVersion: pkg.version, types, resources, dataSources, provider, blocks: new Map() };
}

const snake = (camel) => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

// Every attribute a reference may read: the class's own getters (arguments and computed ones).
function computedAttributes(cls) {
  const names = new Set(["id"]);
  for (const p of cls.properties ?? []) {
    if (p.static || p.name.endsWith("Input")) continue;
    names.add(snake(p.name));
  }
  return names;
}

// The Terraform name of a jsii property, from its "Docs at Terraform Registry" link.
function terraformName(prop) {
  const text = `${prop.docs?.summary ?? ""} ${prop.docs?.remarks ?? ""}`;
  const match = /\{@link \S+ [A-Za-z0-9]+#([a-z0-9_]+)\}/.exec(text);
  return match ? match[1] : snake(prop.name);
}

// A struct (jsii datatype interface) as a Terraform block body: attributes and nested blocks.
function blockSchema(schema, fqn) {
  if (schema.blocks.has(fqn)) return schema.blocks.get(fqn);
  const type = schema.types[fqn];
  if (!type || type.kind !== "interface") throw new Error(`no struct ${fqn} in the provider schema`);
  const body = { fqn, attributes: new Map(), blocks: new Map() };
  schema.blocks.set(fqn, body);
  for (const prop of type.properties ?? []) {
    const name = terraformName(prop);
    const required = !prop.optional;
    const shape = typeShape(schema, prop.type);
    // jsii's own deprecation marker (the generated docs carry no other: a provider-side
    // deprecation message is not in the assembly).
    const deprecated = prop.docs?.deprecated ?? null;
    if (shape.block) body.blocks.set(name, { name, required, repeated: shape.repeated, fqn: shape.fqn, deprecated });
    else body.attributes.set(name, { name, required, type: shape.type, enum: possibleValues(prop), deprecated });
  }
  return body;
}

// The provider's own enum, which its docs (and so the jsii docs) spell as
// `Possible values: ["A", "B"]`; the provider validates the value at plan time.
function possibleValues(prop) {
  const text = `${prop.docs?.summary ?? ""} ${prop.docs?.remarks ?? ""}`;
  const match = /Possible values: \[([^\]]*)\]/.exec(text);
  if (!match) return null;
  return JSON.parse(`[${match[1]}]`);
}

// jsii type → { block, repeated, fqn } for nested blocks, or { type } for attributes.
function typeShape(schema, t) {
  const isStruct = (fqn) => schema.types[fqn]?.kind === "interface" && schema.types[fqn]?.datatype;
  if (t.union) {
    const others = t.union.types.filter((u) => u.fqn !== "cdktf.IResolvable" && u.fqn !== "cdktn.IResolvable");
    if (others.length === 1) return typeShape(schema, others[0]);
    return { type: "any" };
  }
  if (t.fqn && isStruct(t.fqn)) return { block: true, repeated: false, fqn: t.fqn };
  if (t.collection) {
    const el = t.collection.elementtype;
    if (t.collection.kind === "array" && el.fqn && isStruct(el.fqn)) return { block: true, repeated: true, fqn: el.fqn };
    return { type: t.collection.kind === "map" ? "map" : "list" };
  }
  if (t.primitive) return { type: t.primitive === "any" || t.primitive === "json" ? "any" : t.primitive };
  return { type: "any" };
}

function describe(schema, fqn, indent = "") {
  const body = blockSchema(schema, fqn);
  const lines = [];
  for (const a of body.attributes.values()) lines.push(`${indent}${a.name} = ${a.type}${a.required ? "  (required)" : ""}`);
  for (const b of body.blocks.values()) {
    lines.push(`${indent}${b.name} {${b.repeated ? "  (repeatable)" : ""}${b.required ? "  (required)" : ""}`);
    lines.push(...describe(schema, b.fqn, indent + "  "));
    lines.push(`${indent}}`);
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Version constraints (Terraform's syntax: `>= 1.2, < 2.0`, `~> 6.50`, `= 6.50.0`, `!= 6.1.0`).

function parseVersion(text) {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(-[0-9A-Za-z.-]+)?$/.exec(text.trim());
  if (!match) return null;
  const parts = [match[1], match[2], match[3]].filter((p) => p !== undefined).map(Number);
  return { parts, pre: match[4] ?? "" };
}

function compareVersions(a, b) {
  for (let i = 0; i < 3; i++) {
    const d = (a.parts[i] ?? 0) - (b.parts[i] ?? 0);
    if (d) return Math.sign(d);
  }
  if (a.pre === b.pre) return 0;
  return a.pre === "" ? 1 : b.pre === "" ? -1 : a.pre < b.pre ? -1 : 1;
}

/** Whether `version` satisfies the constraint string; throws on a malformed constraint. */
export function satisfies(version, constraint) {
  const v = parseVersion(version);
  return constraint.split(",").every((raw) => {
    const match = /^\s*(~>|>=|<=|!=|>|<|=)?\s*(\S+)\s*$/.exec(raw);
    const c = match && parseVersion(match[2]);
    if (!c) throw new Error(`malformed version constraint "${constraint}"`);
    const cmp = compareVersions(v, c);
    switch (match[1] ?? "=") {
      case "=": return cmp === 0;
      case "!=": return cmp !== 0;
      case ">": return cmp > 0;
      case ">=": return cmp >= 0;
      case "<": return cmp < 0;
      case "<=": return cmp <= 0;
      case "~>": {
        // `~> 6.50` allows >= 6.50, < 7; `~> 6.50.1` allows >= 6.50.1, < 6.51.
        if (cmp < 0) return false;
        const fixed = c.parts.length === 1 ? 1 : c.parts.length - 1;
        for (let i = 0; i < fixed - 1; i++) if ((v.parts[i] ?? 0) !== c.parts[i]) return false;
        if (c.parts.length === 1) return v.parts[0] === c.parts[0];
        return (v.parts[fixed - 1] ?? 0) === c.parts[fixed - 1];
      }
    }
    return false;
  });
}

// ---------------------------------------------------------------------------------------------
// Checking one directory.

const META_ARGUMENTS = new Set(["count", "for_each", "depends_on", "lifecycle", "provider", "provisioner", "connection"]);
const LIFECYCLE_KEYS = new Set(["create_before_destroy", "prevent_destroy", "ignore_changes", "replace_triggered_by", "precondition", "postcondition"]);
const VARIABLE_KEYS = new Set(["type", "default", "description", "validation", "sensitive", "nullable", "ephemeral"]);
const OUTPUT_KEYS = new Set(["value", "description", "sensitive", "depends_on", "precondition", "ephemeral"]);
const TOP_LEVEL = new Set(["terraform", "provider", "variable", "locals", "output", "resource", "data", "module", "moved", "import", "removed", "check"]);

const FILE_FUNCTIONS = new Set(["file", "filebase64", "filesha256", "templatefile"]);

const isBlockList = (v) => Array.isArray(v) && v.length > 0 && v.every((x) => x && typeof x === "object" && !Array.isArray(x));
const isExpression = (v) => typeof v === "string" && /(^|[^$])\$\{|(^|[^%])%\{/.test(v);

class DirCheck {
  constructor(schema, dir) {
    this.schema = schema;
    this.dir = dir;
    this.problems = [];
    this.stats = { files: 0, resources: 0, arguments: 0, references: 0 };
    this.resources = new Map(); // "type.name" → { type, multi, file }
    this.dataSources = new Map();
    this.variables = new Set();
    this.locals = new Set();
    this.modules = new Set();
    this.pending = []; // [value, scope, where] whose references are checked once all is declared
  }

  problem(where, message) {
    this.problems.push(`${where}: ${message}`);
  }

  async run() {
    const tfDir = fs.existsSync(path.join(this.dir, "terraform")) ? path.join(this.dir, "terraform") : this.dir;
    this.tfDir = tfDir;
    const files = fs.existsSync(tfDir) ? fs.readdirSync(tfDir).filter((f) => f.endsWith(".tf")).sort() : [];
    if (files.length === 0) {
      this.problem(tfDir, "no *.tf files");
      return;
    }
    const parsed = [];
    for (const file of files) {
      const full = path.join(tfDir, file);
      const rel = path.relative(process.cwd(), full) || full;
      try {
        parsed.push([rel, await parse(file, fs.readFileSync(full, "utf8"))]);
        this.stats.files++;
      } catch (e) {
        this.problem(rel, `HCL parse error: ${String(e.message ?? e).split("\n")[0]}`);
      }
    }
    // Declarations first (references may point across files), then bodies.
    for (const [file, doc] of parsed) this.declare(file, doc);
    let sawRequiredProviders = false;
    for (const [file, doc] of parsed) sawRequiredProviders = this.checkFile(file, doc) || sawRequiredProviders;
    if (!sawRequiredProviders) this.problem(tfDir, "no terraform.required_providers.google: pin the provider version");
    for (const [value, scope, where] of this.pending) await this.checkReferences(value, scope, where);
  }

  declare(file, doc) {
    for (const key of Object.keys(doc)) if (!TOP_LEVEL.has(key)) this.problem(file, `unknown top-level block "${key}"`);
    for (const [type, byName] of Object.entries(doc.resource ?? {})) {
      for (const [name, bodies] of Object.entries(byName)) {
        const id = `${type}.${name}`;
        if (this.resources.has(id) || bodies.length > 1) this.problem(file, `resource ${id} is declared more than once`);
        const body = bodies[0] ?? {};
        this.resources.set(id, { type, multi: "for_each" in body || "count" in body, file });
      }
    }
    for (const [type, byName] of Object.entries(doc.data ?? {})) {
      for (const [name, bodies] of Object.entries(byName)) {
        const body = bodies[0] ?? {};
        this.dataSources.set(`${type}.${name}`, { type, multi: "for_each" in body || "count" in body, file });
      }
    }
    for (const [name, bodies] of Object.entries(doc.variable ?? {})) {
      if (this.variables.has(name) || bodies.length > 1) this.problem(file, `variable "${name}" is declared more than once`);
      this.variables.add(name);
    }
    for (const block of doc.locals ?? []) {
      for (const name of Object.keys(block)) {
        if (this.locals.has(name)) this.problem(file, `local.${name} is declared more than once`);
        this.locals.add(name);
      }
    }
    for (const name of Object.keys(doc.module ?? {})) this.modules.add(name);
  }

  /** Returns whether the file declares `terraform.required_providers.google`. */
  checkFile(file, doc) {
    let sawGoogle = false;
    for (const tf of doc.terraform ?? []) {
      for (const rp of tf.required_providers ?? []) {
        const google = rp.google;
        if (!google) continue;
        sawGoogle = true;
        if (typeof google !== "object" || Array.isArray(google)) {
          this.problem(file, "required_providers.google must be an object { source, version }");
          continue;
        }
        if (google.source !== "hashicorp/google" && google.source !== "registry.terraform.io/hashicorp/google") {
          this.problem(file, `required_providers.google.source is "${google.source}", expected "hashicorp/google"`);
        }
        if (typeof google.version !== "string") {
          this.problem(file, "required_providers.google.version is missing: pin the provider version");
        } else {
          try {
            if (!satisfies(this.schema.providerVersion, google.version)) {
              this.problem(file, `required_providers.google.version "${google.version}" excludes ${this.schema.providerVersion}, the provider version this check knows`);
            }
          } catch (e) {
            this.problem(file, e.message);
          }
        }
      }
    }
    for (const [name, bodies] of Object.entries(doc.provider ?? {})) {
      for (const body of bodies) {
        const where = `${file}: provider "${name}"`;
        if (name !== "google") {
          this.problem(where, "only the google provider is known to this check");
          continue;
        }
        this.checkBody(where, blockSchema(this.schema, this.schema.provider.config), body, new Set(["alias"]));
        this.pending.push([body, {}, where]);
      }
    }
    for (const [name, bodies] of Object.entries(doc.variable ?? {})) {
      for (const body of bodies) {
        for (const key of Object.keys(body)) if (!VARIABLE_KEYS.has(key)) this.problem(`${file}: variable "${name}"`, `unknown argument "${key}"`);
        // A default may not reference anything; a validation may reference only var.<itself>.
        this.pending.push([body.validation ?? [], { validating: name }, `${file}: variable "${name}"`]);
      }
    }
    for (const block of doc.locals ?? []) {
      for (const [name, value] of Object.entries(block)) this.pending.push([value, {}, `${file}: local.${name}`]);
    }
    for (const [name, bodies] of Object.entries(doc.output ?? {})) {
      for (const body of bodies) {
        const where = `${file}: output "${name}"`;
        for (const key of Object.keys(body)) if (!OUTPUT_KEYS.has(key)) this.problem(where, `unknown argument "${key}"`);
        if (!("value" in body)) this.problem(where, `missing required argument "value"`);
        this.pending.push([body, {}, where]);
      }
    }
    for (const [kind, table, known] of [["resource", doc.resource, this.schema.resources], ["data", doc.data, this.schema.dataSources]]) {
      for (const [type, byName] of Object.entries(table ?? {})) {
        for (const [name, bodies] of Object.entries(byName)) {
          for (const body of bodies) {
            const where = `${file}: ${kind === "data" ? "data." : ""}${type}.${name}`;
            this.stats.resources++;
            const entry = known.get(type);
            if (!entry) {
              this.problem(where, `unknown ${kind === "data" ? "data source" : "resource"} type "${type}" (google provider ${this.schema.providerVersion})`);
              continue;
            }
            if ("for_each" in body && "count" in body) this.problem(where, `"count" and "for_each" are mutually exclusive`);
            for (const lc of body.lifecycle ?? []) {
              for (const key of Object.keys(lc)) if (!LIFECYCLE_KEYS.has(key)) this.problem(`${where}.lifecycle`, `unknown argument "${key}"`);
            }
            this.checkBody(where, blockSchema(this.schema, entry.config), body, META_ARGUMENTS);
            const scope = { each: "for_each" in body, count: "count" in body, self: `${type}.${name}` };
            this.pending.push([body, scope, where]);
          }
        }
      }
    }
    return sawGoogle;
  }

  checkBody(where, schema, body, allowedExtra = new Set()) {
    for (const [key, value] of Object.entries(body)) {
      if (allowedExtra.has(key)) continue;
      if (key === "dynamic") {
        this.checkDynamic(where, schema, value);
        continue;
      }
      this.stats.arguments++;
      const attr = schema.attributes.get(key);
      const block = schema.blocks.get(key);
      if (attr) this.checkAttributeValue(`${where}.${key}`, attr, value);
      else if (block) this.checkBlockValue(`${where}.${key}`, block, value);
      else this.problem(where, `unknown ${isBlockList(value) ? "block" : "attribute"} "${key}"${this.suggest(key, schema)}`);
    }
    const dynamicNames = new Set(Object.keys(body.dynamic ?? {}));
    for (const attr of schema.attributes.values()) {
      if (attr.required && !(attr.name in body)) this.problem(where, `missing required attribute "${attr.name}"`);
    }
    for (const block of schema.blocks.values()) {
      if (block.required && !(block.name in body) && !dynamicNames.has(block.name)) this.problem(where, `missing required block "${block.name}"`);
    }
  }

  checkDynamic(where, schema, value) {
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      this.problem(where, `"dynamic" must be a labelled block`);
      return;
    }
    for (const [label, bodies] of Object.entries(value)) {
      const block = schema.blocks.get(label);
      if (!block) {
        this.problem(where, `dynamic block for unknown block "${label}"${this.suggest(label, schema)}`);
        continue;
      }
      for (const dyn of bodies) {
        const dwhere = `${where}.dynamic.${label}`;
        for (const key of Object.keys(dyn)) if (!["for_each", "iterator", "labels", "content"].includes(key)) this.problem(dwhere, `unknown argument "${key}"`);
        if (!("for_each" in dyn)) this.problem(dwhere, `missing required argument "for_each"`);
        if (!isBlockList(dyn.content) || dyn.content.length !== 1) {
          this.problem(dwhere, `needs exactly one "content" block`);
          continue;
        }
        this.checkBody(`${dwhere}.content`, blockSchema(this.schema, block.fqn), dyn.content[0]);
      }
    }
  }

  checkBlockValue(where, block, value) {
    if (!isBlockList(value)) {
      this.problem(where, `"${block.name}" is a block: write \`${block.name} { ... }\`, not an attribute`);
      return;
    }
    if (block.deprecated) this.problem(where, `deprecated, Terraform warns: ${block.deprecated}`);
    if (!block.repeated && value.length > 1) this.problem(where, `block "${block.name}" may appear at most once (found ${value.length})`);
    const schema = blockSchema(this.schema, block.fqn);
    for (const body of value) this.checkBody(where, schema, body);
  }

  checkAttributeValue(where, attr, value) {
    if (isBlockList(value) && attr.type !== "list" && attr.type !== "any") {
      this.problem(where, `"${attr.name}" is an attribute, not a block: write \`${attr.name} = ...\``);
      return;
    }
    if (attr.deprecated) this.problem(where, `deprecated, Terraform warns: ${attr.deprecated}`);
    if (typeof value === "string" && isExpression(value)) return; // typed at plan time
    if (attr.enum && typeof value === "string" && !attr.enum.includes(value)) {
      this.problem(where, `"${value}" is not one of the provider's possible values: ${attr.enum.join(", ")}`);
    }
    const bad = (what) => this.problem(where, `expects ${attr.type}, got ${what}`);
    switch (attr.type) {
      case "string":
        if (typeof value === "object" && value !== null) bad(Array.isArray(value) ? "a list" : "an object");
        break;
      case "number":
        if (typeof value === "boolean" || (typeof value === "object" && value !== null)) bad(JSON.stringify(value));
        else if (typeof value === "string" && !/^-?\d+(\.\d+)?$/.test(value)) bad(JSON.stringify(value));
        break;
      case "boolean":
        if (typeof value === "number" || (typeof value === "object" && value !== null)) bad(JSON.stringify(value));
        else if (typeof value === "string" && value !== "true" && value !== "false") bad(JSON.stringify(value));
        break;
      case "list":
        if (!Array.isArray(value)) bad(JSON.stringify(value));
        break;
      case "map":
        if (typeof value !== "object" || value === null || Array.isArray(value)) bad(JSON.stringify(value));
        break;
    }
  }

  suggest(key, schema) {
    const names = [...schema.attributes.keys(), ...schema.blocks.keys()];
    const close = names.filter((n) => n.includes(key) || key.includes(n) || distance(n, key) <= 2);
    return close.length ? ` (did you mean ${close.slice(0, 3).map((n) => `"${n}"`).join(", ")}?)` : "";
  }

  // --- references -------------------------------------------------------------------------

  async checkReferences(value, scope, where, iterators = new Set()) {
    if (typeof value === "string") {
      if (isExpression(value)) await this.checkExpression(value, scope, where, iterators);
      return;
    }
    if (Array.isArray(value)) {
      for (const v of value) await this.checkReferences(v, scope, where, iterators);
      return;
    }
    if (value && typeof value === "object") {
      for (const [key, v] of Object.entries(value)) {
        if (key === "dynamic" && v && typeof v === "object" && !Array.isArray(v)) {
          for (const [label, bodies] of Object.entries(v)) {
            for (const dyn of bodies) {
              await this.checkReferences(dyn.for_each, scope, `${where}.dynamic.${label}`, iterators);
              let name = label;
              if (typeof dyn.iterator === "string") name = dyn.iterator.replace(/^\$\{(.*)\}$/, "$1");
              const inner = new Set(iterators).add(name);
              await this.checkReferences(dyn.content, scope, `${where}.dynamic.${label}`, inner);
              await this.checkReferences(dyn.labels, scope, `${where}.dynamic.${label}`, inner);
            }
          }
          continue;
        }
        // Not references: `provider = google.alias` names a provider configuration, and
        // `lifecycle { ignore_changes = [...] }` lists the resource's own attributes.
        if (key === "ignore_changes" || (key === "provider" && scope.self)) continue;
        const w = key === "lifecycle" || key === "depends_on" ? `${where}.${key}` : where;
        await this.checkReferences(v, scope, w, iterators);
      }
    }
  }

  async checkExpression(text, scope, where, iterators) {
    // A heredoc holds the template text as it is: quotes and backslashes need no escaping, and
    // `${`, `%{`, `$${` and `%%{` keep their meaning.
    let delimiter = "EOT";
    while (text.split("\n").some((line) => line.trim() === delimiter)) delimiter += "X";
    let ast;
    try {
      ast = await getExpressionAst("check.tf", `<<${delimiter}\n${text}\n${delimiter}\n`);
    } catch (e) {
      this.problem(where, `expression does not parse: ${String(e.message ?? e).split("\n")[0]} in ${JSON.stringify(text)}`);
      return;
    }
    this.walk(ast, scope, where, new Set(iterators), null);
  }

  walk(node, scope, where, locals, parent) {
    if (!node) return;
    if (node.type === "for") {
      const inner = new Set(locals);
      if (node.meta.keyVar) inner.add(node.meta.keyVar);
      if (node.meta.valVar) inner.add(node.meta.valVar);
      // The collection is evaluated outside the for's own scope.
      const collection = node.children.find((c) => c.meta?.value === node.meta.collectionExpression);
      for (const child of node.children) this.walk(child, scope, where, child === collection ? locals : inner, node);
      return;
    }
    if (node.type === "scopeTraversal") {
      this.resolve(node, scope, where, locals, parent);
      return;
    }
    if (node.type === "relativeTraversal" && node.children[0]?.type === "index") this.indexedAttribute(node, where, locals);
    if (node.type === "function" && FILE_FUNCTIONS.has(node.meta.name)) this.fileArgument(node, where);
    for (const child of node.children ?? []) this.walk(child, scope, where, locals, node);
  }

  resolve(node, scope, where, locals, parent) {
    const parts = node.meta.traversal;
    const names = [];
    for (const p of parts) names.push(p.type === "nameTraversal" ? p.segment : null);
    const root = names[0];
    const ref = node.meta.value;
    const fail = (message) => this.problem(where, `reference ${ref}: ${message}`);
    this.stats.references++;
    if (locals.has(root)) return;
    switch (root) {
      case "var":
        if (!this.variables.has(names[1])) fail(`no variable "${names[1]}" is declared`);
        else if (scope.validating && names[1] !== scope.validating) fail(`a validation may only refer to var.${scope.validating}`);
        return;
      case "local":
        if (!this.locals.has(names[1])) fail(`no local "${names[1]}" is declared`);
        return;
      case "each":
        if (!scope.each) fail(`"each" is only available in a block with for_each`);
        else if (names[1] !== "key" && names[1] !== "value") fail(`"each" has only "key" and "value"`);
        return;
      case "count":
        if (!scope.count) fail(`"count" is only available in a block with count`);
        else if (names[1] !== "index") fail(`"count" has only "index"`);
        return;
      case "path":
        if (!["module", "root", "cwd"].includes(names[1])) fail(`"path" has only "module", "root" and "cwd"`);
        return;
      case "terraform":
        if (names[1] !== "workspace") fail(`unknown terraform.${names[1]}`);
        return;
      case "module":
        if (!this.modules.has(names[1])) fail(`no module "${names[1]}" is declared`);
        return;
      case "self":
        return;
      case "data": {
        const id = `${names[1]}.${names[2]}`;
        const decl = this.dataSources.get(id);
        if (!decl) fail(`no data source ${id} is declared`);
        else this.checkAttributeRef(decl, this.schema.dataSources.get(decl.type), parts.slice(3), parent, node, fail);
        return;
      }
      default: {
        if (names[1] == null) {
          fail("unknown name (not a variable, local, resource or iterator in scope)");
          return;
        }
        const id = `${root}.${names[1]}`;
        const decl = this.resources.get(id);
        if (!decl) {
          if (this.schema.resources.has(root)) fail(`no resource ${id} is declared`);
          else fail(`unknown name "${root}" (not a resource type, nor an iterator in scope)`);
          return;
        }
        if (id === scope.self) fail("a resource cannot refer to itself");
        this.checkAttributeRef(decl, this.schema.resources.get(decl.type), parts.slice(2), parent, node, fail);
      }
    }
  }

  // parts: the traversal after TYPE.NAME. A resource with for_each/count needs an instance key
  // before its attributes (`google_x.y["k"].attr`, or `google_x.y[k].attr` which HCL parses as an
  // index expression whose parent is a relative traversal).
  checkAttributeRef(decl, entry, parts, parent, node, fail) {
    let rest = parts;
    if (rest.length === 0) {
      // Whole object (e.g. `values(google_x.y)`), or an index expression: look at the parent.
      if (parent?.type === "index" && parent.children[0] === node) {
        if (!decl.multi) fail("an instance key on a resource without for_each/count");
        return; // the attribute, if any, is a relative traversal on the index expression
      }
      return;
    }
    if (rest[0].type === "indexTraversal") {
      if (!decl.multi) fail("an instance key on a resource without for_each/count");
      rest = rest.slice(1);
    } else if (decl.multi) {
      fail(`${decl.type} here has for_each/count: index it first (["key"]) to read "${rest[0].segment}"`);
      return;
    }
    if (rest.length && rest[0].type === "nameTraversal" && entry && !entry.computed.has(rest[0].segment)) {
      fail(`${decl.type} has no attribute "${rest[0].segment}"`);
    }
  }

  // `file("${path.module}/REL")`: REL must exist relative to the module's directory.
  fileArgument(node, where) {
    const arg = node.children[0];
    if (arg?.type !== "template") return;
    const [head, ...rest] = arg.children;
    if (head?.type !== "scopeTraversal" || head.meta.value !== "path.module") return;
    if (rest.length === 0 || !rest.every((c) => c.type === "literalValue")) return;
    const rel = rest.map((c) => c.meta.value).join("");
    const file = path.join(path.relative(process.cwd(), this.tfDir) || ".", rel);
    if (!fs.existsSync(file)) this.problem(where, `${node.meta.value}: no such file (${file})`);
  }

  // `google_x.y[k].attr`: HCL parses it as an index expression under a relative traversal.
  indexedAttribute(node, where, locals) {
    const target = node.children[0].children[0];
    if (target?.type !== "scopeTraversal" || locals.has(target.meta.traversal[0].segment)) return;
    const names = target.meta.traversal.map((p) => p.segment);
    const isData = names[0] === "data";
    const decl = isData ? this.dataSources.get(`${names[1]}.${names[2]}`) : this.resources.get(`${names[0]}.${names[1]}`);
    const first = node.meta.traversal[0];
    if (!decl || names.length !== (isData ? 3 : 2) || first?.type !== "nameTraversal") return;
    const entry = (isData ? this.schema.dataSources : this.schema.resources).get(decl.type);
    if (entry && !entry.computed.has(first.segment)) this.problem(where, `reference ${node.meta.value}: ${decl.type} has no attribute "${first.segment}"`);
  }

  summary() {
    const s = this.stats;
    return `${s.files} files, ${s.resources} resources, ${s.arguments} arguments and blocks, ${s.references} references`;
  }
}

function distance(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
}

// ---------------------------------------------------------------------------------------------

async function checkDirs(schema, dirs, { quiet = false } = {}) {
  const results = [];
  for (const dir of dirs) {
    const check = new DirCheck(schema, dir);
    try {
      await check.run();
    } catch (e) {
      check.problem(dir, `checker error: ${e.stack ?? e}`);
    }
    results.push(check);
    if (!quiet) {
      if (check.problems.length === 0) console.log(`ok    ${dir}: ${check.summary()}`);
      else {
        console.log(`FAIL  ${dir}: ${check.problems.length} problem(s) (${check.summary()})`);
        for (const p of check.problems) console.log(`        ${p}`);
      }
    }
  }
  return results;
}

async function selfTest(schema) {
  const root = path.join(HERE, "fixtures", "terraform");
  const cases = fs.readdirSync(root).filter((d) => fs.statSync(path.join(root, d)).isDirectory()).sort();
  let passed = 0;
  let failed = 0;
  // The constraint evaluator, against Terraform's documented semantics.
  for (const [version, constraint, expected] of [
    ["8.7.0", ">= 7.19.0, < 9.0.0", true], ["7.18.0", ">= 7.19.0, < 9.0.0", false], ["9.0.0", ">= 7.19.0, < 9.0.0", false], ["6.50.0", "~> 6.50", true], ["6.99.1", "~> 6.50", true], ["7.0.0", "~> 6.50", false], ["6.49.9", "~> 6.50", false],
    ["6.50.3", "~> 6.50.0", true], ["6.51.0", "~> 6.50.0", false], ["6.50.0", ">= 6.50, < 8.0", true], ["8.0.0", ">= 6.50, < 8.0", false],
    ["6.50.0", "= 6.50.0", true], ["6.50.0", "!= 6.50.0", false], ["6.50.0", "6.50.0", true], ["6.50.0", "~> 7.0", false],
  ]) {
    if (satisfies(version, constraint) === expected) passed++;
    else {
      failed++;
      console.log(`FAIL  satisfies(${version}, "${constraint}") should be ${expected}`);
    }
  }
  for (const name of cases) {
    const dir = path.join(root, name);
    const [check] = await checkDirs(schema, [path.relative(process.cwd(), dir)], { quiet: true });
    const expectFile = path.join(dir, "expect.txt");
    if (name.startsWith("valid")) {
      if (check.problems.length === 0) {
        passed++;
        console.log(`ok    ${name}: accepted (${check.summary()})`);
      } else {
        failed++;
        console.log(`FAIL  ${name}: should be accepted, but:`);
        for (const p of check.problems) console.log(`        ${p}`);
      }
      continue;
    }
    const expected = fs.readFileSync(expectFile, "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
    const missing = expected.filter((e) => !check.problems.some((p) => p.includes(e)));
    if (check.problems.length > 0 && missing.length === 0) {
      passed++;
      console.log(`ok    ${name}: rejected with ${check.problems.length} problem(s), as expected`);
    } else {
      failed++;
      console.log(`FAIL  ${name}: expected problems not reported: ${missing.map((m) => JSON.stringify(m)).join(", ") || "(it was accepted)"}`);
      for (const p of check.problems) console.log(`        got: ${p}`);
    }
  }
  console.log(`self-test: ${passed} passed, ${failed} failed`);
  return failed === 0;
}

async function main(argv) {
  if (argv.length === 0 || argv.includes("-h") || argv.includes("--help")) {
    console.error("usage: check-terraform.mjs DIR... | --self-test | --schema TYPE");
    return 2;
  }
  const schema = loadProviderSchema();
  console.log(`google provider schema ${schema.providerVersion} (${schema.packageName} ${schema.packageVersion}): ${schema.resources.size} resource types, ${schema.dataSources.size} data sources`);
  if (argv[0] === "--schema") {
    const entry = schema.resources.get(argv[1]) ?? schema.dataSources.get(argv[1]);
    if (!entry) {
      console.error(`unknown type ${argv[1]}`);
      return 2;
    }
    console.log(`${argv[1]} {`);
    console.log(describe(schema, entry.config, "  ").join("\n"));
    console.log("}");
    console.log(`attributes readable by reference: ${[...entry.computed].sort().join(", ")}`);
    return 0;
  }
  if (argv[0] === "--self-test") return (await selfTest(schema)) ? 0 : 1;
  const results = await checkDirs(schema, argv);
  const failed = results.filter((r) => r.problems.length > 0).length;
  console.log(`check-terraform: ${results.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
