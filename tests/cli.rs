//! End-to-end tests of the `multirun` binary: every output format, stdin, several files,
//! every exit code, render/--check, init, explain, schema.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn multirun_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_multirun"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("MULTIRUN_FORMAT")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    if let Some(input) = stdin {
        pipe.write_all(input.as_bytes()).unwrap();
    }
    drop(pipe);
    let out = child.wait_with_output().unwrap();
    Run { code: out.status.code().unwrap_or(-1), stdout: String::from_utf8(out.stdout).unwrap(), stderr: String::from_utf8(out.stderr).unwrap() }
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn multirun(args: &[&str]) -> Run {
    multirun_in(repo(), args, None)
}

const WEIGHTS_90: &str = "tests/fixtures/rules/MR103-weights-sum/invalid.yaml";

#[test]
fn reference_examples_have_no_errors() {
    for example in ["examples/weighted.yaml", "examples/nearest.yaml"] {
        let run = multirun(&["validate", "--format", "json", example]);
        let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(doc["summary"]["errors"], 0, "{example}: {}", run.stdout);
        assert_eq!(run.code, 0, "{example}");
    }
    // The nearest example is fully clean, so --deny-warnings passes too.
    assert_eq!(multirun(&["validate", "--deny-warnings", "examples/nearest.yaml"]).code, 0);
}

