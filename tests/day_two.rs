//! Day two: every spec change converges. The generated deploy.sh and teardown.sh run against a
//! stateful fake of the Cloud APIs (`tests/fakecloud/`, which refuses what the real APIs refuse)
//! for every pair of specs A → B in a matrix of edits:
//!
//! - deploy A, then B: the project holds exactly what a fresh deploy of B leaves;
//! - deploy B again: `--plan` finds nothing to do (exit 0), and the state does not change;
//! - teardown: an empty project;
//! - a deploy of B that fails at each of its changes in turn (the fake fails the Nth
//!   state-changing call, as a killed shell or a lost connection would), then runs again: it
//!   converges. By default for the edit that changes everything at once (both ways);
//!   `MULTIRUN_DAY_TWO_ALL_CUTS=1` cuts every edit of the matrix.
//!
//! With the user's own certificates in the project (`tests/support/seed-user-certificates.sh`,
//! the gcloud calls a user would have made), existing SSL certificates and an existing
//! certificate map go on the proxy, nothing of multirun's certificates is created, switching to
//! and from them converges, and teardown leaves exactly the user's certificates.
//!
//! `tests/run.sh` runs this file as part of `cargo test`. It needs bash and python3.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod support;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One spec of the matrix, as the edits see it.
#[derive(Debug, Clone, PartialEq)]
struct Variant {
    regions: Vec<&'static str>,
    weights: Vec<u32>,
    weighted: bool,
    redirect: bool,
    domains: Vec<&'static str>,
    public: bool,
    title: &'static str,
    image: &'static str,
    /// `deployment: multi-region` (one Cloud Run multi-region service) instead of regional.
    multi_region: bool,
    /// Cloud Armor, Cloud CDN or certificate settings under `loadBalancer` (YAML lines), or none.
    edge: &'static str,
    /// More settings under `service` (YAML lines), or none.
    service_extra: &'static str,
    /// More top-level sections (YAML lines), or none.
    extra: &'static str,
}

impl Variant {
    fn base() -> Variant {
        Variant {
            regions: vec!["us-central1", "europe-west1"],
            weights: vec![50, 50],
            weighted: false,
            redirect: true,
            domains: vec!["app.example.com"],
            public: true,
            title: "My app",
            image: "us-docker.pkg.dev/my-project/apps/my-app:v1",
            multi_region: false,
            edge: "",
            service_extra: "",
            extra: "",
        }
    }

    fn yaml(&self) -> String {
        let mut regions = String::new();
        for (i, region) in self.regions.iter().enumerate() {
            regions.push_str(&format!("  - name: {region}\n"));
            if self.weighted {
                regions.push_str(&format!("    weight: {}\n", self.weights[i]));
            }
        }
        format!(
            "version: 1\nproject: my-project\n{deployment}service:\n  name: my-app\n  image: {image}\n  minInstances: 1\n  public: {public}\n{service_extra}regions:\n{regions}traffic:\n  routing: {routing}\nloadBalancer:\n  domains: [{domains}]\n  httpsRedirect: {redirect}\n{edge}monitoring:\n  dashboard:\n    title: {title}\n{extra}lint:\n  allow: [weighted-no-failover, no-geographic-redundancy, cdn-with-armor]\n",
            edge = self.edge,
            service_extra = self.service_extra,
            extra = self.extra,
            image = self.image,
            public = self.public,
            routing = if self.weighted { "weighted" } else { "nearest" },
            domains = self.domains.join(", "),
            redirect = self.redirect,
            title = self.title,
            deployment = if self.multi_region {
                "deployment: multi-region\n"
            } else {
                ""
            },
        )
    }

    fn with(&self, edit: impl FnOnce(&mut Variant)) -> Variant {
        let mut v = self.clone();
        edit(&mut v);
        v
    }
}

