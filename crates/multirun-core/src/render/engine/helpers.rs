//! Handlebars helpers: one escaper per output language, plus JSON output. Every user value
//! reaches an output through one of the escapers.
//!
//! They borrow their parameter and write straight to the output: the `handlebars_helper!`
//! macro deep-copies each parameter and wraps the result in a new JSON value, which made these
//! few-hundred-per-file calls a large share of render time.

use std::cell::RefCell;

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderErrorReason,
};
use serde_json::Value;

use super::data::Data;
use crate::render::escape;

/// Writes `format(param 0)`; a missing parameter is an error in strict mode.
struct Writer {
    name: &'static str,
    format: Format,
}

impl HelperDef for Writer {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let param = match h.param(0) {
            None => return Err(RenderErrorReason::ParamNotFoundForIndex(self.name, 0).into()),
            // Name the missing variable, as strict mode does for `{{path}}`.
            Some(p) if r.strict_mode() && p.is_value_missing() => {
                return Err(RenderErrorReason::MissingVariable(p.relative_path().cloned()).into())
            }
            Some(p) => p,
        };
        let mut text = String::new();
        self.format.write(param.value(), &mut text);
        out.write(&text)?;
        Ok(())
    }
}

/// What a helper writes for its parameter; shared by the handlebars crate's renderer (over
/// `serde_json::Value`) and the direct one (over `Data`), which must write the same bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Format {
    /// The value as text, escaped: strings as they are, nothing for null, anything else as JSON.
    Escaped(fn(&str, &mut String)),
    /// Any value as JSON: strings quoted and escaped, numbers and objects as is.
    Json,
    JsonPretty,
}

/// A value a helper can write: `serde_json::Value` or `Data`.
pub(crate) trait HelperValue {
    fn as_str(&self) -> Option<&str>;
    fn is_null(&self) -> bool;
    /// Appends the value as JSON, as `serde_json::to_string(_pretty)` writes it.
    fn write_json(&self, pretty: bool, out: &mut String);
}

impl HelperValue for Value {
    fn as_str(&self) -> Option<&str> {
        Value::as_str(self)
    }
    fn is_null(&self) -> bool {
        Value::is_null(self)
    }
    fn write_json(&self, pretty: bool, out: &mut String) {
        out.push_str(
            &if pretty {
                serde_json::to_string_pretty(self)
            } else {
                serde_json::to_string(self)
            }
            .expect("JSON values serialize"),
        );
    }
}

impl HelperValue for Data<'_> {
    fn as_str(&self) -> Option<&str> {
        match self {
            Data::String(s) => Some(s),
            _ => None,
        }
    }
    fn is_null(&self) -> bool {
        matches!(self, Data::Null)
    }
    fn write_json(&self, pretty: bool, out: &mut String) {
        if pretty {
            self.write_json_pretty(out);
        } else {
            Data::write_json(self, out);
        }
    }
}

impl Format {
    /// Appends what the helper writes for `value` to `out`.
    pub(crate) fn write(self, value: &impl HelperValue, out: &mut String) {
        match self {
            Format::Escaped(escape) => match value.as_str() {
                Some(s) => escape(s, out),
                None if value.is_null() => escape("", out),
                // A number or a boolean, mostly (the diagram's coordinates, ports, counts): its
                // JSON text goes through a buffer kept for the next, not a fresh one each time.
                None => {
                    thread_local! {
                        static JSON: RefCell<String> = const { RefCell::new(String::new()) };
                    }
                    JSON.with_borrow_mut(|json| {
                        json.clear();
                        value.write_json(false, json);
                        escape(json, out);
                    });
                }
            },
            Format::Json => value.write_json(false, out),
            Format::JsonPretty => value.write_json(true, out),
        }
    }
}

const HELPERS: &[Writer] = &[
    Writer {
        name: "sh",
        format: Format::Escaped(escape::push_shell),
    },
    Writer {
        name: "hcl",
        format: Format::Escaped(escape::push_hcl),
    },
    Writer {
        name: "yaml",
        format: Format::Escaped(escape::push_yaml),
    },
    Writer {
        name: "cloudbuild",
        format: Format::Escaped(escape::push_cloudbuild),
    },
    Writer {
        name: "xml",
        format: Format::Escaped(escape::push_xml),
    },
    Writer {
        name: "mermaid",
        format: Format::Escaped(escape::push_mermaid),
    },
    Writer {
        name: "json",
        format: Format::Json,
    },
    Writer {
        name: "json_pretty",
        format: Format::JsonPretty,
    },
];

/// The format of the helper `name`, if it is one of these.
pub(crate) fn format(name: &str) -> Option<Format> {
    HELPERS.iter().find(|h| h.name == name).map(|h| h.format)
}

pub(super) fn register(registry: &mut Handlebars) {
    for helper in HELPERS {
        registry.register_helper(
            helper.name,
            Box::new(Writer {
                name: helper.name,
                format: helper.format,
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_parameter_is_an_error_in_strict_mode() {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        register(&mut registry);
        registry
            .register_template_string("t", "{{sh nothing}}")
            .unwrap();
        assert!(registry.render("t", &serde_json::json!({})).is_err());
        registry
            .register_template_string("u", "{{sh a}} {{json b}}")
            .unwrap();
        assert_eq!(
            registry
                .render("u", &serde_json::json!({"a": "x y", "b": {"k": 1}}))
                .unwrap(),
            r#"'x y' {"k":1}"#
        );
    }
}
