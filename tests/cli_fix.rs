//! `multirun validate --fix` and `--diff` on every rule fixture: each machine-applicable
//! suggestion is applied in place (the same text the core's fix-all gives), what changed is
//! printed before what remains, a file that does not parse is never touched, and `--diff`
//! writes nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn multirun(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_multirun"))
        .args(args)
        .current_dir(dir)
        .env_remove("MULTIRUN_FORMAT")
        .output()
        .unwrap()
}

/// Every `invalid*.yaml` rule fixture, copied into `dir` as `<CODE>-<name>-<file>`.
fn copy_fixtures(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let mut files = Vec::new();
    for rule in std::fs::read_dir(fixtures).unwrap() {
        let rule = rule.unwrap().path();
        for file in std::fs::read_dir(&rule).unwrap() {
            let file: PathBuf = file.unwrap().path();
            let base = file.file_name().unwrap().to_string_lossy().into_owned();
            if !base.starts_with("invalid") {
                continue;
            }
            let name = format!("{}-{base}", rule.file_name().unwrap().to_string_lossy());
            let bytes = std::fs::read(&file).unwrap();
            std::fs::write(dir.join(&name), &bytes).unwrap();
            files.push((name, bytes));
        }
    }
    files.sort();
    files
}

#[test]
fn fix_applies_every_suggestion_of_every_rule_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let files = copy_fixtures(dir.path());
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    let out = multirun(
        &[
            &["validate", "--fix", "--format", "concise"],
            names.as_slice(),
        ]
        .concat(),
        dir.path(),
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    // Errors remain in some fixtures (those without a certain fix).
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    let (changes, report) = stdout
        .split_once("fixes applied\n")
        .expect("a count of the fixes");
    let mut fixed_files = 0;
    for (name, original) in &files {
        let after = std::fs::read(dir.path().join(name)).unwrap();
        let Ok(source) = std::str::from_utf8(original) else {
            assert_eq!(&after, original, "{name}: not UTF-8, never touched");
            continue;
        };
        match multirun_core::editor::fix_all(source, name) {
            Err(_) => {
                assert_eq!(&after, original, "{name}: does not parse, never touched");
                assert!(
                    stderr.contains(&format!("{name} was not fixed: it does not parse")),
                    "{stderr}"
                );
            }
            Ok(outcome) if outcome.applied.is_empty() => assert_eq!(&after, original, "{name}"),
            Ok(outcome) => {
                fixed_files += 1;
                assert_eq!(String::from_utf8(after).unwrap(), outcome.source, "{name}");
                for applied in &outcome.applied {
                    let d = &applied.diagnostic;
                    let line = format!(
                        "fixed {name}:{}:{}: {}[{}] ",
                        d.line,
                        d.column,
                        d.severity.as_str(),
                        d.code
                    );
                    assert!(changes.contains(&line), "{line} missing from:\n{changes}");
                }
                // What remains is reported after the changes, from the fixed text.
                for d in &outcome.remaining.diagnostics {
                    assert!(
                        report.contains(&format!("{name}:{}:{}: ", d.line, d.column)),
                        "{name}: {d:?}\n{report}"
                    );
                }
            }
        }
    }
    assert!(fixed_files >= 30, "{fixed_files} files fixed");
    // A second run has nothing left to fix.
    let again = multirun(
        &[
            &["validate", "--fix", "--format", "concise"],
            names.as_slice(),
        ]
        .concat(),
        dir.path(),
    );
    // (A line of its own: a finding's message may say "fixed" too, as MR805's "fixed weight".)
    let again = String::from_utf8(again.stdout).unwrap();
    assert!(!again.lines().any(|l| l.starts_with("fixed ")), "{again}");
}

#[test]
fn diff_shows_the_fix_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let spec = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/rules/MR103-weights-sum/invalid.yaml"),
    )
    .unwrap();
    std::fs::write(dir.path().join("multirun.yaml"), &spec).unwrap();
    let out = multirun(&["validate", "--diff", "multirun.yaml"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("--- a/multirun.yaml\n+++ b/multirun.yaml\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\n-    weight: 10\n+    weight: 20\n"),
        "{stdout}"
    );
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "1 fix would be applied\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("multirun.yaml")).unwrap(),
        spec
    );
    // Standard input can be diffed, not fixed in place.
    let refused = multirun(&["validate", "--fix", "-"], dir.path());
    assert_eq!(refused.status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn fix_replaces_the_file_keeping_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let spec = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/rules/MR103-weights-sum/invalid.yaml"),
    )
    .unwrap();
    let path = dir.path().join("multirun.yaml");
    std::fs::write(&path, &spec).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = multirun(&["validate", "--fix", "multirun.yaml"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("fixed multirun.yaml:13:13: error[MR103] region weights sum to 90, 10 short of 100: `10` -> `20`\n1 fix applied\n"),
        "{stdout}"
    );
    assert!(stdout.contains("no problems found"), "{stdout}");
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        spec.replace("weight: 10", "weight: 20")
    );
    // Nothing is left behind in the directory.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}