/// The edits of the matrix, each a (name, spec) to go to from the base spec and back.
fn edits() -> Vec<(&'static str, Variant)> {
    let base = Variant::base();
    vec![
        (
            "region added",
            base.with(|v| {
                v.regions.push("asia-east1");
                v.weights = vec![40, 40, 20];
            }),
        ),
        (
            "region replaced",
            base.with(|v| v.regions = vec!["us-central1", "asia-east1"]),
        ),
        ("weighted", base.with(|v| v.weighted = true)),
        ("no redirect", base.with(|v| v.redirect = false)),
        (
            "domains changed",
            base.with(|v| v.domains = vec!["app.example.com", "www.example.com"]),
        ),
        ("private", base.with(|v| v.public = false)),
        ("title changed", base.with(|v| v.title = "My app (prod)")),
        (
            "weights changed",
            base.with(|v| {
                v.weighted = true;
                v.weights = vec![80, 20];
            }),
        ),
        (
            "image changed",
            base.with(|v| v.image = "us-docker.pkg.dev/my-project/apps/my-app:v2"),
        ),
        ("multi-region", base.with(|v| v.multi_region = true)),
        (
            "armor and cdn",
            base.with(|v| {
                v.edge = "  armor:\n    adaptiveProtection: true\n    rules:\n      - {priority: 1000, action: deny-403, waf: sqli-v33-stable}\n      - {priority: 2000, action: rate-based-ban, rateLimit: {count: 100, intervalSec: 60, banDurationSec: 300}}\n  cdn:\n    cacheMode: CACHE_ALL_STATIC\n    negativeCaching: true\n";
            }),
        ),
        (
            "identities",
            base.with(|v| v.extra = "identities:\n  create: true\n  deployers: [group:ops@example.com]\n"),
        ),
        (
            "certificate manager with a wildcard",
            base.with(|v| {
                v.domains = vec!["app.example.com", "\"*.example.com\""];
                v.edge = "  certificates:\n    type: certificate-manager\n";
            }),
        ),
        (
            "multi-region, a region added, weighted",
            base.with(|v| {
                v.multi_region = true;
                v.regions.push("asia-east1");
                v.weights = vec![40, 40, 20];
                v.weighted = true;
            }),
        ),
        (
            "everything at once",
            base.with(|v| {
                v.regions = vec!["europe-west1", "asia-east1", "us-east4"];
                v.weights = vec![50, 25, 25];
                v.weighted = true;
                v.redirect = false;
                v.domains = vec!["shop.example.com"];
                v.public = false;
                v.title = "Shop";
                v.image = "us-docker.pkg.dev/my-project/apps/my-app:v3";
            }),
        ),
    ]
}

fn render_variant(variant: &Variant) -> tempfile::TempDir {
    support::render_deploy(&variant.yaml())
}

