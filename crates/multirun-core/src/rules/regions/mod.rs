//! MR2xx: regions.

use super::RuleMeta;

pub static RULES: &[&RuleMeta] = &[];
