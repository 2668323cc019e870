//! Handlebars helpers: one escaper per output language, plus small formatting helpers.
//! Every user value reaches an output through one of the escapers.

use handlebars::{handlebars_helper, Handlebars};
use serde_json::Value;

use super::escape;

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

handlebars_helper!(sh: |v: Value| escape::shell(&text(&v)));
handlebars_helper!(hcl: |v: Value| escape::hcl(&text(&v)));
handlebars_helper!(yaml: |v: Value| escape::yaml(&text(&v)));
handlebars_helper!(cloudbuild: |v: Value| escape::cloudbuild(&text(&v)));
handlebars_helper!(xml: |v: Value| escape::xml(&text(&v)));
handlebars_helper!(mermaid: |v: Value| escape::mermaid(&text(&v)));
// `json` writes any value as JSON: strings quoted and escaped, numbers and objects as is.
handlebars_helper!(json: |v: Value| serde_json::to_string(&v).expect("JSON values serialize"));
handlebars_helper!(json_pretty: |v: Value| serde_json::to_string_pretty(&v).expect("JSON values serialize"));

pub fn register(registry: &mut Handlebars) {
    registry.register_helper("sh", Box::new(sh));
    registry.register_helper("hcl", Box::new(hcl));
    registry.register_helper("yaml", Box::new(yaml));
    registry.register_helper("cloudbuild", Box::new(cloudbuild));
    registry.register_helper("xml", Box::new(xml));
    registry.register_helper("mermaid", Box::new(mermaid));
    registry.register_helper("json", Box::new(json));
    registry.register_helper("json_pretty", Box::new(json_pretty));
}
