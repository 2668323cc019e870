//! The stable JSON contract:
//! `{"version": 1, "files": [{"file", "diagnostics": [...]}], "summary": {...}}`.

use multirun_core::Diagnostic;
use serde::Serialize;

use super::{FileReport, Summary};

/// The version of this JSON shape; bumped only on incompatible changes.
pub const JSON_FORMAT_VERSION: u32 = 1;

// Serialized straight from the reports, without building a `serde_json::Value` first: a
// thousand files' diagnostics are a lot of small maps. Field order is the contract's.
#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    files: Vec<File<'a>>,
    summary: Counts,
}

#[derive(Serialize)]
struct File<'a> {
    file: &'a str,
    diagnostics: &'a [Diagnostic],
}

#[derive(Serialize)]
struct Counts {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

pub fn render(reports: &[FileReport]) -> String {
    let s = Summary::of(reports);
    let document = Document {
        version: JSON_FORMAT_VERSION,
        files: reports
            .iter()
            .map(|r| File {
                file: &r.file,
                diagnostics: &r.diagnostics,
            })
            .collect(),
        summary: Counts {
            files: s.files,
            errors: s.errors,
            warnings: s.warnings,
            infos: s.infos,
        },
    };
    let mut text = serde_json::to_string_pretty(&document).expect("diagnostics serialize");
    text.push('\n');
    text
}
