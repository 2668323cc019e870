//! The stable JSON contract, built by the core (`multirun_core::documents`), which the wasm
//! API prints too.

use multirun_core::documents::ValidateDocument;

use super::FileReport;

pub fn render(reports: &[FileReport]) -> String {
    ValidateDocument::new(
        reports
            .iter()
            .map(|r| (r.file.as_str(), r.diagnostics.as_slice())),
    )
    .to_pretty()
}