/// A project in the fake cloud: its state file.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    /// `deploy.sh --plan` with `out`'s files finds nothing to do (exits 0).
    fn assert_nothing_to_plan(&self, out: &Path, what: &str) {
        let plan = self.run(out, "deploy.sh", &["--plan"], &[]);
        assert_eq!(
            plan.status.code(),
            Some(0),
            "{what}: --plan should find nothing to do:\n{}",
            String::from_utf8_lossy(&plan.stdout)
        );
    }

    /// teardown.sh with `out`'s files succeeds and leaves exactly `expected`.
    fn assert_teardown_leaves(&self, out: &Path, expected: &Value, what: &str) {
        let teardown = self.run(out, "teardown.sh", &[], &[]);
        ok(&teardown, what);
        assert_same(&self.state(), expected, &format!("{what}: what is left"));
    }

    fn new() -> Project {
        Project {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn state_path(&self) -> PathBuf {
        self.dir.path().join("state.json")
    }

    /// Runs `script ARGS...` with the fake gcloud; `env` adds FAKECLOUD_* settings.
    fn run(&self, out: &Path, script: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = support::fake_cloud_script(self.dir.path(), out, script, args);
        for (key, value) in env {
            command.env(key, value);
        }
        command.output().unwrap()
    }

    /// The user's own certificates and certificate map, made with gcloud before multirun
    /// (`tests/support/seed-user-certificates.sh`); returns the project's state after.
    fn seed_user_certificates(&self) -> Value {
        let output = Command::new(root().join("tests/fakecloud/fakecloud"))
            .arg(self.state_path())
            .arg("--")
            .arg("bash")
            .arg(root().join("tests/support/seed-user-certificates.sh"))
            .arg("my-project")
            .arg(self.dir.path())
            .output()
            .unwrap();
        ok(&output, "seeding the user's certificates");
        self.state()
    }

    /// One gcloud call in the project (the fake's), as a user would make it.
    fn gcloud(&self, args: &[&str]) {
        let output = Command::new(root().join("tests/fakecloud/fakecloud"))
            .arg(self.state_path())
            .arg("--")
            .arg("gcloud")
            .args(args)
            .arg("--project=my-project")
            .output()
            .unwrap();
        ok(&output, &format!("gcloud {}", args.join(" ")));
    }

    fn deploy(&self, out: &Path, what: &str) {
        let output = self.run(out, "deploy.sh", &[], &[]);
        ok(&output, what);
    }

    /// The resources, without what differs between two equivalent projects (etags, generated
    /// dashboard IDs, creation order).
    fn state(&self) -> Value {
        let text = std::fs::read_to_string(self.state_path())
            .unwrap_or_else(|_| "{\"resources\": []}".into());
        let mut state: Value = serde_json::from_str(&text).unwrap();
        normalize(&mut state);
        state["resources"].clone()
    }
}

fn normalize(value: &mut Value) {
    match value {
        Value::Object(fields) => {
            for volatile in [
                "etag",
                "id",
                "createTime",
                "updateTime",
                "creationTimestamp",
                "generation",
            ] {
                fields.remove(volatile);
            }
            if fields.get("type").and_then(Value::as_str) == Some("monitoring.dashboard") {
                fields.remove("name");
                if let Some(config) = fields.get_mut("config").and_then(Value::as_object_mut) {
                    config.remove("name");
                }
            }
            for field in fields.values_mut() {
                normalize(field);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(normalize),
        _ => {}
    }
}

/// Fails with the resources that differ, one JSON line each, rather than two whole states.
fn assert_same(actual: &Value, expected: &Value, what: &str) {
    if actual == expected {
        return;
    }
    let lines = |state: &Value| -> Vec<String> {
        state
            .as_array()
            .unwrap()
            .iter()
            .map(|r| serde_json::to_string(r).unwrap())
            .collect()
    };
    let (actual, expected) = (lines(actual), lines(expected));
    let extra: Vec<_> = actual.iter().filter(|r| !expected.contains(r)).collect();
    let missing: Vec<_> = expected.iter().filter(|r| !actual.contains(r)).collect();
    panic!("{what}: the states differ\n--- only in the first:\n{extra:#?}\n--- only in the second:\n{missing:#?}");
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

fn have_tools() -> bool {
    let found = ["bash", "python3"].iter().all(|tool| {
        Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if !found && std::env::var("MULTIRUN_REQUIRE_TOOLS").as_deref() == Ok("1") {
        panic!("bash and python3 are required (MULTIRUN_REQUIRE_TOOLS=1)");
    }
    found
}

/// What a fresh deploy of `variant` leaves.
fn fresh_state(variant: &Variant) -> Value {
    let out = render_variant(variant);
    let project = Project::new();
    project.deploy(out.path(), "fresh deploy");
    project.state()
}

/// The deployer of the `identities` edit.
const DEPLOYER: &str = "group:ops@example.com";

/// `state` less the deployer's project roles. deploy.sh grants a deployer its roles but never
/// removes one (a person may hold it for other reasons; it only names those a spec no longer
/// needs), and teardown.sh leaves them too: they outlive the spec that asked for them, by design.
fn without_kept_deployer_roles(state: &Value) -> Value {
    let mut resources = Vec::new();
    for resource in state.as_array().unwrap() {
        let mut resource = resource.clone();
        if resource["type"] == "resourcemanager.project" {
            let bindings = resource["iamBindings"].as_array_mut().unwrap();
            for binding in bindings.iter_mut() {
                binding["members"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|m| m != DEPLOYER);
            }
            bindings.retain(|b| !b["members"].as_array().unwrap().is_empty());
            if bindings.is_empty() {
                continue;
            }
        }
        resources.push(resource);
    }
    Value::Array(resources)
}

/// Deploy A, then B: B's fresh state; again: nothing to plan, nothing changes; teardown: empty
/// (but for the deployer's roles, which deploy.sh never removes).
fn check_pair(name: &str, a: &Variant, b: &Variant) {
    let (out_a, out_b) = (render_variant(a), render_variant(b));
    let project = Project::new();
    project.deploy(out_a.path(), &format!("{name}: deploy A"));
    project.deploy(out_b.path(), &format!("{name}: deploy B over A"));
    let expected = without_kept_deployer_roles(&fresh_state(b));
    assert_same(
        &without_kept_deployer_roles(&project.state()),
        &expected,
        &format!("{name}: A then B vs a fresh B"),
    );

    project.assert_nothing_to_plan(out_b.path(), &format!("{name}: after deploying B"));
    let before = project.state();
    project.deploy(out_b.path(), &format!("{name}: deploy B again"));
    assert_eq!(
        project.state(),
        before,
        "{name}: a second deploy of B changed something"
    );

    let teardown = project.run(out_b.path(), "teardown.sh", &[], &[]);
    ok(&teardown, &format!("{name}: teardown"));
    assert_eq!(
        without_kept_deployer_roles(&project.state()),
        Value::Array(Vec::new()),
        "{name}: teardown left resources"
    );
}

/// Deploy A; then for N = 1, 2, ...: from that state, a deploy of B whose Nth change fails (as
/// a killed shell or a lost connection would leave it), then B again: B's fresh state, until B
/// deploys without reaching change N.
fn check_cuts(name: &str, a: &Variant, b: &Variant) {
    let (out_a, out_b) = (render_variant(a), render_variant(b));
    let expected = fresh_state(b);
    let deployed = Project::new();
    deployed.deploy(out_a.path(), &format!("{name}: deploy A"));
    let state_a = std::fs::read(deployed.state_path()).unwrap();
    for fail_at in 1.. {
        let project = Project::new();
        std::fs::write(project.state_path(), &state_a).unwrap();
        let n = fail_at.to_string();
        let failed = project.run(out_b.path(), "deploy.sh", &[], &[("FAKECLOUD_FAIL_AT", &n)]);
        if failed.status.success() {
            // B's deploy makes fewer changes than `fail_at`: every change has been cut once.
            assert!(fail_at > 1, "{name}: FAKECLOUD_FAIL_AT never failed a call");
            break;
        }
        project.deploy(
            out_b.path(),
            &format!("{name}: deploy B after a failure at change {n}"),
        );
        assert_same(
            &project.state(),
            &expected,
            &format!("{name}: cut at change {n}, then rerun"),
        );
    }
}

/// Both directions of one edit of the matrix: converging, then converging after a cut at each
/// change.
fn check_edit(edit: &str) {
    if !have_tools() {
        return;
    }
    let base = Variant::base();
    let (_, edited) = edits().into_iter().find(|(n, _)| *n == edit).unwrap();
    check_pair(&format!("{edit} (there)"), &base, &edited);
    check_pair(&format!("{edit} (back)"), &edited, &base);
    // A cut at every change costs two deploys per change. By default it runs for the edit that
    // changes everything at once, which walks every kind of step in both directions;
    // MULTIRUN_DAY_TWO_ALL_CUTS=1 runs it for every edit.
    if edit == "everything at once"
        || std::env::var("MULTIRUN_DAY_TWO_ALL_CUTS").as_deref() == Ok("1")
    {
        check_cuts(&format!("{edit} (there)"), &base, &edited);
        check_cuts(&format!("{edit} (back)"), &edited, &base);
    }
}

/// One test per edit, so the matrix runs on every core.
macro_rules! edit_tests {
    ($($test:ident: $edit:literal,)+) => {
        $(
            #[test]
            fn $test() {
                check_edit($edit);
            }
        )+

        #[test]
        fn every_edit_of_the_matrix_has_a_test() {
            let tested = [$($edit),+];
            for (name, _) in edits() {
                assert!(tested.contains(&name), "no test runs the edit {name:?}");
            }
        }
    };
}

edit_tests! {
    a_region_added: "region added",
    a_region_replaced: "region replaced",
    nearest_to_weighted: "weighted",
    redirect_off: "no redirect",
    domains_changed: "domains changed",
    public_to_private: "private",
    title_changed: "title changed",
    weights_changed: "weights changed",
    image_changed: "image changed",
    regional_to_multi_region: "multi-region",
    armor_and_cdn_on_and_off: "armor and cdn",
    identities_on_and_off: "identities",
    classic_to_certificate_manager_with_a_wildcard: "certificate manager with a wildcard",
    regional_to_multi_region_with_a_region_added_weighted: "multi-region, a region added, weighted",
    everything_at_once: "everything at once",
}

/// Secrets: deploy.sh grants the runtime account read access to each secret, and teardown.sh
/// takes it back, with or without the accounts `identities` creates.
#[test]
fn teardown_removes_the_secret_grants_and_created_accounts() {
    if !have_tools() {
        return;
    }
    let secrets = "  secrets:\n    env: {DB_PASSWORD: {secret: db-password, version: '3'}}\n    files: {/secrets/key: {secret: projects/123456/secrets/api-key, version: latest}}\n";
    for (what, extra) in [
        ("secrets", ""),
        ("secrets and identities", "identities:\n  create: true\n"),
    ] {
        let variant = Variant::base().with(|v| {
            v.service_extra = secrets;
            v.extra = extra;
        });
        let out = render_variant(&variant);
        let project = Project::new();
        project.deploy(out.path(), &format!("{what}: deploy"));
        let state = project.state();
        let grants = state
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["type"] == "secretmanager.secret")
            .count();
        assert_eq!(
            grants, 2,
            "{what}: deploy.sh grants read access to both secrets"
        );
        project.assert_nothing_to_plan(out.path(), &format!("{what}: after deploy"));
        let teardown = project.run(out.path(), "teardown.sh", &[], &[]);
        ok(&teardown, &format!("{what}: teardown"));
        assert_eq!(
            project.state(),
            Value::Array(Vec::new()),
            "{what}: teardown left resources"
        );
    }
}

#[test]
fn plan_reports_changes_and_changes_nothing() {
    if !have_tools() {
        return;
    }
    let base = Variant::base();
    let (_, edited) = edits()
        .into_iter()
        .find(|(n, _)| *n == "everything at once")
        .unwrap();
    let (out_a, out_b) = (render_variant(&base), render_variant(&edited));
    let project = Project::new();

    let plan = project.run(out_a.path(), "deploy.sh", &["--plan"], &[]);
    assert_eq!(
        plan.status.code(),
        Some(2),
        "an empty project needs everything"
    );
    assert_eq!(
        project.state(),
        Value::Array(Vec::new()),
        "--plan created something"
    );

    project.deploy(out_a.path(), "deploy A");
    let before = project.state();
    let plan = project.run(out_b.path(), "deploy.sh", &["--plan"], &[]);
    let text = String::from_utf8_lossy(&plan.stdout);
    assert_eq!(plan.status.code(), Some(2), "{text}");
    for expected in [
        "would create Cloud Run service my-app in asia-east1",
        "would delete Cloud Run service my-app in us-central1",
        "would delete NEG my-app-neg-us-central1 in us-central1",
        "would delete backend service my-app-backend",
        "would delete forwarding rule my-app-http-rule (port 80)",
    ] {
        assert!(
            text.contains(expected),
            "--plan does not say {expected:?}:\n{text}"
        );
    }
    assert_eq!(project.state(), before, "--plan changed the project");
}

/// `loadBalancer.certificates` naming what `tests/support/seed-user-certificates.sh` creates:
/// a self-managed and a Google-managed classic certificate, or a Certificate Manager map.
const USER_SSL_CERTIFICATES: &str =
    "  certificates:\n    sslCertificates: [app-example-com, www-example-com]\n";
const USER_CERTIFICATE_MAP: &str = "  certificates:\n    certificateMap: shared-certificates\n";

/// The certificate resources of a state: classic certificates and everything of Certificate
/// Manager.
fn certificate_records(state: &Value) -> Vec<Value> {
    state
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            let t = r["type"].as_str().unwrap_or_default();
            t == "compute.sslCertificate" || t.starts_with("certificatemanager.")
        })
        .cloned()
        .collect()
}

fn https_proxy(state: &Value) -> Value {
    state
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "compute.targetHttpsProxy" && r["name"] == "my-app-https-proxy")
        .cloned()
        .expect("no HTTPS proxy")
}

/// Existing certificates (`sslCertificates`) and an existing map (`certificateMap`): deploy.sh
/// puts them on the HTTPS proxy and creates no certificate of its own; a second deploy has
/// nothing to do; teardown.sh deletes everything it created and leaves the user's certificates,
/// DNS authorization, map and entries exactly as they were.
#[test]
fn existing_certificates_and_map_are_left_alone() {
    if !have_tools() {
        return;
    }
    let global = "https://www.googleapis.com/compute/v1/projects/my-project/global";
    for (what, edge) in [
        ("existing SSL certificates", USER_SSL_CERTIFICATES),
        ("an existing certificate map", USER_CERTIFICATE_MAP),
    ] {
        let variant = Variant::base().with(|v| v.edge = edge);
        let out = render_variant(&variant);
        let project = Project::new();
        let seeded = project.seed_user_certificates();
        project.deploy(out.path(), &format!("{what}: deploy"));
        let state = project.state();
        assert_eq!(
            certificate_records(&state),
            certificate_records(&seeded),
            "{what}: deploy.sh created or changed a certificate resource"
        );
        let proxy = https_proxy(&state);
        if edge == USER_SSL_CERTIFICATES {
            assert_eq!(
                proxy["sslCertificates"],
                serde_json::json!([
                    format!("{global}/sslCertificates/app-example-com"),
                    format!("{global}/sslCertificates/www-example-com"),
                ]),
                "{what}: the proxy's certificates"
            );
            assert!(proxy.get("certificateMap").is_none(), "{what}: {proxy}");
        } else {
            assert_eq!(
                proxy["certificateMap"],
                "//certificatemanager.googleapis.com/projects/my-project/locations/global/certificateMaps/shared-certificates",
                "{what}: the proxy's map"
            );
            assert!(proxy.get("sslCertificates").is_none(), "{what}: {proxy}");
        }
        project.assert_nothing_to_plan(out.path(), &format!("{what}: after deploy"));
        project.assert_teardown_leaves(out.path(), &seeded, &format!("{what}: teardown"));
    }
}

/// A certificate or map the spec names that does not exist: the proxy refuses it (as the
/// API does), so deploy.sh fails there.
#[test]
fn missing_existing_certificates_fail_the_deploy() {
    if !have_tools() {
        return;
    }
    for (what, edge) in [
        ("SSL certificates", USER_SSL_CERTIFICATES),
        ("certificate map", USER_CERTIFICATE_MAP),
    ] {
        let out = render_variant(&Variant::base().with(|v| v.edge = edge));
        let project = Project::new();
        let output = project.run(out.path(), "deploy.sh", &[], &[]);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            !output.status.success(),
            "{what}: deploy succeeded:\n{text}"
        );
        assert!(text.contains("NOT_FOUND"), "{what}: {text}");
        assert!(
            https_proxy_absent(&project.state()),
            "{what}: a proxy was created"
        );
    }
}

fn https_proxy_absent(state: &Value) -> bool {
    !state
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["type"] == "compute.targetHttpsProxy")
}

