//! Rule metadata: every diagnostic multirun can emit has a permanent code, a kebab-case name,
//! a default severity, a one-line summary and a doc page under `docs/rules/`. The rules
//! themselves (and their checks) live in `crate::rules`; this is only what describes them.

use serde::{Deserialize, Serialize};

/// Where rule documentation is published; `url` on every diagnostic points below it.
pub const DOCS_BASE_URL: &str = "https://github.com/multirun/multirun/blob/main/docs/rules/";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line: what the rule checks.
    pub summary: &'static str,
    /// The rule's doc page (Markdown).
    pub doc: &'static str,
}

impl RuleMeta {
    pub fn doc_file_name(&self) -> String {
        format!("{}-{}.md", self.code, self.name)
    }

    pub fn url(&self) -> String {
        format!("{DOCS_BASE_URL}{}", self.doc_file_name())
    }
}
