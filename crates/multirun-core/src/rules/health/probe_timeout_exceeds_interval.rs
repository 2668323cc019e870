use crate::rules::{Context, Report};

use super::probe_timing_range::SECONDS;

rule! {
    code: "MR304",
    name: "probe-timeout-exceeds-interval",
    severity: Error,
    summary: "`healthCheck.timeoutSeconds` must not exceed `healthCheck.intervalSeconds`.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let hc = &cx.spec.health_check;
    let (interval, timeout) = (hc.interval_seconds, hc.timeout_seconds);
    // Out-of-range values are MR303's.
    if !SECONDS.contains(&interval) || !SECONDS.contains(&timeout) || timeout <= interval {
        return;
    }
    report
        .at(
            &RULE,
            "/healthCheck/timeoutSeconds",
            format!("the probe timeout ({timeout} s) is longer than the interval between probes (`intervalSeconds`: {interval} s)"),
        )
        .help(format!(
            "set `timeoutSeconds` to {interval} or less, or raise `intervalSeconds` to at least {timeout}: Cloud Run needs a probe's period to be at least its timeout"
        ));
}
