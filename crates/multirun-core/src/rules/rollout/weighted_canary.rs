use crate::rules::{Context, Report};
use crate::spec::Routing;

rule! {
    code: "MR805",
    name: "weighted-canary",
    severity: Info,
    summary: "Under weighted routing, a canary percentage is a share of each region's own weight.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let Some(rollout) = &cx.spec.rollout else {
        return;
    };
    if cx.spec.traffic.routing != Routing::Weighted || rollout.canary.is_empty() {
        return;
    }
    let Some(first) = rollout.canary.first().filter(|p| (1..=99).contains(*p)) else {
        return;
    };
    let example = cx
        .spec
        .regions
        .iter()
        .find_map(|r| r.weight.filter(|w| *w > 0 && *w <= 100).map(|w| (r.name.as_str(), w)));
    let detail = match example {
        Some((name, weight)) => format!(
            ": a {first}% step in `{name}` (weight {weight}) sends about {:.1}% of all users to the new revision",
            f64::from(weight) * *first as f64 / 100.0
        ),
        None => String::new(),
    };
    report
        .at(
            &RULE,
            "/rollout/canary",
            format!("under `routing: weighted`, a canary step is a share of each region's fixed weight{detail}"),
        )
        .help("the load balancer keeps its split; Cloud Run splits each region's share between the revisions, so the gates read only that region's users");
}
