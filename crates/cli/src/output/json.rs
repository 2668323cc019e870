//! The stable JSON contract:
//! `{"version": 1, "files": [{"file", "diagnostics": [...]}], "summary": {...}}`, built by
//! `multirun_core::json_output` so the playground (wasm) prints the same document.

use multirun_core::json_output;

use super::FileReport;

pub fn render(reports: &[FileReport]) -> String {
    json_output::to_pretty(&json_output::validate_document(reports.iter().map(|r| (r.file.as_str(), r.diagnostics.as_slice()))))
}
