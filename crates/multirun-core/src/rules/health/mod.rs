//! MR3xx: health check. multirun applies `healthCheck` as Cloud Run probes (startup and
//! liveness, plus readiness under `routing: nearest`) and as outlier detection on the backend
//! service; serverless NEG backends take no load-balancer health check.

use super::RuleMeta;

pub mod failover_needs_min_instances;
pub mod health_check_path;
pub mod health_check_port;
pub mod probe_threshold_range;
pub mod probe_timeout_exceeds_interval;
pub mod probe_timing_range;
pub mod startup_probe_too_long;

pub static RULES: &[&RuleMeta] = &[
    &health_check_path::RULE,
    &health_check_port::RULE,
    &probe_timing_range::RULE,
    &probe_timeout_exceeds_interval::RULE,
    &probe_threshold_range::RULE,
    &startup_probe_too_long::RULE,
    &failover_needs_min_instances::RULE,
];
