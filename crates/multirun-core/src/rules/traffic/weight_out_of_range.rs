use crate::rules::{Context, Report};

rule! {
    code: "MR102",
    name: "weight-out-of-range",
    severity: Error,
    summary: "A region `weight` must be an integer from 0 to 100.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    for (i, region) in cx.spec.regions.iter().enumerate() {
        if let Some(weight) = region.weight.filter(|w| *w > 100) {
            report
                .at(
                    &RULE,
                    format!("/regions/{i}/weight"),
                    format!("weight {weight} of region `{}` is above 100", region.name),
                )
                .help("weights are percentages of traffic: use an integer from 0 to 100");
        }
    }
}
