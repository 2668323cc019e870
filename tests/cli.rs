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
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
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
    assert_eq!(
        multirun(&["validate", "--deny-warnings", "examples/nearest.yaml"]).code,
        0
    );
}

#[test]
fn human_output_shows_the_line_a_caret_and_help() {
    let run = multirun(&["validate", WEIGHTS_90]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn json_output_follows_the_published_contract() {
    let run = multirun(&[
        "validate",
        "--format",
        "json",
        WEIGHTS_90,
        "examples/nearest.yaml",
    ]);
    assert_eq!(run.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("schemas/validate-output.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        doc["summary"],
        serde_json::json!({"files": 2, "errors": 1, "warnings": 0, "infos": 0})
    );
    // Files are sorted by name, whatever the argument order.
    assert_eq!(doc["files"][0]["file"], "examples/nearest.yaml");
    let d = &doc["files"][1]["diagnostics"][0];
    assert_eq!(
        (
            d["code"].as_str(),
            d["path"].as_str(),
            d["line"].as_u64(),
            d["column"].as_u64()
        ),
        (Some("MR103"), Some("/regions/2/weight"), Some(13), Some(13))
    );
}

#[test]
fn github_annotations_escape_and_locate() {
    let run = multirun(&["validate", "--format", "github", WEIGHTS_90]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "::error file=tests/fixtures/rules/MR103-weights-sum/invalid.yaml,line=13,endLine=13,col=13,endColumn=15,title=MR103 weights-sum::region weights sum to 90, 10 short of 100%0Ahelp: set this weight to 20 (or adjust the others) so the weights sum to 100\n"

    );
    // Several files: one workflow command per diagnostic, files in order; warnings are
    // `::warning`, and properties escape `,` and `:` (a path with both).
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo().join("examples/weighted.yaml"),
        dir.path().join("a,b:c.yaml"),
    )
    .unwrap();
    std::fs::copy(repo().join(WEIGHTS_90), dir.path().join("z.yaml")).unwrap();
    let run = multirun_in(
        dir.path(),
        &["validate", "--format", "github", "z.yaml", "a,b:c.yaml"],
        None,
    );
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert!(
        lines[0].starts_with("::warning file=a%2Cb%3Ac.yaml,line=26,endLine=26,col=12,"),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].contains(",title=MR105 weighted-no-failover::"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("::error file=z.yaml,line=13,"),
        "{}",
        lines[1]
    );
}

#[test]
fn gitlab_code_quality_report() {
    let run = multirun(&[
        "validate",
        "--format",
        "gitlab",
        WEIGHTS_90,
        "examples/weighted.yaml",
        "examples/nearest.yaml",
    ]);
    assert_eq!(run.code, 1);
    let issues: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(issues.len(), 2, "{}", run.stdout);
    // The fields GitLab requires, with its severity names.
    let weighted = &issues[0];
    assert_eq!(weighted["check_name"], "MR105");
    assert_eq!(weighted["severity"], "minor");
    assert_eq!(weighted["location"]["path"], "examples/weighted.yaml");
    assert_eq!(weighted["location"]["positions"]["begin"]["line"], 26);
    let error = &issues[1];
    assert_eq!(
        (error["check_name"].as_str(), error["severity"].as_str()),
        (Some("MR103"), Some("major"))
    );
    assert_eq!(
        error["location"]["positions"]["begin"],
        serde_json::json!({"line": 13, "column": 13})
    );
    assert!(error["description"]
        .as_str()
        .unwrap()
        .starts_with("region weights sum to 90"));
    // Fingerprints: hex, unique, and stable from run to run.
    let prints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert!(
        prints
            .iter()
            .all(|p| p.len() == 32 && p.bytes().all(|b| b.is_ascii_hexdigit())),
        "{prints:?}"
    );
    assert_ne!(prints[0], prints[1]);
    let again: Vec<serde_json::Value> = serde_json::from_str(
        &multirun(&[
            "validate",
            "--format",
            "gitlab",
            "examples/nearest.yaml",
            WEIGHTS_90,
            "examples/weighted.yaml",
        ])
        .stdout,
    )
    .unwrap();
    assert_eq!(again, issues);
    // A clean run is an empty report, not an empty file.
    let clean = multirun(&["validate", "--format", "gitlab", "examples/nearest.yaml"]);
    assert_eq!((clean.code, clean.stdout.as_str()), (0, "[]\n"));
}

/// pre-commit hands a hook every staged file in one call: 1,000 specs must give every
/// diagnostic, sorted by file then position, the same whatever the argument order.
#[test]
fn validate_a_batch_of_1000_specs() {
    let dir = tempfile::tempdir().unwrap();
    let kinds: Vec<Vec<u8>> = vec![
        std::fs::read(repo().join("examples/nearest.yaml")).unwrap(),
        std::fs::read(repo().join("examples/weighted.yaml")).unwrap(),
        std::fs::read(repo().join(WEIGHTS_90)).unwrap(),
        std::fs::read(repo().join("examples/errors.yaml")).unwrap(),
        b"version: 1\nproject: [unclosed\n".to_vec(),
        b"version: 1\nproject: \xff\n".to_vec(),
    ];
    // What each kind gives alone, as concise lines with the file name left out.
    let alone: Vec<Vec<String>> = kinds
        .iter()
        .enumerate()
        .map(|(k, bytes)| {
            let name = format!("kind-{k}.yaml");
            std::fs::write(dir.path().join(&name), bytes).unwrap();
            let run = multirun_in(
                dir.path(),
                &["validate", "--format", "concise", &name],
                None,
            );
            run.stdout
                .lines()
                .map(|l| {
                    l.strip_prefix(name.as_str())
                        .expect("starts with the file name")
                        .to_string()
                })
                .collect()
        })
        .collect();
    assert!(
        alone.iter().filter(|lines| !lines.is_empty()).count() >= 5,
        "{alone:?}"
    );
    let names: Vec<String> = (0..1000).map(|i| format!("spec-{i:04}.yaml")).collect();
    let mut expected = String::new();
    for (i, name) in names.iter().enumerate() {
        std::fs::write(dir.path().join(name), &kinds[i % kinds.len()]).unwrap();
        for line in &alone[i % kinds.len()] {
            expected.push_str(&format!("{name}{line}\n"));
        }
    }
    // Arguments in a scrambled order (7 is prime to 1000), then reversed.
    let scrambled: Vec<&str> = (0..1000).map(|i| names[(i * 7) % 1000].as_str()).collect();
    let mut args = vec!["validate", "--format", "concise"];
    args.extend(&scrambled);
    let run = multirun_in(dir.path(), &args, None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), expected.lines().count());
    assert!(
        run.stdout == expected,
        "batch output differs from the files checked one by one"
    );
    let mut reversed = vec!["validate", "--format", "concise"];
    reversed.extend(scrambled.iter().rev());
    assert!(multirun_in(dir.path(), &reversed, None).stdout == expected);
    // Every diagnostic in the human format too, with one summary for all files.
    let mut human = vec!["validate"];
    human.extend(&scrambled);
    let run = multirun_in(dir.path(), &human, None);
    let summary = run.stdout.lines().last().unwrap();
    let errors = expected.lines().filter(|l| l.contains(": error[")).count();
    let warnings = expected
        .lines()
        .filter(|l| l.contains(": warning["))
        .count();
    assert!(
        summary.starts_with(&format!("found {errors} errors, {warnings} warnings and "))
            && summary.ends_with(" in 1000 files"),
        "{summary}"
    );
    let shown = run
        .stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("┌─ spec-"))
        .count();
    assert_eq!(shown, expected.lines().count());
}

