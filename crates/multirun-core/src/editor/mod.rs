//! What an editor integration needs beyond `check`, independent of any protocol: applying the
//! diagnostics' suggestions (`validate --fix`, quick fixes), positions in a client's encoding,
//! hover text for a key, completion candidates, the document's outline, and which files are
//! specs. The language server (`multirun server`) is a thin protocol layer over this module;
//! the playground can use it as is.

pub mod complete;
pub mod fix;
pub mod hover;
pub mod outline;
pub mod paths;
pub mod position;
mod schema;

pub use complete::{completions, Completion, CompletionKind};
pub use fix::{edit_for, fix_all, is_parse_error, Applied, Edit, FixOutcome, Unfixable};
pub use hover::{hover_at, rule_summary, Hover};
pub use outline::{outline, Symbol, SymbolKind};
pub use paths::{glob_matches, looks_like_spec};
pub use position::{offset_at, position_of};
