//! The direct renderer and the handlebars crate write the same bytes for every embedded
//! template, on the bundled examples, every rule's valid fixture and a spec with every catalog
//! region (the seeded property run adds mutated and hostile specs).

use std::path::Path;

use multirun_core::render::{render, Engine, RenderOptions};

fn specs() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut specs = Vec::new();
    for dir in ["examples"].iter().map(|d| root.join(d)).chain(
        std::fs::read_dir(root.join("tests/fixtures/rules"))
            .unwrap()
            .map(|e| e.unwrap().path()),
    ) {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name.ends_with(".yaml") && !name.starts_with("invalid") && name != "errors.yaml" {
                specs.push((
                    path.display().to_string(),
                    std::fs::read_to_string(&path).unwrap(),
                ));
            }
        }
    }
    let regions: String = multirun_core::catalog::catalog()
        .regions
        .iter()
        .map(|r| format!("  - name: {}\n", r.name))
        .collect();
    let nearest = std::fs::read_to_string(root.join("examples/nearest.yaml")).unwrap();
    let (head, tail) = nearest.split_once("regions:\n").unwrap();
    let tail = &tail[tail.find("\ntraffic:").unwrap() + 1..];
    specs.push((
        "every catalog region".into(),
        format!("{head}regions:\n{regions}{tail}"),
    ));
    specs
}

#[test]
fn both_engines_write_the_same_bytes() {
    let mut compared = Vec::new();
    for (name, source) in specs() {
        let checked = multirun_core::check(&source, &name);
        let Some(spec) = checked.spec.as_ref().filter(|_| !checked.has_errors()) else {
            continue;
        };
        let direct = render(spec, &RenderOptions::default()).unwrap();
        let reference = render(
            spec,
            &RenderOptions {
                engine: Engine::Handlebars,
                ..RenderOptions::default()
            },
        )
        .unwrap();
        assert_eq!(direct.len(), reference.len(), "{name}");
        for (a, b) in direct.iter().zip(&reference) {
            assert_eq!(a.path, b.path, "{name}");
            assert!(
                a.contents == b.contents,
                "{name}: {} differs between the engines",
                a.path
            );
        }
        compared.push(name);
    }
    assert!(
        compared.len() > 40 && compared.iter().any(|n| n == "every catalog region"),
        "rendered only {compared:?}"
    );
}
