//! Diagnostic renderers, one per `--format`. Each takes every checked file at once so
//! machine formats can emit one document.

mod concise;
mod github;
mod gitlab;
mod human;
mod json;
mod sarif;

use multirun_core::{Diagnostic, Severity};

pub use human::Colors;

/// One checked input.
pub struct FileReport {
    pub file: String,
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut summary = Summary {
            files: reports.len(),
            ..Summary::default()
        };
        for d in reports.iter().flat_map(|r| &r.diagnostics) {
            match d.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
        }
        summary
    }
}

pub fn render(format: crate::args::Format, reports: &[FileReport], colors: Colors) -> String {
    use crate::args::Format;
    match format {
        Format::Human => human::render(reports, colors),
        Format::Concise => concise::render(reports),
        Format::Json => json::render(reports),
        Format::Github => github::render(reports),
        Format::Sarif => sarif::render(reports),
        Format::Gitlab => gitlab::render(reports),
    }
}
