//! The documents the CLI (`validate --format json`, `rules --format json`, `regions --format
//! json`) and the WebAssembly API both print, built in one place so both give the same bytes.

use serde::Serialize;
use serde_json::{json, Value};

use crate::diagnostic::Diagnostic;
use crate::registry::Severity;

/// The version of the validate document's shape; bumped only on incompatible changes.
pub const JSON_FORMAT_VERSION: u32 = 1;

/// `multirun validate --format json`: `{"version", "files": [{"file", "diagnostics"}],
/// "summary"}` (`schemas/validate-output.schema.json`). Serialized straight from the
/// diagnostics, without a `serde_json::Value` in between: a thousand files' diagnostics are a
/// lot of small maps. Field order is the contract's.
#[derive(Debug, Serialize)]
pub struct ValidateDocument<'a> {
    pub version: u32,
    pub files: Vec<FileDiagnostics<'a>>,
    pub summary: Summary,
}

#[derive(Debug, Serialize)]
pub struct FileDiagnostics<'a> {
    pub file: &'a str,
    pub diagnostics: &'a [Diagnostic],
}

/// How many files were checked, and their findings by severity.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    /// The summary of these files' diagnostics, one slice per file.
    pub fn of<'a>(files: impl IntoIterator<Item = &'a [Diagnostic]>) -> Summary {
        let mut summary = Summary::default();
        for diagnostics in files {
            summary.files += 1;
            for d in diagnostics {
                match d.severity {
                    Severity::Error => summary.errors += 1,
                    Severity::Warning => summary.warnings += 1,
                    Severity::Info => summary.infos += 1,
                }
            }
        }
        summary
    }
}

impl<'a> ValidateDocument<'a> {
    /// The document for checked files, given as (file label, its diagnostics) in output order.
    pub fn new(files: impl IntoIterator<Item = (&'a str, &'a [Diagnostic])>) -> Self {
        let files: Vec<FileDiagnostics> = files
            .into_iter()
            .map(|(file, diagnostics)| FileDiagnostics { file, diagnostics })
            .collect();
        let summary = Summary::of(files.iter().map(|f| f.diagnostics));
        ValidateDocument {
            version: JSON_FORMAT_VERSION,
            files,
            summary,
        }
    }

    /// Pretty-printed with a final newline, as the CLI prints it.
    pub fn to_pretty(&self) -> String {
        to_pretty(self)
    }
}

/// The rule registry as `[{"code", "name", "severity", "summary", "url"}]`.
pub fn rules_document() -> Value {
    Value::Array(
        crate::rules::all()
            .map(|r| {
                json!({"code": r.code, "name": r.name, "severity": r.severity, "summary": r.summary, "url": r.url()})
            })
            .collect(),
    )
}

/// The region catalog as `{"checked", "source", "note", "regions": [...]}`.
pub fn regions_document() -> Value {
    serde_json::to_value(crate::catalog::catalog()).expect("the catalog serializes")
}

/// Pretty-printed with a final newline, as the CLI prints every JSON document.
pub fn to_pretty(document: &impl Serialize) -> String {
    let mut text = serde_json::to_string_pretty(document).expect("documents serialize");
    text.push('\n');
    text
}

/// What `multirun explain FIELD` prints for a spec field written as a dotted path
/// (`rollout.gates.minRequests`; `regions[].weight` or `regions.weight` for list items): its
/// description and default from the spec's JSON Schema. None when no field has that path.
pub fn field_doc(path: &str) -> Option<String> {
    let schema: Value = serde_json::from_str(crate::SCHEMA_JSON).ok()?;
    let definitions = schema.get("definitions")?;
    let mut node = &schema;
    let mut field = None;
    for part in path.split('.') {
        let part = part.trim_end_matches("[]");
        if part.is_empty() {
            return None;
        }
        let next = resolve(definitions, node).get("properties")?.get(part)?;
        field = Some(next);
        node = next;
    }
    let field = field?;
    let target = resolve(definitions, field);
    let description = field
        .get("description")
        .or_else(|| target.get("description"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    // The schema keeps the doc comments' line breaks; print each paragraph on one line.
    let paragraphs: Vec<String> = description
        .split("\n\n")
        .map(|p| p.split('\n').collect::<Vec<_>>().join(" "))
        .collect();
    let mut text = format!("{path}\n\n{}\n", paragraphs.join("\n\n"));
    if let Some(fields) = target.get("properties").and_then(Value::as_object) {
        let names: Vec<&str> = fields.keys().map(String::as_str).collect();
        text.push_str(&format!("\nFields: {}\n", names.join(", ")));
    }
    if path == "identities" {
        // The roles depend on the settings: the whole policy, with when each role applies.
        text.push('\n');
        text.push_str(&crate::gcp::identities::policy_table());
    }
    Some(text)
}

/// Follows `$ref`, `allOf: [{$ref}]`, a nullable `anyOf` and list `items` to the schema that
/// describes the value itself.
fn resolve<'a>(definitions: &'a Value, mut node: &'a Value) -> &'a Value {
    // References in the generated schema are at most a few levels deep; the bound only
    // guards against a cycle.
    for _ in 0..8 {
        let next = if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            reference
                .rsplit('/')
                .next()
                .and_then(|name| definitions.get(name))
        } else if let Some(first) = node.get("allOf").and_then(|a| a.get(0)) {
            Some(first)
        } else if let Some(items) = node.get("items") {
            Some(items)
        } else {
            node.get("anyOf").and_then(Value::as_array).and_then(|a| {
                a.iter()
                    .find(|v| v.get("type").and_then(Value::as_str) != Some("null"))
            })
        };
        match next {
            Some(next) => node = next,
            None => break,
        }
    }
    node
}

#[cfg(test)]
mod field_doc_tests {
    use super::field_doc;

    #[test]
    fn explains_nested_fields_and_list_items() {
        let doc = field_doc("rollout.gates.minRequests").expect("a field");
        assert!(doc.contains("fails after 3 windows"), "{doc}");
        let doc = field_doc("rollout").expect("a field");
        assert!(
            doc.contains("Fields: waves, canary, bake, gates, engine"),
            "{doc}"
        );
        assert!(field_doc("regions[].weight").is_some());
        assert!(field_doc("rollout.nope").is_none());
        assert!(field_doc("").is_none());
    }
}
