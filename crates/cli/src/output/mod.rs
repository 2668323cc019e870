//! Diagnostic renderers, one per `--format`. Each takes every checked file at once so
//! machine formats can emit one document.

mod concise;
mod github;
mod gitlab;
mod human;
mod json;
mod sarif;

use multirun_core::documents::Summary;
use multirun_core::Diagnostic;

pub use human::Colors;

/// One checked input.
pub struct FileReport {
    pub file: String,
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// The findings of every report, by severity.
pub fn summary(reports: &[FileReport]) -> Summary {
    Summary::of(reports.iter().map(|r| r.diagnostics.as_slice()))
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
