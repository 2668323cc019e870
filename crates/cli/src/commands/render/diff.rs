//! `render --check` and `--fix`: compare the generated files with the directory, and show
//! (or repair) the difference as a unified diff.

use std::path::Path;

use super::plan::Job;
use super::reconcile::{destinations, remove_orphans, write_files, Generated};
use super::{print, Mode};
use crate::exit;

/// Compares with what is on disk; prints a unified diff per stale, missing or orphaned file.
/// Writes nothing under `Mode::Check`; under `Mode::Fix`, rewrites the stale files and removes
/// the orphans.
pub(super) fn check(
    job: &Job,
    generated: &Generated,
    mode: Mode,
    painted: bool,
) -> Result<i32, i32> {
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
