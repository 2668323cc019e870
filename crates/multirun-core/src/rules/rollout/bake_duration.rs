use crate::gcp::rollout::{parse_duration_seconds, MAX_ANALYSIS_SECONDS, MIN_WINDOW_SECONDS};
use crate::rules::{Context, Report};
use crate::text::quote::clip;

rule! {
    code: "MR803",
    name: "bake-duration",
    severity: Error,
    summary: "The bake, which is also the gates' window, is in whole minutes, at least 1m (Cloud Monitoring's shortest alignment period) and at most 48h.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let Some(rollout) = &cx.spec.rollout else {
        return;
    };
    let bake = rollout.bake.as_str();
    let (message, help, suggestion) = match parse_duration_seconds(bake) {
        None => (
            format!("`{}` is not a duration", clip(bake)),
            "write whole minutes, such as `10m`, or hours, such as `1h`".to_string(),
            None,
        ),
        Some(seconds) if seconds < MIN_WINDOW_SECONDS => (
            format!("a bake of {seconds} s is shorter than a minute"),
            "the gates read the metrics aligned over the bake window, and Cloud Monitoring's shortest alignment period is 60 s; bake at least `1m`".to_string(),
            Some("1m".to_string()),
        ),
        Some(seconds) if seconds > MAX_ANALYSIS_SECONDS => (
            format!("a bake of `{}` is longer than 48 hours", clip(bake)),
            "Cloud Deploy's analysis lasts at most 48 hours (`48h`)".to_string(),
            Some("48h".to_string()),
        ),
        Some(seconds) if seconds % 60 != 0 => (
            format!("a bake of {seconds} s is not a whole number of minutes"),
            "Cloud Deploy's automation `wait` takes whole minutes only; round to the minute".to_string(),
            Some(format!("{}m", seconds.div_ceil(60))),
        ),
        Some(_) => return,
    };
    let d = report.at(&RULE, "/rollout/bake", message);
    d.help(help);
    if let Some(s) = suggestion {
        d.suggest(s);
    }
}
