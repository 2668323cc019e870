//! Handlebars helpers: one escaper per output language, plus JSON output. Every user value
//! reaches an output through one of the escapers.
//!
//! They borrow their parameter and write straight to the output: the `handlebars_helper!`
//! macro deep-copies each parameter and wraps the result in a new JSON value, which made these
//! few-hundred-per-file calls a large share of render time.

use handlebars::{Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderErrorReason};
use serde_json::Value;

use super::escape;

/// Writes `format(param 0)`; a missing parameter is an error in strict mode.
struct Writer {
    name: &'static str,
    format: fn(&Value) -> String,
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
        let param = h.param(0).filter(|p| !(r.strict_mode() && p.is_value_missing())).ok_or(RenderErrorReason::ParamNotFoundForIndex(self.name, 0))?;
        out.write(&(self.format)(param.value()))?;
        Ok(())
    }
}

/// A value as text: strings as they are, nothing for null, anything else as JSON.
fn text(value: &Value, escape: fn(&str) -> String) -> String {
    match value {
        Value::String(s) => escape(s),
        Value::Null => escape(""),
        other => escape(&other.to_string()),
    }
}

const HELPERS: &[Writer] = &[
    Writer { name: "sh", format: |v| text(v, escape::shell) },
    Writer { name: "hcl", format: |v| text(v, escape::hcl) },
    Writer { name: "yaml", format: |v| text(v, escape::yaml) },
    Writer { name: "cloudbuild", format: |v| text(v, escape::cloudbuild) },
    Writer { name: "xml", format: |v| text(v, escape::xml) },
    Writer { name: "mermaid", format: |v| text(v, escape::mermaid) },
    // `json` writes any value as JSON: strings quoted and escaped, numbers and objects as is.
    Writer { name: "json", format: |v| serde_json::to_string(v).expect("JSON values serialize") },
    Writer { name: "json_pretty", format: |v| serde_json::to_string_pretty(v).expect("JSON values serialize") },
];

pub fn register(registry: &mut Handlebars) {
    for helper in HELPERS {
        registry.register_helper(helper.name, Box::new(Writer { name: helper.name, format: helper.format }));
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
        registry.register_template_string("t", "{{sh nothing}}").unwrap();
        assert!(registry.render("t", &serde_json::json!({})).is_err());
        registry.register_template_string("u", "{{sh a}} {{json b}}").unwrap();
        assert_eq!(registry.render("u", &serde_json::json!({"a": "x y", "b": {"k": 1}})).unwrap(), r#"'x y' {"k":1}"#);
    }
}
