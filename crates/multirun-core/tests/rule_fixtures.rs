//! Fixtures under `tests/fixtures/rules/<CODE>-<name>/`: each `invalid*.yaml` triggers exactly
//! that rule (snapshotted with positions and help); each `valid*.yaml` triggers nothing.

use std::fmt::Write;
use std::path::Path;

fn render(source: &str, diagnostics: &[multirun_core::Diagnostic]) -> String {
    let mut out = String::from("# Input\n");
    for (n, line) in source.lines().enumerate() {
        let _ = writeln!(out, "{:>3} | {line}", n + 1);
    }
    out.push_str("\n# Diagnostics\n");
    for d in diagnostics {
        let _ = writeln!(
            out,
            "{}:{}-{}:{} {}[{}] {} (at {:?})",
            d.line,
            d.column,
            d.end_line,
            d.end_column,
            d.severity.as_str(),
            d.code,
            d.message,
            d.path
        );
        if let Some(help) = &d.help {
            let _ = writeln!(out, "    help: {help}");
        }
        if let Some(s) = &d.suggestion {
            let _ = writeln!(out, "    suggestion: {s:?}");
        }
    }
    out
}

#[test]
fn rule_fixtures() {
    insta::glob!(
        "../../../tests/fixtures/rules",
        "*/*.yaml",
        |path: &Path| {
            let dir = path
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let code = dir.split('-').next().unwrap();
            assert!(
                multirun_core::rules::find(code).is_some(),
                "fixture directory {dir} names no rule"
            );
            let bytes = std::fs::read(path).unwrap();
            let source = String::from_utf8_lossy(&bytes);
            let checked = multirun_core::check_bytes(&bytes, "fixture.yaml");
            let file = path.file_name().unwrap().to_string_lossy();
            if file.starts_with("valid") {
                assert!(
                    checked.diagnostics.is_empty(),
                    "{dir}/{file} should be clean: {:#?}",
                    checked.diagnostics
                );
                return;
            }
            assert!(
                !checked.diagnostics.is_empty(),
                "{dir}/{file} triggers nothing"
            );
            for d in &checked.diagnostics {
                assert_eq!(
                    d.code, code,
                    "{dir}/{file} must trigger only {code}, got {d:#?}"
                );
            }
            insta::assert_snapshot!(render(&source, &checked.diagnostics));
        }
    );
}

/// The one rule no input can trigger: MR011 reports a bug in multirun itself.
const UNTRIGGERABLE: &[&str] = &["MR011"];

#[test]
fn every_rule_has_an_invalid_and_a_valid_fixture() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/rules");
    let mut missing = Vec::new();
    for rule in multirun_core::rules::all() {
        if UNTRIGGERABLE.contains(&rule.code) {
            continue;
        }
        let dir = fixtures.join(format!("{}-{}", rule.code, rule.name));
        let files: Vec<String> = std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        for kind in ["invalid", "valid"] {
            let found = files
                .iter()
                .any(|f| f.starts_with(kind) && f.ends_with(".yaml"));
            if !found {
                missing.push(format!(
                    "tests/fixtures/rules/{}-{}/{kind}.yaml",
                    rule.code, rule.name
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "every rule needs fixtures (`cargo xtask new-rule` creates them):\n{}",
        missing.join("\n")
    );
}
