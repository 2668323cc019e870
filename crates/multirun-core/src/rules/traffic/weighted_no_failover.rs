use crate::rules::{Context, Report};
use crate::spec::Routing;

rule! {
    code: "MR105",
    name: "weighted-no-failover",
    severity: Warning,
    summary: "Weighted routing gives no automatic cross-region failover.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    if cx.spec.traffic.routing != Routing::Weighted || cx.spec.regions.len() < 2 {
        return;
    }
    report
        .at(&RULE, "/traffic/routing", "weighted routing sends each region its share even while that region fails: there is no automatic cross-region failover")
        .help("each region sits in its own backend service, and the URL map's weights are fixed; use `routing: nearest` for failover, or be ready to change the weights by hand during an outage");
}
