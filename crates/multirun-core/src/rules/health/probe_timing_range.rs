use std::ops::RangeInclusive;

use crate::rules::{Context, Report};

rule! {
    code: "MR303",
    name: "probe-timing-range",
    severity: Error,
    summary: "`healthCheck.intervalSeconds` and `healthCheck.timeoutSeconds` must each be from 1 to 300.",
    check: check,
}

/// The seconds `intervalSeconds` and `timeoutSeconds` accept. Other timing rules skip values
/// outside it, which are reported here.
pub(crate) const SECONDS: RangeInclusive<u32> = 1..=300;

fn check(cx: &Context, report: &mut Report) {
    let hc = &cx.spec.health_check;
    for (field, value) in [
        ("intervalSeconds", hc.interval_seconds),
        ("timeoutSeconds", hc.timeout_seconds),
    ] {
        if SECONDS.contains(&value) {
            continue;
        }
        let help = match (field, value) {
            (_, 0) => "Cloud Run probes work in whole seconds and the minimum is 1: use 1 or more".to_string(),
            ("intervalSeconds", _) => "use at most 240: `intervalSeconds` is also the startup probe's period, which Cloud Run caps at 240 seconds".to_string(),
            _ if (1..=240).contains(&hc.interval_seconds) => {
                format!("a probe must time out within `intervalSeconds` ({}): use {} or less", hc.interval_seconds, hc.interval_seconds)
            }
            _ => "a probe must time out within `intervalSeconds`, which can be at most 240 for the startup probe: use a few seconds".to_string(),
        };
        report
            .at(
                &RULE,
                format!("/healthCheck/{field}"),
                format!("`healthCheck.{field}` is {value}; it must be from 1 to 300 seconds"),
            )
            .help(help);
    }
}
