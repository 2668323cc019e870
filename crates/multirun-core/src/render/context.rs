//! What a template sees: the model's JSON, shared by every file of a render, with a few
//! top-level entries of its own on top (`deploy`, `region`, `tf`, ...). Sharing instead of
//! merging keeps a render from copying the model once per file, which for a per-region file
//! made rendering quadratic in the number of regions.

use std::sync::Arc;

use serde_json::Value;

use super::data::Data;

#[derive(Debug, Clone)]
pub struct TemplateContext {
    model: Arc<Data>,
    /// Top-level entries over the model's; a later one hides an earlier one of the same name.
    entries: Vec<(&'static str, Arc<Data>)>,
}

impl TemplateContext {
    /// `model` is an object: the model as JSON.
    pub fn new(model: &Arc<Data>) -> Self {
        TemplateContext {
            model: Arc::clone(model),
            entries: Vec::new(),
        }
    }

    /// This context with one more top-level entry.
    pub fn with(mut self, key: &'static str, value: &Arc<Data>) -> Self {
        self.entries.push((key, Arc::clone(value)));
        self
    }

    /// The top-level entry `key`.
    pub fn get(&self, key: &str) -> Option<&Data> {
        match self.entries.iter().rev().find(|(k, _)| *k == key) {
            Some((_, value)) => Some(value),
            None => self.model.get(key),
        }
    }

    /// One JSON object holding everything, as the handlebars crate wants it.
    pub fn to_json(&self) -> Value {
        let mut merged = self.model.to_json();
        if let Value::Object(fields) = &mut merged {
            for (key, value) in &self.entries {
                fields.insert((*key).to_string(), value.to_json());
            }
        }
        merged
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn entries_hide_the_model_and_merge_in_order() {
        let data = |value: Value| Arc::new(Data::from_serialize(&value));
        let context = TemplateContext::new(&data(json!({"a": 1, "b": 2})))
            .with("b", &data(json!(3)))
            .with("c", &data(json!(4)))
            .with("b", &data(json!(5)));
        assert_eq!(context.get("a"), Some(&*data(json!(1))));
        assert_eq!(context.get("b"), Some(&*data(json!(5))));
        assert_eq!(context.get("z"), None);
        assert_eq!(context.to_json(), json!({"a": 1, "b": 5, "c": 4}));
    }
}
