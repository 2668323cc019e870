//! `multirun render`: generate every output, or with `--check` compare them with a directory.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use multirun_core::render::{self, RenderOptions, RenderedFile, Target};

use super::{colors, error, print, stdout_is_terminal};
use crate::args::{Format, RenderArgs};
use crate::exit;
use crate::manifest::{self, Manifest};
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

/// One spec and where it renders to.
#[derive(Debug)]
struct Job {
    spec: String,
    out: PathBuf,
    /// Whether diff headers show the whole path (several specs, `{dir}`/`{name}` in --out)
    /// rather than the path inside --out.
    full_labels: bool,
}

/// Resolves each spec's output directory; several specs must not share one.
fn plan(specs: &[String], out: &Path) -> Result<Vec<Job>, String> {
    let pattern = out
        .to_str()
        .filter(|s| s.contains("{dir}") || s.contains("{name}"));
    let Some(pattern) = pattern else {
        if specs.len() > 1 {
            return Err(format!(
                "{} specs would all render to {}; put `{{dir}}` or `{{name}}` in --out so that each spec gets its own directory, e.g. --out '{{dir}}/generated/{{name}}'",
                specs.len(),
                out.display()
            ));
        }
        return Ok(vec![Job {
            spec: specs[0].clone(),
            out: out.to_path_buf(),
            full_labels: false,
        }]);
    };
    let mut jobs: Vec<Job> = Vec::new();
    let mut seen: BTreeMap<PathBuf, &str> = BTreeMap::new();
    for spec in specs {
        if spec == "-" {
            return Err("standard input (`-`) has no directory or name for `{dir}`/`{name}` in --out; give the spec as a file".into());
        }
        let out = out_dir_for(pattern, spec);
        if let Some(other) = seen.insert(out.clone(), spec) {
            if other != spec {
                return Err(format!("{other} and {spec} would both render to {}; use `{{name}}` in --out to tell them apart", out.display()));
            }
            continue;
        }
        jobs.push(Job {
            spec: spec.clone(),
            out,
            full_labels: true,
        });
    }
    Ok(jobs)
}

/// Fills `{dir}` (the spec's directory, `.` for none) and `{name}` (its file name less `.yaml`
/// or `.yml`, then less a `.multirun` suffix) in an --out pattern.
pub(crate) fn out_dir_for(pattern: &str, spec: &str) -> PathBuf {
    let path = Path::new(spec);
    let dir = path
        .parent()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| ".".into());
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = file
        .strip_suffix(".yaml")
        .or_else(|| file.strip_suffix(".yml"))
        .unwrap_or(&file);
    let name = stem
        .strip_suffix(".multirun")
        .filter(|n| !n.is_empty())
        .unwrap_or(stem);
    let filled = pattern.replace("{dir}", &dir).replace("{name}", name);
    // `./multirun` reads better as `multirun`, in messages and diff headers alike.
    let cleaned: PathBuf = Path::new(&filled)
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if cleaned.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        cleaned
    }
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

/// What a render means for one output directory.
struct Generated {
    /// The generated files and the manifest, sorted by path.
    files: Vec<RenderedFile>,
    /// Files the previous render listed in the manifest that this one no longer generates, by
    /// relative path, with where they are: only regular files inside the directory.
    orphans: Vec<(String, PathBuf)>,
}

