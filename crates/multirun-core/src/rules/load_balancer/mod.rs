//! MR6xx: the load balancer.

use super::RuleMeta;

pub static RULES: &[&RuleMeta] = &[];
