use crate::rules::{Context, Report};

rule! {
    code: "MR802",
    name: "canary-percentages",
    severity: Error,
    summary: "Canary percentages are ascending integers from 1 to 99.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let Some(rollout) = &cx.spec.rollout else {
        return;
    };
    let mut previous: Option<i64> = None;
    for (i, &percent) in rollout.canary.iter().enumerate() {
        let pointer = format!("/rollout/canary/{i}");
        if !(1..=99).contains(&percent) {
            report
                .at(&RULE, pointer, format!("canary step {percent}% is outside 1–99"))
                .help("a canary step sends part of the traffic to the new revision: 0 sends none and 100 is the last step, which always comes after the canary");
        } else if let Some(before) = previous.filter(|&p| percent <= p) {
            report
                .at(
                    &RULE,
                    pointer,
                    format!("canary step {percent}% comes after {before}%: the steps must go up"),
                )
                .help("list the percentages in ascending order, each once");
        }
        previous = Some(percent);
    }
}
