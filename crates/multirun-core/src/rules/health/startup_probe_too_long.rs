use crate::diagnostic::Severity;
use crate::rules::{Context, Report, RuleMeta};

use super::probe_timing_range::SECONDS;

pub static RULE: RuleMeta = RuleMeta {
    code: "MR306",
    name: "startup-probe-too-long",
    severity: Severity::Error,
    summary: "The startup probe's period (`intervalSeconds`) and its whole window (`intervalSeconds` × `unhealthyThreshold`) must each be at most 240 seconds.",
    doc: rule_doc!("MR306-startup-probe-too-long"),
    check: Some(check),
};

/// Cloud Run's cap on a startup probe's `periodSeconds` and on `failureThreshold × periodSeconds`.
const STARTUP_LIMIT: u64 = 240;

fn check(cx: &Context, report: &mut Report) {
    let hc = &cx.spec.health_check;
    // An interval outside 1–300 is MR303's.
    if !SECONDS.contains(&hc.interval_seconds) {
        return;
    }
    let interval = u64::from(hc.interval_seconds);
    let threshold = u64::from(hc.unhealthy_threshold);
    if interval > STARTUP_LIMIT {
        report
            .at(
                &RULE,
                "/healthCheck/intervalSeconds",
                format!("`healthCheck.intervalSeconds` is {interval}, over the {STARTUP_LIMIT} seconds Cloud Run allows for a startup probe's period"),
            )
            .help(format!("use {STARTUP_LIMIT} or less: multirun runs the startup probe every `intervalSeconds`"));
        return;
    }
    let window = interval * threshold;
    if window <= STARTUP_LIMIT {
        return;
    }
    let explicit_threshold = cx.tree.locate("/healthCheck/unhealthyThreshold").1 == 0;
    let pointer = if explicit_threshold { "/healthCheck/unhealthyThreshold" } else { "/healthCheck/intervalSeconds" };
    let max_threshold = STARTUP_LIMIT / interval;
    let max_interval = STARTUP_LIMIT / threshold;
    let help = if max_interval >= 1 {
        format!("lower `unhealthyThreshold` to {max_threshold} or less, or `intervalSeconds` to {max_interval} or less")
    } else {
        format!("lower `unhealthyThreshold` to {max_threshold} or less")
    };
    report
        .at(
            &RULE,
            pointer,
            format!(
                "the startup probe would wait `intervalSeconds` × `unhealthyThreshold` = {interval} × {threshold} = {window} s, over Cloud Run's {STARTUP_LIMIT}-second limit"
            ),
        )
        .help(help);
}
