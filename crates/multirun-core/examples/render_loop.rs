//! Renders the spec with every catalog region many times, for profilers (callgrind, perf),
//! which need a plain binary rather than criterion's harness:
//!
//! ```sh
//! CARGO_PROFILE_RELEASE_STRIP=false CARGO_PROFILE_RELEASE_DEBUG=1 \
//!   cargo build --release -p multirun-core --example render_loop
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='render_loop::measured*' \
//!   target/release/examples/render_loop 20 [target...]
//! ```
//!
//! Arguments: the number of renders (default 200), then target names (default all); with
//! `MULTIRUN_RENDER_LOOP_DUMP=DIR`, the files are also written under `DIR` (to compare the bytes
//! of two builds on a bigger spec than the golden cases'). A first
//! render outside the count parses the templates (once per process), so that `measured`, the
//! loop, holds only the renders themselves.

use multirun_core::render::{render, RenderOptions};
use multirun_core::spec::Spec;

#[path = "../benches/support/all_regions.rs"]
mod all_regions;
use all_regions::all_regions_spec;

fn main() {
    let mut args = std::env::args().skip(1);
    let runs: usize = args
        .next()
        .map_or(200, |n| n.parse().expect("a number of runs"));
    let options = RenderOptions {
        targets: args.collect(),
        ..RenderOptions::default()
    };
    let spec = multirun_core::check(&all_regions_spec(), "all.yaml")
        .spec
        .expect("the all-regions spec checks");
    let files = render(&spec, &options).expect("the spec renders");
    if let Some(dir) = std::env::var_os("MULTIRUN_RENDER_LOOP_DUMP") {
        let dir = std::path::Path::new(&dir);
        for file in &files {
            let path = dir.join(&file.path);
            std::fs::create_dir_all(path.parent().expect("files are under the directory"))
                .expect("the dump directory can be created");
            std::fs::write(path, &file.contents).expect("the dump directory is writable");
        }
    }
    let bytes = measured(&spec, &options, runs);
    println!("{runs} renders, {} bytes each", bytes / runs.max(1));
}

/// The renders a profiler measures; returns the bytes written.
#[inline(never)]
fn measured(spec: &Spec, options: &RenderOptions, runs: usize) -> usize {
    let mut bytes = 0;
    for _ in 0..runs {
        let files = render(spec, options).expect("the spec renders");
        bytes += files.iter().map(|f| f.contents.len()).sum::<usize>();
    }
    bytes
}
