//! MR4xx: the Cloud Run service.

use super::RuleMeta;

pub static RULES: &[&RuleMeta] = &[];
