//! `cloudbuild.yaml` for every render case: valid against SchemaStore's Cloud Build schema
//! (vendored in `schemas/vendor/`), step order and `waitFor` sound, substitutions well formed
//! and used, an image tag that `gcloud builds submit` cannot leave empty, and deploy steps
//! carrying the spec's settings through Cloud Build's and gcloud's own parsing.

mod generated_support;

use std::collections::{BTreeMap, BTreeSet};

use generated_support::*;
use multirun_core::Spec;
use serde_json::Value;

fn schema() -> jsonschema::Validator {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../schemas/vendor/cloudbuild.schema.json"
    );
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).expect("the vendored schema compiles")
}

fn parse(text: &str) -> Value {
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(text).expect("cloudbuild.yaml parses as YAML");
    serde_json::to_value(yaml).unwrap()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().expect("a string").to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn assert_schema_valid(case: &str, doc: &Value) {
    let validator = schema();
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{case}: cloudbuild.yaml breaks SchemaStore's schema:\n{}",
        errors.join("\n")
    );
}

/// Everything checked for one generated file; returns the substitution values (defaults).
fn check_pipeline(case: &str, spec: &Spec, text: &str) {
    let doc = parse(text);
    assert_schema_valid(case, &doc);
    let steps = doc["steps"].as_array().expect("steps");

    // Step ids: unique; waitFor names only ids defined by earlier steps (or `-`).
    let mut seen = BTreeSet::new();
    for step in steps {
        let id = step["id"].as_str().expect("every step has an id");
        for wait in strings(&step["waitFor"]) {
            assert!(
                wait == "-" || seen.contains(&wait),
                "{case}: step {id} waits for {wait:?}, not an earlier step"
            );
        }
        assert!(
            seen.insert(id.to_string()),
            "{case}: duplicate step id {id}"
        );
    }

    // Substitutions: `_[A-Z0-9_]+`, each one used, every reference defined.
    let user: BTreeMap<String, String> = doc["substitutions"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect()
        })
        .unwrap_or_default();
    for key in user.keys() {
        assert!(
            key.len() > 1
                && key.starts_with('_')
                && key[1..]
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
            "{case}: substitution {key} is not _UPPER_CASE"
        );
    }
    // Values as at run time under `gcloud builds submit`: the built-ins that are always set
    // stand for themselves, user substitutions take their defaults (expanded dynamically).
    let mut values: BTreeMap<String, String> = ALWAYS_SET
        .iter()
        .map(|b| (b.to_string(), format!("<{b}>")))
        .collect();
    for (key, default) in &user {
        let (names, expanded) = substitute(default, &values)
            .unwrap_or_else(|e| panic!("{case}: default of {key}: {e}"));
        assert!(
            names.iter().all(|n| ALWAYS_SET.contains(&n.as_str())),
            "{case}: {key} defaults to {default:?}"
        );
        assert!(
            !expanded.is_empty(),
            "{case}: {key} defaults to an empty value"
        );
        values.insert(key.clone(), expanded);
    }
    assert_eq!(
        doc["options"]["logging"].as_str(),
        Some("CLOUD_LOGGING_ONLY"),
        "{case}: a build as a user-specified service account needs a logging option"
    );
    if !user.is_empty() {
        assert_eq!(
            doc["options"]["dynamicSubstitutions"],
            Value::Bool(true),
            "{case}: defaults that refer to $BUILD_ID need dynamic substitutions"
        );
    }
    let mut used = BTreeSet::new();
    let mut texts: Vec<String> = strings(&doc["images"]);
    for step in steps {
        texts.extend(strings(&step["args"]));
        texts.extend(step["dir"].as_str().map(String::from));
    }
    for text in &texts {
        let (names, _) = substitute(text, &values).unwrap_or_else(|e| panic!("{case}: {e}"));
        used.extend(names);
    }
    for key in user.keys() {
        assert!(
            used.contains(key),
            "{case}: substitution {key} is never used (Cloud Build rejects the build)"
        );
    }

    // Deploy steps: one per region, each waiting for the push step only; under
    // `deployment: multi-region`, one for the multi-region service.
    let multi_region = spec.deployment == multirun_core::spec::Deployment::MultiRegion;
    let regions: Vec<&str> = spec.regions.iter().map(|r| r.name.as_str()).collect();
    let deploys: Vec<&Value> = steps
        .iter()
        .filter(|s| strings(&s["args"]).starts_with(&["run".to_string(), "deploy".to_string()]))
        .collect();
    assert_eq!(
        deploys.len(),
        if multi_region { 1 } else { regions.len() },
        "{case}: one deploy step per region (one in all under multi-region)"
    );
    for step in steps {
        let name = step["name"].as_str().unwrap();
        assert!(
            name.starts_with("gcr.io/cloud-builders/")
                || name.starts_with("gcr.io/google.com/cloudsdktool/google-cloud-cli"),
            "{case}: builder {name} is not an official builder"
        );
    }
    match &spec.build {
        Some(build) => {
            let push = steps
                .iter()
                .find(|s| strings(&s["args"]).first().map(String::as_str) == Some("push"))
                .expect("a push step");
            let push_id = push["id"].as_str().unwrap();
            for deploy in &deploys {
                assert_eq!(
                    strings(&deploy["waitFor"]),
                    [push_id],
                    "{case}: {} must wait for the push step only",
                    deploy["id"]
                );
            }
            // The image: in Artifact Registry, tagged with a substitution that is never empty.
            let images = strings(&doc["images"]);
            assert_eq!(images.len(), 1, "{case}: images lists the built image");
            let image = &images[0];
            assert_eq!(
                strings(&push["args"]),
                ["push".to_string(), image.clone()],
                "{case}: the push step pushes the listed image"
            );
            let (_, resolved) = substitute(image, &values).unwrap();
            let expected_repo = build.repository.trim_end_matches('/');
            assert!(
                resolved.starts_with(&format!("{expected_repo}/{}:", spec.service.name)),
                "{case}: image {resolved}"
            );
            assert!(
                resolved.contains(".pkg.dev/") && !resolved.starts_with("gcr.io/"),
                "{case}: {resolved} is not in Artifact Registry"
            );
            let tag = resolved.rsplit_once(':').unwrap().1;
            assert!(
                !tag.is_empty() && !image.contains("SHORT_SHA") && !image.contains("COMMIT_SHA"),
                "{case}: tag of {image}"
            );
            let build_step = &steps[0];
            let args = strings(&build_step["args"]);
            assert_eq!(
                args.first().map(String::as_str),
                Some("build"),
                "{case}: the first step builds"
            );
            assert!(
                args.windows(2).any(|w| w[0] == "-t" && w[1] == *image),
                "{case}: the build tags {image}"
            );
            assert!(
                args.windows(2)
                    .any(|w| w[0] == "-f" && w[1] == build.dockerfile),
                "{case}: the build uses the spec's Dockerfile"
            );
            for deploy in &deploys {
                assert_eq!(
                    flag(&strings(&deploy["args"]), "--image"),
                    Some(image.as_str()),
                    "{case}: deploys the built image"
                );
            }
        }
        None => {
            assert!(
                doc.get("images").is_none() && doc.get("substitutions").is_none(),
                "{case}: nothing is built"
            );
            for deploy in &deploys {
                assert_eq!(
                    strings(&deploy["waitFor"]),
                    ["-"],
                    "{case}: with nothing to build, deploys start at once"
                );
                let args = strings(&deploy["args"]);
                let image = flag(&args, "--image").unwrap();
                assert_eq!(substitute(image, &values).unwrap().1, spec.service.image);
            }
        }
    }

    // Each deploy carries the spec's settings, as gcloud will read them.
    for (deploy, region) in deploys.iter().zip(&spec.regions) {
        let args: Vec<String> = strings(&deploy["args"])
            .iter()
            .map(|a| substitute(a, &values).unwrap().1)
            .collect();
        assert_eq!(args[2], spec.service.name);
        if multi_region {
            assert_eq!(flag(&args, "--regions"), Some(regions.join(",").as_str()));
            assert_eq!(flag(&args, "--region"), None);
        } else {
            assert_eq!(flag(&args, "--region"), Some(region.name.as_str()));
        }
        assert_eq!(flag(&args, "--project"), Some(spec.project.as_str()));
        assert_eq!(flag(&args, "--memory"), Some(spec.service.memory.as_str()));
        assert_eq!(
            flag(&args, "--concurrency"),
            Some(spec.service.concurrency.to_string().as_str())
        );
        assert_eq!(
            flag(&args, "--timeout"),
            Some(spec.service.timeout_seconds.to_string().as_str())
        );
        assert_eq!(
            flag(&args, "--port"),
            Some(spec.service.port.to_string().as_str())
        );
        assert_eq!(
            flag(&args, "--min-instances"),
            Some(spec.min_instances(region).to_string().as_str())
        );
        assert_eq!(
            flag(&args, "--max-instances"),
            Some(spec.max_instances(region).to_string().as_str())
        );
        assert_eq!(
            flag(&args, "--ingress"),
            Some(spec.service.ingress.as_str())
        );
        assert!(flag(&args, "--cpu").is_some());
        let mut env: BTreeMap<String, String> = spec.service.env.clone();
        env.extend(region.env.clone());
        if multi_region {
            // One template for every region: no per-region variable.
            env.remove("CLOUD_RUN_REGION");
        } else {
            env.insert("CLOUD_RUN_REGION".into(), region.name.clone());
        }
        let got: BTreeMap<String, String> = match flag(&args, "--set-env-vars") {
            Some(value) => gcloud_dict(value).into_iter().collect(),
            None => {
                assert!(
                    args.iter().any(|a| a == "--clear-env-vars"),
                    "{case}: neither --set-env-vars nor --clear-env-vars"
                );
                BTreeMap::new()
            }
        };
        assert_eq!(got, env, "{case}: env of {}", region.name);
        match flag(&args, "--labels") {
            Some(labels) => assert_eq!(
                gcloud_dict(labels).into_iter().collect::<BTreeMap<_, _>>(),
                spec.labels
            ),
            None => assert!(spec.labels.is_empty()),
        }
        // Public: the invoker IAM check is off; never an allUsers binding (any is removed).
        let check = if spec.service.public {
            "--no-invoker-iam-check"
        } else {
            "--invoker-iam-check"
        };
        assert!(args.iter().any(|a| a == check), "{case}: {check}");
        assert!(
            args.iter().any(|a| a == "--no-allow-unauthenticated"),
            "{case}: an allUsers binding could stay"
        );
    }
}

