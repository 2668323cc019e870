//! Hostile input: each case gets a clear diagnostic (never a panic), quickly.

use multirun_core::{check, check_bytes, Checked};
use serde::Deserialize;

const BASE: &str = "version: 1
project: my-project
service:
  name: my-app
  image: us-docker.pkg.dev/my-project/apps/my-app:v1.0.0
  minInstances: 1
regions:
  - name: us-central1
  - name: europe-west1
loadBalancer:
  domains: [app.example.com]
";

fn codes(checked: &Checked) -> Vec<&str> {
    checked
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

#[test]
fn billion_laughs_is_stopped_at_the_node_limit() {
    let mut src = String::from(
        "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
    );
    for i in 0..9 {
        let prev = if i == 0 {
            "a".to_string()
        } else {
            format!("l{}", i - 1)
        };
        let refs = vec![format!("*{prev}"); 9].join(", ");
        src.push_str(&format!("l{i}: &l{i} [{refs}]\n"));
    }
    let checked = check(&src, "bomb.yaml");
    assert_eq!(codes(&checked), ["MR008"]);
    assert!(checked.diagnostics[0].message.contains("aliases expand"));
}

#[test]
fn huge_input_is_refused_before_parsing() {
    let src = format!("{BASE}# {}\n", "x".repeat(100 * 1024 * 1024));
    let checked = check(&src, "huge.yaml");
    assert_eq!(codes(&checked), ["MR008"]);
}

#[test]
fn deep_nesting_is_refused() {
    let src = format!("{BASE}labels: {}{}\n", "{a: ".repeat(500), "}".repeat(500));
    assert_eq!(codes(&check(&src, "deep.yaml")), ["MR008"]);
    let src = format!(
        "{BASE}labels:\n{}",
        (0..200)
            .map(|i| format!("{}k:\n", "  ".repeat(i + 1)))
            .collect::<String>()
    );
    assert_eq!(codes(&check(&src, "deep-block.yaml")), ["MR008"]);
}

#[test]
fn non_utf8_and_nul_bytes() {
    let mut bytes = BASE.as_bytes().to_vec();
    bytes.extend_from_slice(b"labels: {a: \"\xc3\x28\"}\n");
    assert_eq!(codes(&check_bytes(&bytes, "latin.yaml")), ["MR010"]);
    let src = BASE.replace("my-project", "my-\0project");
    let checked = check(&src, "nul.yaml");
    assert!(
        !checked.diagnostics.is_empty() && checked.has_errors(),
        "{:?}",
        checked.diagnostics
    );
}

#[test]
fn duplicate_keys_are_errors() {
    let src = BASE.replace(
        "project: my-project\n",
        "project: my-project\nproject: other-project\n",
    );
    assert_eq!(codes(&check(&src, "dup.yaml")), ["MR006"]);
}

#[test]
fn very_long_strings_get_diagnostics_not_crashes() {
    let src = BASE.replace("name: my-app", &format!("name: {}", "a".repeat(500_000)));
    let checked = check(&src, "long.yaml");
    assert!(checked.has_errors());
    // Messages quote long values only in part.
    assert!(
        checked.diagnostics.iter().all(|d| d.message.len() < 1_000),
        "{:?}",
        checked
            .diagnostics
            .iter()
            .map(|d| d.message.len())
            .collect::<Vec<_>>()
    );
}

#[test]
fn numbers_out_of_range_and_floats_for_integers() {
    let checked = check(
        &BASE.replace("minInstances: 1", "minInstances: 99999999999999999999999"),
        "big.yaml",
    );
    assert!(
        codes(&checked).contains(&"MR004"),
        "{:?}",
        checked.diagnostics
    );
    let checked = check(
        &BASE.replace("minInstances: 1", "minInstances: 1.5"),
        "float.yaml",
    );
    assert_eq!(codes(&checked), ["MR004"]);
    assert_eq!(
        checked.diagnostics[0].help.as_deref(),
        Some("remove the fractional part")
    );
    let checked = check(
        &BASE.replace("minInstances: 1", "minInstances: 4294967296"),
        "u32.yaml",
    );
    assert_eq!(codes(&checked), ["MR004"]);
    let checked = check(
        &BASE.replace("minInstances: 1", "minInstances: .nan"),
        "nan.yaml",
    );
    assert_eq!(codes(&checked), ["MR004"]);
}

#[test]
fn yaml_tags_and_several_documents() {
    assert_eq!(
        codes(&check(
            &BASE.replace("name: my-app", "name: !!binary bXktYXBw"),
            "tag.yaml"
        )),
        ["MR007"]
    );
    assert_eq!(
        codes(&check(
            &BASE.replace("name: my-app", "name: !Sub my-app"),
            "tag.yaml"
        )),
        ["MR007"]
    );
    assert_eq!(
        codes(&check(&format!("{BASE}---\nversion: 2\n"), "docs.yaml")),
        ["MR007"]
    );
}

#[test]
fn empty_and_non_mapping_documents() {
    assert_eq!(codes(&check("", "empty.yaml")), ["MR004"]);
    assert_eq!(codes(&check("- a\n- b\n", "list.yaml")), ["MR004"]);
    assert_eq!(codes(&check("just a string", "scalar.yaml")), ["MR004"]);
}

/// Inputs the fuzzer once broke (`tests/fixtures/fuzz-regressions/`): each must check without
/// panicking, and whatever renders must still parse.
#[test]
fn fuzz_regressions_stay_fixed() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/fuzz-regressions"
    );
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let checked = check_bytes(&bytes, "regression.yaml");
        let Some(spec) = checked.spec.as_ref().filter(|_| !checked.has_errors()) else {
            continue;
        };
        for file in multirun_core::render::render(spec, &Default::default()).unwrap() {
            if file.path.ends_with(".yaml") {
                // clouddeploy.yaml holds several documents: parse each.
                for document in serde_yaml::Deserializer::from_str(&file.contents) {
                    serde_yaml::Value::deserialize(document)
                        .unwrap_or_else(|e| panic!("{}: {}: {e}", path.display(), file.path));
                }
            } else if file.path.ends_with(".json") {
                serde_json::from_str::<serde_json::Value>(&file.contents)
                    .unwrap_or_else(|e| panic!("{}: {}: {e}", path.display(), file.path));
            }
        }
    }
}
