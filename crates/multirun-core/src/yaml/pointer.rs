//! JSON Pointer (RFC 6901) lookups into the spanned tree.

use super::{Node, Value};
use crate::text::ByteSpan;

/// What a pointer resolved to: the value's span, and the span of the key that holds it.
pub struct Located {
    pub value: ByteSpan,
    pub key: Option<ByteSpan>,
}

pub fn escape_pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

impl Node {
    /// Follows `pointer` as far as the document goes. Returns the deepest node reached and how
    /// many segments were left unresolved (a missing field resolves to its parent mapping).
    pub fn locate(&self, pointer: &str) -> (Located, usize) {
        let segments: Vec<String> = if pointer.is_empty() {
            Vec::new()
        } else {
            pointer
                .trim_start_matches('/')
                .split('/')
                .map(unescape)
                .collect()
        };
        let mut node = self;
        let mut key_span = None;
        for (depth, segment) in segments.iter().enumerate() {
            let next = match &node.value {
                Value::Map(entries) => entries
                    .iter()
                    .find(|e| &e.key == segment)
                    .map(|e| (Some(e.key_span), &e.value)),
                Value::Seq(items) => segment
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| items.get(i))
                    .map(|n| (None, n)),
                _ => None,
            };
            match next {
                Some((key, child)) => {
                    key_span = key;
                    node = child;
                }
                None => {
                    return (
                        Located {
                            value: node.span,
                            key: key_span,
                        },
                        segments.len() - depth,
                    )
                }
            }
        }
        (
            Located {
                value: node.span,
                key: key_span,
            },
            0,
        )
    }

    /// The span a diagnostic about `pointer` should underline: the value itself, or for a
    /// missing field, the key of the mapping that lacks it.
    pub fn span_for(&self, pointer: &str) -> ByteSpan {
        let (located, missing) = self.locate(pointer);
        if missing > 0 {
            return located
                .key
                .unwrap_or(ByteSpan::new(located.value.start, located.value.start));
        }
        located.value
    }

    /// The span of the key that holds `pointer`'s value (used for unknown fields).
    pub fn key_span_for(&self, pointer: &str) -> ByteSpan {
        let (located, _) = self.locate(pointer);
        located.key.unwrap_or(located.value)
    }
}
