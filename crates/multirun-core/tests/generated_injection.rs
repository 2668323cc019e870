//! Hostile values in the spec's free-text fields (the dashboard title, env values, labels, the
//! build's Dockerfile and context, the image) must leave `cloudbuild.yaml`, `dashboard.json`,
//! `architecture.svg` and `architecture.mmd` parseable, with each value intact as the real
//! tool will read it: Cloud Build's substitution and gcloud's list splitting for the pipeline,
//! JSON for the dashboard, XML for the SVG, Mermaid's quoting and entity codes for the chart.
//!
//! The spec is built directly, without validation, so names that the rules would refuse
//! (domains, the service name, regions) are hostile too: the outputs must hold even then.

mod generated_support;

use std::collections::BTreeMap;

use generated_support::*;
use multirun_core::render::{render, RenderOptions};
use multirun_core::Spec;

const HOSTILE: &[&str] = &[
    r#"it's "quoted" \back\slash"#,
    "$(touch /tmp/pwned) `id` ${HOME} $HOME $$ $_TAG ${_TAG} $",
    "line one\nline two\r\n\ttabbed",
    "a,b=c,^d^e|f@g;h#i~j!k%l+m:n/o&p*q?r<s>t[u]v{w}x(y)z",
    "</svg><script>alert(1)</script><!-- --> ]]> & &amp; #quot; #35;",
    "--> -- end subgraph %%{init}%% \"] x[\"",
    "unicode: é ß 日本語 😀 \u{200B} \u{7} \u{1b}[31m \u{FEFF}",
    "- yaml: [list] {map} *alias &anchor !tag | > ? : # comment",
];

fn hostile(i: usize) -> String {
    HOSTILE[i % HOSTILE.len()].to_string()
}

fn hostile_spec(base: &Spec) -> Spec {
    let mut spec = base.clone();
    spec.monitoring.dashboard.title = Some(HOSTILE.join(" | "));
    spec.service.env = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("VAR_{i}"), v.to_string()))
        .collect();
    for (i, region) in spec.regions.iter_mut().enumerate() {
        region.env.insert("REGION_NOTE".into(), hostile(i + 3));
    }
    spec.labels = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("label-{i}"), v.to_string()))
        .collect();
    let build = spec.build.as_mut().expect("the base case builds");
    build.dockerfile = hostile(1);
    build.context = hostile(4);
    // The first three domains are drawn.
    spec.load_balancer.domains = [4, 5, 0, 1, 2].iter().map(|&i| hostile(i)).collect();
    spec.service.name = hostile(5);
    spec.project = hostile(0);
    spec.service.image = hostile(1);
    spec
}

fn outputs(spec: &Spec) -> BTreeMap<String, String> {
    let options = RenderOptions {
        targets: vec!["cloudbuild".into(), "dashboard".into(), "diagram".into()],
        ..Default::default()
    };
    render(spec, &options)
        .unwrap()
        .into_iter()
        .map(|f| (f.path, f.contents))
        .collect()
}

fn base() -> Spec {
    checked_spec(&fixtures_dir().join("weighted-3/spec.yaml"))
}

