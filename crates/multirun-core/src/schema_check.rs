//! Structural validation against the generated JSON Schema (`schemas/multirun.schema.json`),
//! with every error mapped back to the source span of the offending key or value.

use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::rules::structure;
use crate::text::suggest::did_you_mean;
use crate::text::LineIndex;
use crate::yaml::{escape_pointer_segment, Node};

/// The schema users' editors see; the structural check uses exactly the same file.
pub const SCHEMA_JSON: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../schemas/multirun.schema.json"
));

fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        serde_json::from_str(SCHEMA_JSON)
            .expect("schemas/multirun.schema.json is valid JSON (checked by tests)")
    })
}

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        jsonschema::validator_for(schema())
            .expect("the generated schema compiles (checked by tests)")
    })
}

pub fn validate(document: &Value, tree: &Node, index: &LineIndex) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for error in validator().iter_errors(document) {
        let pointer = error.instance_path().as_str().to_string();
        let instance = error.instance();
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let known = property_names(&pointer);
                for key in unexpected {
                    let key_pointer = format!("{pointer}/{}", escape_pointer_segment(key));
                    let span = tree.key_span_for(&key_pointer);
                    let mut d = Diagnostic::new(
                        &structure::UNKNOWN_FIELD.meta,
                        format!("unknown field `{key}`{}", describe_parent(&pointer)),
                        key_pointer,
                        span,
                        index,
                    );
                    match did_you_mean(key, known.iter().map(String::as_str)) {
                        Some(name) => {
                            d.help(format!("did you mean `{name}`?")).suggest(name);
                        }
                        None => {
                            d.help(format!(
                                "expected one of: {}",
                                known
                                    .iter()
                                    .map(|k| format!("`{k}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ));
                        }
                    }
                    out.push(d);
                }
            }
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                let span = tree.span_for(&format!("{pointer}/{}", escape_pointer_segment(name)));
                let mut d = Diagnostic::new(
                    &structure::MISSING_FIELD.meta,
                    format!(
                        "missing required field `{name}`{}",
                        describe_parent(&pointer)
                    ),
                    pointer.clone(),
                    span,
                    index,
                );
                d.help(format!("add `{name}:` here"));
                out.push(d);
            }
            ValidationErrorKind::Type { kind } => {
                let expected = format!("{kind:?}").to_lowercase();
                let expected = expected
                    .trim_start_matches("single(")
                    .trim_end_matches(')')
                    .to_string();
                let span = tree.span_for(&pointer);
                let mut d = Diagnostic::new(
                    &structure::WRONG_TYPE.meta,
                    format!(
                        "expected {}, found {}",
                        type_words(&expected),
                        describe_value(instance)
                    ),
                    pointer.clone(),
                    span,
                    index,
                );
                if let Some(help) = type_help(&expected, instance) {
                    d.help(help);
                }
                out.push(d);
            }
            ValidationErrorKind::Enum { .. } | ValidationErrorKind::OneOfNotValid { .. }
                if !allowed_values(&pointer).is_empty() =>
            {
                let allowed = allowed_values(&pointer);
                let choices: Vec<&str> = allowed.iter().map(String::as_str).collect();
                let span = tree.span_for(&pointer);
                let mut d = Diagnostic::new(
                    &structure::INVALID_VALUE.meta,
                    format!(
                        "{} is not one of {}",
                        describe_value(instance),
                        choices
                            .iter()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    pointer.clone(),
                    span,
                    index,
                );
                match instance
                    .as_str()
                    .and_then(|s| did_you_mean(s, choices.iter().copied()))
                {
                    Some(choice) => {
                        d.help(format!("did you mean `{choice}`?")).suggest(choice);
                    }
                    None => {
                        d.help("use one of the listed values");
                    }
                }
                out.push(d);
            }
            ValidationErrorKind::Minimum { limit } => {
                let span = tree.span_for(&pointer);
                let mut d = Diagnostic::new(
                    &structure::INVALID_VALUE.meta,
                    format!(
                        "{} is below the minimum of {limit}",
                        describe_value(instance)
                    ),
                    pointer.clone(),
                    span,
                    index,
                );
                d.help(format!("use a value of at least {limit}"));
                out.push(d);
            }
            ValidationErrorKind::MinItems { limit } => {
                let span = tree.span_for(&pointer);
                let field = pointer.trim_start_matches('/').replace('/', ".");
                let mut d = Diagnostic::new(
                    &structure::INVALID_VALUE.meta,
                    format!(
                        "`{field}` needs at least {limit} item{}",
                        if *limit == 1 { "" } else { "s" }
                    ),
                    pointer.clone(),
                    span,
                    index,
                );
                d.help("add an entry");
                out.push(d);
            }
            _ => {
                let span = tree.span_for(&pointer);
                out.push(Diagnostic::new(
                    &structure::INVALID_VALUE.meta,
                    error.to_string(),
                    pointer.clone(),
                    span,
                    index,
                ));
            }
        }
    }
    out
}

fn describe_parent(pointer: &str) -> String {
    if pointer.is_empty() {
        String::new()
    } else {
        format!(
            " in `{}`",
            pointer.trim_start_matches('/').replace('/', ".")
        )
    }
}

fn type_words(expected: &str) -> String {
    match expected {
        "integer" => "a whole number".into(),
        "number" => "a number".into(),
        "string" => "a string".into(),
        "boolean" => "`true` or `false`".into(),
        "object" => "a mapping".into(),
        "array" => "a list".into(),
        other => other.to_string(),
    }
}

fn type_help(expected: &str, instance: &Value) -> Option<String> {
    match (expected, instance) {
        ("integer", Value::Number(n)) if n.is_f64() => Some("remove the fractional part".into()),
        ("integer" | "number", Value::String(s)) if s.trim().parse::<f64>().is_ok() => {
            Some(format!("remove the quotes: `{}`", s.trim()))
        }
        ("string", Value::Number(_) | Value::Bool(_)) => {
            Some(format!("quote the value: `\"{instance}\"`"))
        }
        ("boolean", Value::String(s))
            if matches!(s.as_str(), "yes" | "no" | "on" | "off" | "y" | "n") =>
        {
            Some("YAML 1.2 reads yes/no/on/off as strings; write `true` or `false`".into())
        }
        ("array", Value::String(_)) => {
            Some("write a list: `[a, b]` or one `- item` per line".into())
        }
        _ => None,
    }
}

/// A short human description of a value for messages.
pub(crate) fn describe_value(value: &Value) -> String {
    match value {
        Value::Null => "an empty value".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("`{n}`"),
        Value::String(s) => {
            let short: String = s.chars().take(40).collect();
            let ellipsis = if s.chars().count() > 40 { "…" } else { "" };
            format!("the string \"{short}{ellipsis}\"")
        }
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a mapping".into(),
    }
}

/// The schema node describing the value under `pointer`, following `properties`, `items` and
/// `$ref`s.
fn schema_at(pointer: &str) -> Option<&'static Value> {
    let root = schema();
    let mut node = resolve(root, root);
    if !pointer.is_empty() {
        for segment in pointer.trim_start_matches('/').split('/') {
            let next = match node.get("properties") {
                Some(props) => props.get(segment.replace("~1", "/").replace("~0", "~").as_str()),
                None => node.get("items"),
            };
            node = resolve(root, next?);
        }
    }
    Some(node)
}

/// The property names the schema allows at the object under `pointer`.
fn property_names(pointer: &str) -> Vec<String> {
    schema_at(pointer)
        .and_then(|n| n.get("properties"))
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// The fixed values allowed under `pointer`: an `enum`, or a `oneOf` of documented `const`s
/// (how schemars writes an enum whose variants carry doc comments).
fn allowed_values(pointer: &str) -> Vec<String> {
    let Some(node) = schema_at(pointer) else {
        return Vec::new();
    };
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        return values
            .iter()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect();
    }
    node.get("oneOf")
        .and_then(Value::as_array)
        .map(|branches| {
            branches
                .iter()
                .filter_map(|b| b.get("const").and_then(Value::as_str))
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// Follows `$ref`s, and single-entry `allOf`s (how draft-07 schemas put a description next
/// to a `$ref`), to the schema node that describes the value.
fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..8 {
        if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            let Some(target) = reference.strip_prefix('#').and_then(|p| root.pointer(p)) else {
                break;
            };
            node = target;
        } else if let Some([only]) = node
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            node = only;
        } else {
            break;
        }
    }
    node
}
