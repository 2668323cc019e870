//! The template engine: Handlebars templates rendered from `Serialize` values.
//!
//! Targets see [`TemplateContext`] only: they describe what a template reads as `Serialize`
//! values (`context.with("deploy", &value)`), which templates read as `serde_json::to_value`
//! would write them. The renderer picks an [`Engine`]. The rest is how rendering stays fast:
//!
//! - `data`: [`Data`](data::Data), the JSON-shaped values templates read, serialized straight
//!   from the context types without `serde_json::Value`'s per-key allocation and hashing, into
//!   an [`Arena`] that one render fills and frees at once;
//! - `direct`: a renderer for the part of Handlebars the templates use, compiled from the
//!   handlebars crate's parsed templates;
//! - `helpers`: the escaping and JSON helpers, written the same by both renderers;
//! - `templates`: the parsed set, and the choice between the direct renderer and the crate.

mod context;
mod data;
mod direct;
mod helpers;
mod segments;
mod templates;

pub use context::TemplateContext;
pub use data::Arena;
pub(crate) use templates::Templates;
pub use templates::{Engine, TemplateError};
