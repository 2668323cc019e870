//! The validation pipeline: bytes → YAML tree → JSON Schema → typed spec → semantic rules.
//! Every stage collects all its findings; later stages run only on what earlier ones accepted.

use crate::diagnostic::{self, Diagnostic};
use crate::registry::Severity;
use crate::rules::{self, structure, Context, Report};
use crate::schema_check;
use crate::spec::Spec;
use crate::text::{ByteSpan, LineIndex, PositionEncoding};
use crate::yaml::{self, Limits, Node, ProblemKind};

/// Largest spec accepted, in bytes. Real specs are a few KB; the limit keeps a hostile paste
/// or a wrong file from costing time and memory.
pub const MAX_INPUT_BYTES: usize = 1024 * 1024;

/// The outcome of checking one spec.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The typed spec, when the input got that far (it may still have semantic errors).
    pub spec: Option<Spec>,
    /// Sorted by position, then code.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// The outcome for a file multirun itself failed on: one MR011 finding, so that a bug
    /// is reported as data and one bad file never stops the others from being checked.
    pub fn internal_error(file: &str, detail: &str) -> Checked {
        let mut d = Diagnostic::new(
            &structure::INTERNAL_ERROR.meta,
            format!("multirun failed on this file: {detail}"),
            String::new(),
            ByteSpan::default(),
            &LineIndex::new(""),
        );
        d.file = file.to_string();
        d.help("this is a bug in multirun; please report it with the file");
        Checked {
            spec: None,
            diagnostics: vec![d],
        }
    }

    /// The diagnostics with positions counted in `encoding`; `source` is the checked text.
    pub fn diagnostics_in(&self, source: &str, encoding: PositionEncoding) -> Vec<Diagnostic> {
        self.diagnostics
            .iter()
            .map(|d| d.clone().encoded(source, encoding))
            .collect()
    }

    /// The spec to render: only a spec without errors is rendered, everywhere. `file` names
    /// the spec in the refusal.
    pub fn renderable(&self, file: &str) -> Result<&Spec, NotRenderable> {
        match &self.spec {
            Some(spec) if !self.has_errors() => Ok(spec),
            _ => Err(NotRenderable {
                file: file.to_string(),
            }),
        }
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Why a checked spec was not rendered: it has errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotRenderable {
    pub file: String,
}

impl std::fmt::Display for NotRenderable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} has errors; nothing was rendered", self.file)
    }
}

impl std::error::Error for NotRenderable {}

/// Checks raw bytes (the CLI's entry point): rejects non-UTF-8 input with a diagnostic.
pub fn check_bytes(bytes: &[u8], file: &str) -> Checked {
    match std::str::from_utf8(bytes) {
        Ok(source) => check(source, file),
        Err(error) => {
            let at = error.valid_up_to();
            let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
            let index = LineIndex::new(valid);
            let mut d = Diagnostic::new(
                &structure::INVALID_ENCODING.meta,
                format!(
                    "the file is not valid UTF-8: invalid byte 0x{:02X} at byte offset {at}",
                    bytes[at]
                ),
                String::new(),
                ByteSpan::new(at, at),
                &index,
            );
            d.help("save the spec as UTF-8 text");
            d.file = file.to_string();
            Checked {
                spec: None,
                diagnostics: vec![d],
            }
        }
    }
}

/// Checks one spec given as text. `file` labels the diagnostics.
pub fn check(source: &str, file: &str) -> Checked {
    // Refuse oversized input before indexing or parsing any of it.
    let index = LineIndex::new(if source.len() > MAX_INPUT_BYTES {
        ""
    } else {
        source
    });
    let mut diagnostics = Vec::new();
    let spec = run(source, &index, &mut diagnostics);
    for d in &mut diagnostics {
        d.file = file.to_string();
    }
    diagnostic::sort(&mut diagnostics);
    Checked { spec, diagnostics }
}

fn run(source: &str, index: &LineIndex, out: &mut Vec<Diagnostic>) -> Option<Spec> {
    if source.len() > MAX_INPUT_BYTES {
        let mut d = Diagnostic::new(
            &structure::INPUT_LIMIT.meta,
            format!(
                "the file is {} bytes; specs are limited to {MAX_INPUT_BYTES} bytes",
                source.len()
            ),
            String::new(),
            ByteSpan::new(0, 0),
            index,
        );
        d.help("a spec is a few kilobytes; check that this is the right file");
        out.push(d);
        return None;
    }
    let parse_findings = out.len();
    let tree = parse_tree(source, index, out)?;
    let yaml_sound = out.len() == parse_findings;
    let document = tree.to_json();
    let schema_errors = schema_check::validate(&document, &tree, index);
    // Semantic rules only judge a document that parsed cleanly and has the right shape: a
    // tagged or duplicated value would otherwise be judged as something the author didn't write.
    let structurally_sound = schema_errors.is_empty() && yaml_sound;
    out.extend(schema_errors);
    if !structurally_sound {
        return None;
    }
    let spec = match deserialize(&document) {
        Ok(spec) => spec,
        Err((pointer, message)) => {
            let span = tree.span_for(&pointer);
            let mut d = Diagnostic::new(&structure::WRONG_TYPE.meta, message, pointer, span, index);
            d.help("use a value this field can hold (counts and sizes are whole numbers from 0 to 4294967295)");
            out.push(d);
            return None;
        }
    };
    if spec.version != 1 {
        let mut d = Diagnostic::new(
            &structure::UNSUPPORTED_VERSION.meta,
            format!(
                "spec version {} is not supported; this multirun reads version 1",
                spec.version
            ),
            "/version".into(),
            tree.span_for("/version"),
            index,
        );
        d.help("set `version: 1`").suggest("1");
        out.push(d);
        return None;
    }
    let mut report = Report::new(&tree, index);
    rules::run_semantic(
        &Context {
            spec: &spec,
            tree: &tree,
        },
        &mut report,
    );
    let allowed = allowed_rules(&spec, &mut report);
    out.extend(
        report
            .diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Error || !allowed.contains(&d.code.as_str())),
    );
    Some(spec)
}

