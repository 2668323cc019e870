//! A short, seeded property run (fixed case count): mutated specs never panic the core,
//! whatever renders still parses in its own language, and the direct renderer writes the same
//! bytes as the handlebars crate.

use multirun_core::render::{render, Engine, RenderOptions};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

const REFERENCE: &str = include_str!("../../../examples/nearest.yaml");

/// Values chosen to break naive escaping in every output language.
const HOSTILE: &[&str] = &["'", "\"", "$(id)", "`id`", "${x}", "%{y}", "\\", "\n", "a: b", "# c", "{{d}}", "</svg>", "-->", "é✓", "\u{0}", "&amp;", "]]>"];

fn config() -> Config {
    Config { cases: 300, rng_seed: RngSeed::Fixed(0x6d75_6c74), failure_persistence: None, ..Config::default() }
}

/// Every generated file must still parse as what it claims to be, and be the same through
/// either engine.
fn assert_outputs_parse(spec: &multirun_core::Spec) {
    let files = render(spec, &RenderOptions::default()).expect("a checked spec renders");
    let reference = render(spec, &RenderOptions { engine: Engine::Handlebars, ..RenderOptions::default() }).expect("a checked spec renders");
    assert_eq!(files, reference, "the direct renderer and the handlebars crate differ");
    for file in files {
        if file.path.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(&file.contents).unwrap_or_else(|e| panic!("{}: {e}", file.path));
        } else if file.path.ends_with(".yaml") {
            serde_yaml::from_str::<serde_yaml::Value>(&file.contents).unwrap_or_else(|e| panic!("{}: {e}", file.path));
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_edits_never_panic(cut in 0usize..REFERENCE.len(), insert in "\\PC{0,12}") {
        let mut source = REFERENCE.to_string();
        let at = (0..=cut).rev().find(|i| source.is_char_boundary(*i)).unwrap_or(0);
        source.insert_str(at, &insert);
        let checked = multirun_core::check(&source, "mutated.yaml");
        if let (Some(spec), false) = (checked.spec.as_ref(), checked.has_errors()) {
            assert_outputs_parse(spec);
        }
    }

    #[test]
    fn hostile_free_text_stays_contained(
        title in proptest::sample::select(HOSTILE),
        env_value in proptest::sample::select(HOSTILE),
        label in proptest::sample::select(HOSTILE),
        suffix in "\\PC{0,8}",
    ) {
        let source = format!(
            "{REFERENCE}monitoring:\n  dashboard:\n    title: {}\n",
            serde_json::to_string(&format!("{title}{suffix}")).unwrap()
        )
        .replace("LOG_LEVEL: info", &format!("LOG_LEVEL: {}", serde_json::to_string(&format!("{env_value}{suffix}")).unwrap()))
        .replace("team: platform", &format!("team: {}", serde_json::to_string(label).unwrap()));
        let checked = multirun_core::check(&source, "hostile.yaml");
        if let (Some(spec), false) = (checked.spec.as_ref(), checked.has_errors()) {
            assert_outputs_parse(spec);
        }
    }
}
