//! `multirun render`: generate every output, or with `--check` compare them with a directory.

use std::collections::BTreeMap;
use std::path::Path;

use multirun_core::render::{self, RenderOptions, RenderedFile, Target};

mod diff;
mod plan;
mod reconcile;

use diff::check;
use plan::{plan, Job};
use reconcile::{reconcile, write};

use super::{colors, error, print, stdout_is_terminal};
use crate::args::{Format, RenderArgs};
use crate::exit;
use crate::output::{self, FileReport};

/// What to do with the generated files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Write,
    Check,
    /// Check, rewrite what is stale, and still fail when anything was.
    Fix,
}

pub fn run(args: RenderArgs) -> i32 {
    if args.list_templates {
        return list_templates();
    }
    let Some(out) = args.out.as_deref().filter(|_| !args.specs.is_empty()) else {
        error("render needs a SPEC and --out DIR (or --list-templates)");
        return exit::FAILURE;
    };
    let jobs = match plan(&args.specs, out) {
        Ok(jobs) => jobs,
        Err(message) => {
            error(message);
            return exit::FAILURE;
        }
    };
    let template_overrides = match args.templates.as_deref().map(read_templates).transpose() {
        Ok(t) => t.unwrap_or_default(),
        Err(message) => {
            error(message);
            return exit::FAILURE;
        }
    };
    let options = RenderOptions {
        targets: args.target.clone(),
        template_overrides,
        ..RenderOptions::default()
    };
    let mode = if args.fix {
        Mode::Fix
    } else if args.check {
        Mode::Check
    } else {
        Mode::Write
    };
    let painted = colors(args.color, stdout_is_terminal()) == output::Colors::On;
    let stderr_colors = colors(
        args.color,
        std::io::IsTerminal::is_terminal(&std::io::stderr()),
    );
    let mut code = exit::CLEAN;
    for job in &jobs {
        let outcome = render_one(job, &options, stderr_colors)
            .map(|grouped| reconcile(&job.out, grouped))
            .and_then(|generated| match mode {
                Mode::Write => write(job, &generated),
                Mode::Check | Mode::Fix => check(job, &generated, mode, painted),
            });
        // Exit codes are ordered by gravity: 2 (could not work) > 1 (findings) > 0.
        code = code.max(outcome.unwrap_or_else(|c| c));
    }
    code
}

/// Checks and renders one spec, by target; `Err` carries the exit code when it cannot be rendered.
fn render_one(
    job: &Job,
    options: &RenderOptions,
    colors: output::Colors,
) -> Result<Vec<(&'static Target, Vec<RenderedFile>)>, i32> {
    let spec_path = job.spec.as_str();
    let bytes = crate::fs::read_input(spec_path).map_err(|e| {
        error(format!("cannot read {spec_path}: {e}"));
        exit::FAILURE
    })?;
    let checked = multirun_core::check_bytes(&bytes, spec_path);
    // Warnings are shown but don't stop rendering; errors do.
    if !checked.diagnostics.is_empty() {
        let report = FileReport {
            file: spec_path.to_string(),
            source: String::from_utf8_lossy(&bytes).into_owned(),
            diagnostics: checked.diagnostics.clone(),
        };
        eprint!("{}", output::render(Format::Human, &[report], colors));
    }
    let spec = checked.renderable(spec_path).map_err(|refusal| {
        error(refusal);
        exit::FINDINGS
    })?;
    render::render_by_target(spec, options).map_err(|e| {
        error(e);
        exit::FAILURE
    })
}

fn list_templates() -> i32 {
    let mut text = String::new();
    for target in render::TARGETS {
        text.push_str(&format!("{}: {}\n", target.name, target.description));
        for (name, _) in target.templates {
            text.push_str(&format!("  {name}\n"));
        }
    }
    print(&text);
    exit::CLEAN
}

/// Reads override templates: every file under DIR, named by its path relative to DIR.
fn read_templates(dir: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut templates = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = std::fs::read_dir(&current)
            .map_err(|e| format!("cannot read templates directory {}: {e}", current.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let relative = path.strip_prefix(dir).map_err(|e| e.to_string())?;
            let name = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read template {}: {e}", path.display()))?;
            templates.insert(name, text);
        }
    }
    Ok(templates)
}