#[test]
fn human_output_shows_the_line_a_caret_and_help() {
    let run = multirun(&["validate", WEIGHTS_90]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn json_output_follows_the_published_contract() {
    let run = multirun(&["validate", "--format", "json", WEIGHTS_90, "examples/nearest.yaml"]);
    assert_eq!(run.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(repo().join("schemas/validate-output.schema.json")).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(doc["summary"], serde_json::json!({"files": 2, "errors": 1, "warnings": 0, "infos": 0}));
    // Files are sorted by name, whatever the argument order.
    assert_eq!(doc["files"][0]["file"], "examples/nearest.yaml");
    let d = &doc["files"][1]["diagnostics"][0];
    assert_eq!((d["code"].as_str(), d["path"].as_str(), d["line"].as_u64(), d["column"].as_u64()), (Some("MR103"), Some("/regions/2/weight"), Some(13), Some(13)));
}

#[test]
fn github_annotations_escape_and_locate() {
    let run = multirun(&["validate", "--format", "github", WEIGHTS_90]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "::error file=tests/fixtures/rules/MR103-weights-sum/invalid.yaml,line=13,endLine=13,col=13,endColumn=15,title=MR103 weights-sum::region weights sum to 90, 10 short of 100%0Ahelp: set this weight to 20 (or adjust the others) so the weights sum to 100\n"

    );
}

#[test]
fn sarif_has_every_rule_and_located_results() {
    let run = multirun(&["validate", "--format", "sarif", WEIGHTS_90]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    let driver = &doc["runs"][0]["tool"]["driver"];
    assert_eq!(driver["rules"].as_array().unwrap().len(), multirun_core::rules::all().count());
    let result = &doc["runs"][0]["results"][0];
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(driver["rules"][index]["id"], "MR103");
    assert_eq!(result["locations"][0]["physicalLocation"]["region"]["startLine"], 13);
}

#[test]
fn concise_format_is_one_line_per_diagnostic() {
    let run = multirun(&["validate", "--format", "concise", WEIGHTS_90]);
    assert_eq!(run.stdout, "tests/fixtures/rules/MR103-weights-sum/invalid.yaml:13:13: error[MR103] region weights sum to 90, 10 short of 100\n");
}

#[test]
fn stdin_is_read_and_named() {
    let spec = std::fs::read_to_string(repo().join(WEIGHTS_90)).unwrap();
    let run = multirun_in(repo(), &["validate", "--format", "concise", "--stdin-filename", "piped.yaml", "-"], Some(&spec));
    assert_eq!(run.code, 1);
    assert!(run.stdout.starts_with("piped.yaml:13:13: error[MR103]"), "{}", run.stdout);
}

#[test]
fn exit_codes() {
    assert_eq!(multirun(&["validate", "examples/nearest.yaml"]).code, 0);
    assert_eq!(multirun(&["validate", WEIGHTS_90]).code, 1);
    // Warnings alone pass, unless denied.
    assert_eq!(multirun(&["validate", "examples/weighted.yaml"]).code, 0);
    assert_eq!(multirun(&["validate", "--deny-warnings", "examples/weighted.yaml"]).code, 1);
    // An unreadable file is exit 2, and the other files are still checked and reported.
    let run = multirun(&["validate", "--format", "concise", "does-not-exist.yaml", WEIGHTS_90]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot read does-not-exist.yaml"), "{}", run.stderr);
    assert!(run.stdout.contains("error[MR103]"));
    // Usage errors are exit 2 too.
    assert_eq!(multirun(&["validate"]).code, 2);
    assert_eq!(multirun(&["validate", "--format", "xml", "x.yaml"]).code, 2);
}

#[test]
fn non_utf8_input_is_a_diagnostic_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.yaml"), b"version: 1\nproject: \xff\xfe\n").unwrap();
    let run = multirun_in(dir.path(), &["validate", "--format", "concise", "bad.yaml"], None);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "bad.yaml:2:10: error[MR010] the file is not valid UTF-8: invalid byte 0xFF at byte offset 20\n");
}

#[test]
fn render_writes_every_output_and_check_detects_drift() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out_str = out.to_str().unwrap();
    let spec = repo().join("examples/nearest.yaml");
    let spec = spec.to_str().unwrap();
    // --check never writes, not even the directory.
    let run = multirun(&["render", spec, "--out", out_str, "--check"]);
    assert_eq!(run.code, 1);
    assert!(!out.exists());
    assert!(run.stdout.contains("--- /dev/null"), "{}", run.stdout);

    let run = multirun(&["render", spec, "--out", out_str]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = multirun(&["render", spec, "--out", out_str, "--check"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stdout, "");

    // Edit one generated file: --check shows a unified diff and fails, and writes nothing.
    let first = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().path()).find(|p| p.is_file()).expect("render wrote files");
    let name = first.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::write(&first, "edited by hand\n").unwrap();
    let run = multirun(&["render", spec, "--out", out_str, "--check"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains(&format!("--- a/{name}")) && run.stdout.contains("-edited by hand"), "{}", run.stdout);
    assert_eq!(std::fs::read_to_string(&first).unwrap(), "edited by hand\n");
    // No staging files are left behind.
    let leftovers: Vec<_> = walk(&out).into_iter().filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(".multirun-")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[test]
fn render_refuses_a_spec_with_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = multirun(&["render", WEIGHTS_90, "--out", out.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error[MR103]") && run.stderr.contains("nothing was rendered"), "{}", run.stderr);
    assert!(!out.exists());
}

#[test]
fn render_rejects_unknown_targets_and_template_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = multirun(&["render", "examples/nearest.yaml", "--out", out.to_str().unwrap(), "--target", "helm"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unknown target `helm`"), "{}", run.stderr);
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(templates.join("no-such-template.hbs"), "x").unwrap();
    let run = multirun(&["render", "examples/nearest.yaml", "--out", out.to_str().unwrap(), "--templates", templates.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no-such-template.hbs"), "{}", run.stderr);
    assert!(!out.exists());
}

#[test]
fn init_writes_a_valid_starter_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let run = multirun_in(dir.path(), &["init"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(dir.path().join("multirun.yaml")).unwrap();
    assert!(text.starts_with("# yaml-language-server: $schema="));
    assert_eq!(multirun_in(dir.path(), &["validate", "multirun.yaml"], None).code, 0);
    std::fs::write(dir.path().join("multirun.yaml"), "mine\n").unwrap();
    let run = multirun_in(dir.path(), &["init"], None);
    assert_eq!(run.code, 2);
    assert_eq!(std::fs::read_to_string(dir.path().join("multirun.yaml")).unwrap(), "mine\n");
    assert_eq!(multirun_in(dir.path(), &["init", "--force"], None).code, 0);
}

#[test]
fn explain_schema_rules_and_regions() {
    let run = multirun(&["explain", "MR103"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("# MR103: weights-sum"));
    assert_eq!(multirun(&["explain", "weights-sum"]).stdout, run.stdout);
    assert_eq!(multirun(&["explain", "MR999"]).code, 2);
    assert_eq!(multirun(&["schema"]).stdout, std::fs::read_to_string(repo().join("schemas/multirun.schema.json")).unwrap());
    let rules: serde_json::Value = serde_json::from_str(&multirun(&["rules", "--format", "json"]).stdout).unwrap();
    assert_eq!(rules.as_array().unwrap().len(), multirun_core::rules::all().count());
    let regions = multirun(&["regions"]).stdout;
    assert!(regions.contains("europe-west1") && regions.contains("Belgium"), "{regions}");
}
