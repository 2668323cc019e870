//! The stable JSON contract:
//! `{"version": 1, "files": [{"file", "diagnostics": [...]}], "summary": {...}}`.

use serde_json::json;

use super::{FileReport, Summary};

/// The version of this JSON shape; bumped only on incompatible changes.
pub const JSON_FORMAT_VERSION: u32 = 1;

pub fn render(reports: &[FileReport]) -> String {
    let s = Summary::of(reports);
    let document = json!({
        "version": JSON_FORMAT_VERSION,
        "files": reports.iter().map(|r| json!({"file": r.file, "diagnostics": r.diagnostics})).collect::<Vec<_>>(),
        "summary": {"files": s.files, "errors": s.errors, "warnings": s.warnings, "infos": s.infos},
    });
    let mut text = serde_json::to_string_pretty(&document).expect("diagnostics serialize");
    text.push('\n');
    text
}