#[test]
fn cloudbuild_yaml_of_every_case_is_valid_and_sound() {
    for (case, spec) in cases() {
        let text = render_file(&spec, "cloudbuild", "cloudbuild.yaml");
        check_pipeline(&case, &spec, &text);
    }
}

#[test]
fn without_build_the_pipeline_only_deploys() {
    for (case, mut spec) in cases() {
        spec.build = None;
        let text = render_file(&spec, "cloudbuild", "cloudbuild.yaml");
        check_pipeline(&format!("{case} without build"), &spec, &text);
    }
}

#[test]
fn examples_render_sound_pipelines() {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    for name in ["nearest.yaml", "weighted.yaml"] {
        let spec = checked_spec(&examples.join(name));
        let text = render_file(&spec, "cloudbuild", "cloudbuild.yaml");
        check_pipeline(name, &spec, &text);
    }
}

#[test]
fn the_schema_rejects_what_it_should() {
    // The vendored schema is a real check: an unknown step key and a non-string arg fail.
    let validator = schema();
    assert!(validator.is_valid(&serde_json::json!({ "steps": [{ "name": "x", "args": ["a"] }] })));
    assert!(
        !validator.is_valid(&serde_json::json!({ "steps": [{ "name": "x", "waitfor": ["a"] }] }))
    );
    assert!(!validator.is_valid(&serde_json::json!({ "steps": [{ "name": "x", "args": [1] }] })));
    assert!(!validator
        .is_valid(&serde_json::json!({ "steps": [{ "name": "x" }], "timeout": "ten minutes" })));
}

#[test]
fn the_substitution_model_catches_what_cloud_build_rejects() {
    let values: BTreeMap<String, String> = [
        ("BUILD_ID".to_string(), "b".to_string()),
        ("_TAG".to_string(), "t".to_string()),
    ]
    .into();
    assert_eq!(
        substitute("a:${_TAG}-$BUILD_ID $$HOME", &values).unwrap().1,
        "a:t-b $HOME"
    );
    assert!(substitute("$HOME", &values).is_err());
    assert!(substitute("${_OTHER}", &values).is_err());
    assert!(substitute("cost $ 5", &values).is_err());
}
