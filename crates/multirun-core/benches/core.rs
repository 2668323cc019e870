//! Validate and render throughput of the core, for the 3-region reference spec and a spec with
//! every catalog region. Run: `cargo bench -p multirun-core --bench core`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use multirun_core::render::{render, Engine, RenderOptions};

#[path = "support/all_regions.rs"]
mod all_regions;
use all_regions::{all_regions_spec, REFERENCE};

fn benches(c: &mut Criterion) {
    let all = all_regions_spec();
    let all_checked = multirun_core::check(&all, "all.yaml");
    assert!(!all_checked.has_errors(), "{:#?}", all_checked.diagnostics);
    let reference_spec = multirun_core::check(REFERENCE, "ref.yaml").spec.unwrap();
    let all_spec = all_checked.spec.unwrap();
    c.bench_function("validate/3-regions", |b| {
        b.iter(|| multirun_core::check(black_box(REFERENCE), "ref.yaml"));
    });
    c.bench_function("validate/all-regions", |b| {
        b.iter(|| multirun_core::check(black_box(&all), "all.yaml"));
    });
    c.bench_function("render/3-regions", |b| {
        b.iter(|| render(black_box(&reference_spec), &RenderOptions::default()).unwrap());
    });
    c.bench_function("render/all-regions", |b| {
        b.iter(|| render(black_box(&all_spec), &RenderOptions::default()).unwrap());
    });
    // The same render with every template through the handlebars crate's own renderer.
    let handlebars = RenderOptions {
        engine: Engine::Handlebars,
        ..RenderOptions::default()
    };
    c.bench_function("render/all-regions/handlebars-engine", |b| {
        b.iter(|| render(black_box(&all_spec), &handlebars).unwrap());
    });
    for target in multirun_core::render::TARGETS {
        let options = RenderOptions {
            targets: vec![target.name.to_string()],
            ..RenderOptions::default()
        };
        c.bench_function(&format!("render/all-regions/{}", target.name), |b| {
            b.iter(|| render(black_box(&all_spec), &options).unwrap());
        });
    }
}

criterion_group!(core, benches);
criterion_main!(core);
