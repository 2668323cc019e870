//! MR2xx: regions.

use super::RuleMeta;

pub mod duplicate_region;
pub mod no_geographic_redundancy;
pub mod unknown_region;

pub static RULES: &[&RuleMeta] = &[
    &unknown_region::RULE,
    &duplicate_region::RULE,
    &no_geographic_redundancy::RULE,
];
