//! MR4xx: the Cloud Run service.

use super::RuleMeta;

pub mod resources;

pub static RULES: &[&RuleMeta] = &[];
