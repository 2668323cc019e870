//! GitLab code quality report: the CodeClimate JSON subset GitLab reads from
//! `artifacts:reports:codequality`, one issue per diagnostic.

use multirun_core::Severity;
use serde_json::json;

use super::FileReport;

pub fn render(reports: &[FileReport]) -> String {
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    let issues: Vec<_> = reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .map(|d| {
            let mut description = format!("{} ({})", d.message, d.name);
            if let Some(help) = &d.help {
                description.push_str(&format!("; help: {help}"));
            }
            // GitLab matches issues between the base and the merge request by fingerprint: build it
            // from what the issue is about (file, rule, spec path), not its line, so editing
            // elsewhere in the file keeps it; repeats of the same issue get their own.
            let key = format!("{}\u{0}{}\u{0}{}\u{0}{}", d.file, d.code, d.path, d.message);
            let repeat = seen.entry(key.clone()).and_modify(|n| *n += 1).or_insert(0);
            let fingerprint = format!(
                "{:016x}{:016x}",
                fnv1a(key.as_bytes(), FNV_OFFSET),
                fnv1a(format!("{key}\u{0}{repeat}").as_bytes(), FNV_OFFSET_2)
            );
            json!({
                "type": "issue",
                "check_name": d.code,
                "description": description,
                "categories": ["Bug Risk"],
                "severity": severity(d.severity),
                "fingerprint": fingerprint,
                "location": {
                    "path": d.file,
                    "positions": {
                        "begin": {"line": d.line, "column": d.column},
                        "end": {"line": d.end_line, "column": d.end_column},
                    },
                },
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&issues).expect("issues serialize");
    text.push('\n');
    text
}

/// GitLab's levels are info, minor, major, critical and blocker.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_OFFSET_2: u64 = 0x6c62_272e_07bb_0142;

/// FNV-1a: stable across Rust versions and platforms, unlike the standard library's hasher.
fn fnv1a(bytes: &[u8], offset: u64) -> u64 {
    bytes.iter().fold(offset, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
