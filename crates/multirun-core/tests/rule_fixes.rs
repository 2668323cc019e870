//! Every rule that suggests a fix has it applied and checked: for each `invalid*.yaml` rule
//! fixture whose findings carry a suggestion, `editor::fix_all` applies every suggestion, the
//! fixed findings are gone, and the fix adds no error. A rule that gains a `.suggest(` without
//! a fixture exercising it fails `every_rule_with_a_suggestion_has_a_fixed_fixture`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use multirun_core::editor::fix_all;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn invalid_fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(root().join("tests/fixtures/rules")).unwrap() {
        for file in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            if path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("invalid")
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Codes of the findings whose fixes were applied and verified.
fn fixed_codes() -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    for path in invalid_fixtures() {
        let Ok(source) = std::fs::read_to_string(&path) else {
            continue; // the invalid-encoding fixtures
        };
        let checked = multirun_core::check(&source, "f.yaml");
        let suggested: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.suggestion.is_some())
            .collect();
        if suggested.is_empty() {
            continue;
        }
        let name = path
            .strip_prefix(root().join("tests/fixtures/rules"))
            .unwrap()
            .display()
            .to_string();
        let outcome = fix_all(&source, "f.yaml").unwrap_or_else(|_| panic!("{name}: refused"));
        for d in &suggested {
            assert!(
                outcome
                    .applied
                    .iter()
                    .any(|a| a.diagnostic.code == d.code && a.diagnostic.path == d.path),
                "{name}: the suggestion for {} at {} was not applied",
                d.code,
                d.path
            );
            assert!(
                !outcome
                    .remaining
                    .diagnostics
                    .iter()
                    .any(|r| r.code == d.code && r.path == d.path),
                "{name}: {} at {} remains after its fix:\n{}\n{:#?}",
                d.code,
                d.path,
                outcome.source,
                outcome.remaining.diagnostics
            );
            codes.insert(d.code.clone());
        }
        let errors_before = checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == multirun_core::Severity::Error)
            .count();
        let errors_after = outcome
            .remaining
            .diagnostics
            .iter()
            .filter(|d| d.severity == multirun_core::Severity::Error)
            .count();
        assert!(
            errors_after < errors_before || errors_before == 0,
            "{name}: {errors_before} errors before, {errors_after} after"
        );
        assert!(
            outcome
                .remaining
                .diagnostics
                .iter()
                .all(|d| d.suggestion.is_none()),
            "{name}: a fix is left over: {:#?}",
            outcome.remaining.diagnostics
        );
        // Only the suggested spans changed: the rest of the file is byte for byte the same.
        let changed_lines = source
            .lines()
            .zip(outcome.source.lines())
            .filter(|(a, b)| a != b)
            .count();
        assert!(
            changed_lines <= outcome.applied.len(),
            "{name}:\n{}",
            outcome.source
        );
        assert_eq!(
            source.lines().count(),
            outcome.source.lines().count(),
            "{name}"
        );
    }
    codes
}

/// Codes whose rules can suggest a fix, read from the sources: a rule module with `.suggest(`,
/// and the schema and version findings of the pipeline.
fn codes_with_suggestions() -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    let mut stack = vec![root().join("crates/multirun-core/src/rules")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            if !text.contains(".suggest(") {
                continue;
            }
            let code = text
                .split("code: \"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_else(|| panic!("{} suggests but declares no code", path.display()));
            codes.insert(code.to_string());
        }
    }
    let schema =
        std::fs::read_to_string(root().join("crates/multirun-core/src/schema_check.rs")).unwrap();
    assert_eq!(
        schema.matches(".suggest(").count(),
        2,
        "schema_check.rs: update the codes below"
    );
    codes.extend(["MR002".to_string(), "MR005".to_string()]);
    let check = std::fs::read_to_string(root().join("crates/multirun-core/src/check.rs")).unwrap();
    assert_eq!(
        check.matches(".suggest(").count(),
        1,
        "check.rs: update the codes below"
    );
    codes.insert("MR009".to_string());
    codes
}

#[test]
fn every_rule_with_a_suggestion_has_a_fixed_fixture() {
    let fixed = fixed_codes();
    let suggesting = codes_with_suggestions();
    let missing: Vec<_> = suggesting.difference(&fixed).collect();
    assert!(
        missing.is_empty(),
        "rules that suggest a fix but no fixture exercises it: {missing:?}"
    );
    assert!(suggesting.len() >= 20, "{suggesting:?}");
}
