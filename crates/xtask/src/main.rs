//! `cargo xtask new-rule AREA NAME SEVERITY "SUMMARY"`: scaffolds a semantic rule, as ruff's
//! `add_rule.py` does. It takes the next free code in the area and writes the rule module
//! (registered in the area's `area!` list), its doc page and its two fixtures, ready to fill in.
//! The tests then fail until the check, the page and the fixtures agree.

mod scaffold;

use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask new-rule AREA NAME SEVERITY \"SUMMARY\"
  AREA      traffic | regions | health | cloud_run | naming | load_balancer | image | rollout
  NAME      kebab-case, e.g. weight-too-small
  SEVERITY  error | warning | info
  SUMMARY   one line: what the rule checks";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    match args.as_slice() {
        [command, area, name, severity, summary] if command == "new-rule" => {
            match scaffold::new_rule(&root, area, name, severity, summary) {
                Ok(created) => {
                    println!("created {}:", created.code);
                    for path in &created.files {
                        println!("  {path}");
                    }
                    println!(
                        "next: write the check, the doc page's facts and sources, and the \
                         fixtures; then `INSTA_UPDATE=always cargo test -p multirun-core`, \
                         read the new snapshot, and `MULTIRUN_UPDATE_GENERATED=1 cargo test \
                         -p multirun-core` for the rule index"
                    );
                    ExitCode::SUCCESS
                }
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::FAILURE
                }
            }
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
