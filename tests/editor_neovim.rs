//! Neovim's built-in LSP client against `multirun server`: the diagnostics it shows are the
//! right codes on the right lines, and the quick fix repairs a weight sum. Runs when `nvim` is
//! installed (tests/setup.sh installs Debian's); with MULTIRUN_REQUIRE_TOOLS=1 a missing
//! `nvim` fails the test instead of skipping it.
//!
//! `MULTIRUN_NVIM` names the Neovim to drive, or several separated by `:`, each checked in turn:
//! tests/run.sh gives Debian's 0.7 and PyPI's 0.11 (`vim.lsp.config`), whose LSP client APIs
//! differ.

use std::process::Command;

use serde_json::Value;

/// The Neovims to drive: those of `MULTIRUN_NVIM` (default `nvim`) that are installed.
fn neovims() -> Vec<String> {
    let wanted = std::env::var("MULTIRUN_NVIM").unwrap_or_else(|_| "nvim".into());
    let require = std::env::var_os("MULTIRUN_REQUIRE_TOOLS").is_some_and(|v| v == "1");
    let mut found = Vec::new();
    for nvim in wanted.split(':').filter(|n| !n.is_empty()) {
        let runs = Command::new(nvim)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if runs {
            found.push(nvim.to_string());
        } else if require {
            panic!("{nvim} is not installed (MULTIRUN_REQUIRE_TOOLS=1); run tests/setup.sh");
        } else {
            eprintln!("skipped: {nvim} is not installed");
        }
    }
    found
}

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/rules/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn neovim_shows_the_codes_on_their_lines_and_fixes_a_weight_sum() {
    for nvim in neovims() {
        shows_the_codes_and_fixes_a_weight_sum(&nvim);
    }
}

fn shows_the_codes_and_fixes_a_weight_sum(nvim: &str) {
    let dir = tempfile::tempdir().unwrap();
    let specs = [
        (
            "weights.multirun.yaml",
            fixture("MR103-weights-sum/invalid.yaml"),
        ),
        (
            "region/multirun.yaml",
            fixture("MR201-unknown-region/invalid.yaml"),
        ),
        (
            "unknown.multirun.yaml",
            fixture("MR002-unknown-field/invalid.yaml"),
        ),
    ];
    let mut paths = Vec::new();
    for (name, text) in &specs {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        paths.push(path.to_string_lossy().into_owned());
    }
    let report_path = dir.path().join("report.json");
    let output = Command::new(nvim)
        .args(["--headless", "--clean", "-n", "-c"])
        .arg(format!(
            "luafile {}/tests/editors/neovim.lua",
            env!("CARGO_MANIFEST_DIR")
        ))
        .env("MULTIRUN_BIN", env!("CARGO_BIN_EXE_multirun"))
        .env("MULTIRUN_SPECS", paths.join(":"))
        .env("MULTIRUN_NVIM_REPORT", &report_path)
        .env_remove("MULTIRUN_DEBUG_PANIC_ON")
        .current_dir(dir.path())
        .output()
        .unwrap();
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap_or_else(|e| {
            panic!(
                "no report ({e}); nvim said: {}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )
        }))
        .unwrap();
    eprintln!("{nvim}: Neovim client API used: {}", report["client"]);
    let seen = |i: usize| -> Vec<(String, u64)> {
        report["files"][i]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or("?").to_string(),
                    d["lnum"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    // Lines are 0-based in Neovim: line 13 of the weight file is lnum 12.
    assert_eq!(seen(0), [("MR103".to_string(), 12)], "{nvim}: {report}");
    assert_eq!(seen(1), [("MR201".to_string(), 7)], "{nvim}: {report}");
    // `minInstance:` on line 6, a typo of `minInstances`.
    assert_eq!(seen(2), [("MR002".to_string(), 5)], "{nvim}: {report}");
    let severity = &report["files"][0]["diagnostics"][0]["severity"];
    assert_eq!(severity, 1, "{nvim}: an error in Neovim's terms");

    let fix = &report["fix"];
    assert_eq!(
        fix["title"], "Fix MR103: replace `10` with `20`",
        "{nvim}: {report}"
    );
    assert_eq!(fix["line"], "    weight: 20", "{nvim}: {report}");
    assert_eq!(fix["after"], Value::Array(Vec::new()), "{nvim}: {report}");
}
