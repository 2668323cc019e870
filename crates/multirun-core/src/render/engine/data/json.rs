//! [`Data`] written as JSON straight into an output, byte for byte as `serde_json::to_string`
//! and `to_string_pretty` write it (the tests compare them). Going through serde_json meant a
//! `Serialize` walk into a fresh buffer, grown and then copied into the output, for every
//! `{{json}}` call: a fifth of a render of every region, where each alert policy file is one
//! `{{json_pretty policy}}`.

use super::{write_number, Data};
use crate::render::escape::push_json;

/// serde_json's `PrettyFormatter` indents by two spaces per level.
const INDENT: &str = "  ";
/// A line break and the indentation of the levels up to 16, to write with one `push_str`: the
/// alert policies and the dashboard are pretty JSON, a few levels deep on every line.
const NEWLINE_INDENTED: &str = "\n                                ";

impl Data<'_> {
    /// Appends the value as compact JSON (`serde_json::to_string`).
    pub(crate) fn write_json(&self, out: &mut String) {
        write_value(self, None, out);
    }

    /// Appends the value as pretty JSON (`serde_json::to_string_pretty`).
    pub(crate) fn write_json_pretty(&self, out: &mut String) {
        write_value(self, Some(0), out);
    }
}

/// `depth` is the pretty printer's current indentation level, `None` when compact.
fn write_value(value: &Data, depth: Option<usize>, out: &mut String) {
    match value {
        Data::Null => out.push_str("null"),
        Data::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        // serde_json writes a number as its `Display` does (itoa, and zmij for floats).
        Data::Number(n) => write_number(n, out),
        Data::String(s) => push_json(s, out),
        Data::Array(items) => write_container(
            ('[', ']'),
            items.iter().map(|item| (None, item)),
            depth,
            out,
        ),
        Data::Object(fields) => write_container(
            ('{', '}'),
            fields.iter().map(|(key, value)| (Some(*key), value)),
            depth,
            out,
        ),
    }
}

/// An array or object: empty ones as `[]` and `{}` in both styles; pretty ones with each entry
/// on its own line, one level deeper, and `": "` after keys.
fn write_container<'a>(
    (open, close): (char, char),
    entries: impl ExactSizeIterator<Item = (Option<&'a str>, &'a Data<'a>)>,
    depth: Option<usize>,
    out: &mut String,
) {
    out.push(open);
    if entries.len() == 0 {
        out.push(close);
        return;
    }
    let inner = depth.map(|d| d + 1);
    for (i, (key, value)) in entries.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if let Some(level) = inner {
            push_newline(level, out);
        }
        if let Some(key) = key {
            push_json(key, out);
            out.push_str(if inner.is_some() { ": " } else { ":" });
        }
        write_value(value, inner, out);
    }
    if let Some(level) = depth {
        push_newline(level, out);
    }
    out.push(close);
}

/// A line break, then the indentation of `level`.
fn push_newline(level: usize, out: &mut String) {
    match NEWLINE_INDENTED.get(..1 + level * INDENT.len()) {
        Some(indented) => out.push_str(indented),
        None => {
            out.push_str(NEWLINE_INDENTED);
            for _ in NEWLINE_INDENTED.len() / INDENT.len()..level {
                out.push_str(INDENT);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn check(value: &serde_json::Value) {
        let arena = super::super::Arena::new();
        let data = Data::from_serialize(&arena, value);
        let mut compact = String::new();
        data.write_json(&mut compact);
        assert_eq!(compact, serde_json::to_string(value).unwrap());
        let mut pretty = String::new();
        data.write_json_pretty(&mut pretty);
        assert_eq!(pretty, serde_json::to_string_pretty(value).unwrap());
    }

    #[test]
    fn writes_what_serde_json_writes() {
        for value in [
            json!(null),
            json!(true),
            json!(false),
            json!(0),
            json!(-17),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(0.1),
            json!(1.0),
            json!(-2.5e-300),
            json!(1e300),
            json!(120.0),
            json!(""),
            json!("a \"b\" \\ \n\t\r\u{8}\u{c}\u{1}\u{1f}\u{7f} é 😀 \u{2028}"),
            json!([]),
            json!({}),
            json!([[]]),
            json!({"a": {}}),
            json!([1, "two", null, [3, [4, {}]], {"k": [], "\"q\"": {"deep": [true]}}]),
            json!({"z": 1, "a": [{"b": 2.5, "c": "x"}, []], "e": {"f": {"g": null}}}),
        ] {
            check(&value);
        }
    }

    /// Deeper than the prebuilt indentation, and at its edge.
    #[test]
    fn indents_deep_nesting_as_serde_json_does() {
        for depth in [15, 16, 17, 40] {
            let mut value = json!({"leaf": [1, 2]});
            for level in 0..depth {
                value = if level % 2 == 0 {
                    json!([value])
                } else {
                    json!({"k": value})
                };
            }
            check(&value);
        }
    }
}
