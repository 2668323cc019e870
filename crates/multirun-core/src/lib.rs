//! multirun's core: the spec model, validation with spanned diagnostics, the rule registry,
//! the region catalog and the generators. It does no I/O, so the CLI and the browser
//! (WebAssembly) share it and give identical results.
//!
//! # Layers
//!
//! Bottom to top. A module imports only from the layers below its own (`tests/layers.rs`
//! fails the build otherwise), so every arrow points down:
//!
//! 1. `text`: byte spans, line index, position encodings, quoting, did-you-mean.
//! 2. `registry`: rule metadata (code, name, severity, docs URL).
//! 3. `diagnostic`, `yaml`, `spec`, `catalog`: findings, the spanned YAML tree, the typed spec,
//!    the region catalog. None imports another.
//! 4. `gcp`: Google Cloud domain knowledge shared by rules and generators (derived names, image
//!    references, Artifact Registry paths, CPU and memory values, the region variable).
//! 5. `rules`: the semantic rules. They never see the generators.
//! 6. `schema_check`, then `check`: the validation pipeline.
//! 7. `render`: the generators. They see the spec and `gcp`, never the rules. Beside it,
//!    `schema_gen` (feature `schema`) derives the spec's JSON Schema from the types.
//! 8. `documents`: what the CLI and the browser both print (the JSON documents, the
//!    "render only a clean spec" policy). Beside it, `editor`: what an editor integration needs
//!    (applying suggestions, hover, completion, outline, client positions).

pub mod text;

pub mod registry;

pub mod catalog;
pub mod diagnostic;
pub mod spec;
pub mod yaml;

pub mod gcp;

pub mod rules;

pub mod check;
pub mod schema_check;

pub mod render;

pub mod documents;
pub mod editor;

#[cfg(feature = "schema")]
pub mod schema_gen;

pub use check::{check, check_bytes, Checked, MAX_INPUT_BYTES};
pub use diagnostic::Diagnostic;
pub use registry::Severity;
pub use schema_check::SCHEMA_JSON;
pub use spec::Spec;
pub use text::{ByteSpan, PositionEncoding};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");
