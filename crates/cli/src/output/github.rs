//! GitHub Actions workflow commands: one annotation per diagnostic.

use multirun_core::Severity;

use super::FileReport;

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for d in reports.iter().flat_map(|r| &r.diagnostics) {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        // Columns are only meaningful to GitHub when the annotation stays on one line.
        let columns = if d.line == d.end_line {
            format!(",col={},endColumn={}", d.column, d.end_column)
        } else {
            String::new()
        };
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{command} file={},line={},endLine={}{columns},title={}::{}\n",
            property(&d.file),
            d.line,
            d.end_line,
            property(&format!("{} {}", d.code, d.name)),
            data(&message)
        ));
    }
    out
}

/// Escaping for the message part of a workflow command.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping for a property value, which also ends at `,` and `:`.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}