/// Day two with the user's certificates in the project: deploy A then B leaves what a fresh
/// deploy of B leaves, a second deploy of B has nothing to do, and teardown leaves exactly the
/// user's certificates.
fn check_pair_with_user_certificates(name: &str, a: &Variant, b: &Variant) {
    let (out_a, out_b) = (render_variant(a), render_variant(b));
    let expected = {
        let fresh = Project::new();
        fresh.seed_user_certificates();
        fresh.deploy(out_b.path(), &format!("{name}: fresh deploy of B"));
        fresh.state()
    };
    let project = Project::new();
    let seeded = project.seed_user_certificates();
    project.deploy(out_a.path(), &format!("{name}: deploy A"));
    project.deploy(out_b.path(), &format!("{name}: deploy B over A"));
    assert_same(
        &project.state(),
        &expected,
        &format!("{name}: A then B vs a fresh B"),
    );
    project.assert_nothing_to_plan(out_b.path(), &format!("{name}: after deploying B"));
    project.assert_teardown_leaves(out_b.path(), &seeded, &format!("{name}: teardown"));
}

/// A classic Google-managed certificate to an existing certificate map and back: each move
/// converges, and the user's certificates and map survive both.
#[test]
fn classic_to_an_existing_map_and_back_converges() {
    if !have_tools() {
        return;
    }
    let classic = Variant::base();
    let map = Variant::base().with(|v| v.edge = USER_CERTIFICATE_MAP);
    check_pair_with_user_certificates("classic to an existing map", &classic, &map);
    check_pair_with_user_certificates("an existing map to classic", &map, &classic);
}

