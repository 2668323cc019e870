//! The generated `deploy.sh` and `teardown.sh` against real bash and shellcheck, and run against a
//! stateful fake cloud (`tests/fakecloud`): the argv sequence of both routing modes
//! (snapshots), convergence on re-run, failure of a parallel region deploy, teardown past what
//! is already gone, and hostile spec values that must reach gcloud unchanged and inject nothing.
//! (The scripts of every render case are linted once, by `tests/external/check-shell.sh`, which
//! tests/run.sh points at every rendered output; shellcheck here covers the variants only.)
//!
//! The last test hands every recorded command line and every generated YAML file to the real
//! Google Cloud CLI, offline and without credentials: gcloud must parse each command up to the
//! point where it needs an account, and its own import schemas and message types must accept
//! each file (`tests/support/gcloud_validate.py`).
//!
//! A missing bash or shellcheck fails the test when `MULTIRUN_REQUIRE_TOOLS=1` (CI), and skips
//! that check with a notice otherwise. gcloud can't be installed from the registries CI reaches,
//! so it is required only under `MULTIRUN_REQUIRE_GCLOUD=1`, which tests/run.sh sets when the
//! machine has gcloud.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use multirun_core::render::escape::shell as sh;
mod support;

use multirun_core::render::{render, RenderOptions};
use support::{render_deploy, render_targets};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(case: &str) -> String {
    std::fs::read_to_string(
        root()
            .join("tests/fixtures/render")
            .join(case)
            .join("spec.yaml"),
    )
    .unwrap()
}

fn render_cases() -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(root().join("tests/fixtures/render"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert!(cases.len() >= 4, "render fixtures are missing: {cases:?}");
    cases
}

/// Is `tool` runnable? Without it: panic under `MULTIRUN_REQUIRE_TOOLS=1`, else print a notice.
fn have(tool: &str) -> bool {
    let found = Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        if std::env::var("MULTIRUN_REQUIRE_TOOLS").as_deref() == Ok("1") {
            panic!("`{tool}` is required (MULTIRUN_REQUIRE_TOOLS=1) but was not found on PATH");
        }
        eprintln!("notice: `{tool}` not found; skipping the checks that need it");
    }
    found
}

/// A project in the stateful fake cloud (`tests/fakecloud`): its state file, and the log of
/// every gcloud call a run makes.
struct Stub {
    dir: tempfile::TempDir,
}

