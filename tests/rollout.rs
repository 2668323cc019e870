//! rollout.sh (target `rollout`) against the stateful fake cloud (`tests/fakecloud`): the fake
//! gcloud keeps each region's revisions and traffic, and the fake curl answers the Cloud
//! Monitoring API with figures each test injects, per image and region. deploy.sh makes the
//! services first (once; every scenario starts from a copy of that state), and every bake is cut
//! to 0 s (`MULTIRUN_ROLLOUT_BAKE_SECONDS`), so nothing sleeps.
//!
//! Scenarios: all gates pass; a failing gate in wave 2 rolls back waves 1 and 2 and never touches
//! wave 3; too few requests (then enough, then never enough); an interruption at each change,
//! then `--resume` converges to what an uninterrupted rollout leaves; `--abort`; the refusals.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::{json, Value};

// The shared render helpers; this file uses `render_targets` only.
#[allow(dead_code)]
mod support;

const NEW_IMAGE: &str = "us-docker.pkg.dev/my-project/apps/my-app:v2";

/// Three waves of one region each, one canary step, both gates.
const SPEC: &str = "version: 1
project: my-project
service:
  name: my-app
  image: us-docker.pkg.dev/my-project/apps/my-app:v1
  minInstances: 1
regions:
  - name: europe-west1
  - name: us-central1
  - name: asia-east1
loadBalancer:
  domains: [app.example.com]
rollout:
  waves: [[europe-west1], [us-central1], [asia-east1]]
  canary: [10]
  bake: 5m
  gates:
    maxErrorRatio: 0.01
    maxLatencyP99Ms: 1500
    minRequests: 50
";

/// Two waves, another canary step: fewer calls, for the scenarios that run many rollouts.
const SMALL_SPEC: &str = "version: 1
project: my-project
service:
  name: my-app
  image: us-docker.pkg.dev/my-project/apps/my-app:v1
regions:
  - name: europe-west1
  - name: us-central1
loadBalancer:
  domains: [app.example.com]
rollout:
  waves: [[europe-west1], [us-central1]]
  canary: [50]
  bake: 1m
";