/// Existing SSL certificates to an existing map and back (the proxy takes the map, then drops
/// it for the certificates): each move converges and deletes nothing of the user's.
#[test]
fn existing_certificates_to_an_existing_map_and_back_converges() {
    if !have_tools() {
        return;
    }
    let certificates = Variant::base().with(|v| v.edge = USER_SSL_CERTIFICATES);
    let map = Variant::base().with(|v| v.edge = USER_CERTIFICATE_MAP);
    check_pair_with_user_certificates(
        "existing certificates to an existing map",
        &certificates,
        &map,
    );
    check_pair_with_user_certificates(
        "an existing map to existing certificates",
        &map,
        &certificates,
    );
}

/// Why MR650 is an error: deploy.sh and teardown.sh take a certificate named `SERVICE-cert[-HASH]`
/// and a map named `SERVICE-certmap` for their own. A user's certificate and map of those names
/// (made here with gcloud) are gone after a deploy and a teardown of an unrelated classic spec.
#[test]
fn resources_named_like_multiruns_are_deleted_as_its_own() {
    if !have_tools() {
        return;
    }
    let project = Project::new();
    let seeded = project.seed_user_certificates();
    project.gcloud(&[
        "compute",
        "ssl-certificates",
        "create",
        "my-app-cert",
        "--global",
        "--domains=legacy.example.com",
    ]);
    project.gcloud(&["certificate-manager", "maps", "create", "my-app-certmap"]);
    project.gcloud(&[
        "certificate-manager",
        "maps",
        "entries",
        "create",
        "user-entry",
        "--map=my-app-certmap",
        "--hostname=*.example.com",
        "--certificates=shared-wildcard",
    ]);
    let out = render_variant(&Variant::base());
    project.deploy(out.path(), "deploy");
    let names: Vec<String> = certificate_records(&project.state())
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect();
    assert!(
        !names.iter().any(|n| n.starts_with("my-app-certmap")),
        "deploy.sh left the map named like its own: {names:?}"
    );
    // What remains is the seeded resources alone: `my-app-cert` went with multirun's own.
    project.assert_teardown_leaves(out.path(), &seeded, "teardown");
}

