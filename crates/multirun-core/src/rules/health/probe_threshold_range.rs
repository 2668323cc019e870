use std::ops::RangeInclusive;

use crate::rules::{Context, Report};

// A warning, not an error: Cloud Run documents a minimum of 1 but no maximum, and the upper
// bound of 10 could not be verified against a Google source (see the doc page).
rule! {
    code: "MR305",
    name: "probe-threshold-range",
    severity: Warning,
    summary: "`healthCheck.healthyThreshold` and `healthCheck.unhealthyThreshold` should each be from 1 to 10.",
    check: check,
}

pub(crate) const THRESHOLDS: RangeInclusive<u32> = 1..=10;

fn check(cx: &Context, report: &mut Report) {
    let hc = &cx.spec.health_check;
    let interval = u64::from(hc.interval_seconds);
    for (field, value, what) in [
        (
            "healthyThreshold",
            hc.healthy_threshold,
            "a recovered instance waits about {} s before it counts as ready again",
        ),
        (
            "unhealthyThreshold",
            hc.unhealthy_threshold,
            "a failing instance goes unnoticed for about {} s",
        ),
    ] {
        if THRESHOLDS.contains(&value) {
            continue;
        }
        let d = report.at(
            &RULE,
            format!("/healthCheck/{field}"),
            format!("`healthCheck.{field}` is {value}; it should be from 1 to 10"),
        );
        if value == 0 {
            d.help("a threshold counts consecutive probes, and Cloud Run's minimum is 1: use 1 or more");
        } else {
            let seconds = u64::from(value) * interval;
            let effect = what.replace("{}", &seconds.to_string());
            d.help(format!(
                "use 10 or less: with `intervalSeconds` {interval}, {effect}"
            ));
        }
    }
}