fn have_tools() -> bool {
    let found = ["bash", "python3", "awk"].iter().all(|tool| {
        Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if !found && std::env::var("MULTIRUN_REQUIRE_TOOLS").as_deref() == Ok("1") {
        panic!("bash, python3 and awk are required (MULTIRUN_REQUIRE_TOOLS=1)");
    }
    found
}

/// The deploy and rollout targets of `spec`, rendered into a new directory.
fn render_scripts(spec: &str) -> tempfile::TempDir {
    support::render_targets(spec, &["deploy", "rollout"])
}

/// The rendered scripts of a spec and the fake project deploy.sh left, made once per spec.
struct Deployed {
    out: tempfile::TempDir,
    state: Vec<u8>,
}

fn deployed(spec: &'static str) -> &'static Deployed {
    static FULL: OnceLock<Deployed> = OnceLock::new();
    static SMALL: OnceLock<Deployed> = OnceLock::new();
    let cell = if spec == SPEC { &FULL } else { &SMALL };
    cell.get_or_init(|| {
        let out = render_scripts(spec);
        let project = Project::empty();
        let output = project.run(out.path(), "deploy.sh", &[], &[]);
        ok(&output, "deploy.sh");
        let state = std::fs::read(project.state_path()).unwrap();
        Deployed { out, state }
    })
}

/// One fake project: its state file, the gcloud call log, the injected figures and the rollout
/// state file.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn empty() -> Project {
        Project {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A project as deploy.sh left it, with `figures` for the Monitoring API.
    fn deployed(spec: &'static str, figures: Value) -> (Project, &'static Path) {
        let deployed = deployed(spec);
        let project = Project::empty();
        std::fs::write(project.state_path(), &deployed.state).unwrap();
        project.set_figures(figures);
        (project, deployed.out.path())
    }

    fn set_figures(&self, figures: Value) {
        std::fs::write(self.path("metrics.json"), figures.to_string()).unwrap();
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn state_path(&self) -> PathBuf {
        self.path("state.json")
    }

    fn run(&self, out: &Path, script: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = support::fake_cloud_script(self.dir.path(), out, script, args);
        command
            .env("FAKECLOUD_METRICS", self.path("metrics.json"))
            .env("MULTIRUN_ROLLOUT_STATE", self.path("rollout.state"))
            .env("MULTIRUN_ROLLOUT_BAKE_SECONDS", "0");
        for (key, value) in env {
            command.env(key, value);
        }
        command.output().unwrap()
    }

    fn rollout(&self, out: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
        self.run(out, "rollout.sh", args, env)
    }

    fn services(&self) -> Vec<Value> {
        let state: Value =
            serde_json::from_str(&std::fs::read_to_string(self.state_path()).unwrap()).unwrap();
        state["resources"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["type"] == "run.service")
            .cloned()
            .collect()
    }

    fn service(&self, region: &str) -> Value {
        self.services()
            .into_iter()
            .find(|s| s["region"] == region)
            .unwrap_or_else(|| panic!("no service in {region}"))
    }

    /// Every gcloud call the scripts made, as argv lists.
    fn calls(&self) -> Vec<Vec<String>> {
        std::fs::read_to_string(self.path("calls.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn rollout_state_exists(&self) -> bool {
        self.path("rollout.state").exists()
    }
}

fn text(output: &Output) -> String {
    format!(
        "--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn ok(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}",
        output.status,
        text(output)
    );
}

fn exit(output: &Output, code: i32, what: &str) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "{what}: expected exit {code}:\n{}",
        text(output)
    );
}

/// Figures every region reports for the new image.
fn healthy() -> Value {
    json!({ NEW_IMAGE: { "*": { "requests": 1000, "errors": 2, "p99Ms": 420 } } })
}

/// A region serving the new image alone, following its latest revision, untagged.
fn assert_rolled_out(service: &Value) {
    assert_eq!(service["image"], NEW_IMAGE, "{service:#}");
    assert_eq!(
        service["traffic"],
        json!([{ "latestRevision": true, "percent": 100 }]),
        "{service:#}"
    );
    let revisions = service["revisions"].as_array().unwrap();
    assert_eq!(revisions.last().unwrap()["image"], NEW_IMAGE);
}

/// A region back on its first revision: all its traffic, no tag.
fn assert_rolled_back(service: &Value) {
    let first = &service["revisions"][0]["name"];
    assert_eq!(
        service["traffic"],
        json!([{ "revisionName": first, "percent": 100 }]),
        "{service:#}"
    );
}

/// The regions a changing call (deploy, update-traffic) named, in call order.
fn changed_regions(calls: &[Vec<String>]) -> Vec<String> {
    calls
        .iter()
        .filter(|c| c.iter().any(|a| a == "deploy" || a == "update-traffic"))
        .filter_map(|c| c.iter().find_map(|a| a.strip_prefix("--region=")))
        .map(str::to_string)
        .collect()
}

#[test]
fn all_gates_pass() {
    if !have_tools() {
        return;
    }
    let (project, out) = Project::deployed(SPEC, healthy());
    let output = project.rollout(out, &[NEW_IMAGE], &[]);
    ok(&output, "rollout");
    let stdout = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "Wave 1/3 (europe-west1), step 0/2: the new revision, with no traffic",
        "Wave 1/3 (europe-west1), step 1/2: 10% of the traffic to the new revision",
        "Wave 2/3 (us-central1), step 1/2: 10% of the traffic",
        "Wave 3/3 (asia-east1), step 2/2: 100% of the traffic",
        "asia-east1: 1000 requests, 2 answered 5xx, p99 420 ms: pass",
        "Rolled us-docker.pkg.dev/my-project/apps/my-app:v2 out to 3 region(s)",
    ] {
        assert!(stdout.contains(expected), "no {expected:?} in:\n{stdout}");
    }
    for region in ["europe-west1", "us-central1", "asia-east1"] {
        assert_rolled_out(&project.service(region));
    }
    assert!(!project.rollout_state_exists());
    // Wave by wave: every change of a wave before any change of the next, then the final
    // update of each region.
    let regions = changed_regions(&project.calls());
    let steps = |r: &str| vec![r.to_string(); 3];
    let mut expected = [
        steps("europe-west1"),
        steps("us-central1"),
        steps("asia-east1"),
    ]
    .concat();
    expected.extend(["europe-west1", "us-central1", "asia-east1"].map(String::from));
    assert_eq!(regions, expected);
}

#[test]
fn a_failing_gate_in_wave_2_rolls_back_waves_1_and_2_and_never_touches_wave_3() {
    if !have_tools() {
        return;
    }
    let figures = json!({ NEW_IMAGE: {
        "europe-west1": { "requests": 1000, "errors": 0, "p99Ms": 300 },
        "us-central1": { "requests": 1000, "errors": 40, "p99Ms": 300 },
        "asia-east1": { "requests": 1000, "errors": 0, "p99Ms": 300 },
    } });
    let (project, out) = Project::deployed(SPEC, figures);
    let before = project.service("asia-east1");
    let output = project.rollout(out, &[NEW_IMAGE], &[]);
    exit(&output, 1, "a failing gate");
    let stdout = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "Gate failed: wave 2, 10%, us-central1",
        "1000 requests, 40 5xx, p99 300 ms: FAIL: 5xx ratio 0.0400 above 0.01",
        "What the gates saw:",
        "wave 1, 100%, europe-west1",
        "europe-west1: back to my-app-00001-",
        "us-central1: back to my-app-00001-",
    ] {
        assert!(stdout.contains(expected), "no {expected:?} in:\n{stdout}");
    }
    assert_rolled_back(&project.service("europe-west1"));
    assert_rolled_back(&project.service("us-central1"));
    assert_eq!(project.service("asia-east1"), before, "wave 3 changed");
    assert!(!changed_regions(&project.calls()).contains(&"asia-east1".to_string()));
    assert!(!project.rollout_state_exists());
}

#[test]
fn a_slow_new_revision_fails_the_latency_gate() {
    if !have_tools() {
        return;
    }
    let figures = json!({ NEW_IMAGE: { "*": { "requests": 1000, "errors": 0, "p99Ms": 2500 } } });
    let (project, out) = Project::deployed(SPEC, figures);
    let output = project.rollout(out, &[NEW_IMAGE], &[]);
    exit(&output, 1, "a slow revision");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("wave 1, 10%, europe-west1") && stdout.contains("FAIL: p99 above 1500 ms"),
        "{stdout}"
    );
    assert_rolled_back(&project.service("europe-west1"));
    assert_eq!(
        changed_regions(&project.calls()).len(),
        3,
        "deploy, 10%, rollback"
    );
}

#[test]
fn too_few_requests_wait_another_window_then_fail_after_three() {
    if !have_tools() {
        return;
    }
    // One quiet window, then enough: the gate waits once and passes.
    let figures = json!({ NEW_IMAGE: { "*": [
        { "requests": 10, "errors": 0, "p99Ms": 100 },
        { "requests": 500, "errors": 0, "p99Ms": 100 },
    ] } });
    let (project, out) = Project::deployed(SMALL_SPEC, figures);
    let output = project.rollout(out, &[NEW_IMAGE], &[]);
    ok(&output, "one quiet window");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("too few requests (fewer than 50; window 1 of 3)")
            && stdout.contains("waiting another window (2 of 3)"),
        "{stdout}"
    );

    // Never enough: fails after the third window, and rolls back.
    let figures = json!({ NEW_IMAGE: { "*": { "requests": 49, "errors": 0, "p99Ms": 100 } } });
    let (project, out) = Project::deployed(SMALL_SPEC, figures);
    let output = project.rollout(out, &[NEW_IMAGE], &[]);
    exit(&output, 1, "no traffic");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("window 3 of 3")
            && stdout.contains(
                "Gate failed: wave 1, 50%: fewer than 50 requests to the new revision in 3 windows"
            ),
        "{stdout}"
    );
    assert_rolled_back(&project.service("europe-west1"));
}