/// The grants deploy.sh makes outside the project (a secret's, a repository's) to the accounts
/// `identities.create` makes: a later spec that no longer names the secret or the repository
/// takes the grant back (deploy.sh finds it in the account's record), and converges to what a
/// fresh deploy of it leaves.
#[test]
fn dropping_a_secret_or_changing_the_repository_removes_the_stale_grant() {
    if !have_tools() {
        return;
    }
    let identities = "identities:\n  create: true\n";
    let build = |repository: &str| format!("build:\n  repository: {repository}\n{identities}");
    let two_secrets = "  secrets:\n    env: {DB_PASSWORD: {secret: db-password, version: '3'}}\n    files: {/secrets/key: {secret: projects/123456/secrets/api-key, version: latest}}\n";
    let one_secret = "  secrets:\n    env: {DB_PASSWORD: {secret: db-password, version: '3'}}\n";
    let us = build("us-docker.pkg.dev/my-project/apps");
    let eu = build("europe-docker.pkg.dev/my-project/images");
    let (us, eu): (&'static str, &'static str) = (us.leak(), eu.leak());
    let cases = [
        (
            "a secret dropped",
            Variant::base().with(|v| {
                v.service_extra = two_secrets;
                v.extra = identities;
            }),
            Variant::base().with(|v| {
                v.service_extra = one_secret;
                v.extra = identities;
            }),
            ("secretmanager.secret", "projects/123456/secrets/api-key"),
            "serviceAccount:my-app-runtime@my-project.iam.gserviceaccount.com",
        ),
        (
            "the repository changed",
            Variant::base().with(|v| v.extra = us),
            Variant::base().with(|v| {
                v.extra = eu;
                v.image = "europe-docker.pkg.dev/my-project/images/my-app:v1";
            }),
            (
                "artifactregistry.repository",
                "projects/my-project/locations/us/repositories/apps",
            ),
            "serviceAccount:my-app-build@my-project.iam.gserviceaccount.com",
        ),
    ];
    for (what, a, b, (kind, stale), member) in cases {
        let (out_a, out_b) = (render_variant(&a), render_variant(&b));
        let project = Project::new();
        project.deploy(out_a.path(), &format!("{what}: deploy A"));
        let holds = |state: &Value| {
            state.as_array().unwrap().iter().any(|r| {
                r["type"] == kind
                    && r["name"] == stale
                    && r["iamBindings"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|b| b["members"].as_array().unwrap().iter().any(|m| m == member))
            })
        };
        assert!(
            holds(&project.state()),
            "{what}: A grants {member} on {stale}"
        );
        let plan = project.run(out_b.path(), "deploy.sh", &["--plan"], &[]);
        let text = String::from_utf8_lossy(&plan.stdout);
        assert!(
            text.contains("would remove") && text.contains("this spec does not"),
            "{what}: --plan does not name the stale grant:\n{text}"
        );
        project.deploy(out_b.path(), &format!("{what}: deploy B over A"));
        assert!(
            !holds(&project.state()),
            "{what}: {member} still holds its grant on {stale}"
        );
        assert_same(
            &project.state(),
            &fresh_state(&b),
            &format!("{what}: A then B vs a fresh B"),
        );
        project.assert_nothing_to_plan(out_b.path(), &format!("{what}: after deploying B"));
    }
}

