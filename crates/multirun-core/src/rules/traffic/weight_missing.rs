use crate::rules::{Context, Report};
use crate::spec::Routing;

rule! {
    code: "MR101",
    name: "weight-missing",
    severity: Error,
    summary: "Under `routing: weighted`, every region needs a `weight`.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    if cx.spec.traffic.routing != Routing::Weighted {
        return;
    }
    for (i, region) in cx.spec.regions.iter().enumerate() {
        if region.weight.is_none() {
            report
                .at(
                    &RULE,
                    format!("/regions/{i}"),
                    format!(
                        "region `{}` has no `weight`, but `traffic.routing` is `weighted`",
                        region.name
                    ),
                )
                .help(
                    "give every region an integer `weight` from 0 to 100 so the weights sum to 100",
                );
        }
    }
}
