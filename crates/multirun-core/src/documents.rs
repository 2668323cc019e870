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
