//! MR3xx: health check. multirun applies `healthCheck` as Cloud Run probes (startup and
//! liveness, plus readiness under `routing: nearest`) and as outlier detection on the backend
//! service; serverless NEG backends take no load-balancer health check.

area! {
    "health check":
    health_check_path,
    health_check_port,
    probe_timing_range,
    probe_timeout_exceeds_interval,
    probe_threshold_range,
    startup_probe_too_long,
    failover_needs_min_instances,
    liveness_before_readiness,
}
