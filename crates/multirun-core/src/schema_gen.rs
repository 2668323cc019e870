//! Generates `schemas/multirun.schema.json` from the Rust types (feature `schema`).

use serde_json::Value;

use crate::spec::Spec;

/// The JSON Schema text exactly as checked in (pretty-printed, trailing newline).
pub fn generate() -> String {
    // Draft-07: every editor's YAML/JSON language server supports it, and the jsonschema crate
    // compiles it in a third of the time of 2020-12 (its meta-schema check is far smaller),
    // which is most of a one-spec `multirun validate` run.
    let schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<Spec>();
    let mut value = serde_json::to_value(&schema).expect("schema serializes");
    drop_null_alternatives(&mut value);
    let mut text = serde_json::to_string_pretty(&value).expect("schema serializes");
    text.push('\n');
    text
}

/// `Option<T>` fields mean "may be omitted", not "may be null". Removing the `null`
/// alternatives keeps `anyOf` out of the schema, so errors inside optional objects stay
/// precise (an `anyOf` failure says only "matched no alternative").
fn drop_null_alternatives(node: &mut Value) {
    match node {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            let any_of_without_null =
                map.get("anyOf")
                    .and_then(Value::as_array)
                    .and_then(|alternatives| {
                        let rest: Vec<&Value> = alternatives
                            .iter()
                            .filter(|a| a.get("type") != Some(&Value::from("null")))
                            .collect();
                        (rest.len() == 1 && rest.len() < alternatives.len())
                            .then(|| rest[0].clone())
                    });
            if let Some(Value::Object(inner)) = any_of_without_null {
                map.remove("anyOf");
                map.extend(inner);
            }
            if map.get("default") == Some(&Value::Null) {
                map.remove("default");
            }
            map.values_mut().for_each(drop_null_alternatives);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null_alternatives),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    /// The checked-in schema must match the types. `MULTIRUN_UPDATE_GENERATED=1` rewrites it.
    #[test]
    fn checked_in_schema_is_up_to_date() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../schemas/multirun.schema.json"
        );
        let fresh = super::generate();
        if std::env::var_os("MULTIRUN_UPDATE_GENERATED").is_some() {
            std::fs::write(path, &fresh).unwrap();
        }
        let current = std::fs::read_to_string(path).unwrap_or_default();
        assert!(current == fresh, "schemas/multirun.schema.json is stale: run `MULTIRUN_UPDATE_GENERATED=1 cargo test -p multirun-core`");
    }
}
