//! parse → validate → render on arbitrary bytes: no panic, every rendered output still parses
//! as its own language, and the direct renderer writes the same bytes as the handlebars crate.
#![no_main]

use libfuzzer_sys::fuzz_target;
use multirun_core::render::{render, Engine, RenderOptions};

fuzz_target!(|data: &[u8]| {
    let checked = multirun_core::check_bytes(data, "fuzz.yaml");
    for d in &checked.diagnostics {
        assert!(
            d.span.start <= d.span.end && d.span.end <= data.len(),
            "span outside the input: {d:?}"
        );
        assert!(d.line >= 1 && d.column >= 1);
    }
    if let (Some(spec), false) = (checked.spec.as_ref(), checked.has_errors()) {
        let files = render(spec, &RenderOptions::default()).expect("a checked spec renders");
        let reference = render(
            spec,
            &RenderOptions {
                engine: Engine::Handlebars,
                ..RenderOptions::default()
            },
        )
        .expect("a checked spec renders");
        assert!(
            files == reference,
            "the direct renderer and the handlebars crate differ"
        );
        for file in files {
            if file.path.ends_with(".json") {
                serde_json::from_str::<serde_json::Value>(&file.contents)
                    .expect("JSON output parses");
            } else if file.path.ends_with(".yaml") {
                serde_yaml::from_str::<serde_yaml::Value>(&file.contents)
                    .expect("YAML output parses");
            }
        }
    }
});
