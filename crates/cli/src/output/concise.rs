//! One line per diagnostic: `file:line:col: severity[CODE] message`.

use super::FileReport;

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for d in reports.iter().flat_map(|r| &r.diagnostics) {
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}\n",
            d.file,
            d.line,
            d.column,
            d.severity.as_str(),
            d.code,
            d.message
        ));
    }
    out
}
