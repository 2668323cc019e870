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
    /// Top-level entries over the root's, the last one added first; a later one hides an
    /// earlier one of the same name. A list in the arena, not a `Vec`: every file of a render
    /// adds an entry to a copy of the base context, which was a heap block per file.
    entries: Option<&'a Entry<'a>>,
}

#[derive(Debug)]
struct Entry<'a> {
    key: &'static str,
    value: Data<'a>,
    earlier: Option<&'a Entry<'a>>,
}

impl<'a> Entry<'a> {
    /// This entry and the earlier ones, the last one added first.
    fn and_earlier(&'a self) -> impl Iterator<Item = &'a Entry<'a>> {
        std::iter::successors(Some(self), |entry| entry.earlier)
    }
}

impl<'a> TemplateContext<'a> {
    /// A context whose top level is `root`'s fields: `root` serializes to an object (the
    /// model). Serialized once here, into `arena`, it is shared by every context made from
    /// this one.
    pub fn new<T: Serialize + ?Sized>(arena: &'a Arena, root: &T) -> Self {
        TemplateContext {
            arena,
            root: arena.alloc(Data::from_serialize(arena, root)),
            entries: None,
        }
    }

    /// This context with one more top-level entry, `key`, holding `value` as templates read
    /// it. Clones of the result share the entry.
    pub fn with<T: Serialize + ?Sized>(mut self, key: &'static str, value: &T) -> Self {
        let entry = self.arena.alloc(Entry {
            key,
            value: Data::from_serialize(self.arena, value),
            earlier: self.entries,
        });
        self.entries = Some(entry);
        self
    }

    /// The top-level entry `key` added by [`with`](Self::with), if any.
    pub(super) fn entry(&self, key: &str) -> Option<&'a Data<'a>> {
        self.entries?
            .and_earlier()
            .find_map(|entry| (entry.key == key).then_some(&entry.value))
    }

    /// What [`new`](Self::new) was given: the entries' fallback.
    pub(super) fn root(&self) -> &'a Data<'a> {
        self.root
    }

    /// One JSON object holding everything, as the handlebars crate wants it.
    pub(super) fn to_json(&self) -> Value {
        let mut merged = self.root.to_json();
        if let Value::Object(fields) = &mut merged {
            let mut entries: Vec<&Entry> = self
                .entries
                .into_iter()
                .flat_map(Entry::and_earlier)
                .collect();
            entries.reverse();
            for entry in entries {
                fields.insert(entry.key.to_string(), entry.value.to_json());
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
