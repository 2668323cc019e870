//! The spec the benchmarks and profilers measure besides the reference: the reference with
//! every catalog region (nearest routing, so no weights to balance). Shared by file (`#[path]`)
//! by the core's criterion bench, the language server's bench and `examples/render_loop.rs`.

/// The 3-region reference spec.
pub const REFERENCE: &str = include_str!("../../../../examples/weighted.yaml");

/// [`REFERENCE`] with its regions replaced by every catalog region and nearest routing.
pub fn all_regions_spec() -> String {
    let regions: String = multirun_core::catalog::catalog()
        .regions
        .iter()
        .map(|r| format!("  - name: {}\n", r.name))
        .collect();
    let start = REFERENCE
        .find("regions:\n")
        .expect("the reference lists regions");
    let end = REFERENCE
        .find("traffic:")
        .expect("the reference has traffic");
    // The reference's `traffic:` block is two lines (`traffic:` and its routing).
    let after_traffic = REFERENCE[end..]
        .splitn(3, '\n')
        .nth(2)
        .expect("the reference goes on after its traffic block");
    format!(
        "{}regions:\n{regions}traffic:\n  routing: nearest\n{after_traffic}",
        &REFERENCE[..start]
    )
}