#[test]
fn sarif_has_every_rule_and_located_results() {
    let run = multirun(&["validate", "--format", "sarif", WEIGHTS_90]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    let driver = &doc["runs"][0]["tool"]["driver"];
    assert_eq!(
        driver["rules"].as_array().unwrap().len(),
        multirun_core::rules::all().count()
    );
    let result = &doc["runs"][0]["results"][0];
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(driver["rules"][index]["id"], "MR103");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        13
    );
}

#[test]
fn concise_format_is_one_line_per_diagnostic() {
    let run = multirun(&["validate", "--format", "concise", WEIGHTS_90]);
    assert_eq!(run.stdout, "tests/fixtures/rules/MR103-weights-sum/invalid.yaml:13:13: error[MR103] region weights sum to 90, 10 short of 100\n");
}

#[test]
fn stdin_is_read_and_named() {
    let spec = std::fs::read_to_string(repo().join(WEIGHTS_90)).unwrap();
    let run = multirun_in(
        repo(),
        &[
            "validate",
            "--format",
            "concise",
            "--stdin-filename",
            "piped.yaml",
            "-",
        ],
        Some(&spec),
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.starts_with("piped.yaml:13:13: error[MR103]"),
        "{}",
        run.stdout
    );
}

#[test]
fn exit_codes() {
    assert_eq!(multirun(&["validate", "examples/nearest.yaml"]).code, 0);
    assert_eq!(multirun(&["validate", WEIGHTS_90]).code, 1);
    // Warnings alone pass, unless denied.
    assert_eq!(multirun(&["validate", "examples/weighted.yaml"]).code, 0);
    assert_eq!(
        multirun(&["validate", "--deny-warnings", "examples/weighted.yaml"]).code,
        1
    );
    // An unreadable file is exit 2, and the other files are still checked and reported.
    let run = multirun(&[
        "validate",
        "--format",
        "concise",
        "does-not-exist.yaml",
        WEIGHTS_90,
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("cannot read does-not-exist.yaml"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("error[MR103]"));
    // Usage errors are exit 2 too.
    assert_eq!(multirun(&["validate"]).code, 2);
    assert_eq!(multirun(&["validate", "--format", "xml", "x.yaml"]).code, 2);
}

#[test]
fn non_utf8_input_is_a_diagnostic_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.yaml"),
        b"version: 1\nproject: \xff\xfe\n",
    )
    .unwrap();
    let run = multirun_in(
        dir.path(),
        &["validate", "--format", "concise", "bad.yaml"],
        None,
    );
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
    let first = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_file() && !p.ends_with(".multirun-files"))
        .expect("render wrote files");
    let name = first.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::write(&first, "edited by hand\n").unwrap();
    let run = multirun(&["render", spec, "--out", out_str, "--check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains(&format!("--- a/{name}")) && run.stdout.contains("-edited by hand"),
        "{}",
        run.stdout
    );
    assert_eq!(std::fs::read_to_string(&first).unwrap(), "edited by hand\n");
    // No staging files are left behind.
    let leftovers: Vec<_> = walk(&out)
        .into_iter()
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".multirun-tmp-")
        })
        .collect();
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

