//! The rule registry: every diagnostic multirun can emit has a permanent code, a kebab-case
//! name, a default severity and a doc page under `docs/rules/` (embedded here, printed by
//! `multirun explain`). Codes are grouped by area and never reused:
//!
//! | range | area |
//! |---|---|
//! | MR0xx | input and structure (YAML, schema, limits) |
//! | MR1xx | traffic |
//! | MR2xx | regions |
//! | MR3xx | health check |
//! | MR4xx | Cloud Run service |
//! | MR5xx | derived resource names |
//! | MR6xx | load balancer |
//! | MR7xx | image and build |

use crate::diagnostic::{ByteSpan, Diagnostic, Severity, DOCS_BASE_URL};
use crate::line_index::LineIndex;
use crate::spec::Spec;
use crate::yaml::Node;

/// Embeds a rule's doc page from `docs/rules/<file>.md`.
macro_rules! rule_doc {
    ($file:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../docs/rules/",
            $file,
            ".md"
        ))
    };
    ($code:literal, $name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../docs/rules/",
            $code,
            "-",
            $name,
            ".md"
        ))
    };
}

pub mod cloud_run;
pub mod health;
pub mod image;
pub mod load_balancer;
pub mod naming;
pub(crate) mod quote;
pub mod regions;
pub mod structure;
pub mod traffic;

#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line: what the rule checks.
    pub summary: &'static str,
    /// The rule's doc page (Markdown).
    pub doc: &'static str,
    /// The semantic check, for rules that run on the typed model. Structural rules (MR0xx)
    /// are emitted by the parse and schema stages instead.
    pub check: Option<fn(&Context, &mut Report)>,
}

impl RuleMeta {
    pub fn doc_file_name(&self) -> String {
        format!("{}-{}.md", self.code, self.name)
    }

    pub fn url(&self) -> String {
        format!("{DOCS_BASE_URL}{}", self.doc_file_name())
    }
}

/// Every rule, area by area, in code order. Each area module lists its own rules.
pub static AREAS: &[&[&RuleMeta]] = &[
    structure::RULES,
    traffic::RULES,
    regions::RULES,
    health::RULES,
    cloud_run::RULES,
    naming::RULES,
    load_balancer::RULES,
    image::RULES,
];

pub fn all() -> impl Iterator<Item = &'static RuleMeta> {
    AREAS.iter().flat_map(|area| area.iter().copied())
}

pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    all().find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

/// What a semantic rule sees: the typed spec and its source tree (for spans).
pub struct Context<'a> {
    pub spec: &'a Spec,
    pub tree: &'a Node,
}

/// Collects diagnostics, turning JSON Pointers into source spans.
pub struct Report<'a> {
    tree: &'a Node,
    index: &'a LineIndex<'a>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Report<'a> {
    pub fn new(tree: &'a Node, index: &'a LineIndex<'a>) -> Self {
        Report {
            tree,
            index,
            diagnostics: Vec::new(),
        }
    }

    /// Reports at the value under `pointer` (or, if absent, the mapping that lacks it).
    pub fn at(
        &mut self,
        rule: &RuleMeta,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let pointer = pointer.into();
        let span = self.tree.span_for(&pointer);
        self.at_span(rule, pointer, span, message)
    }

    /// Reports at the key that holds `pointer` (for findings about a field's presence).
    pub fn at_key(
        &mut self,
        rule: &RuleMeta,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let pointer = pointer.into();
        let span = self.tree.key_span_for(&pointer);
        self.at_span(rule, pointer, span, message)
    }

    pub fn at_span(
        &mut self,
        rule: &RuleMeta,
        pointer: String,
        span: ByteSpan,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic::new(
            rule,
            bounded(message.into()),
            pointer,
            span,
            self.index,
        ));
        self.diagnostics.last_mut().expect("just pushed")
    }
}

/// Runs every semantic rule.
pub fn run_semantic(cx: &Context, report: &mut Report) {
    for rule in all() {
        if let Some(check) = rule.check {
            check(cx, report);
        }
    }
}

/// Messages quote the offending value; a hostile 500 KB value must not become a 500 KB message.
fn bounded(message: String) -> String {
    const MAX_CHARS: usize = 400;
    if message.chars().count() <= MAX_CHARS {
        return message;
    }
    let head: String = message.chars().take(MAX_CHARS / 2).collect();
    let tail: String = message
        .chars()
        .rev()
        .take(MAX_CHARS / 4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{head}…{tail}")
}
