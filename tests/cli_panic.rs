//! A crash while checking one file is reported as MR011 with exit code 2, without a backtrace,
//! and the other files are still checked.

use std::process::Command;

#[test]
fn a_panic_in_one_file_is_contained() {
    let out = Command::new(env!("CARGO_BIN_EXE_multirun"))
        .args([
            "validate",
            "--format",
            "concise",
            "examples/nearest.yaml",
            "tests/fixtures/rules/MR103-weights-sum/invalid.yaml",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("MULTIRUN_DEBUG_PANIC_ON", "examples/nearest.yaml")
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout.contains("examples/nearest.yaml:1:1: error[MR011] multirun failed on this file: forced by MULTIRUN_DEBUG_PANIC_ON"), "{stdout}");
    assert!(
        stdout.contains("invalid.yaml:13:13: error[MR103]"),
        "{stdout}"
    );
    assert!(
        !stderr.contains("stack backtrace") && !stderr.contains("RUST_BACKTRACE"),
        "{stderr}"
    );
}