/// What the pre-commit hook runs: many specs in one call, each rendering to a directory
/// derived from its path; --check shows diffs, --fix rewrites and still fails.
#[test]
fn render_several_specs_into_their_own_directories() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("deploy")).unwrap();
    std::fs::create_dir_all(root.join("svc")).unwrap();
    std::fs::copy(
        repo().join("examples/nearest.yaml"),
        root.join("deploy/multirun.yaml"),
    )
    .unwrap();
    std::fs::copy(
        repo().join("examples/weighted.yaml"),
        root.join("svc/api.multirun.yaml"),
    )
    .unwrap();
    let specs = ["deploy/multirun.yaml", "svc/api.multirun.yaml"];
    let with = |extra: &[&'static str]| -> Vec<&str> {
        let mut args = vec!["render", "--out", "{dir}/generated/{name}"];
        args.extend_from_slice(extra);
        args.extend(specs);
        args
    };

    // Nothing generated yet: --check fails with a diff per file, headed by its path from here.
    let run = multirun_in(root, &with(&["--check"]), None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("--- /dev/null\n+++ b/deploy/generated/multirun/deploy.sh\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("+++ b/svc/generated/api/deploy.sh\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr
            .contains("run `multirun render deploy/multirun.yaml --out deploy/generated/multirun`"),
        "{}",
        run.stderr
    );
    assert!(!root.join("deploy/generated").exists() && !root.join("svc/generated").exists());

    // --fix writes them, and still fails so the commit stops until they are added.
    let run = multirun_in(root, &with(&["--check", "--fix"]), None);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("svc/api.multirun.yaml: rewrote"),
        "{}",
        run.stderr
    );
    let deploy_sh = root.join("deploy/generated/multirun/deploy.sh");
    assert!(deploy_sh.is_file() && root.join("svc/generated/api/terraform/main.tf").is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&deploy_sh).unwrap().permissions().mode() & 0o777,
            0o755
        );
    }
    let run = multirun_in(root, &with(&["--check"]), None);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    assert_eq!(multirun_in(root, &with(&["--fix"]), None).code, 0);

    // Edit one spec: only its files are stale, and the diff shows the change.
    let spec = std::fs::read_to_string(root.join("deploy/multirun.yaml")).unwrap();
    std::fs::write(
        root.join("deploy/multirun.yaml"),
        spec.replace("maxInstances: 100", "maxInstances: 40"),
    )
    .unwrap();
    let run = multirun_in(root, &with(&["--check"]), None);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("--- a/deploy/generated/multirun/terraform/main.tf\n+++ b/deploy/generated/multirun/terraform/main.tf\n"), "{}", run.stdout);
    assert!(
        run.stdout.contains("-      max_instances = 100\n")
            && run.stdout.contains("+      max_instances = 40\n"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("svc/generated"), "{}", run.stdout);
    // Plain render (no --check) writes them; then all is clean.
    assert_eq!(multirun_in(root, &with(&[]), None).code, 0);
    assert_eq!(multirun_in(root, &with(&["--check"]), None).code, 0);

    // A spec with errors among them: exit 1 and its diagnostics; the others are still checked.
    std::fs::copy(repo().join(WEIGHTS_90), root.join("svc/api.multirun.yaml")).unwrap();
    let run = multirun_in(root, &with(&["--check"]), None);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("svc/api.multirun.yaml:13:13")
            && run.stderr.contains("nothing was rendered"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("generated files in deploy/generated/multirun are up to date"),
        "{}",
        run.stderr
    );

    // Several specs into one fixed directory would overwrite each other: a usage error.
    let run = multirun_in(
        root,
        &[
            "render",
            "--check",
            "--out",
            "out",
            "deploy/multirun.yaml",
            "svc/api.multirun.yaml",
        ],
        None,
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("put `{dir}` or `{name}` in --out"),
        "{}",
        run.stderr
    );
    assert!(!root.join("out").exists());
}