/// Adds the manifest to the rendered files and finds the orphans: the files the old manifest
/// lists under a target rendered now that it no longer generates. The files of targets not
/// rendered now (another `--target`) stay listed, and are not touched.
fn reconcile(out: &Path, grouped: Vec<(&'static Target, Vec<RenderedFile>)>) -> Generated {
    let (old, ignored) = manifest::read(out);
    for reason in ignored {
        eprintln!("warning: {}: {reason}", out.join(manifest::NAME).display());
    }
    let generated: BTreeSet<String> = grouped
        .iter()
        .flat_map(|(_, files)| files.iter().map(|f| f.path.clone()))
        .collect();
    let mut new = Manifest::default();
    for (target, files) in &grouped {
        new.sections.insert(
            target.name.to_string(),
            files.iter().map(|f| f.path.clone()).collect(),
        );
    }
    let mut orphans = BTreeMap::new();
    for (target, paths) in old.sections {
        let rendered_now = grouped.iter().any(|(t, _)| t.name == target);
        for path in paths.into_iter().filter(|p| !generated.contains(p)) {
            if !rendered_now {
                new.sections.entry(target.clone()).or_default().insert(path);
            } else if let Some(file) = crate::fs::regular_file_inside(out, &path) {
                orphans.insert(path, file);
            }
        }
    }
    let mut files: Vec<RenderedFile> = grouped.into_iter().flat_map(|(_, files)| files).collect();
    files.push(RenderedFile {
        path: manifest::NAME.to_string(),
        contents: new.to_text(),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Generated {
        files,
        orphans: orphans.into_iter().collect(),
    }
}

fn destinations<'a>(
    out: &Path,
    files: &'a [RenderedFile],
) -> Result<Vec<(PathBuf, &'a RenderedFile)>, i32> {
    files
        .iter()
        .map(|f| crate::fs::safe_join(out, &f.path).map(|p| (p, f)))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| {
            let bad = files
                .iter()
                .find(|f| crate::fs::safe_join(out, &f.path).is_none())
                .map_or("", |f| f.path.as_str());
            error(format!(
                "refusing to write outside the output directory: {bad}"
            ));
            exit::FAILURE
        })
}

fn write_files(out: &Path, targets: &[(PathBuf, &RenderedFile)]) -> Result<(), i32> {
    let plan: Vec<(PathBuf, &str, bool)> = targets
        .iter()
        .map(|(path, f)| (path.clone(), f.contents.as_str(), f.path.ends_with(".sh")))
        .collect();
    crate::fs::write_all_atomically(&plan).map_err(|e| {
        error(format!("cannot write to {}: {e}", out.display()));
        exit::FAILURE
    })
}

/// Deletes the orphans (after every write succeeded) and the directories that leaves empty,
/// saying so on stderr.
fn remove_orphans(job: &Job, orphans: &[(String, PathBuf)]) -> Result<(), i32> {
    let mut failed = false;
    for (_, file) in orphans {
        match crate::fs::remove_file_and_empty_parents(&job.out, file) {
            Ok(dirs) => {
                eprintln!("removed {}: no longer generated", file.display());
                for dir in dirs {
                    eprintln!("removed {}/: left empty", dir.display());
                }
            }
            Err(e) => {
                error(format!(
                    "cannot remove {}, which is no longer generated: {e}",
                    file.display()
                ));
                failed = true;
            }
        }
    }
    if failed {
        Err(exit::FAILURE)
    } else {
        Ok(())
    }
}

fn write(job: &Job, generated: &Generated) -> Result<i32, i32> {
    let targets = destinations(&job.out, &generated.files)?;
    write_files(&job.out, &targets)?;
    eprintln!(
        "wrote {} files to {}",
        generated.files.len(),
        job.out.display()
    );
    remove_orphans(job, &generated.orphans)?;
    Ok(exit::CLEAN)
}

/// Compares with what is on disk; prints a unified diff per stale, missing or orphaned file.
/// Writes nothing under `Mode::Check`; under `Mode::Fix`, rewrites the stale files and removes
/// the orphans.
fn check(job: &Job, generated: &Generated, mode: Mode, painted: bool) -> Result<i32, i32> {
    let out = job.out.as_path();
    let targets = destinations(out, &generated.files)?;
    let shown = |relative: &str, path: &Path| {
        let shown = if job.full_labels {
            path.to_string_lossy().into_owned()
        } else {
            relative.to_string()
        };
        shown.trim_start_matches('/').to_string()
    };
    // (relative path, diff), to print in path order whether stale or orphaned.
    let mut diffs: Vec<(&str, String)> = Vec::new();
    let mut stale = Vec::new();
    for (path, file) in &targets {
        let current = std::fs::read_to_string(path).ok();
        if current.as_deref() == Some(file.contents.as_str()) {
            continue;
        }
        stale.push((path.clone(), *file));
        let old = current.unwrap_or_default();
        let shown = shown(&file.path, path);
        let old_label = if path.exists() {
            format!("a/{shown}")
        } else {
            "/dev/null".into()
        };
        let diff = similar::TextDiff::from_lines(old.as_str(), file.contents.as_str());
        diffs.push((
            &file.path,
            diff.unified_diff()
                .context_radius(3)
                .header(&old_label, &format!("b/{shown}"))
                .to_string(),
        ));
    }
    for (relative, path) in &generated.orphans {
        let old = std::fs::read(path)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default();
        let (old_label, new_label) = (format!("a/{}", shown(relative, path)), "/dev/null");
        let unified = similar::TextDiff::from_lines(old.as_str(), "")
            .unified_diff()
            .context_radius(3)
            .header(&old_label, new_label)
            .to_string();
        // An empty file has no line to take out, and so no diff: show its deletion all the same.
        diffs.push((
            relative,
            if unified.is_empty() {
                format!("--- {old_label}\n+++ {new_label}\n")
            } else {
                unified
            },
        ));
    }
    diffs.sort_by(|a, b| a.0.cmp(b.0));
    let diff_text: String = diffs
        .into_iter()
        .map(|(_, unified)| if painted { paint(&unified) } else { unified })
        .collect();
    print(&diff_text);
    let command = format!(
        "multirun render {} --out {}",
        shell_word(&job.spec),
        shell_word(&out.to_string_lossy())
    );
    let orphans = generated.orphans.len();
    if stale.is_empty() && orphans == 0 {
        eprintln!(
            "{} generated files in {} are up to date",
            generated.files.len(),
            out.display()
        );
        return Ok(exit::CLEAN);
    }
    if mode == Mode::Fix {
        write_files(out, &stale)?;
        remove_orphans(job, &generated.orphans)?;
        if orphans == 0 {
            eprintln!(
                "{}: rewrote {} stale generated file(s) in {}; review and `git add` them",
                job.spec,
                stale.len(),
                out.display()
            );
        } else {
            eprintln!(
                "{}: rewrote {} stale generated file(s) in {} and removed {orphans} no longer generated; review and `git add --all {}`",
                job.spec,
                stale.len(),
                out.display(),
                shell_word(&out.to_string_lossy())
            );
        }
    } else if orphans == 0 {
        eprintln!(
            "{}: {} generated file(s) in {} are out of date; run `{command}`",
            job.spec,
            stale.len(),
            out.display()
        );
    } else {
        eprintln!(
            "{}: {} generated file(s) in {} are out of date and {orphans} are no longer generated; run `{command}`, which deletes those",
            job.spec,
            stale.len(),
            out.display()
        );
    }
    Ok(exit::FINDINGS)
}

/// Quotes a path for a shell command line when it needs it.
fn shell_word(text: &str) -> String {
    if !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./{}@%+=:,".contains(&b))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_patterns_fill_dir_and_name() {
        let cases = [
            (
                "{dir}/generated/{name}",
                "deploy/multirun.yaml",
                "deploy/generated/multirun",
            ),
            (
                "{dir}/generated/{name}",
                "deploy/api.multirun.yaml",
                "deploy/generated/api",
            ),
            (
                "{dir}/generated/{name}",
                "multirun.yml",
                "generated/multirun",
            ),
            ("{dir}/{name}", "a/b/prod.yaml", "a/b/prod"),
            ("{dir}/{name}", "./x/.multirun.yaml", "x/.multirun"),
            ("out/{name}", "specs/eu.multirun.yml", "out/eu"),
            ("{dir}", "spec.yaml", "."),
            ("/abs/{name}", "d/s.yaml", "/abs/s"),
        ];
        for (pattern, spec, expected) in cases {
            assert_eq!(
                out_dir_for(pattern, spec),
                PathBuf::from(expected),
                "{pattern} {spec}"
            );
        }
    }

    #[test]
    fn several_specs_need_distinct_output_directories() {
        let specs = |list: &[&str]| list.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert!(plan(&specs(&["a.yaml", "b.yaml"]), Path::new("out"))
            .unwrap_err()
            .contains("would all render to out"));
        assert!(
            plan(&specs(&["d/a.yaml", "d/b.yaml"]), Path::new("{dir}/gen"))
                .unwrap_err()
                .contains("would both render to d/gen")
        );
        assert!(plan(&specs(&["-"]), Path::new("{dir}/gen")).is_err());
        let jobs = plan(
            &specs(&["d/a.yaml", "e/a.yaml", "d/a.yaml"]),
            Path::new("{dir}/gen"),
        )
        .unwrap();
        assert_eq!(
            jobs.iter().map(|j| j.out.clone()).collect::<Vec<_>>(),
            [PathBuf::from("d/gen"), PathBuf::from("e/gen")]
        );
        let single = plan(&specs(&["a.yaml"]), Path::new("out")).unwrap();
        assert!(!single[0].full_labels && single[0].out == Path::new("out"));
    }
}
