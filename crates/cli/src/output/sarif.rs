//! SARIF 2.1.0, with `rules[]` filled from the registry.

use multirun_core::rules;
use multirun_core::Severity;
use serde_json::{json, Value};

use super::FileReport;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

pub fn render(reports: &[FileReport]) -> String {
    let all: Vec<&multirun_core::registry::RuleMeta> = rules::all().collect();
    let rule_entries: Vec<Value> = all
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {"text": r.summary, "markdown": r.doc},
                "helpUri": r.url(),
                "defaultConfiguration": {"level": level(r.severity)},
            })
        })
        .collect();
    let results: Vec<Value> = reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str(&format!(" (help: {help})"));
            }
            json!({
                "ruleId": d.code,
                "ruleIndex": all.iter().position(|r| r.code == d.code),
                "level": level(d.severity),
                "message": {"text": text},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": d.file},
                        "region": {"startLine": d.line, "startColumn": d.column, "endLine": d.end_line, "endColumn": d.end_column},
                    },
                    "logicalLocations": [{"fullyQualifiedName": d.path, "kind": "member"}],
                }],
            })
        })
        .collect();
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "multirun",
                "version": multirun_core::VERSION,
                "informationUri": "https://github.com/multirun/multirun",
                "rules": rule_entries,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&document).expect("SARIF serializes");
    text.push('\n');
    text
}
