//! MR5xx: derived resource names.

use super::RuleMeta;

pub mod derived_name;

pub static RULES: &[&RuleMeta] = &[&derived_name::RULE];
