use crate::rules::{Context, Report};
use crate::spec::Routing;

rule! {
    code: "MR308",
    name: "liveness-before-readiness",
    severity: Warning,
    summary: "The liveness probe should be more lenient than readiness, so a failing dependency drains instances instead of restarting them.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let hc = &cx.spec.health_check;
    // Only readiness (under `nearest`) drains; and a liveness probe on its own endpoint checks
    // something else, so its threshold is the user's call.
    let Some(liveness) = hc.liveness_threshold else {
        return;
    };
    if cx.spec.traffic.routing != Routing::Nearest || hc.liveness_path() != hc.path {
        return;
    }
    if liveness == 0 || liveness > hc.unhealthy_threshold {
        return;
    }
    let lenient = hc.unhealthy_threshold.saturating_mul(3);
    report
        .at(
            &RULE,
            "/healthCheck/livenessThreshold",
            format!(
                "liveness restarts an instance after {liveness} failed probes, {} readiness drains it after {}: a failing dependency would restart instances instead of draining them",
                if liveness == hc.unhealthy_threshold { "as soon as" } else { "before" },
                hc.unhealthy_threshold
            ),
        )
        .help(format!(
            "raise `livenessThreshold` above `unhealthyThreshold` (multirun's default is three times it, {lenient}), or point `livenessPath` at an endpoint that checks only the process"
        ))
        .suggest(lenient.to_string());
}
