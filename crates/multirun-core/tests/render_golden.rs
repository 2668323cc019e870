//! Golden snapshots of every generated file for each case in `tests/fixtures/render/`, plus
//! determinism. Per-language acceptance checks (parsers, schemas, real tools) live next to the
//! targets' own tests.

use std::path::Path;

use multirun_core::render::{render, RenderOptions};

fn render_case(path: &Path) -> Vec<multirun_core::render::RenderedFile> {
    let source = std::fs::read_to_string(path).unwrap();
    let checked = multirun_core::check(&source, "spec.yaml");
    assert!(
        !checked.has_errors(),
        "{}: {:#?}",
        path.display(),
        checked.diagnostics
    );
    render(checked.spec.as_ref().unwrap(), &RenderOptions::default()).unwrap()
}

#[test]
fn golden_outputs() {
    insta::glob!(
        "../../../tests/fixtures/render",
        "*/spec.yaml",
        |path: &Path| {
            let case = path
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let files = render_case(path);
            // MULTIRUN_RENDER_DUMP=DIR writes the outputs to DIR/<case>/ for inspection with real tools.
            if let Some(dump) = std::env::var_os("MULTIRUN_RENDER_DUMP") {
                for file in &files {
                    let target = Path::new(&dump).join(&case).join(&file.path);
                    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                    std::fs::write(target, &file.contents).unwrap();
                }
            }
            for file in files {
                let name = format!("{case}__{}", file.path.replace('/', "__"));
                insta::with_settings!({ snapshot_suffix => "", prepend_module_to_snapshot => false, omit_expression => true }, {
                    insta::assert_snapshot!(name, file.contents);
                });
            }
        }
    );
}

#[test]
fn rendering_is_deterministic() {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/render/weighted-5/spec.yaml"
    ));
    assert_eq!(render_case(path), render_case(path));
}
