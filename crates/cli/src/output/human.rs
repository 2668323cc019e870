//! rustc-style output: the source line, a caret under the span, then help.

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as Level};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor::Buffer};
use multirun_core::Severity;

use super::{summary, FileReport};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colors {
    On,
    Off,
}

pub fn render(reports: &[FileReport], colors: Colors) -> String {
    let mut files = SimpleFiles::new();
    let mut buffer = match colors {
        Colors::On => Buffer::ansi(),
        Colors::Off => Buffer::no_color(),
    };
    let config = term::Config::default();
    for report in reports {
        let id = files.add(report.file.clone(), report.source.clone());
        for d in &report.diagnostics {
            let level = match d.severity {
                Severity::Error => Level::Error,
                Severity::Warning => Level::Warning,
                Severity::Info => Level::Note,
            };
            let mut notes = Vec::new();
            if let Some(help) = &d.help {
                notes.push(format!("help: {help}"));
            }
            notes.push(format!("see: multirun explain {} ({})", d.code, d.name));
            let end = d.span.end.max(d.span.start).min(report.source.len());
            let start = d.span.start.min(end);
            let diagnostic = Report::new(level)
                .with_code(d.code.clone())
                .with_message(d.message.clone())
                .with_labels(vec![Label::primary(id, start..end)])
                .with_notes(notes);
            // A failure here can only come from a span outside the file, which the core never makes.
            let _ = term::emit_to_write_style(&mut buffer, &config, &files, &diagnostic);
        }
    }
    let mut out = String::from_utf8_lossy(buffer.as_slice()).into_owned();
    let s = summary(reports);
    if s.errors + s.warnings + s.infos == 0 {
        out.push_str(&format!("{}: no problems found\n", plural(s.files, "file")));
    } else {
        out.push_str(&format!(
            "found {}, {} and {} in {}\n",
            plural(s.errors, "error"),
            plural(s.warnings, "warning"),
            plural(s.infos, "info"),
            plural(s.files, "file")
        ));
    }
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
