use crate::diagnostic::Severity;
use crate::rules::{Context, Report, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "MR102",
    name: "weight-out-of-range",
    severity: Severity::Error,
    summary: "A region `weight` must be an integer from 0 to 100.",
    doc: rule_doc!("MR102-weight-out-of-range"),
    check: Some(check),
};

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
