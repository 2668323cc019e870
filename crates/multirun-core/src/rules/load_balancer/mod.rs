//! MR6xx: the load balancer.

use super::RuleMeta;

pub mod domain_count;
pub mod domain_invalid;
pub mod duplicate_domain;
pub mod hostname;
pub mod wildcard_domain;

pub static RULES: &[&RuleMeta] = &[
    &domain_invalid::RULE,
    &wildcard_domain::RULE,
    &domain_count::RULE,
    &duplicate_domain::RULE,
];
