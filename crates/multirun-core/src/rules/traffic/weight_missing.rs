use crate::diagnostic::Severity;
use crate::rules::{Context, Report, RuleMeta};
use crate::spec::Routing;

pub static RULE: RuleMeta = RuleMeta {
    code: "MR101",
    name: "weight-missing",
    severity: Severity::Error,
    summary: "Under `routing: weighted`, every region needs a `weight`.",
    doc: rule_doc!("MR101-weight-missing"),
    check: Some(check),
};

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
