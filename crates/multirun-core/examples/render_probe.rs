// Scratch probe (not committed): renders the all-regions spec N times.
use multirun_core::render::{render, RenderOptions};
const REFERENCE: &str = include_str!("../../../examples/weighted.yaml");
fn all_regions_spec() -> String {
    let regions: String = multirun_core::catalog::catalog()
        .regions
        .iter()
        .map(|r| format!("  - name: {}\n", r.name))
        .collect();
    let start = REFERENCE.find("regions:\n").unwrap();
    let end = REFERENCE.find("traffic:").unwrap();
    format!(
        "{}regions:\n{}traffic:\n  routing: nearest\n{}",
        &REFERENCE[..start],
        regions,
        &REFERENCE[end..].split_once('\n').unwrap().1.split_once('\n').unwrap().1
    )
}
fn main() {
    let n: usize = std::env::args().nth(1).map_or(200, |a| a.parse().unwrap());
    let target = std::env::args().nth(2);
    let spec = multirun_core::check(&all_regions_spec(), "all.yaml").spec.unwrap();
    let mut options = RenderOptions::default();
    if let Some(t) = target { options.targets = vec![t]; }
    let t = std::time::Instant::now();
    let mut bytes = 0;
    let src = all_regions_spec(); let check_only = std::env::var("CHECK").is_ok(); for _ in 0..n { if check_only { bytes += multirun_core::check(&src, "all.yaml").diagnostics.len() + 1; } else { bytes += render(&spec, &options).unwrap().iter().map(|f| f.contents.len()).sum::<usize>(); } }
    eprintln!("{:.1} us/render ({bytes})", t.elapsed().as_secs_f64() * 1e6 / n as f64);
}
