//! `multirun validate`: check many specs in one call.

use std::panic::{catch_unwind, AssertUnwindSafe};

use multirun_core::{rules, ByteSpan, Diagnostic, Severity};

use super::{colors, error, print, stdout_is_terminal};
use crate::args::ValidateArgs;
use crate::exit;
use crate::output::{self, FileReport};

pub fn run(args: ValidateArgs) -> i32 {
    let mut failed = false;
    let mut inputs = Vec::new();
    for path in &args.files {
        let name = if path == "-" { args.stdin_filename.clone() } else { path.clone() };
        match crate::fs::read_input(path) {
            Ok(bytes) => inputs.push((name, bytes)),
            Err(e) => {
                error(format!("cannot read {name}: {e}"));
                failed = true;
            }
        }
    }
    let mut reports = check_all(inputs);
    if reports.iter().flat_map(|r| &r.diagnostics).any(|d| d.code == rules::structure::INTERNAL_ERROR.code) {
        failed = true;
    }
    // Deterministic whatever the argument order: files by name, diagnostics by position.
    reports.sort_by(|a, b| a.file.cmp(&b.file));
    print(&output::render(args.format, &reports, colors(args.color, stdout_is_terminal())));
    let summary = output::Summary::of(&reports);
    if failed {
        exit::FAILURE
    } else if summary.errors > 0 || (args.deny_warnings && summary.warnings > 0) {
        exit::FINDINGS
    } else {
        exit::CLEAN
    }
}

/// Checks every input, in parallel across the machine's cores, keeping input order.
fn check_all(inputs: Vec<(String, Vec<u8>)>) -> Vec<FileReport> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(inputs.len().max(1));
    if workers <= 1 || inputs.len() < 16 {
        return inputs.into_iter().map(|(name, bytes)| check_one(name, bytes)).collect();
    }
    let chunk = inputs.len().div_ceil(workers);
    let mut chunks: Vec<Vec<(String, Vec<u8>)>> = Vec::new();
    let mut rest = inputs.into_iter();
    loop {
        let part: Vec<_> = rest.by_ref().take(chunk).collect();
        if part.is_empty() {
            break;
        }
        chunks.push(part);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks.into_iter().map(|part| scope.spawn(move || part.into_iter().map(|(n, b)| check_one(n, b)).collect::<Vec<_>>())).collect();
        handles.into_iter().flat_map(|h| h.join().expect("check_one catches panics")).collect()
    })
}

/// Checks one file; a panic in the core becomes an MR011 diagnostic instead of a crash.
fn check_one(name: String, bytes: Vec<u8>) -> FileReport {
    let checked = catch_unwind(AssertUnwindSafe(|| multirun_core::check_bytes(&bytes, &name)));
    let source = String::from_utf8_lossy(&bytes).into_owned();
    let diagnostics = match checked {
        Ok(checked) => checked.diagnostics,
        Err(panic) => {
            let detail = panic.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| panic.downcast_ref::<String>().cloned()).unwrap_or_default();
            vec![internal_error(&name, &detail)]
        }
    };
    FileReport { file: name, source, diagnostics }
}

fn internal_error(file: &str, detail: &str) -> Diagnostic {
    let rule = &rules::structure::INTERNAL_ERROR;
    Diagnostic {
        code: rule.code.into(),
        name: rule.name.into(),
        severity: Severity::Error,
        message: format!("multirun failed on this file: {detail}"),
        file: file.into(),
        path: String::new(),
        line: 1,
        column: 1,
        end_line: 1,
        end_column: 1,
        span: ByteSpan::default(),
        help: Some("this is a bug in multirun; please report it with the file".into()),
        suggestion: None,
        url: rule.url(),
    }
}