/// The changes (deploy, update-traffic) of a rollout of SMALL_SPEC.
const CHANGES: usize = 8;

/// What an uninterrupted rollout of SMALL_SPEC leaves (run once).
fn small_rollout_result() -> &'static [Value] {
    static RESULT: OnceLock<Vec<Value>> = OnceLock::new();
    RESULT.get_or_init(|| {
        let (project, out) = Project::deployed(SMALL_SPEC, healthy());
        ok(
            &project.rollout(out, &[NEW_IMAGE], &[]),
            "uninterrupted rollout",
        );
        // 2 regions × (deploy, 50%, 100%), then the final update of each region: the cuts below
        // reach every change.
        assert_eq!(changed_regions(&project.calls()).len(), CHANGES);
        project.services()
    })
}

#[test]
fn an_interruption_at_each_change_then_resume_converges() {
    if !have_tools() {
        return;
    }
    let expected = small_rollout_result();
    // Each change of the rollout fails in turn before it is applied (FAKECLOUD_FAIL_AT); the
    // first deploy also fails after it is applied (FAKECLOUD_FAIL_AFTER: gcloud reports a
    // failure, the revision exists and carries the tag). Then --resume.
    let cuts: Vec<(&str, usize)> = (1..=CHANGES)
        .map(|n| ("FAKECLOUD_FAIL_AT", n))
        .chain([("FAKECLOUD_FAIL_AFTER", 1)])
        .collect();
    let failures = std::sync::Mutex::new(Vec::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(&(setting, n)) = cuts.get(i) else {
                    break;
                };
                if let Err(e) = cut_and_resume(setting, n, expected) {
                    failures.lock().unwrap().push(e);
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A rollout whose `n`th change fails, then `--resume`; Err says what went wrong.
fn cut_and_resume(setting: &str, n: usize, expected: &[Value]) -> Result<(), String> {
    let (project, out) = Project::deployed(SMALL_SPEC, healthy());
    let n_text = n.to_string();
    let cut = project.rollout(out, &[NEW_IMAGE], &[(setting, &n_text)]);
    let what = format!("{setting}={n}");
    if cut.status.code() != Some(3) || !project.rollout_state_exists() {
        return Err(format!(
            "{what}: expected exit 3 and a state file:\n{}",
            text(&cut)
        ));
    }
    let again = project.rollout(out, &[NEW_IMAGE], &[]);
    if again.status.code() != Some(2)
        || !String::from_utf8_lossy(&again.stderr).contains("--resume")
    {
        return Err(format!(
            "{what}: a new start should be refused:\n{}",
            text(&again)
        ));
    }
    let resumed = project.rollout(out, &["--resume"], &[]);
    if !resumed.status.success() {
        return Err(format!("{what}: --resume failed:\n{}", text(&resumed)));
    }
    if project.services() != expected || project.rollout_state_exists() {
        return Err(format!(
            "{what}: --resume left\n{:#}\ninstead of\n{:#}",
            Value::Array(project.services()),
            Value::Array(expected.to_vec())
        ));
    }
    Ok(())
}

#[test]
fn a_failed_metrics_read_interrupts_and_resume_carries_on() {
    if !have_tools() {
        return;
    }
    let expected = small_rollout_result();
    let (project, out) = Project::deployed(SMALL_SPEC, healthy());
    // The access token cannot be had (an expired login): the gate cannot be read.
    let cut = project.rollout(out, &[NEW_IMAGE], &[("FAKECLOUD_FAIL", "^auth ")]);
    exit(&cut, 3, "no token");
    assert!(
        String::from_utf8_lossy(&cut.stderr).contains("in wave 1, step 1"),
        "{}",
        text(&cut)
    );
    ok(&project.rollout(out, &["--resume"], &[]), "resume");
    assert_eq!(project.services(), expected.to_vec());
}

#[test]
fn abort_rolls_back_what_the_rollout_touched() {
    if !have_tools() {
        return;
    }
    let (project, out) = Project::deployed(SMALL_SPEC, healthy());
    // Cut in wave 2: wave 1 is at 100%, us-central1 has its new revision with no traffic (the
    // 4th change is its deploy, the 5th its 50%, which fails).
    let cut = project.rollout(out, &[NEW_IMAGE], &[("FAKECLOUD_FAIL_AT", "5")]);
    exit(&cut, 3, "cut in wave 2");
    let aborted = project.rollout(out, &["--abort"], &[]);
    ok(&aborted, "--abort");
    let stdout = String::from_utf8_lossy(&aborted.stdout);
    assert!(
        stdout.contains("aborted by hand in wave 2, step 1") && stdout.contains("Aborted"),
        "{stdout}"
    );
    assert_rolled_back(&project.service("europe-west1"));
    assert_rolled_back(&project.service("us-central1"));
    assert!(!project.rollout_state_exists());
    // Nothing left to resume or abort; a new rollout may start.
    ok(
        &project.rollout(out, &["--resume"], &[]),
        "resume after abort",
    );
    ok(
        &project.rollout(out, &["--abort"], &[]),
        "abort after abort",
    );
    ok(&project.rollout(out, &[NEW_IMAGE], &[]), "a new rollout");
    assert_rolled_out(&project.service("us-central1"));
}

#[test]
fn refusals() {
    if !have_tools() {
        return;
    }
    // No service yet: the first deployment goes through deploy.sh.
    let out = &deployed(SPEC).out;
    let project = Project::empty();
    project.set_figures(healthy());
    let output = project.rollout(out.path(), &[NEW_IMAGE], &[]);
    exit(&output, 2, "no service");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("goes through deploy.sh"),
        "{}",
        text(&output)
    );
    // A rollout half done elsewhere: the tag is in the cloud, the state file is not here.
    let (project, out) = Project::deployed(SMALL_SPEC, healthy());
    exit(
        &project.rollout(out, &[NEW_IMAGE], &[("FAKECLOUD_FAIL_AT", "2")]),
        3,
        "cut",
    );
    std::fs::remove_file(project.path("rollout.state")).unwrap();
    let output = project.rollout(out, &[NEW_IMAGE], &[]);
    exit(&output, 2, "a stray tag");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("has a revision tagged candidate"),
        "{}",
        text(&output)
    );
    // Bad usage.
    exit(&project.rollout(out, &[], &[]), 64, "no argument");
    exit(
        &project.rollout(out, &["--nope"], &[]),
        64,
        "an unknown flag",
    );
}
