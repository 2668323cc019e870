//! MR1xx: traffic between regions.

use super::RuleMeta;

pub mod weight_ignored;
pub mod weight_missing;
pub mod weight_out_of_range;
pub mod weighted_no_failover;
pub mod weights_sum;

pub static RULES: &[&RuleMeta] = &[
    &weight_missing::RULE,
    &weight_out_of_range::RULE,
    &weights_sum::RULE,
    &weight_ignored::RULE,
    &weighted_no_failover::RULE,
];