impl Stub {
    fn new() -> Stub {
        Stub {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn log(&self) -> PathBuf {
        self.dir.path().join("calls.jsonl")
    }

    fn state(&self) -> serde_json::Value {
        let text = std::fs::read_to_string(self.dir.path().join("state.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    /// Runs `script` in the fake cloud; `env` adds FAKECLOUD_* settings. Returns the process
    /// output and the gcloud invocations it made (the log is reset first).
    fn run(&self, script: &Path, env: &[(&str, &str)]) -> (Output, Vec<Vec<String>>) {
        let _ = std::fs::remove_file(self.log());
        let mut command = Command::new(root().join("tests/fakecloud/fakecloud"));
        command
            .arg(self.dir.path().join("state.json"))
            .arg("--")
            .arg("bash")
            .arg(script)
            .env("FAKECLOUD_LOG", self.log())
            .env_remove("FAKECLOUD_FAIL")
            .env_remove("FAKECLOUD_CERT_STATUS")
            .current_dir(self.dir.path());
        for (key, value) in env {
            command.env(key, value);
        }
        let output = command.output().unwrap();
        (output, self.invocations())
    }

    /// Creates the user's own certificates and map as the user would, with gcloud
    /// (`tests/support/seed-user-certificates.sh`); returns the gcloud invocations it made.
    fn seed_user_certificates(&self) -> Vec<Vec<String>> {
        let _ = std::fs::remove_file(self.log());
        let output = Command::new(root().join("tests/fakecloud/fakecloud"))
            .arg(self.dir.path().join("state.json"))
            .arg("--")
            .arg("bash")
            .arg(root().join("tests/support/seed-user-certificates.sh"))
            .arg("my-project")
            .arg(self.dir.path())
            .env("FAKECLOUD_LOG", self.log())
            .env_remove("FAKECLOUD_FAIL")
            .env_remove("FAKECLOUD_CERT_STATUS")
            .output()
            .unwrap();
        ok(&output, "seed-user-certificates.sh");
        self.invocations()
    }

    /// The recorded argv of every invocation: one JSON array per line.
    fn invocations(&self) -> Vec<Vec<String>> {
        std::fs::read_to_string(self.log())
            .unwrap_or_default()
            .lines()
            .map(|line| serde_json::from_str(line).expect("a JSON argv"))
            .collect()
    }
}

fn ok(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn is_create(call: &[String]) -> bool {
    call.iter()
        .take_while(|a| !a.starts_with('-'))
        .any(|a| a == "create" || a == "add-backend")
}

/// One line per invocation, arguments shell-quoted, the output directory written `$OUT`. The
/// regions deploy in parallel, so that block is put in region order (each region's own
/// commands keep their order).
fn transcript(calls: &[Vec<String>], out: &Path, regions: &[&str]) -> String {
    // The parallel block: the per-region `run` calls (describe, replace, IAM) between the
    // discovery lists and the first compute call. A stable sort by region keeps each region's
    // own calls in order.
    let is_regional_run = |c: &Vec<String>| {
        c.first().is_some_and(|a| a == "run")
            && c.iter().any(|a| a.starts_with("--region="))
            && !c.iter().any(|a| a == "delete")
    };
    let region_of = |c: &Vec<String>| {
        let region = c
            .iter()
            .find_map(|a| a.strip_prefix("--region="))
            .unwrap_or("");
        regions
            .iter()
            .position(|r| *r == region)
            .unwrap_or(usize::MAX)
    };
    let mut calls = calls.to_vec();
    if let Some(start) = calls.iter().position(is_regional_run) {
        let end = start
            + calls[start..]
                .iter()
                .take_while(|c| is_regional_run(c))
                .count();
        calls[start..end].sort_by_key(region_of);
    }
    let out = out.display().to_string();
    calls
        .iter()
        .map(|call| {
            // Shell words, except the lowercase ones (`run`, `services`), which `sh` quotes for
            // shellcheck's sake (SC2209) and which read better bare here.
            let word = |a: &str| {
                if !a.is_empty()
                    && a.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                {
                    a.to_string()
                } else {
                    sh(a)
                }
            };
            // deploy.sh's scratch directory (mktemp -d: a new name each run) is `$LOGS`.
            let scratch = |a: &str| match a.split_once("--config-from-file=") {
                Some(("", path)) if !path.starts_with(&out) => match path.rsplit_once('/') {
                    Some((_, file)) => format!("--config-from-file=$LOGS/{file}"),
                    None => a.to_string(),
                },
                _ => a.to_string(),
            };
            let args: Vec<String> = call
                .iter()
                .map(|a| word(&scratch(&a.replace(&out, "$OUT"))))
                .collect();
            format!("gcloud {}\n", args.join(" "))
        })
        .collect()
}

/// The less common branches of the templates: a private service, no HTTP redirect, a fractional
/// CPU (first-generation environment), ingress `all`, a service account and labels.
fn variant_spec() -> String {
    let mut doc: serde_yaml::Value = serde_yaml::from_str(&fixture("nearest-2")).unwrap();
    for (pointer, value) in [
        ("service/public", "false"),
        ("service/cpu", "0.5"),
        ("service/concurrency", "1"),
        ("service/ingress", "all"),
        (
            "service/serviceAccount",
            "runner@my-project.iam.gserviceaccount.com",
        ),
        ("loadBalancer/httpsRedirect", "false"),
        ("labels/team", "platform"),
        ("labels/env", "prod"),
    ] {
        // Read as YAML scalars: booleans and numbers keep their types.
        set_value(&mut doc, pointer, serde_yaml::from_str(value).unwrap());
    }
    let spec = serde_yaml::to_string(&doc).unwrap();
    let checked = multirun_core::check(&spec, "spec.yaml");
    assert!(
        !checked.has_errors(),
        "the variant spec has errors: {:#?}",
        checked.diagnostics
    );
    spec
}

#[test]
fn spec_variants_render_scripts_that_lint_and_run() {
    let out = render_deploy(&variant_spec());
    let service = yaml_file(out.path(), "gcloud/run-service-us-central1.yaml");
    let annotations = &service["spec"]["template"]["metadata"]["annotations"];
    assert_eq!(
        annotations["run.googleapis.com/execution-environment"].as_str(),
        Some("gen1")
    );
    assert_eq!(
        service["metadata"]["annotations"]["run.googleapis.com/ingress"].as_str(),
        Some("all")
    );
    assert_eq!(service["metadata"]["labels"]["env"].as_str(), Some("prod"));
    assert!(!out
        .path()
        .join("gcloud/http-redirect-url-map.yaml")
        .exists());
    if have("shellcheck") {
        for script in ["deploy.sh", "teardown.sh"] {
            ok(
                &Command::new("shellcheck")
                    .arg("--norc")
                    .arg(out.path().join(script))
                    .output()
                    .unwrap(),
                script,
            );
        }
    }
    if !have("bash") {
        return;
    }
    let stub = Stub::new();
    let (output, calls) = stub.run(&out.path().join("deploy.sh"), &[]);
    ok(&output, "deploy.sh");
    assert!(
        !calls
            .iter()
            .any(|c| c.iter().any(|a| a == "add-iam-policy-binding")),
        "a private service got an allUsers binding"
    );
    assert!(
        !calls
            .iter()
            .any(|c| (is_create(c) || c.iter().any(|a| a == "import"))
                && c.iter()
                    .any(|a| a.starts_with("--target-http-proxy") || a.contains("redirect"))),
        "redirect without httpsRedirect"
    );
    let (output, _) = stub.run(&out.path().join("teardown.sh"), &[]);
    ok(&output, "teardown.sh");
}

/// Deploy then teardown against a fresh stub; snapshots both argv sequences.
fn snapshot_case(case: &str, regions: &[&str]) {
    if !have("bash") {
        return;
    }
    let out = render_deploy(&fixture(case));
    let stub = Stub::new();
    let (output, calls) = stub.run(&out.path().join("deploy.sh"), &[]);
    ok(&output, &format!("{case}: deploy.sh"));
    insta::assert_snapshot!(
        format!("{case}__deploy_argv"),
        transcript(&calls, out.path(), regions)
    );

    let (output, calls) = stub.run(&out.path().join("teardown.sh"), &[]);
    ok(&output, &format!("{case}: teardown.sh"));
    insta::assert_snapshot!(
        format!("{case}__teardown_argv"),
        transcript(&calls, out.path(), regions)
    );
    let left = &stub.state()["resources"];
    assert_eq!(
        left,
        &serde_json::json!([]),
        "{case}: teardown left resources behind"
    );
}

#[test]
fn argv_sequence_nearest() {
    snapshot_case("nearest-3", &["us-central1", "europe-west1", "asia-east1"]);
}

#[test]
fn argv_sequence_weighted() {
    snapshot_case("weighted-3", &["us-central1", "europe-west1", "asia-east1"]);
}

#[test]
fn rerunning_converges_without_creating_anything() {
    if !have("bash") {
        return;
    }
    for case in ["nearest-2", "weighted-5"] {
        let out = render_deploy(&fixture(case));
        let deploy = out.path().join("deploy.sh");

        // A second run over the resources the first one made.
        let stub = Stub::new();
        let (output, first) = stub.run(&deploy, &[]);
        ok(&output, &format!("{case}: first deploy"));
        assert!(
            first.iter().any(|c| is_create(c)),
            "{case}: the first run creates resources"
        );
        let (output, second) = stub.run(&deploy, &[]);
        ok(&output, &format!("{case}: second deploy"));
        let creates: Vec<_> = second.iter().filter(|c| is_create(c)).collect();
        assert!(
            creates.is_empty(),
            "{case}: the re-run created again: {creates:#?}"
        );
        // Nothing changed, so nothing is applied again either: the fingerprints match.
        let applied: Vec<_> = second
            .iter()
            .filter(|c| {
                c.iter()
                    .any(|a| a == "replace" || a == "import" || a == "update")
            })
            .collect();
        assert!(
            applied.is_empty(),
            "{case}: the re-run applied unchanged files: {applied:#?}"
        );
    }
}

#[test]
fn a_failed_region_fails_the_deploy_before_the_load_balancer() {
    if !have("bash") {
        return;
    }
    let out = render_deploy(&fixture("nearest-3"));
    let stub = Stub::new();
    let (output, calls) = stub.run(
        &out.path().join("deploy.sh"),
        &[(
            "FAKECLOUD_FAIL",
            "^run services replace .* --region=europe-west1 ",
        )],
    );
    assert!(
        !output.status.success(),
        "deploy.sh succeeded although europe-west1 failed"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("europe-west1"),
        "the failure names the region: {stderr}"
    );
    // The other regions were still deployed (in parallel), and nothing after them ran.
    for region in ["us-central1", "europe-west1", "asia-east1"] {
        let flag = format!("--region={region}");
        assert!(
            calls
                .iter()
                .any(|c| c.iter().any(|a| a == "replace") && c.contains(&flag)),
            "{region} was not deployed"
        );
    }
    assert!(
        !calls
            .iter()
            .any(|c| c.first().is_some_and(|a| a == "compute") && is_create(c)),
        "the load balancer was set up after a failed region: {calls:#?}"
    );
}

#[test]
fn teardown_carries_on_past_what_is_already_gone() {
    if !have("bash") {
        return;
    }
    let out = render_deploy(&fixture("weighted-2"));
    let teardown = out.path().join("teardown.sh");

    // Nothing exists: every describe misses, nothing is deleted, and that is success.
    let stub = Stub::new();
    let (output, calls) = stub.run(&teardown, &[]);
    ok(&output, "teardown.sh with nothing deployed");
    assert!(
        !calls.iter().any(|c| c.iter().any(|a| a == "delete")),
        "deleted something that was not there"
    );

    // A deletion that fails is reported; the later ones still run; the exit status is 1.
    let (output, _) = stub.run(&out.path().join("deploy.sh"), &[]);
    ok(&output, "deploy.sh");
    let (output, calls) = stub.run(
        &teardown,
        &[("FAKECLOUD_FAIL", "^compute url-maps delete ")],
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "teardown.sh must fail when a deletion fails"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("Could not delete: url-maps"));
    let deleted = |collection: &str| {
        calls
            .iter()
            .any(|c| c.len() > 2 && c[1] == collection && c[2] == "delete")
    };
    for collection in [
        "forwarding-rules",
        "target-https-proxies",
        "backend-services",
        "network-endpoint-groups",
        "services",
        "ssl-certificates",
        "addresses",
        "dashboards",
    ] {
        assert!(
            deleted(collection),
            "teardown stopped before deleting {collection}"
        );
    }
}

#[test]
fn teardown_deletes_in_dependency_order() {
    if !have("bash") {
        return;
    }
    let out = render_deploy(&fixture("nearest-2"));
    let stub = Stub::new();
    let (output, _) = stub.run(&out.path().join("deploy.sh"), &[]);
    ok(&output, "deploy.sh");
    let (output, calls) = stub.run(&out.path().join("teardown.sh"), &[]);
    ok(&output, "teardown.sh");
    let order: Vec<&str> = calls
        .iter()
        // Alert policies are on gcloud's alpha track only.
        .map(|c| c.strip_prefix(&["alpha".to_string()]).unwrap_or(c))
        .filter(|c| c.len() > 2 && c[2] == "delete")
        .map(|c| c[1].as_str())
        .collect();
    // The issue's order; resources on one tier do not depend on each other.
    let tiers: &[&[&str]] = &[
        &["forwarding-rules"],
        &["target-https-proxies", "target-http-proxies"],
        &["url-maps"],
        &["backend-services"],
        &["network-endpoint-groups"],
        &["services"],
        &["ssl-certificates", "addresses"],
        &["policies", "uptime"],
        &["dashboards"],
    ];
    let rank = |collection: &str| {
        tiers
            .iter()
            .position(|t| t.contains(&collection))
            .unwrap_or_else(|| panic!("unexpected deletion of {collection}"))
    };
    assert_eq!(
        order
            .iter()
            .map(|c| rank(c))
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        tiers.len(),
        "some tier was not deleted: {order:?}"
    );
    assert!(
        order.windows(2).all(|w| rank(w[0]) <= rank(w[1])),
        "deletions out of dependency order: {order:?}"
    );
}

// ---- Hostile values --------------------------------------------------------------------------

/// Quotes, command substitution, backticks, parameter expansion, newlines, tabs, template and
/// HCL sequences, a comment marker and non-ASCII text. `CANARY` is replaced with a path that must
/// never come to exist.
const HOSTILE: &str = "it's \"q\" $(touch CANARY) `touch CANARY` ${HOME} $HOME \\ %{x} {{x}} ;|&<> # ünï ☃ 日本\nline two\ttab";
/// The same without whitespace (`${IFS}` stands in for spaces).
const HOSTILE_NO_SPACE: &str =
    "it's\"q\"$(touch${IFS}CANARY)`touch${IFS}CANARY`${HOME}$HOME\\%{x}{{x}};|&<>#ünï☃日本";

/// Sets `pointer` (a `/`-separated path of mapping keys; a numeric part indexes a sequence)
/// in `doc` to the string `value`, creating mappings on the way.
fn set(doc: &mut serde_yaml::Value, pointer: &str, value: &str) {
    set_value(doc, pointer, serde_yaml::Value::String(value.to_string()));
}

fn set_value(doc: &mut serde_yaml::Value, pointer: &str, value: serde_yaml::Value) {
    let mut node = doc;
    for part in pointer.split('/') {
        node = match part.parse::<usize>() {
            Ok(index) => &mut node[index],
            Err(_) => {
                let map = node.as_mapping_mut().expect("a mapping on the path");
                map.entry(serde_yaml::Value::String(part.to_string()))
                    .or_insert_with(|| serde_yaml::Value::Mapping(Default::default()))
            }
        };
    }
    *node = value;
}

struct Hostile {
    spec: String,
    /// The fields that validation accepted with a hostile value, and the value.
    fields: BTreeMap<&'static str, String>,
}

/// The nearest-3 fixture with a hostile value in every free-text field that validation accepts
/// (each is tried alone first; a field a rule rejects keeps its plain value).
fn hostile_spec(canary: &Path) -> Hostile {
    let hostile = HOSTILE.replace("CANARY", &canary.display().to_string());
    let candidates: Vec<(&'static str, String)> = vec![
        ("service/env/GREETING", hostile.clone()),
        ("regions/1/env/REGION_NOTE", format!("region {hostile}")),
        ("labels/team", hostile.clone()),
        ("monitoring/dashboard/title", format!("Dashboard {hostile}")),
        // HTTP paths cannot carry whitespace, so this one does without.
        (
            "healthCheck/path",
            format!(
                "/health?q={}",
                HOSTILE_NO_SPACE.replace("CANARY", &canary.display().to_string())
            ),
        ),
        ("build/dockerfile", format!("docker/{hostile}.Dockerfile")),
        ("build/context", format!("src/{hostile}")),
        // Names that rules are expected to reject; if one is accepted, it must still be carried
        // unchanged.
        ("project", format!("p-{hostile}")),
        ("service/name", format!("a-{hostile}")),
        ("service/image", format!("us-docker.pkg.dev/p/r/{hostile}")),
        (
            "service/serviceAccount",
            format!("{hostile}@p.iam.gserviceaccount.com"),
        ),
        ("loadBalancer/domains/0", format!("{hostile}.example.com")),
    ];
    let base: serde_yaml::Value = serde_yaml::from_str(&fixture("nearest-3")).unwrap();
    let accepted = |doc: &serde_yaml::Value| {
        !multirun_core::check(&serde_yaml::to_string(doc).unwrap(), "spec.yaml").has_errors()
    };
    let mut doc = base.clone();
    let mut fields = BTreeMap::new();
    for (pointer, value) in candidates {
        let mut alone = base.clone();
        set(&mut alone, pointer, &value);
        if accepted(&alone) {
            set(&mut doc, pointer, &value);
            fields.insert(pointer, value);
        } else {
            eprintln!("notice: validation rejects a hostile `{pointer}`; it keeps its plain value");
        }
    }
    // Environment values are free text in Cloud Run (up to 32 KiB), so they must be accepted.
    assert!(
        fields.contains_key("service/env/GREETING"),
        "validation rejected a hostile env value"
    );
    let spec = serde_yaml::to_string(&doc).unwrap();
    assert!(accepted(&doc), "the combined hostile spec has errors");
    Hostile { spec, fields }
}

fn yaml_file(out: &Path, path: &str) -> serde_yaml::Value {
    let text = std::fs::read_to_string(out.join(path)).unwrap();
    serde_yaml::from_str(&text)
        .unwrap_or_else(|e| panic!("{path} does not parse as YAML: {e}\n{text}"))
}

/// Reads a gcloud filter string literal back (`\` escapes `\` and `"`).
fn unquote_filter_literal(literal: &str) -> String {
    let inner = literal
        .strip_prefix('"')
        .and_then(|l| l.strip_suffix('"'))
        .expect("a quoted literal");
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.push(chars.next().expect("an escaped character"));
        } else {
            assert_ne!(c, '"', "unescaped quote in {literal}");
            out.push(c);
        }
    }
    out
}

#[test]
fn hostile_values_reach_gcloud_unchanged_and_inject_nothing() {
    let bash = have("bash");
    let shellcheck = have("shellcheck");
    let scratch = tempfile::tempdir().unwrap();
    let canary = scratch.path().join("canary");
    let hostile = hostile_spec(&canary);
    let out = render_deploy(&hostile.spec);
    let out = out.path();

    // Both scripts still parse and lint clean.
    for script in ["deploy.sh", "teardown.sh"] {
        if bash {
            ok(
                &Command::new("bash")
                    .arg("-n")
                    .arg(out.join(script))
                    .output()
                    .unwrap(),
                &format!("bash -n {script}"),
            );
        }
        if shellcheck {
            let check = Command::new("shellcheck")
                .arg("--norc")
                .arg(out.join(script))
                .output()
                .unwrap();
            ok(&check, &format!("shellcheck {script}"));
        }
    }

    // Every generated YAML file parses, and the service files carry the values unchanged.
    for region in ["us-central1", "europe-west1", "asia-east1"] {
        let service = yaml_file(out, &format!("gcloud/run-service-{region}.yaml"));
        let container = &service["spec"]["template"]["spec"]["containers"][0];
        let env: BTreeMap<String, String> = container["env"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["name"].as_str().unwrap().to_string(),
                    e["value"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            env.get("GREETING"),
            hostile.fields.get("service/env/GREETING"),
            "{region}: env GREETING"
        );
        assert_eq!(
            env.get("CLOUD_RUN_REGION").map(String::as_str),
            Some(region)
        );
        if region == "europe-west1" {
            if let Some(note) = hostile.fields.get("regions/1/env/REGION_NOTE") {
                assert_eq!(env.get("REGION_NOTE"), Some(note));
            }
        }
        if let Some(team) = hostile.fields.get("labels/team") {
            assert_eq!(
                service["metadata"]["labels"]["team"].as_str(),
                Some(team.as_str()),
                "{region}: label"
            );
            assert_eq!(
                service["spec"]["template"]["metadata"]["labels"]["team"].as_str(),
                Some(team.as_str())
            );
        }
        if let Some(image) = hostile.fields.get("service/image") {
            assert_eq!(
                container["image"].as_str(),
                Some(image.as_str()),
                "{region}: image"
            );
        }
        if let Some(account) = hostile.fields.get("service/serviceAccount") {
            assert_eq!(
                service["spec"]["template"]["spec"]["serviceAccountName"].as_str(),
                Some(account.as_str())
            );
        }
        if let Some(name) = hostile.fields.get("service/name") {
            assert_eq!(
                service["metadata"]["name"].as_str(),
                Some(name.as_str()),
                "{region}: service name"
            );
        }
        if let Some(path) = hostile.fields.get("healthCheck/path") {
            for probe in ["startupProbe", "livenessProbe", "readinessProbe"] {
                assert_eq!(
                    container[probe]["httpGet"]["path"].as_str(),
                    Some(path.as_str()),
                    "{region}: {probe} path"
                );
            }
        }
    }
    for path in [
        "gcloud/backend-service.yaml",
        "gcloud/url-map.yaml",
        "gcloud/http-redirect-url-map.yaml",
    ] {
        yaml_file(out, path);
    }

    if !bash {
        return;
    }
    // Run both scripts: nothing is executed from a value, and the dashboard title reaches gcloud
    // exactly (inside its filter literal).
    let stub = Stub::new();
    let (output, deploy_calls) = stub.run(&out.join("deploy.sh"), &[]);
    ok(&output, "deploy.sh (hostile values)");
    let (output, teardown_calls) = stub.run(&out.join("teardown.sh"), &[]);
    ok(&output, "teardown.sh (hostile values)");
    assert!(!canary.exists(), "a spec value was executed as a command");

    let title = hostile
        .fields
        .get("monitoring/dashboard/title")
        .cloned()
        .unwrap_or_else(|| "Multi-Region Cloud Run".into());
    for calls in [&deploy_calls, &teardown_calls] {
        let filter = calls
            .iter()
            .filter(|c| c.starts_with(&["monitoring".into(), "dashboards".into(), "list".into()]))
            .filter_map(|c| c.iter().find_map(|a| a.strip_prefix("--filter=")))
            .find(|f| f.starts_with("displayName"))
            .expect("the dashboard lookup by title");
        let (low, high) = filter.split_once(" AND ").expect("two bounds");
        let low = low.strip_prefix("displayName<=").expect("upper bound");
        let high = high.strip_prefix("displayName>=").expect("lower bound");
        assert_eq!(low, high);
        assert_eq!(
            unquote_filter_literal(low),
            title,
            "the filter matches the title exactly"
        );
    }
    // Values passed as arguments arrive exactly.
    let project = hostile
        .fields
        .get("project")
        .map_or("my-project", String::as_str);
    let service = hostile
        .fields
        .get("service/name")
        .map_or("my-app", String::as_str);
    let domains = hostile
        .fields
        .get("loadBalancer/domains/0")
        .map_or("app.example.com", String::as_str);
    for call in deploy_calls.iter().chain(&teardown_calls) {
        for arg in call {
            if let Some(value) = arg.strip_prefix("--project=") {
                assert_eq!(value, project);
            }
            if let Some(value) = arg.strip_prefix("--cloud-run-service=") {
                assert_eq!(value, service);
            }
            if let Some(value) = arg.strip_prefix("--domains=") {
                assert_eq!(value, domains);
            }
        }
    }
    let config = deploy_calls
        .iter()
        .find(|c| c.starts_with(&["monitoring".into(), "dashboards".into(), "create".into()]))
        .and_then(|c| c.iter().find_map(|a| a.strip_prefix("--config-from-file=")))
        .expect("the dashboard is created");
    // From deploy.sh's copy of dashboard.json with the alert policies' names written in.
    assert_eq!(
        Path::new(config).file_name(),
        Some(std::ffi::OsStr::new("dashboard-named.json"))
    );
    assert!(!Path::new(config).starts_with(out), "{config}");
    // Every file argument points at a generated file.
    for call in &deploy_calls {
        for arg in call {
            let file = arg.strip_prefix("--source=").or_else(|| {
                (call.get(2).is_some_and(|v| v == "replace") && arg.ends_with(".yaml"))
                    .then_some(arg.as_str())
            });
            if let Some(file) = file {
                assert!(Path::new(file).is_file(), "{file} is not a generated file");
            }
        }
    }
}

// ---- The real gcloud ---------------------------------------------------------------------------

/// `gcloud` isolated from the user's configuration and credentials, with every API it could
/// reach pointed at a closed local port: commands parse and validate their arguments and files,
/// then stop at "no active account". Nothing can reach a real project.
fn isolated_gcloud(config: &Path) -> Command {
    isolated(Command::new("gcloud"), config)
}

/// `command` (gcloud, or a Python program that loads gcloud) with the isolation described above.
fn isolated(mut command: Command, config: &Path) -> Command {
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().into_owned();
        if key.starts_with("CLOUDSDK_") || key.starts_with("GOOGLE_") || key.starts_with("GCE_") {
            command.env_remove(key);
        }
    }
    command
        .env("CLOUDSDK_CONFIG", config)
        .env("CLOUDSDK_CORE_DISABLE_PROMPTS", "1")
        .env("CLOUDSDK_CORE_CHECK_GCE_METADATA", "false")
        .env("CLOUDSDK_CORE_DISABLE_USAGE_REPORTING", "true")
        .env("CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK", "true");
    for api in [
        "COMPUTE",
        "RUN",
        "MONITORING",
        "SERVICEUSAGE",
        "CLOUDRESOURCEMANAGER",
        "CLOUDDEPLOY",
        "IAM",
    ] {
        command.env(
            format!("CLOUDSDK_API_ENDPOINT_OVERRIDES_{api}"),
            "http://127.0.0.1:9/",
        );
    }
    command
}

/// Runs every command line through the real gcloud (`tests/support/gcloud_replay.py`, which
/// loads gcloud once per process instead of once per command), isolated as above, and returns
/// one failure report per command that did not get as far as needing an account. The calls are
/// split between two processes, one per core of the CI machine.
fn replay_with_real_gcloud(
    sdk: &Path,
    python: &Path,
    config: &Path,
    calls: &[Vec<String>],
) -> Vec<String> {
    let chunk = calls.len().div_ceil(2).max(1);
    let reports: Vec<Vec<String>> = std::thread::scope(|scope| {
        let workers: Vec<_> = calls
            .chunks(chunk)
            .enumerate()
            .map(|(n, part)| {
                scope.spawn(move || {
                    let config = config.join(format!("replay-{n}"));
                    std::fs::create_dir_all(&config).unwrap();
                    replay_in_one_process(sdk, python, &config, part)
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    reports.into_iter().flatten().collect()
}

fn replay_in_one_process(
    sdk: &Path,
    python: &Path,
    config: &Path,
    calls: &[Vec<String>],
) -> Vec<String> {
    use std::io::Write;
    let mut command = Command::new(python);
    command
        .arg(root().join("tests/support/gcloud_replay.py"))
        .arg(sdk)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = isolated(command, config).spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(calls).unwrap().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    ok(&output, "gcloud_replay.py");
    let results: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(
        results.len(),
        calls.len(),
        "gcloud_replay.py answered every call"
    );
    results
        .iter()
        .filter(|r| {
            !r["stderr"]
                .as_str()
                .unwrap()
                .contains("You do not currently have an active account selected")
        })
        .map(|r| {
            format!(
                "gcloud {}\n  exit {}: {}",
                r["call"],
                r["code"],
                r["stderr"].as_str().unwrap().trim()
            )
        })
        .collect()
}

/// The real gcloud's SDK root and Python interpreter (with the usual missing-tool policy).
fn real_gcloud() -> Option<(PathBuf, PathBuf)> {
    let config = tempfile::tempdir().unwrap();
    let info = isolated_gcloud(config.path())
        .args([
            "info",
            "--format=value(installation.sdk_root,basic.python_location)",
        ])
        .output();
    match info {
        Ok(info) if info.status.success() => {
            let text = String::from_utf8_lossy(&info.stdout).trim().to_string();
            let (sdk, python) = text.split_once('\t').expect("sdk root and python");
            Some((PathBuf::from(sdk), PathBuf::from(python)))
        }
        _ => {
            // gcloud is not in the package registries CI can reach, so it is required only where
            // the machine has it (tests/run.sh sets MULTIRUN_REQUIRE_GCLOUD=1 when it does).
            if std::env::var("MULTIRUN_REQUIRE_GCLOUD").as_deref() == Ok("1") {
                panic!("the Google Cloud CLI (`gcloud`) is required (MULTIRUN_REQUIRE_GCLOUD=1) but did not run");
            }
            eprintln!("notice: the Google Cloud CLI (`gcloud`) was not found; skipping the checks that need it");
            None
        }
    }
}

#[test]
fn the_real_gcloud_accepts_every_command_and_generated_file() {
    if !have("bash") {
        return;
    }
    let Some((sdk, python)) = real_gcloud() else {
        return;
    };
    let scratch = tempfile::tempdir().unwrap();
    let specs = [
        fixture("nearest-3"),
        fixture("weighted-3"),
        fixture("multi-region-3"),
        // Every spec field, the production settings included (secrets: their grants, and
        // secretKeyRef env vars and secret volumes in the YAML; Direct VPC egress), and a VPC
        // connector.
        fixture("kitchen-sink"),
        fixture("production"),
        fixture("vpc-connector"),
        // Identity-Aware Proxy on the Cloud Run service (IAP's IAM policy per region) and on the
        // backend services (per backend service); both grant the IAP service agent the invoker.
        fixture("internal-admin"),
        fixture("iap-load-balancer"),
        // Certificate Manager: DNS authorizations, certificates, the map and its entries, the
        // proxy on the map, and the printed CNAME records.
        fixture("certificate-manager"),
        // identities with Cloud Deploy: the deployers' grants, the grant records on the created
        // accounts, and setup.sh's grant of actAs on the execution account to the build account.
        fixture("rollout-clouddeploy"),
        variant_spec(),
        hostile_spec(&scratch.path().join("canary")).spec,
    ];
    let mut outs = Vec::new();
    let mut calls = std::collections::BTreeSet::new();
    // deploy.sh only reads dashboard.json (target `dashboard`) through gcloud; each spec gets its
    // own fingerprint, so a later deploy updates the dashboard.
    let render_with_dashboard = |spec: &str, n: usize| {
        let out = render_targets(spec, &["deploy", "clouddeploy"]);
        std::fs::write(
            out.path().join("dashboard.json"),
            format!(r#"{{"displayName": "d", "mosaicLayout": {{"columns": 48, "tiles": []}}, "labels": {{"multirun_service": "my-app", "multirun_fingerprint": "{n:016x}"}}}}"#),
        )
        .unwrap();
        out
    };
    for (n, spec) in specs.iter().enumerate() {
        let out = render_with_dashboard(spec, n);
        let stub = Stub::new();
        for script in ["deploy.sh", "teardown.sh", "clouddeploy/setup.sh"] {
            // No Cloud Deploy pipeline under deployment: multi-region (MR807).
            if !out.path().join(script).exists() {
                continue;
            }
            let (output, recorded) = stub.run(&out.path().join(script), &[]);
            // The hostile spec's runtime service account can't exist: setup.sh stops at its
            // binding, after every other call (which are checked below all the same).
            if !(script == "clouddeploy/setup.sh" && n == specs.len() - 1) {
                ok(&output, script);
            }
            calls.extend(recorded);
        }
        outs.push(out);
    }
    // A day-two change, so the calls that only converging makes (updates of the proxy and the
    // dashboard, deletions of what the spec dropped, removing an allUsers binding) are checked
    // too: a public service with a redirect becomes private, without the redirect, on other
    // domains.
    let mut changed: serde_yaml::Value = serde_yaml::from_str(&variant_spec()).unwrap();
    set(&mut changed, "loadBalancer/domains/0", "shop.example.com");
    // Then Certificate Manager replaces the classic certificate (the proxy moves to the map and
    // drops its certificates), a wildcard goes (an entry moves to a new certificate, the old
    // entry and certificate go), and the classic certificate comes back (the map comes off).
    let mut fewer_domains: serde_yaml::Value =
        serde_yaml::from_str(&fixture("certificate-manager")).unwrap();
    set_value(
        &mut fewer_domains,
        "loadBalancer/domains",
        serde_yaml::from_str("[example.com]").unwrap(),
    );
    let stub = Stub::new();
    for (n, spec) in [
        fixture("nearest-2"),
        serde_yaml::to_string(&changed).unwrap(),
        fixture("certificate-manager"),
        serde_yaml::to_string(&fewer_domains).unwrap(),
        fixture("nearest-2"),
    ]
    .iter()
    .enumerate()
    {
        let out = render_with_dashboard(spec, 100 + n);
        let (output, recorded) = stub.run(&out.path().join("deploy.sh"), &[]);
        ok(&output, "deploy.sh (day two)");
        calls.extend(recorded);
        outs.push(out);
    }
    for verb in ["update", "delete"] {
        assert!(
            calls.iter().any(|c| c.iter().any(|a| a == verb)),
            "the day-two deploy made no `{verb}` call to check"
        );
    }
    // The user's existing certificates and map (created first with the calls a user would
    // make, a self-managed certificate's `--certificate`/`--private-key` files included: those
    // calls are checked too), then deploys onto existing SSL certificates, an existing map, and
    // back, and a teardown that leaves them.
    let user_stub = Stub::new();
    calls.extend(user_stub.seed_user_certificates());
    for (n, case) in [
        "certificates-existing",
        "certificate-map-existing",
        "certificates-existing",
    ]
    .iter()
    .enumerate()
    {
        let out = render_with_dashboard(&fixture(case), 200 + n);
        let (output, recorded) = user_stub.run(&out.path().join("deploy.sh"), &[]);
        ok(
            &output,
            &format!("deploy.sh ({case}, the user's certificates)"),
        );
        calls.extend(recorded);
        outs.push(out);
    }
    let (output, recorded) = user_stub.run(&outs.last().unwrap().path().join("teardown.sh"), &[]);
    ok(&output, "teardown.sh (the user's certificates)");
    calls.extend(recorded);
    for flag in [
        "--certificate-map=shared-certificates",
        "--clear-certificate-map",
    ] {
        assert!(
            calls.iter().any(|c| c.iter().any(|a| a == flag)),
            "no call with {flag} to check"
        );
    }
    // rollout.sh (target `rollout`): its deploy, traffic steps, final update, rollback and
    // Monitoring token calls.
    calls.extend(rollout_calls(&fixture("nearest-3")));

    // The YAML files, through gcloud's own parsers and import schemas.
    let validate = Command::new(&python)
        .arg(root().join("tests/support/gcloud_validate.py"))
        .arg(&sdk)
        .args(outs.iter().map(tempfile::TempDir::path))
        .output()
        .unwrap();
    ok(&validate, "gcloud_validate.py");

    // Every distinct command line, through the real gcloud: it must get as far as needing an
    // account, past argument parsing (exit 2 on an unknown flag or bad value) and file loading.
    // Commands that differ only in the output directory or the region are checked once (the
    // YAML files of every case were checked above).
    let mut shapes = std::collections::BTreeSet::new();
    let calls: Vec<Vec<String>> = calls
        .into_iter()
        .filter(|call| {
            let mut shape = call.join("\0");
            for out in &outs {
                shape = shape.replace(&out.path().display().to_string(), "$OUT");
            }
            for region in ["us-central1", "europe-west1", "asia-east1"] {
                shape = shape.replace(region, "$REGION");
            }
            shapes.insert(shape)
        })
        .collect();
    // deploy.sh updates a dashboard from a temporary copy (dashboard.json with the etag it read),
    // deleted when the script ends; gcloud reads the file as it parses, so point at the original.
    let dashboard = outs[0].path().join("dashboard.json").display().to_string();
    // setup.sh applies a temporary copy of clouddeploy.yaml too (with the policies' names).
    let pipeline = outs[0]
        .path()
        .join("clouddeploy/clouddeploy.yaml")
        .display()
        .to_string();
    let calls: Vec<Vec<String>> = calls
        .into_iter()
        .map(|call| {
            call.into_iter()
                .map(|arg| match arg.strip_prefix("--config-from-file=") {
                    Some(path) if !Path::new(path).exists() => {
                        format!("--config-from-file={dashboard}")
                    }
                    _ => match arg.strip_prefix("--file=") {
                        Some(path) if !Path::new(path).exists() => format!("--file={pipeline}"),
                        _ => arg,
                    },
                })
                .collect()
        })
        .collect();
    let ga_multi_region = has_ga_multi_region(scratch.path());
    let ga_iap_cloud_run = has_ga_iap_cloud_run(scratch.path());
    let calls: Vec<Vec<String>> = calls
        .into_iter()
        .map(|call| on_a_track_with_multi_region(call, ga_multi_region))
        .map(|call| on_a_track_with_iap_cloud_run(call, ga_iap_cloud_run))
        .collect();
    if !ga_iap_cloud_run {
        eprintln!("notice: this gcloud has no GA `iap web --resource-type=cloud-run`: those calls are parsed on the beta track instead");
    }
    if !ga_multi_region {
        eprintln!(
            "notice: this gcloud has no GA `run multi-region-services` (GA since SDK 538.0.0): {} multi-region calls are parsed on the beta track instead",
            calls.iter().filter(|c| c.first().map(String::as_str) == Some("beta")).count()
        );
    }
    eprintln!(
        "checking {} command lines with the real gcloud",
        calls.len()
    );
    let failures = replay_with_real_gcloud(&sdk, &python, scratch.path(), &calls);
    assert!(
        failures.is_empty(),
        "the real gcloud rejected {} of {} commands:\n{}",
        failures.len(),
        calls.len(),
        failures.join("\n")
    );
}

/// The gcloud calls rollout.sh makes on `spec`'s services (deployed by deploy.sh in the fake
/// cloud): a rollout whose gates pass, one whose first gate fails (the rollback), and `--abort`
/// of one cut after its first deploy.
fn rollout_calls(spec: &str) -> Vec<Vec<String>> {
    let checked = multirun_core::check(spec, "spec.yaml");
    let options = RenderOptions {
        targets: vec!["deploy".into(), "rollout".into()],
        ..Default::default()
    };
    let out = tempfile::tempdir().unwrap();
    for file in render(checked.spec.as_ref().unwrap(), &options).unwrap() {
        let path = out.path().join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &file.contents).unwrap();
    }
    let stub = Stub::new();
    let (output, _) = stub.run(&out.path().join("deploy.sh"), &[]);
    ok(&output, "deploy.sh (before rollout.sh)");
    let metrics = stub.dir.path().join("metrics.json");
    let rollout = |args: &[&str], figures: &str, env: &[(&str, &str)]| {
        std::fs::write(&metrics, figures).unwrap();
        let mut command = Command::new(root().join("tests/fakecloud/fakecloud"));
        command
            .arg(stub.dir.path().join("state.json"))
            .arg("--")
            .arg("bash")
            .arg(out.path().join("rollout.sh"))
            .args(args)
            .env("FAKECLOUD_LOG", stub.log())
            .env("FAKECLOUD_METRICS", &metrics)
            .env(
                "MULTIRUN_ROLLOUT_STATE",
                stub.dir.path().join("rollout.state"),
            )
            .env("MULTIRUN_ROLLOUT_BAKE_SECONDS", "0")
            .env_remove("FAKECLOUD_FAIL");
        for (key, value) in env {
            command.env(key, value);
        }
        command.output().unwrap().status.code()
    };
    let image = "us-docker.pkg.dev/my-project/apps/my-app:v2";
    let image3 = "us-docker.pkg.dev/my-project/apps/my-app:v3";
    let healthy =
        format!(r#"{{"{image}": {{"*": {{"requests": 100, "errors": 0, "p99Ms": 10}}}}}}"#);
    let _ = std::fs::remove_file(stub.log());
    assert_eq!(
        rollout(&[image], &healthy, &[]),
        Some(0),
        "a rollout that passes"
    );
    assert_eq!(
        rollout(&[image3], "{}", &[]),
        Some(1),
        "a rollout that fails"
    );
    assert_eq!(
        rollout(&[image3], "{}", &[("FAKECLOUD_FAIL_AT", "2")]),
        Some(3),
        "a cut rollout"
    );
    assert_eq!(rollout(&["--abort"], "{}", &[]), Some(0), "--abort");
    let calls = stub.invocations();
    for verb in ["deploy", "update-traffic", "print-access-token"] {
        assert!(
            calls.iter().any(|c| c.iter().any(|a| a == verb)),
            "rollout.sh made no `{verb}` call to check"
        );
    }
    calls
}

/// Whether this gcloud has multi-region services on the GA track. They are GA from SDK 538.0.0
/// (`run multi-region-services`, `run deploy --regions`); an older SDK has them only on the beta
/// track, with the same flags.
fn has_ga_multi_region(config: &Path) -> bool {
    isolated_gcloud(config)
        .args(["run", "multi-region-services", "--help"])
        .output()
        .unwrap()
        .status
        .success()
}

/// `call` as this gcloud can parse it: a multi-region call (`run multi-region-services`, or a
/// `--regions` flag) goes to the beta track where the GA one lacks it. The tests say so when
/// they do it: such calls are checked, but not on the track the generated files use.
fn on_a_track_with_multi_region(call: Vec<String>, ga_multi_region: bool) -> Vec<String> {
    let multi_region = call.starts_with(&["run".into(), "multi-region-services".into()])
        || call.iter().any(|arg| arg.starts_with("--regions="));
    if multi_region && !ga_multi_region {
        std::iter::once("beta".to_string()).chain(call).collect()
    } else {
        call
    }
}

/// Whether this gcloud's GA `iap web` commands take `--resource-type=cloud-run` (older SDKs,
/// such as 528.0.0, offer it only on the alpha and beta tracks; the GA track has it in later
/// releases, with the same flags).
fn has_ga_iap_cloud_run(config: &Path) -> bool {
    let output = isolated_gcloud(config)
        .args(["iap", "web", "get-iam-policy", "--help"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout).contains("cloud-run")
}

/// `call` as this gcloud can parse it: an `iap web` call on a Cloud Run service goes to the beta
/// track where the GA one lacks the resource type.
fn on_a_track_with_iap_cloud_run(call: Vec<String>, ga: bool) -> Vec<String> {
    let iap_cloud_run = call.starts_with(&["iap".into(), "web".into()])
        && call.iter().any(|arg| arg == "--resource-type=cloud-run");
    if iap_cloud_run && !ga {
        std::iter::once("beta".to_string()).chain(call).collect()
    } else {
        call
    }
}

/// cloudbuild.yaml's deploy steps (`gcloud run deploy` with every service setting: CPU billing,
/// startup boost, execution environment, session affinity, secrets, VPC egress, GPU) through the
/// real gcloud's argument parser, for every render case: each must get as far as needing an
/// account. Cloud Build substitutions are expanded as Cloud Build would (`$$` is a `$`, `_TAG`
/// a tag).
#[test]
fn the_real_gcloud_accepts_every_cloud_build_deploy_step() {
    let Some((sdk, python)) = real_gcloud() else {
        return;
    };
    let config = tempfile::tempdir().unwrap();
    let ga_multi_region = has_ga_multi_region(config.path());
    let mut steps = Vec::new();
    for case in render_cases() {
        let checked = multirun_core::check(&fixture(&case), "spec.yaml");
        let options = RenderOptions {
            targets: vec!["cloudbuild".into()],
            ..Default::default()
        };
        let files = render(checked.spec.as_ref().unwrap(), &options).unwrap();
        let pipeline: serde_yaml::Value = serde_yaml::from_str(&files[0].contents).unwrap();
        // The regions' steps differ only in region values: the first one stands for them all.
        let step = pipeline["steps"]
            .as_sequence()
            .unwrap()
            .iter()
            .find(|s| s["entrypoint"].as_str() == Some("gcloud"))
            .expect("a deploy step");
        let args: Vec<String> = step["args"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|a| {
                a.as_str()
                    .unwrap()
                    .replace("${_TAG}", "v1")
                    .replace("$$", "$")
            })
            .collect();
        let args = on_a_track_with_multi_region(args, ga_multi_region);
        if args[0] == "beta" {
            eprintln!("notice: {case}: this gcloud has no GA `run deploy --regions` (GA since SDK 538.0.0): the step is parsed on the beta track");
        }
        steps.push(args);
    }
    let failures = replay_with_real_gcloud(&sdk, &python, config.path(), &steps);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
