//! `multirun validate --fix` and `--diff`: apply every machine-applicable suggestion, as
//! `ruff check --fix` does. A file with a parse error is never changed; each fixed file is
//! replaced atomically; what changed is printed first, then the report of what remains.

use std::path::Path;

use multirun_core::editor::{self, Applied, Unfixable};

use super::{error, print};
use crate::args::{Format, ValidateArgs};
use crate::exit;
use crate::output::FileReport;

/// One input after fixing.
struct Fixed {
    name: String,
    original: String,
    report: FileReport,
    applied: Vec<Applied>,
    /// Why the file was left alone, if it was.
    refused: Option<String>,
}

fn fix_one(name: &str, bytes: &[u8]) -> Fixed {
    let original = String::from_utf8_lossy(bytes).into_owned();
    let refused = |checked: multirun_core::Checked, why: &str| Fixed {
        name: name.to_string(),
        original: original.clone(),
        report: FileReport {
            file: name.to_string(),
            source: original.clone(),
            diagnostics: checked.diagnostics,
        },
        applied: Vec::new(),
        refused: Some(why.to_string()),
    };
    let Ok(source) = std::str::from_utf8(bytes) else {
        return refused(
            multirun_core::check_bytes(bytes, name),
            "it is not UTF-8 text",
        );
    };
    match editor::fix_all(source, name) {
        Ok(outcome) => Fixed {
            name: name.to_string(),
            original: original.clone(),
            report: FileReport {
                file: name.to_string(),
                source: outcome.source,
                diagnostics: outcome.remaining.diagnostics,
            },
            applied: outcome.applied,
            refused: None,
        },
        Err(Unfixable::ParseError(checked)) => refused(*checked, "it does not parse"),
    }
}

fn describe(name: &str, applied: &Applied) -> String {
    let d = &applied.diagnostic;
    format!(
        "fixed {name}:{}:{}: {}[{}] {}: `{}` -> `{}`\n",
        d.line,
        d.column,
        d.severity.as_str(),
        d.code,
        d.message,
        applied.before,
        applied.after
    )
}

pub fn run(args: ValidateArgs) -> i32 {
    if args.fix && args.files.iter().any(|f| f == "-") {
        error("--fix rewrites files in place and cannot rewrite standard input; use --diff");
        return exit::FAILURE;
    }
    let mut failed = false;
    let mut results = Vec::new();
    for path in &args.files {
        let name = if path == "-" {
            &args.stdin_filename
        } else {
            path
        };
        match crate::fs::read_input(path) {
            Ok(bytes) => results.push(fix_one(name, &bytes)),
            Err(e) => {
                error(format!("cannot read {name}: {e}"));
                failed = true;
            }
        }
    }
    results.sort_by(|a, b| a.name.cmp(&b.name));
    if args.diff {
        return show_diffs(&results, failed);
    }
    // What changed goes where the report goes when that is text; beside a machine-readable
    // report, to standard error, so the report stays one parseable document.
    let text_report = matches!(args.format, Format::Human | Format::Concise);
    let mut changes = String::new();
    for fixed in &results {
        if let Some(why) = &fixed.refused {
            error(format!(
                "{} was not fixed: {why}; fix that first",
                fixed.name
            ));
            continue;
        }
        if fixed.applied.is_empty() {
            continue;
        }
        if let Err(e) = crate::fs::replace_atomically(Path::new(&fixed.name), &fixed.report.source)
        {
            error(format!("cannot write {}: {e}", fixed.name));
            failed = true;
            continue;
        }
        for applied in &fixed.applied {
            changes.push_str(&describe(&fixed.name, applied));
        }
    }
    let count: usize = results.iter().map(|f| f.applied.len()).sum();
    if count > 0 {
        changes.push_str(&format!(
            "{count} fix{} applied\n\n",
            if count == 1 { "" } else { "es" }
        ));
    }
    if text_report {
        print(&changes);
    } else {
        eprint!("{changes}");
    }
    let reports: Vec<FileReport> = results.into_iter().map(|f| f.report).collect();
    super::validate::print_reports(&args, &reports, failed)
}

/// `--diff`: a unified diff per file that would change; nothing is written.
fn show_diffs(results: &[Fixed], failed: bool) -> i32 {
    let mut out = String::new();
    let mut count = 0;
    for fixed in results {
        if let Some(why) = &fixed.refused {
            error(format!("{} would not be fixed: {why}", fixed.name));
            continue;
        }
        if fixed.applied.is_empty() {
            continue;
        }
        count += fixed.applied.len();
        let label = fixed.name.trim_start_matches('/');
        let diff =
            similar::TextDiff::from_lines(fixed.original.as_str(), fixed.report.source.as_str());
        out.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(&format!("a/{label}"), &format!("b/{label}"))
                .to_string(),
        );
    }
    print(&out);
    eprintln!(
        "{count} fix{} would be applied",
        if count == 1 { "" } else { "es" }
    );
    if failed {
        exit::FAILURE
    } else if count > 0 {
        exit::FINDINGS
    } else {
        exit::CLEAN
    }
}
