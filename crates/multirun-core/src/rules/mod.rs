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
//! | MR4xx | Cloud Run service; from MR424, its secrets (the area `secrets`, whose own range
//! the ten digits left no room for) |
//! | MR5xx | derived resource names |
//! | MR6xx | load balancer; from MR620, Cloud Armor and CDN (the area `edge`); from MR640, Identity-Aware Proxy (the area `iap`) |
//! | MR7xx | image and build |
//! | MR8xx | rollout |
//! | MR9xx | VPC network |

use crate::diagnostic::Diagnostic;
use crate::registry::RuleMeta;
use crate::spec::Spec;
use crate::text::{ByteSpan, LineIndex};
use crate::yaml::Node;

/// Embeds a rule's doc page, `docs/rules/<code>-<name>.md`.
macro_rules! rule_doc {
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

/// Declares a semantic rule, in one place: its code, name, default severity, one-line summary
/// and check. The doc page comes from the code and name, so the two cannot disagree; a test
/// checks the page's metadata table against this. Expands to `pub static RULE: Rule`, which
/// the area's `area!` list registers.
macro_rules! rule {
    (
        code: $code:literal,
        name: $name:literal,
        severity: $severity:ident,
        summary: $summary:expr,
        check: $check:expr $(,)?
    ) => {
        pub static RULE: $crate::rules::Rule = $crate::rules::Rule {
            meta: $crate::registry::RuleMeta {
                code: $code,
                name: $name,
                severity: $crate::registry::Severity::$severity,
                summary: $summary,
                doc: rule_doc!($code, $name),
            },
            check: Some($check),
        };
    };
}

/// Declares an area: its rule modules, each with its `RULE`, listed in code order. The
/// module list is the registration: a rule module not listed here is not compiled at all.
macro_rules! area {
    ($area:literal: $($rule:ident),+ $(,)?) => {
        $(pub mod $rule;)+

        pub static AREA: $crate::rules::Area = $crate::rules::Area {
            name: $area,
            rules: &[$(&$rule::RULE),+],
        };
    };
}

pub mod cloud_run;
pub mod edge;
pub mod health;
pub mod iap;
pub mod image;
pub mod load_balancer;
pub mod naming;
pub mod network;
pub mod regions;
pub mod rollout;
pub mod secrets;
pub mod structure;
pub mod traffic;

/// A rule: its metadata and, for semantic rules, its check. Structural rules (MR0xx) have no
/// check: the parse and schema stages emit them.
#[derive(Debug)]
pub struct Rule {
    pub meta: RuleMeta,
    pub check: Option<fn(&Context, &mut Report)>,
}

/// A group of rules with one code range, named as in the doc pages' "Area" column.
#[derive(Debug)]
pub struct Area {
    pub name: &'static str,
    pub rules: &'static [&'static Rule],
}

/// Every area, in code order.
pub static AREAS: &[&Area] = &[
    &structure::AREA,
    &traffic::AREA,
    &regions::AREA,
    &health::AREA,
    &cloud_run::AREA,
    &naming::AREA,
    &load_balancer::AREA,
    &edge::AREA,
    &image::AREA,
    &rollout::AREA,
    &secrets::AREA,
    &network::AREA,
    &iap::AREA,
];

fn rules() -> impl Iterator<Item = &'static Rule> {
    AREAS.iter().flat_map(|area| area.rules.iter().copied())
}

/// Every rule's metadata, in code order.
pub fn all() -> impl Iterator<Item = &'static RuleMeta> {
    rules().map(|rule| &rule.meta)
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
        rule: &Rule,
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
        rule: &Rule,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let pointer = pointer.into();
        let span = self.tree.key_span_for(&pointer);
        self.at_span(rule, pointer, span, message)
    }

    /// A related place for the diagnostic just reported: the value under `pointer`.
    pub fn related(
        &self,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> crate::diagnostic::Related {
        let pointer = pointer.into();
        let span = self.tree.span_for(&pointer);
        crate::diagnostic::Related::new(message.into(), pointer, span, self.index)
    }

    pub fn at_span(
        &mut self,
        rule: &Rule,
        pointer: String,
        span: ByteSpan,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic::new(
            &rule.meta,
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
    for rule in rules() {
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

/// What the areas' tests share.
#[cfg(test)]
mod tests {
    /// For tests of hostile specs (values of hundreds of kilobytes):
    /// checks `source` and asserts that it finishes (a guard against a quadratic rule, not a
    /// speed target: the bound is a thousand times the usual time), that every code of `codes`
    /// is among the findings whose code starts with `area`, and that each of those findings
    /// stays under `max_bytes` of message, help and suggestion.
    #[track_caller]
    pub(crate) fn assert_short_findings(
        source: &str,
        area: &str,
        codes: &[&str],
        max_bytes: usize,
    ) {
        let started = std::time::Instant::now();
        let checked = crate::check(source, "huge.yaml");
        assert!(
            started.elapsed().as_secs() < 5,
            "took {:?}",
            started.elapsed()
        );
        let ours: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.code.starts_with(area))
            .collect();
        for code in codes {
            assert!(
                ours.iter().any(|d| d.code == *code),
                "no {code}: {:?}",
                ours.iter().map(|d| &d.code).collect::<Vec<_>>()
            );
        }
        for d in ours {
            let size = d.message.len()
                + d.help.as_deref().map_or(0, str::len)
                + d.suggestion.as_deref().map_or(0, str::len);
            assert!(size < max_bytes, "{}: {} bytes", d.code, size);
        }
    }
}
