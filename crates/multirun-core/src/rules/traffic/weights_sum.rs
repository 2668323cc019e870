use crate::rules::{Context, Report};
use crate::spec::Routing;

rule! {
    code: "MR103",
    name: "weights-sum",
    severity: Error,
    summary: "Under `routing: weighted`, region weights must sum to exactly 100.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let regions = &cx.spec.regions;
    if cx.spec.traffic.routing != Routing::Weighted || regions.is_empty() {
        return;
    }
    // Missing or out-of-range weights have their own rules; a sum over them would only add noise.
    let Some(weights) = regions
        .iter()
        .map(|r| r.weight.filter(|w| *w <= 100))
        .collect::<Option<Vec<u32>>>()
    else {
        return;
    };
    let sum: u32 = weights.iter().sum();
    if sum == 100 {
        return;
    }
    let last = regions.len() - 1;
    let gap = if sum < 100 {
        format!("{} short of 100", 100 - sum)
    } else {
        format!("{} over 100", sum - 100)
    };
    let others: u32 = weights[..last].iter().sum();
    let d = report.at(
        &RULE,
        format!("/regions/{last}/weight"),
        format!("region weights sum to {sum}, {gap}"),
    );
    if others <= 100 {
        let fixed = 100 - others;
        d.help(format!(
            "set this weight to {fixed} (or adjust the others) so the weights sum to 100"
        ))
        .suggest(fixed.to_string());
    } else {
        d.help("lower the weights so they sum to 100");
    }
}
