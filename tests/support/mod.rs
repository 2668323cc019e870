//! Helpers shared by the integration tests that run the generated scripts.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use multirun_core::render::{render, RenderOptions};

/// `source`'s deploy target (deploy.sh, teardown.sh and the files they read) rendered into a
/// new temporary directory, the scripts executable. Panics, with the findings, on a spec that
/// has errors.
pub fn render_deploy(source: &str) -> tempfile::TempDir {
    render_targets(source, &["deploy"])
}

/// Like [`render_deploy`], for the named targets (and those they require).
pub fn render_targets(source: &str, targets: &[&str]) -> tempfile::TempDir {
    let checked = multirun_core::check(source, "spec.yaml");
    assert!(
        !checked.has_errors(),
        "spec has errors: {:#?}\n{source}",
        checked.diagnostics
    );
    let options = RenderOptions {
        targets: targets.iter().map(ToString::to_string).collect(),
        ..Default::default()
    };
    let dir = tempfile::tempdir().unwrap();
    for file in render(checked.spec.as_ref().unwrap(), &options).unwrap() {
        let path = dir.path().join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &file.contents).unwrap();
        if file.path.ends_with(".sh") {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    dir
}

/// `bash OUT/SCRIPT ARGS...` under the fake cloud, whose state is `project/state.json` and whose
/// call log is `project/calls.jsonl`.
// Each test crate compiles this module for itself; deploy_scripts.rs runs no fake cloud.
#[allow(dead_code)]
pub fn fake_cloud_script(project: &Path, out: &Path, script: &str, args: &[&str]) -> Command {
    let mut command =
        Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fakecloud/fakecloud"));
    command
        .arg(project.join("state.json"))
        .arg("--")
        .arg("bash")
        .arg(out.join(script))
        .args(args)
        .env("FAKECLOUD_LOG", project.join("calls.jsonl"));
    command
}
