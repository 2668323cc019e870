//! Reads the spec's JSON Schema (the embedded `schemas/multirun.schema.json`) for a key path:
//! its description, default, allowed values and child keys. The schema is what schemars
//! derives from the spec's types: `$ref` into `definitions`, `allOf` wrappers that carry a
//! field's description, and `oneOf` of `const`s for documented enums.

use std::sync::OnceLock;

use serde_json::Value;

use crate::schema_check::SCHEMA_JSON;

fn root() -> &'static Value {
    static ROOT: OnceLock<Value> = OnceLock::new();
    ROOT.get_or_init(|| serde_json::from_str(SCHEMA_JSON).expect("the embedded schema is JSON"))
}

/// What the schema says about one key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeyInfo {
    pub description: Option<String>,
    pub default: Option<Value>,
    /// Allowed values with their own descriptions, for enums.
    pub allowed: Vec<(Value, Option<String>)>,
    pub types: Vec<String>,
    /// Child keys of an object, in schema order, with their descriptions.
    pub properties: Vec<(String, Option<String>)>,
    /// Whether the value is a list (then `item` describes its entries).
    pub is_list: bool,
    pub required: Vec<String>,
}

fn deref(node: &'static Value) -> &'static Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix("#/definitions/")
            .and_then(|name| root()["definitions"].get(name))
            .unwrap_or(node),
        None => node,
    }
}

/// The schema nodes that together describe one value: the node, its `$ref` target and its
/// `allOf` parts (outermost first, so a field's own description wins over its type's).
fn parts(node: &'static Value) -> Vec<&'static Value> {
    let mut out = vec![node];
    let mut i = 0;
    while i < out.len() && out.len() < 16 {
        let current = out[i];
        let target = deref(current);
        if !std::ptr::eq(target, current) {
            out.push(target);
        }
        if let Some(all) = current.get("allOf").and_then(Value::as_array) {
            out.extend(all.iter());
        }
        i += 1;
    }
    out
}

/// The schema node for a key path (object keys; list entries as any segment that is a number).
fn node_at(path: &[String]) -> Option<&'static Value> {
    let mut node = root();
    for segment in path {
        let candidates = parts(node);
        let list_item = candidates.iter().find_map(|p| p.get("items"));
        let child = candidates
            .iter()
            .find_map(|p| p.get("properties").and_then(|props| props.get(segment)))
            .or_else(|| segment.parse::<usize>().ok().and(list_item))
            .or_else(|| {
                candidates
                    .iter()
                    .find_map(|p| p.get("additionalProperties").filter(|a| a.is_object()))
            })?;
        node = child;
    }
    Some(node)
}

/// What the schema says about the value at `path` (keys from the document root; list entries
/// as their index).
pub fn key_info(path: &[String]) -> Option<KeyInfo> {
    let node = node_at(path)?;
    let mut info = KeyInfo::default();
    for part in parts(node) {
        if info.description.is_none() {
            info.description = part
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string);
        }
        if info.default.is_none() {
            info.default = part.get("default").cloned();
        }
        if let Some(values) = part.get("enum").and_then(Value::as_array) {
            info.allowed
                .extend(values.iter().map(|v| (v.clone(), None)));
        }
        for choice in ["oneOf", "anyOf"]
            .iter()
            .filter_map(|k| part.get(*k).and_then(Value::as_array))
            .flatten()
        {
            let description = choice
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string);
            if let Some(value) = choice.get("const") {
                info.allowed.push((value.clone(), description));
            } else if let Some(values) = choice.get("enum").and_then(Value::as_array) {
                info.allowed
                    .extend(values.iter().map(|v| (v.clone(), description.clone())));
            }
        }
        match part.get("type") {
            Some(Value::String(t)) => info.types.push(t.clone()),
            Some(Value::Array(ts)) => info
                .types
                .extend(ts.iter().filter_map(Value::as_str).map(str::to_string)),
            _ => {}
        }
        if part.get("items").is_some() {
            info.is_list = true;
        }
        if let Some(props) = part.get("properties").and_then(Value::as_object) {
            for (name, schema) in props {
                let description = parts(schema)
                    .iter()
                    .find_map(|p| p.get("description").and_then(Value::as_str))
                    .map(str::to_string);
                info.properties.push((name.clone(), description));
            }
        }
        if let Some(required) = part.get("required").and_then(Value::as_array) {
            info.required.extend(
                required
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string),
            );
        }
    }
    info.types.dedup();
    Some(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &[&str]) -> Vec<String> {
        p.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn reads_descriptions_defaults_and_enums_through_refs() {
        let routing = key_info(&path(&["traffic", "routing"])).unwrap();
        assert!(routing.description.unwrap().starts_with("`nearest`"));
        assert_eq!(routing.default, Some(Value::from("nearest")));
        let allowed: Vec<_> = routing
            .allowed
            .iter()
            .map(|(v, _)| v.as_str().unwrap())
            .collect();
        assert_eq!(allowed, ["nearest", "weighted"]);
        let name = key_info(&path(&["regions", "0", "name"])).unwrap();
        assert!(name.description.unwrap().contains("Cloud Run region"));
        let root = key_info(&[]).unwrap();
        assert!(root.properties.iter().any(|(k, _)| k == "loadBalancer"));
        assert!(key_info(&path(&["regions"])).unwrap().is_list);
        assert!(key_info(&path(&["nope"])).is_none());
    }
}
