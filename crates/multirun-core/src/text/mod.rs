//! The bottom layer: text and positions. Nothing here imports from the rest of the crate.

pub mod encoding;
pub mod hash;
pub mod line_index;
pub mod quote;
mod span;
pub mod suggest;

pub use encoding::PositionEncoding;
pub use line_index::LineIndex;
pub use span::ByteSpan;