#[test]
fn cloudbuild_yaml_carries_hostile_values_intact() {
    let spec = hostile_spec(&base());
    let text = &outputs(&spec)["cloudbuild.yaml"];
    let doc: serde_yaml::Value =
        serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let doc = serde_json::to_value(doc).unwrap();
    let values: BTreeMap<String, String> = [("BUILD_ID", "b"), ("PROJECT_ID", "p"), ("_TAG", "t")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let run = |arg: &serde_json::Value| {
        substitute(arg.as_str().unwrap(), &values)
            .unwrap_or_else(|e| panic!("{e}"))
            .1
    };
    let steps = doc["steps"].as_array().unwrap();
    let build = &steps[0];
    assert_eq!(run(&build["dir"]), spec.build.as_ref().unwrap().context);
    let build_args: Vec<String> = build["args"].as_array().unwrap().iter().map(run).collect();
    assert_eq!(build_args[2], spec.build.as_ref().unwrap().dockerfile);
    let deploys: Vec<&serde_json::Value> = steps.iter().filter(|s| s["args"][0] == "run").collect();
    assert_eq!(deploys.len(), spec.regions.len());
    for (deploy, region) in deploys.iter().zip(&spec.regions) {
        let args: Vec<String> = deploy["args"].as_array().unwrap().iter().map(run).collect();
        assert_eq!(
            args[2], spec.service.name,
            "the service name reaches gcloud as one argument"
        );
        assert_eq!(flag(&args, "--project"), Some(spec.project.as_str()));
        let mut env: BTreeMap<String, String> = spec.service.env.clone();
        env.extend(region.env.clone());
        env.insert("CLOUD_RUN_REGION".into(), region.name.clone());
        let got: BTreeMap<String, String> = gcloud_dict(flag(&args, "--set-env-vars").unwrap())
            .into_iter()
            .collect();
        assert_eq!(
            got, env,
            "env values survive YAML, Cloud Build substitution and gcloud splitting"
        );
        let labels: BTreeMap<String, String> = gcloud_dict(flag(&args, "--labels").unwrap())
            .into_iter()
            .collect();
        assert_eq!(labels, spec.labels);
    }
}

#[test]
fn dashboard_json_keeps_the_hostile_title() {
    let spec = hostile_spec(&base());
    let text = &outputs(&spec)["dashboard.json"];
    let dashboard: serde_json::Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(
        dashboard["displayName"].as_str(),
        spec.monitoring.dashboard.title.as_deref()
    );
    // The service name reaches the Monitoring filters as a quoted, escaped string.
    let filter = dashboard["mosaicLayout"]["tiles"][2]["widget"]["xyChart"]["dataSets"][0]
        ["timeSeriesQuery"]["timeSeriesFilter"]["filter"]
        .as_str()
        .unwrap();
    let quoted = format!(
        "\"{}\"",
        spec.service.name.replace('\\', "\\\\").replace('"', "\\\"")
    );
    assert!(
        filter.ends_with(&format!("resource.label.\"service_name\"={quoted}")),
        "{filter}"
    );
}

#[test]
fn svg_stays_well_formed_and_shows_the_text() {
    let spec = hostile_spec(&base());
    let text = &outputs(&spec)["architecture.svg"];
    let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let elements: Vec<&str> = doc
        .descendants()
        .filter(roxmltree::Node::is_element)
        .map(|n| n.tag_name().name())
        .collect();
    assert!(
        !elements.contains(&"script"),
        "no element comes from a value"
    );
    assert!(
        elements.iter().all(|e| matches!(
            *e,
            "svg" | "title" | "defs" | "marker" | "path" | "rect" | "text" | "g"
        )),
        "{elements:?}"
    );
    let texts: Vec<&str> = doc
        .descendants()
        .filter(roxmltree::Node::is_text)
        .filter_map(|n| n.text())
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("</svg><script>")),
        "hostile text is shown as text"
    );
}

#[test]
fn mermaid_stays_well_formed() {
    let spec = hostile_spec(&base());
    let text = &outputs(&spec)["architecture.mmd"];
    let chart = parse_flowchart(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    // Labels decode back to the values (control characters become spaces; lines are cut).
    let lb = &chart.nodes["lb"];
    assert!(lb.contains("https://</svg><script>alert(1)"), "{lb:?}");
    assert!(
        lb.contains("https://--> -- end subgraph %%{init}%% \"]"),
        "{lb:?}"
    );
    assert!(!text.contains("%%{"), "no directive can form");
    assert_eq!(chart.subgraphs.len(), spec.regions.len());
    // Users, load balancer, the rollout note, and per region a backend, a NEG and a service.
    assert_eq!(chart.nodes.len(), 3 + 3 * spec.regions.len());
}

#[test]
fn hostile_rendering_is_deterministic() {
    let spec = hostile_spec(&base());
    assert_eq!(outputs(&spec), outputs(&spec));
}
