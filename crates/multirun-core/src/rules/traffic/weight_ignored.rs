use crate::rules::{Context, Report};
use crate::spec::Routing;

rule! {
    code: "MR104",
    name: "weight-ignored",
    severity: Warning,
    summary: "Under `routing: nearest`, region weights have no effect.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    if cx.spec.traffic.routing != Routing::Nearest {
        return;
    }
    for (i, region) in cx.spec.regions.iter().enumerate() {
        if region.weight.is_some() {
            report
                .at_key(&RULE, format!("/regions/{i}/weight"), format!("`weight` of region `{}` is ignored: `traffic.routing` is `nearest`", region.name))
                .help("remove the weight, or set `traffic.routing: weighted` to split traffic by weight");
        }
    }
}
