//! MR3xx: health check.

use super::RuleMeta;

pub static RULES: &[&RuleMeta] = &[];
