//! MR5xx: derived resource names.

use super::RuleMeta;

pub static RULES: &[&RuleMeta] = &[];