fn parse_tree(source: &str, index: &LineIndex, out: &mut Vec<Diagnostic>) -> Option<Node> {
    let (tree, problems) = yaml::parse(source, Limits::default());
    // An empty file (or only comments) is an empty document: the schema then says what's missing.
    let tree = if tree.is_none() && problems.is_empty() {
        Some(Node {
            value: yaml::Value::Null,
            span: ByteSpan::new(0, 0),
        })
    } else {
        tree
    };
    for problem in problems {
        let (rule, message, help): (_, String, &str) = match problem.kind {
            ProblemKind::Syntax(info) => (
                &structure::YAML_SYNTAX.meta,
                format!("invalid YAML: {info}"),
                "fix the YAML syntax at this position",
            ),
            ProblemKind::NonStringKey => (
                &structure::YAML_SYNTAX.meta,
                "mapping keys must be plain strings".into(),
                "use a plain string as the key",
            ),
            ProblemKind::DuplicateKey(key) => (
                &structure::DUPLICATE_KEY.meta,
                format!("duplicate key `{key}`; the first value is used"),
                "remove or rename one of the two keys",
            ),
            ProblemKind::UnsupportedTag(tag) => (
                &structure::UNSUPPORTED_YAML.meta,
                format!("YAML tag `{tag}` is not supported"),
                "remove the tag; specs use plain strings, numbers, booleans, lists and mappings",
            ),
            ProblemKind::InvalidTaggedValue(tag) => (
                &structure::UNSUPPORTED_YAML.meta,
                format!("value does not match its tag `{tag}`"),
                "remove the tag or fix the value",
            ),
            ProblemKind::MultipleDocuments => (
                &structure::UNSUPPORTED_YAML.meta,
                "only the first YAML document is read; a spec file holds one document".into(),
                "put each spec in its own file",
            ),
            ProblemKind::TooDeep(limit) => (
                &structure::INPUT_LIMIT.meta,
                format!("nesting deeper than {limit} levels"),
                "a spec is nested a few levels deep; check that this is the right file",
            ),
            ProblemKind::AliasExpansion(limit) => (
                &structure::INPUT_LIMIT.meta,
                format!("aliases expand to more than {limit} nodes"),
                "expand fewer aliases; a spec has a few hundred nodes",
            ),
        };
        // A parser error is a position; underline the character there so it can be seen.
        let span = if problem.span.start == problem.span.end {
            let width = source[problem.span.start..]
                .chars()
                .next()
                .filter(|c| *c != '\n')
                .map_or(0, char::len_utf8);
            ByteSpan::new(problem.span.start, problem.span.start + width)
        } else {
            problem.span
        };
        let mut d = Diagnostic::new(rule, message, String::new(), span, index);
        d.help(help);
        out.push(d);
    }
    tree
}

/// Deserializes the schema-checked document; the path locates any remaining mismatch (numbers
/// beyond a field's range, which JSON Schema's integer type does not bound).
fn deserialize(document: &serde_json::Value) -> Result<Spec, (String, String)> {
    serde_path_to_error::deserialize(document).map_err(|error| {
        let pointer: String = error
            .path()
            .iter()
            .filter_map(|segment| match segment {
                serde_path_to_error::Segment::Seq { index } => Some(format!("/{index}")),
                serde_path_to_error::Segment::Map { key } => {
                    Some(format!("/{}", yaml::escape_pointer_segment(key)))
                }
                _ => None,
            })
            .collect();
        (pointer, error.inner().to_string())
    })
}

/// The codes `lint.allow` silences; entries that name no rule, or an error rule, are reported.
fn allowed_rules(spec: &Spec, report: &mut Report) -> Vec<&'static str> {
    let mut allowed = Vec::new();
    for (i, entry) in spec.lint.allow.iter().enumerate() {
        let pointer = format!("/lint/allow/{i}");
        match rules::find(entry) {
            Some(rule) if rule.severity == Severity::Error => {
                report
                    .at(
                        &structure::INVALID_VALUE,
                        pointer,
                        format!(
                            "`{}` ({}) is an error and cannot be silenced",
                            rule.code, rule.name
                        ),
                    )
                    .help("errors describe what Google Cloud rejects; fix the spec instead");
            }
            Some(rule) => allowed.push(rule.code),
            None => {
                report
                    .at(
                        &structure::INVALID_VALUE,
                        pointer,
                        format!("`{entry}` names no multirun rule"),
                    )
                    .help("use a rule code such as `MR105`; `multirun rules` lists them");
            }
        }
    }
    allowed
}
