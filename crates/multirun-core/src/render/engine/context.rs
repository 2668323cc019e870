//! What a template sees: the model's JSON, shared by every file of a render, with a few
//! top-level entries of its own on top (`deploy`, `region`, `tf`, ...). Sharing instead of
//! merging keeps a render from copying the model once per file, which for a per-region file
//! made rendering quadratic in the number of regions.

use serde::Serialize;
use serde_json::Value;

use super::data::{Arena, Data};

/// A template's data: cheap to clone (entries are shared), built from `Serialize` values,
/// which templates read as `serde_json::to_value` would write them. The data lives in the
/// render's arena, `'a`.
#[derive(Debug, Clone)]
pub struct TemplateContext<'a> {
    arena: &'a Arena,
    root: &'a Data<'a>,
    /// Top-level entries over the root's; a later one hides an earlier one of the same name.
    entries: Vec<(&'static str, &'a Data<'a>)>,
}

impl<'a> TemplateContext<'a> {
    /// A context whose top level is `root`'s fields: `root` serializes to an object (the
    /// model). Serialized once here, into `arena`, it is shared by every context made from
    /// this one.
    pub fn new<T: Serialize + ?Sized>(arena: &'a Arena, root: &T) -> Self {
        TemplateContext {
            arena,
            root: arena.alloc(Data::from_serialize(arena, root)),
            entries: Vec::new(),
        }
    }

    /// This context with one more top-level entry, `key`, holding `value` as templates read
    /// it. Clones of the result share the entry.
    pub fn with<T: Serialize + ?Sized>(mut self, key: &'static str, value: &T) -> Self {
        let value = self.arena.alloc(Data::from_serialize(self.arena, value));
        self.entries.push((key, value));
        self
    }

    /// The top-level entry `key` added by [`with`](Self::with), if any.
    pub(super) fn entry(&self, key: &str) -> Option<&'a Data<'a>> {
        self.entries
            .iter()
            .rev()
            .find_map(|(k, value)| (*k == key).then_some(*value))
    }

    /// What [`new`](Self::new) was given: the entries' fallback.
    pub(super) fn root(&self) -> &'a Data<'a> {
        self.root
    }

    /// One JSON object holding everything, as the handlebars crate wants it.
    pub(super) fn to_json(&self) -> Value {
        let mut merged = self.root.to_json();
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
    fn entries_hide_the_root_and_merge_in_order() {
        let arena = Arena::new();
        let context = TemplateContext::new(&arena, &json!({"a": 1, "b": 2}))
            .with("b", &3)
            .with("c", &4)
            .with("b", &5);
        assert_eq!(context.entry("a"), None);
        assert_eq!(context.entry("b"), Some(&Data::from_serialize(&arena, &5)));
        assert_eq!(context.entry("z"), None);
        assert_eq!(
            context.root(),
            &Data::from_serialize(&arena, &json!({"a": 1, "b": 2}))
        );
        assert_eq!(context.to_json(), json!({"a": 1, "b": 5, "c": 4}));
    }
}
