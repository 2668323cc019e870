//! `multirun render`: generate every output, or with `--check` compare them with a directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use multirun_core::render::{self, RenderOptions, RenderedFile};

use super::{colors, error, print, stdout_is_terminal};
use crate::args::{Format, RenderArgs};
use crate::exit;
use crate::output::{self, FileReport};

pub fn run(args: RenderArgs) -> i32 {
    if args.list_templates {
        return list_templates();
    }
    let (Some(spec_path), Some(out)) = (args.spec.as_deref(), args.out.as_deref()) else {
        error("render needs a SPEC and --out DIR (or --list-templates)");
        return exit::FAILURE;
    };
    let template_overrides = match args.templates.as_deref().map(read_templates).transpose() {
        Ok(t) => t.unwrap_or_default(),
        Err(message) => {
            error(message);
            return exit::FAILURE;
        }
    };
    let bytes = match crate::fs::read_input(spec_path) {
        Ok(bytes) => bytes,
        Err(e) => {
            error(format!("cannot read {spec_path}: {e}"));
            return exit::FAILURE;
        }
    };
    let checked = multirun_core::check_bytes(&bytes, spec_path);
    // Warnings are shown but don't stop rendering; errors do.
    if !checked.diagnostics.is_empty() {
        let report = FileReport { file: spec_path.to_string(), source: String::from_utf8_lossy(&bytes).into_owned(), diagnostics: checked.diagnostics.clone() };
        eprint!("{}", output::render(Format::Human, &[report], colors(args.color, std::io::IsTerminal::is_terminal(&std::io::stderr()))));
    }
    let Some(spec) = checked.spec.as_ref().filter(|_| !checked.has_errors()) else {
        error(format!("{spec_path} has errors; nothing was rendered"));
        return exit::FINDINGS;
    };
    let files = match render::render(spec, &RenderOptions { targets: args.target.clone(), template_overrides }) {
        Ok(files) => files,
        Err(e) => {
            error(e);
            return exit::FAILURE;
        }
    };
    if args.check {
        check(out, &files, args.color)
    } else {
        write(out, &files)
    }
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
        let entries = std::fs::read_dir(&current).map_err(|e| format!("cannot read templates directory {}: {e}", current.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let name = path.strip_prefix(dir).expect("under dir").components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read template {}: {e}", path.display()))?;
            templates.insert(name, text);
        }
    }
    Ok(templates)
}

fn destinations<'a>(out: &Path, files: &'a [RenderedFile]) -> Result<Vec<(PathBuf, &'a RenderedFile)>, String> {
    files
        .iter()
        .map(|f| crate::fs::safe_join(out, &f.path).map(|p| (p, f)).ok_or_else(|| format!("refusing to write outside the output directory: {}", f.path)))
        .collect()
}

fn write(out: &Path, files: &[RenderedFile]) -> i32 {
    let targets = match destinations(out, files) {
        Ok(t) => t,
        Err(message) => {
            error(message);
            return exit::FAILURE;
        }
    };
    let plan: Vec<(PathBuf, &str, bool)> = targets.iter().map(|(path, f)| (path.clone(), f.contents.as_str(), f.path.ends_with(".sh"))).collect();
    if let Err(e) = crate::fs::write_all_atomically(&plan) {
        error(format!("cannot write to {}: {e}", out.display()));
        return exit::FAILURE;
    }
    eprintln!("wrote {} files to {}", files.len(), out.display());
    exit::CLEAN
}

/// Compares without writing; prints a unified diff per stale or missing file.
fn check(out: &Path, files: &[RenderedFile], color: crate::args::ColorChoice) -> i32 {
    let targets = match destinations(out, files) {
        Ok(t) => t,
        Err(message) => {
            error(message);
            return exit::FAILURE;
        }
    };
    let painted = colors(color, stdout_is_terminal()) == output::Colors::On;
    let mut stale = 0;
    let mut diff_text = String::new();
    for (path, file) in targets {
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() == Some(file.contents.as_str()) {
            continue;
        }
        stale += 1;
        let old = current.unwrap_or_default();
        let old_label = if path.exists() { format!("a/{}", file.path) } else { "/dev/null".into() };
        let diff = similar::TextDiff::from_lines(old.as_str(), file.contents.as_str());
        let unified = diff.unified_diff().context_radius(3).header(&old_label, &format!("b/{}", file.path)).to_string();
        diff_text.push_str(&if painted { paint(&unified) } else { unified });
    }
    print(&diff_text);
    if stale > 0 {
        eprintln!("{stale} generated file(s) in {} are out of date; run `multirun render` without --check", out.display());
        exit::FINDINGS
    } else {
        eprintln!("{} generated files in {} are up to date", files.len(), out.display());
        exit::CLEAN
    }
}

fn paint(diff: &str) -> String {
    diff.lines()
        .map(|line| match line.as_bytes().first() {
            Some(b'+') if !line.starts_with("+++") => format!("\x1b[32m{line}\x1b[0m\n"),
            Some(b'-') if !line.starts_with("---") => format!("\x1b[31m{line}\x1b[0m\n"),
            Some(b'@') => format!("\x1b[36m{line}\x1b[0m\n"),
            _ => format!("{line}\n"),
        })
        .collect()
}
