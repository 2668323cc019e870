//! multirun's core: the spec model, validation with spanned diagnostics, the rule registry,
//! the region catalog and the generators. It does no I/O, so the CLI and the browser
//! (WebAssembly) share it and give identical results.

pub mod catalog;
pub mod check;
pub mod diagnostic;
pub mod json_output;
pub mod line_index;
pub mod names;
pub mod render;
pub mod rules;
pub mod schema_check;
pub mod spec;
mod suggest;
pub mod yaml;

#[cfg(feature = "schema")]
pub mod schema_gen;

pub use check::{check, check_bytes, Checked, MAX_INPUT_BYTES};
pub use diagnostic::{ByteSpan, Diagnostic, Severity};
pub use schema_check::SCHEMA_JSON;
pub use spec::Spec;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");