/// identities.deployers: deploy.sh grants each deployer its roles, and never removes one: a
/// spec that needs fewer names the extra ones with the command that removes them.
#[test]
fn deployers_get_their_roles_and_keep_them() {
    if !have_tools() {
        return;
    }
    let deployers = "identities:\n  create: true\n  deployers: [group:ops@example.com]\n";
    let with_iap = Variant::base().with(|v| {
        v.public = false;
        v.service_extra = "  iap:\n    members: [group:admins@example.com]\n";
        v.extra = deployers;
    });
    let without_iap = Variant::base().with(|v| {
        v.public = false;
        v.extra = deployers;
    });
    let roles = |state: &Value| -> Vec<String> {
        let mut roles = Vec::new();
        for r in state.as_array().unwrap() {
            if r["type"] == "resourcemanager.project" {
                for b in r["iamBindings"].as_array().unwrap() {
                    if b["members"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|m| m == DEPLOYER)
                    {
                        roles.push(b["role"].as_str().unwrap().to_string());
                    }
                }
            }
        }
        roles
    };
    let project = Project::new();
    let out_iap = render_variant(&with_iap);
    let first = project.run(out_iap.path(), "deploy.sh", &[], &[]);
    ok(&first, "deployers: deploy with IAP");
    let text = String::from_utf8_lossy(&first.stdout);
    assert!(
        text.contains("--- grant roles/iap.admin to deployer group:ops@example.com"),
        "deploy.sh does not say what it granted:\n{text}"
    );
    let granted = roles(&project.state());
    for role in [
        "roles/run.admin",
        "roles/iap.admin",
        "roles/iam.serviceAccountAdmin",
    ] {
        assert!(
            granted.iter().any(|r| r == role),
            "{role} not in {granted:?}"
        );
    }
    let state = project.state();
    assert!(
        state
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["type"] == "iam.serviceAccount"
                && r["name"] == "my-app-runtime@my-project.iam.gserviceaccount.com"
                && r["iamBindings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|b| b["role"] == "roles/iam.serviceAccountUser"
                        && b["members"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|m| m == DEPLOYER))),
        "the deployer may not act as the runtime account"
    );

    // Without IAP the deployer needs no roles/iap.admin: kept, and named with its command.
    let out = render_variant(&without_iap);
    let second = project.run(out.path(), "deploy.sh", &[], &[]);
    ok(&second, "deployers: deploy without IAP");
    let text = String::from_utf8_lossy(&second.stdout);
    assert!(
        text.contains("note: deployer group:ops@example.com holds roles/iap.admin, which this spec does not need")
            && text.contains("gcloud projects remove-iam-policy-binding my-project --member=group:ops@example.com --role=roles/iap.admin --condition=None"),
        "deploy.sh does not name the role it keeps:\n{text}"
    );
    assert_eq!(
        roles(&project.state()),
        granted,
        "deploy.sh removed a deployer's role"
    );
    project.assert_nothing_to_plan(out.path(), "deployers: without IAP, again");
}