#[test]
fn render_refuses_a_spec_with_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = multirun(&["render", WEIGHTS_90, "--out", out.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("error[MR103]") && run.stderr.contains("nothing was rendered"),
        "{}",
        run.stderr
    );
    assert!(!out.exists());
}

#[test]
fn render_rejects_unknown_targets_and_template_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = multirun(&[
        "render",
        "examples/nearest.yaml",
        "--out",
        out.to_str().unwrap(),
        "--target",
        "helm",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown target `helm`"),
        "{}",
        run.stderr
    );
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(templates.join("no-such-template.hbs"), "x").unwrap();
    let run = multirun(&[
        "render",
        "examples/nearest.yaml",
        "--out",
        out.to_str().unwrap(),
        "--templates",
        templates.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no-such-template.hbs"),
        "{}",
        run.stderr
    );
    assert!(!out.exists());
}

#[test]
fn template_overrides_may_use_all_of_handlebars() {
    // `outputs.tf.hbs` overridden twice: once inside the direct renderer's subset, once with
    // `#with` and `lookup`, which only the handlebars crate renders. Both must work, and a
    // missing variable must still be strict mode's error.
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(templates.join("terraform")).unwrap();
    let cases = [
        (
            "{{#each regions}}{{#unless @first}},{{/unless}}{{hcl name}}{{/each}}\n",
            "\"us-central1\",\"europe-west1\",\"asia-east1\"\n",
        ),
        (
            "{{#with service}}{{hcl name}}{{/with}} {{lookup regions.0 \"name\"}}\n",
            "\"my-app\" us-central1\n",
        ),
    ];
    for (template, expected) in cases {
        std::fs::write(templates.join("terraform/outputs.tf.hbs"), template).unwrap();
        let out = dir.path().join("out");
        let run = multirun(&[
            "render",
            "examples/nearest.yaml",
            "--target",
            "terraform",
            "--out",
            out.to_str().unwrap(),
            "--templates",
            templates.to_str().unwrap(),
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(
            std::fs::read_to_string(out.join("terraform/outputs.tf")).unwrap(),
            expected
        );
    }
    std::fs::write(
        templates.join("terraform/outputs.tf.hbs"),
        "{{hcl service.nmae}}",
    )
    .unwrap();
    let run = multirun(&[
        "render",
        "examples/nearest.yaml",
        "--target",
        "terraform",
        "--out",
        dir.path().join("bad").to_str().unwrap(),
        "--templates",
        templates.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("outputs.tf.hbs") && run.stderr.contains("nmae"),
        "{}",
        run.stderr
    );
}

#[test]
fn init_writes_a_valid_starter_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let run = multirun_in(dir.path(), &["init"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(dir.path().join("multirun.yaml")).unwrap();
    assert!(text.starts_with("# yaml-language-server: $schema="));
    assert_eq!(
        multirun_in(dir.path(), &["validate", "multirun.yaml"], None).code,
        0
    );
    std::fs::write(dir.path().join("multirun.yaml"), "mine\n").unwrap();
    let run = multirun_in(dir.path(), &["init"], None);
    assert_eq!(run.code, 2);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("multirun.yaml")).unwrap(),
        "mine\n"
    );
    assert_eq!(multirun_in(dir.path(), &["init", "--force"], None).code, 0);
}

#[test]
fn explain_schema_rules_and_regions() {
    let run = multirun(&["explain", "MR103"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("# MR103: weights-sum"));
    assert_eq!(multirun(&["explain", "weights-sum"]).stdout, run.stdout);
    assert_eq!(multirun(&["explain", "MR999"]).code, 2);
    // A spec field, by its dotted path.
    let field = multirun(&["explain", "rollout.gates.minRequests"]);
    assert_eq!(field.code, 0);
    assert!(field
        .stdout
        .starts_with("rollout.gates.minRequests\n\nFewest requests"));
    assert_eq!(multirun(&["explain", "rollout.nope"]).code, 2);
    assert_eq!(
        multirun(&["schema"]).stdout,
        std::fs::read_to_string(repo().join("schemas/multirun.schema.json")).unwrap()
    );
    let rules: serde_json::Value =
        serde_json::from_str(&multirun(&["rules", "--format", "json"]).stdout).unwrap();
    assert_eq!(
        rules.as_array().unwrap().len(),
        multirun_core::rules::all().count()
    );
    let regions = multirun(&["regions"]).stdout;
    assert!(
        regions.contains("europe-west1") && regions.contains("Belgium"),
        "{regions}"
    );
}
