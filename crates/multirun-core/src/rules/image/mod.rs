//! MR7xx: image and build.

use super::RuleMeta;

pub static RULES: &[&RuleMeta] = &[];
