//! `multirun validate`: check many specs in one call.

use std::panic::{catch_unwind, AssertUnwindSafe};

use multirun_core::rules;

use super::{colors, error, print, stdout_is_terminal};
use crate::args::ValidateArgs;
use crate::exit;
use crate::output::{self, FileReport};

pub fn run(args: ValidateArgs) -> i32 {
    if args.fix || args.diff {
        return super::fix::run(args);
    }
    let mut failed = false;
    // Standard input is read here; files are read by the workers, in parallel.
    let inputs: Vec<Input> = args
        .files
        .iter()
        .map(|path| match path.as_str() {
            "-" => Input {
                name: args.stdin_filename.clone(),
                path: None,
                bytes: Some(crate::fs::read_input("-")),
            },
            _ => Input {
                name: path.clone(),
                path: Some(path),
                bytes: None,
            },
        })
        .collect();
    let mut reports = Vec::with_capacity(inputs.len());
    // Read errors in argument order, as they would come reading one file after the other.
    for outcome in check_all(inputs) {
        match outcome {
            Ok(report) => reports.push(report),
            Err((name, e)) => {
                error(format!("cannot read {name}: {e}"));
                failed = true;
            }
        }
    }
    if reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .any(|d| d.code == rules::structure::INTERNAL_ERROR.meta.code)
    {
        failed = true;
    }
    // Deterministic whatever the argument order: files by name, diagnostics by position.
    reports.sort_by(|a, b| a.file.cmp(&b.file));
    print_reports(&args, &reports, failed)
}

/// Prints the reports in `args.format` and returns the exit code they give: failure if a file
/// could not be checked, findings for errors (or warnings under `--deny-warnings`), else clean.
pub(super) fn print_reports(args: &ValidateArgs, reports: &[FileReport], failed: bool) -> i32 {
    print(&output::render(
        args.format,
        reports,
        colors(args.color, stdout_is_terminal()),
    ));
    let summary = output::summary(reports);
    if failed {
        exit::FAILURE
    } else if summary.errors > 0 || (args.deny_warnings && summary.warnings > 0) {
        exit::FINDINGS
    } else {
        exit::CLEAN
    }
}

/// One spec to check: a file to read, or standard input already read.
struct Input<'a> {
    name: String,
    path: Option<&'a str>,
    bytes: Option<std::io::Result<Vec<u8>>>,
}

type Outcome = Result<FileReport, (String, std::io::Error)>;

fn read_and_check(input: Input) -> Outcome {
    let bytes = match (input.bytes, input.path) {
        (Some(bytes), _) => bytes,
        (None, Some(path)) => crate::fs::read_input(path),
        (None, None) => unreachable!("an input is a path or bytes"),
    };
    match bytes {
        Ok(bytes) => Ok(check_one(input.name, bytes)),
        Err(e) => Err((input.name, e)),
    }
}

/// Reads and checks every input on all of the machine's cores, keeping input order. Workers
/// take the next input as they finish one, so a few large specs don't hold the others up.
fn check_all(inputs: Vec<Input>) -> Vec<Outcome> {
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(inputs.len());
    if workers <= 1 || inputs.len() < 8 {
        return inputs.into_iter().map(read_and_check).collect();
    }
    let count = inputs.len();
    let queue: Vec<std::sync::Mutex<Option<Input>>> = inputs
        .into_iter()
        .map(|i| std::sync::Mutex::new(Some(i)))
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if i >= count {
                return done;
            }
            let input = queue[i]
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take()
                .expect("each input is taken once");
            done.push((i, read_and_check(input)));
        }
    };
    let mut results: Vec<(usize, Outcome)> = std::thread::scope(|scope| {
        // The calling thread is one of the workers.
        let helpers: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for helper in helpers {
            all.extend(helper.join().expect("check_one catches panics"));
        }
        all
    });
    results.sort_unstable_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, outcome)| outcome).collect()
}

/// Checks one file; a panic in the core becomes an MR011 diagnostic instead of a crash.
fn check_one(name: String, bytes: Vec<u8>) -> FileReport {
    let checked = catch_unwind(AssertUnwindSafe(|| {
        // Debug builds only: lets the tests prove a crash in one file is contained.
        #[cfg(debug_assertions)]
        if std::env::var_os("MULTIRUN_DEBUG_PANIC_ON").is_some_and(|target| target == name.as_str())
        {
            panic!("forced by MULTIRUN_DEBUG_PANIC_ON");
        }
        multirun_core::check_bytes(&bytes, &name)
    }));
    let source = String::from_utf8_lossy(&bytes).into_owned();
    let diagnostics = match checked {
        Ok(checked) => checked.diagnostics,
        Err(panic) => {
            let detail = panic
                .downcast_ref::<&str>()
                .map(ToString::to_string)
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            multirun_core::Checked::internal_error(&name, &detail).diagnostics
        }
    };
    FileReport {
        file: name,
        source,
        diagnostics,
    }
}
