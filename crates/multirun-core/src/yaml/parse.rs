//! Builds the spanned tree from saphyr-parser events, with bounded depth, bounded alias
//! expansion, YAML 1.2 core-schema scalars, and problems reported instead of panics.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};

use super::{Entry, Node, Value};
use crate::text::ByteSpan;

/// Bounds that keep hostile input (alias bombs, deep nesting) cheap to reject.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_depth: usize,
    /// Nodes in the tree after aliases are expanded.
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 64,
            max_nodes: 100_000,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ProblemKind {
    Syntax(String),
    DuplicateKey(String),
    NonStringKey,
    UnsupportedTag(String),
    InvalidTaggedValue(String),
    MultipleDocuments,
    TooDeep(usize),
    AliasExpansion(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParseProblem {
    pub kind: ProblemKind,
    pub span: ByteSpan,
}

/// Parses the first YAML document of `source`. Returns the tree (when one could be built) and
/// every problem found on the way.
pub fn parse(source: &str, limits: Limits) -> (Option<Node>, Vec<ParseProblem>) {
    let mut builder = Builder::new(source, limits);
    let outcome = builder.run();
    let mut problems = builder.problems;
    if let Err(fatal) = outcome {
        problems.push(fatal);
        return (None, problems);
    }
    (builder.root, problems)
}

enum Frame {
    Seq {
        items: Vec<Node>,
        start: usize,
        anchor: usize,
    },
    Map {
        entries: Vec<Entry>,
        pending_key: Option<(String, ByteSpan)>,
        start: usize,
        anchor: usize,
    },
}

struct Builder<'s> {
    source: &'s str,
    /// Byte offset of each character index; empty when the source is ASCII (identity).
    char_to_byte: Vec<usize>,
    limits: Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    node_count: usize,
    root: Option<Node>,
    problems: Vec<ParseProblem>,
}

impl<'s> Builder<'s> {
    fn new(source: &'s str, limits: Limits) -> Self {
        let char_to_byte = if source.is_ascii() {
            Vec::new()
        } else {
            source
                .char_indices()
                .map(|(b, _)| b)
                .chain(std::iter::once(source.len()))
                .collect()
        };
        Builder {
            source,
            char_to_byte,
            limits,
            stack: Vec::new(),
            anchors: HashMap::new(),
            node_count: 0,
            root: None,
            problems: Vec::new(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.char_to_byte.is_empty() {
            char_index.min(self.source.len())
        } else {
            self.char_to_byte
                .get(char_index)
                .copied()
                .unwrap_or(self.source.len())
        }
    }

    fn span(&self, span: Span) -> ByteSpan {
        ByteSpan::new(self.byte(span.start.index()), self.byte(span.end.index()))
    }

    /// A problem after which the tree is unusable: `run` stops with it as its error.
    fn fatal(&self, kind: ProblemKind, span: ByteSpan) -> ParseProblem {
        ParseProblem { kind, span }
    }

    fn run(&mut self) -> Result<(), ParseProblem> {
        let mut documents = 0;
        for event in Parser::new_from_str(self.source) {
            let (event, span) = match event {
                Ok(ok) => ok,
                Err(error) => {
                    let at = self.byte(error.marker().index());
                    // The scanner has its own nesting bound; report it as the limit it is.
                    let kind = if error.info().contains("recursion limit") {
                        ProblemKind::TooDeep(self.limits.max_depth)
                    } else {
                        ProblemKind::Syntax(error.info().to_string())
                    };
                    return Err(self.fatal(kind, ByteSpan::new(at, at)));
                }
            };
            let bytes = self.span(span);
            match event {
                Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => {}
                Event::DocumentStart(_) => {
                    documents += 1;
                    if documents > 1 {
                        // Later documents are never read: a spec is one document.
                        self.problems.push(ParseProblem {
                            kind: ProblemKind::MultipleDocuments,
                            span: bytes,
                        });
                        return Ok(());
                    }
                }
                Event::Alias(id) => {
                    let Some((node, size)) = self.anchors.get(&id).cloned() else {
                        return Err(self.fatal(ProblemKind::Syntax("unknown alias".into()), bytes));
                    };
                    self.count(size, bytes)?;
                    // The alias's own position is where a finding about it should point.
                    self.push_node(
                        Node {
                            span: bytes,
                            ..node
                        },
                        0,
                    )?;
                }
                Event::Scalar(text, style, anchor, tag) => {
                    self.count(1, bytes)?;
                    let value = self.scalar(&text, style, tag.as_deref(), bytes)?;
                    self.push_node(Node { value, span: bytes }, anchor)?;
                }
                Event::SequenceStart(anchor, tag) => {
                    self.check_collection_tag(tag.as_deref(), "seq", bytes);
                    self.open(
                        Frame::Seq {
                            items: Vec::new(),
                            start: bytes.start,
                            anchor,
                        },
                        bytes,
                    )?;
                }
                Event::MappingStart(anchor, tag) => {
                    self.check_collection_tag(tag.as_deref(), "map", bytes);
                    self.open(
                        Frame::Map {
                            entries: Vec::new(),
                            pending_key: None,
                            start: bytes.start,
                            anchor,
                        },
                        bytes,
                    )?;
                }
                Event::SequenceEnd => {
                    if let Some(Frame::Seq {
                        items,
                        start,
                        anchor,
                    }) = self.stack.pop()
                    {
                        let end = items.last().map_or(bytes.end, |n| n.span.end);
                        self.push_node(
                            Node {
                                value: Value::Seq(items),
                                span: ByteSpan::new(start, end),
                            },
                            anchor,
                        )?;
                    }
                }
                Event::MappingEnd => {
                    if let Some(Frame::Map {
                        entries,
                        start,
                        anchor,
                        ..
                    }) = self.stack.pop()
                    {
                        let end = entries.last().map_or(bytes.end, |e| e.value.span.end);
                        self.push_node(
                            Node {
                                value: Value::Map(entries),
                                span: ByteSpan::new(start, end),
                            },
                            anchor,
                        )?;
                    }
                }
            }
        }
        Ok(())
    }

    fn count(&mut self, nodes: usize, span: ByteSpan) -> Result<(), ParseProblem> {
        self.node_count = self.node_count.saturating_add(nodes);
        if self.node_count > self.limits.max_nodes {
            return Err(self.fatal(ProblemKind::AliasExpansion(self.limits.max_nodes), span));
        }
        Ok(())
    }

    fn open(&mut self, frame: Frame, span: ByteSpan) -> Result<(), ParseProblem> {
        self.count(1, span)?;
        if self.stack.len() >= self.limits.max_depth {
            return Err(self.fatal(ProblemKind::TooDeep(self.limits.max_depth), span));
        }
        self.stack.push(frame);
        Ok(())
    }

    fn push_node(&mut self, node: Node, anchor: usize) -> Result<(), ParseProblem> {
        if anchor > 0 {
            let size = node_size(&node);
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                None => {
                    let key = match &node.value {
                        Value::Str(s) => s.clone(),
                        Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Null => self
                            .source
                            .get(node.span.start..node.span.end)
                            .unwrap_or_default()
                            .to_string(),
                        Value::Seq(_) | Value::Map(_) => {
                            self.problems.push(ParseProblem {
                                kind: ProblemKind::NonStringKey,
                                span: node.span,
                            });
                            String::new()
                        }
                    };
                    *pending_key = Some((key, node.span));
                }
                Some((key, key_span)) => {
                    if entries.iter().any(|e| e.key == key) {
                        // The first occurrence wins, as in most YAML loaders that allow duplicates.
                        self.problems.push(ParseProblem {
                            kind: ProblemKind::DuplicateKey(key),
                            span: key_span,
                        });
                    } else {
                        entries.push(Entry {
                            key,
                            key_span,
                            value: node,
                        });
                    }
                }
            },
        }
        Ok(())
    }

    fn check_collection_tag(&mut self, tag: Option<&Tag>, expected: &str, span: ByteSpan) {
        if let Some(tag) = tag {
            if !(tag.is_yaml_core_schema() && tag.suffix == expected) {
                self.problems.push(ParseProblem {
                    kind: ProblemKind::UnsupportedTag(tag.to_string()),
                    span,
                });
            }
        }
    }

    fn scalar(
        &mut self,
        text: &str,
        style: ScalarStyle,
        tag: Option<&Tag>,
        span: ByteSpan,
    ) -> Result<Value, ParseProblem> {
        if let Some(tag) = tag {
            if !tag.is_yaml_core_schema()
                || !matches!(
                    tag.suffix.as_str(),
                    "str" | "int" | "float" | "bool" | "null"
                )
            {
                self.problems.push(ParseProblem {
                    kind: ProblemKind::UnsupportedTag(tag.to_string()),
                    span,
                });
                return Ok(Value::Str(text.to_string()));
            }
            let resolved = resolve_plain(text);
            let ok = match (tag.suffix.as_str(), &resolved) {
                ("str", _) => return Ok(Value::Str(text.to_string())),
                ("int", Value::Int(_)) | ("bool", Value::Bool(_)) | ("null", Value::Null) => true,
                ("float", Value::Int(i)) => return Ok(Value::Float(*i as f64)),
                ("float", Value::Float(_)) => true,
                _ => false,
            };
            if !ok {
                self.problems.push(ParseProblem {
                    kind: ProblemKind::InvalidTaggedValue(format!("!!{}", tag.suffix)),
                    span,
                });
                return Ok(Value::Str(text.to_string()));
            }
            return Ok(resolved);
        }
        Ok(match style {
            ScalarStyle::Plain => resolve_plain(text),
            _ => Value::Str(text.to_string()),
        })
    }
}

fn node_size(node: &Node) -> usize {
    match &node.value {
        Value::Seq(items) => 1 + items.iter().map(node_size).sum::<usize>(),
        Value::Map(entries) => {
            1 + entries
                .iter()
                .map(|e| 1 + node_size(&e.value))
                .sum::<usize>()
        }
        _ => 1,
    }
}

/// YAML 1.2 core schema resolution of a plain scalar.
fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return i64::from_str_radix(hex, 16)
                .map_or_else(|_| Value::Str(text.to_string()), Value::Int);
        }
    }
    if let Some(oct) = text.strip_prefix("0o") {
        if !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
            return i64::from_str_radix(oct, 8)
                .map_or_else(|_| Value::Str(text.to_string()), Value::Int);
        }
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        // Integers beyond i64 stay numbers (as floats) so the schema reports them as out of range
        // or of the wrong type, rather than silently turning them into strings.
        return text
            .parse::<i64>()
            .map(Value::Int)
            .unwrap_or_else(|_| Value::Float(text.parse::<f64>().unwrap_or(f64::INFINITY)));
    }
    if is_float(digits) {
        if let Ok(f) = text.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::Str(text.to_string())
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` from the YAML 1.2 core schema.
fn is_float(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match frac_part {
        Some(f) => all_digits(int_part) && all_digits(f) && !(int_part.is_empty() && f.is_empty()),
        None => !int_part.is_empty() && all_digits(int_part),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && all_digits(e)
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(src: &str) -> Node {
        let (node, problems) = parse(src, Limits::default());
        assert!(problems.is_empty(), "{problems:?}");
        node.unwrap()
    }

    #[test]
    fn scalars_follow_the_yaml_1_2_core_schema() {
        let node = root("a: 1\nb: 1.5\nc: yes\nd: ~\ne: '1'\nf: 0x1F\ng: true\n");
        assert_eq!(
            node.to_json(),
            serde_json::json!({"a":1,"b":1.5,"c":"yes","d":null,"e":"1","f":31,"g":true})
        );
    }

    #[test]
    fn spans_point_at_keys_and_values() {
        let src = "service:\n  name: my-app\n";
        let node = root(src);
        let span = node.span_for("/service/name");
        assert_eq!(&src[span.start..span.end], "my-app");
        let key = node.key_span_for("/service/name");
        assert_eq!(&src[key.start..key.end], "name");
    }

    #[test]
    fn duplicate_keys_are_reported_at_the_second_key() {
        let src = "a: 1\na: 2\n";
        let (node, problems) = parse(src, Limits::default());
        assert_eq!(node.unwrap().to_json(), serde_json::json!({"a": 1}));
        assert_eq!(problems[0].kind, ProblemKind::DuplicateKey("a".into()));
        assert_eq!(problems[0].span.start, 5);
    }

    #[test]
    fn alias_bombs_stop_at_the_node_limit() {
        let mut src = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            src.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let (node, problems) = parse(&src, Limits::default());
        assert!(node.is_none());
        assert!(matches!(
            problems.last().unwrap().kind,
            ProblemKind::AliasExpansion(_)
        ));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let src = "[".repeat(10_000);
        let (node, problems) = parse(&src, Limits::default());
        assert!(node.is_none());
        assert!(
            matches!(problems.last().unwrap().kind, ProblemKind::TooDeep(_)),
            "{problems:?}"
        );
    }

    #[test]
    fn custom_tags_and_extra_documents_are_problems() {
        let (_, problems) = parse(
            "a: !custom x\nb: !!binary aGk=\n---\nc: 1\n",
            Limits::default(),
        );
        let kinds: Vec<_> = problems.iter().map(|p| p.kind.clone()).collect();
        assert_eq!(
            kinds,
            vec![
                ProblemKind::UnsupportedTag("!custom".into()),
                ProblemKind::UnsupportedTag("tag:yaml.org,2002:!binary".into()),
                ProblemKind::MultipleDocuments,
            ]
        );
    }
}
