//! `multirun server`: the time from sending `didChange` to receiving its `publishDiagnostics`,
//! for a spec with every catalog region (43), measured by a client over the real stdio pipes;
//! and the server's resident memory over 10,000 changes. Prints figures, asserts no timings.
//! Run: `cargo bench --bench server` (built with the release profile).

#[path = "lsp_client.rs"]
mod lsp_client;

use std::time::{Duration, Instant};

use lsp_client::Client;
use serde_json::{json, Value};

#[path = "../crates/multirun-core/benches/support/all_regions.rs"]
mod all_regions;
use all_regions::all_regions_spec;

const URI: &str = "file:///bench/multirun.yaml";
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// One change and the wait for its diagnostics.
fn round_trip(client: &mut Client, version: i64, text: &str) -> (Duration, usize) {
    let start = Instant::now();
    client.change(URI, version, text);
    let diagnostics = client.diagnostics(URI, Some(version));
    (start.elapsed(), diagnostics.len())
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let clean = all_regions_spec();
    // The same spec with a mistake (a region typo), so the published diagnostics alternate.
    let broken = clean.replacen("us-central1", "us-centrl1", 1);
    assert!(!multirun_core::check(&clean, "f").has_errors());
    let mut client = Client::spawn(env!("CARGO_BIN_EXE_multirun"), &[]);
    client.initialize(json!({}), Value::Null);
    client.open(URI, &clean);
    client.diagnostics(URI, Some(1));

    let rounds = if quick { 300 } else { 2000 };
    let mut times = Vec::with_capacity(rounds);
    let mut version = 1;
    for i in 0..rounds {
        version += 1;
        let (elapsed, count) = round_trip(
            &mut client,
            version,
            if i % 2 == 0 { &broken } else { &clean },
        );
        assert_eq!(count, usize::from(i % 2 == 0));
        times.push(elapsed);
    }
    times.sort();
    println!(
        "didChange -> publishDiagnostics, {} regions ({} bytes), {rounds} changes: median {}, p90 {}, p99 {}, min {}, max {}",
        multirun_core::catalog::catalog().regions.len(),
        clean.len(),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.9)),
        ms(percentile(&times, 0.99)),
        ms(times[0]),
        ms(*times.last().unwrap()),
    );

    let changes = 10_000;
    let mut samples = vec![(0, client.rss_kib())];
    for i in 1..=changes {
        version += 1;
        round_trip(
            &mut client,
            version,
            if i % 2 == 0 { &broken } else { &clean },
        );
        if i % 2000 == 0 {
            samples.push((i, client.rss_kib()));
        }
    }
    let shown: Vec<String> = samples
        .iter()
        .map(|(n, rss)| {
            format!(
                "{n}: {}",
                rss.map_or("?".into(), |kib| format!("{:.1} MiB", kib as f64 / 1024.0))
            )
        })
        .collect();
    println!(
        "server resident memory over {changes} changes: {}",
        shown.join(", ")
    );
    let status = client.shutdown_and_exit();
    assert!(status.success());
}
