//! The JSON documents shared by the CLI (`--format json`, `rules --format json`, `regions
//! --format json`) and the WebAssembly API, built in one place so both give the same bytes.

use serde_json::{json, Value};

use crate::diagnostic::{Diagnostic, Severity};

/// The version of the validate document's shape; bumped only on incompatible changes.
pub const JSON_FORMAT_VERSION: u32 = 1;

/// `{"version": 1, "files": [{"file", "diagnostics"}], "summary": {...}}` for checked files,
/// given as (file label, its diagnostics) in output order.
pub fn validate_document<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [Diagnostic])>,
) -> Value {
    let (mut count, mut errors, mut warnings, mut infos) = (0usize, 0usize, 0usize, 0usize);
    let mut entries = Vec::new();
    for (file, diagnostics) in files {
        count += 1;
        for d in diagnostics {
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                Severity::Info => infos += 1,
            }
        }
        entries.push(json!({"file": file, "diagnostics": diagnostics}));
    }
    json!({
        "version": JSON_FORMAT_VERSION,
        "files": entries,
        "summary": {"files": count, "errors": errors, "warnings": warnings, "infos": infos},
    })
}

/// The rule registry as `[{"code", "name", "severity", "summary", "url"}]`.
pub fn rules_document() -> Value {
    Value::Array(crate::rules::all().map(|r| json!({"code": r.code, "name": r.name, "severity": r.severity, "summary": r.summary, "url": r.url()})).collect())
}

/// The region catalog as `{"checked", "source", "note", "regions": [...]}`.
pub fn regions_document() -> Value {
    serde_json::to_value(crate::catalog::catalog()).expect("the catalog serializes")
}

/// Pretty-printed with a final newline, as the CLI prints every JSON document.
pub fn to_pretty(document: &Value) -> String {
    let mut text = serde_json::to_string_pretty(document).expect("JSON values serialize");
    text.push('\n');
    text
}
