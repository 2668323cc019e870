use crate::rules::{Context, Report};
use crate::spec::Routing;

rule! {
    code: "MR643",
    name: "iap-load-balancer-service-health",
    severity: Warning,
    summary: "IAP on the load balancer under `routing: nearest` with two or more regions: Cloud Run service health needs IAP on the service.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let spec = cx.spec;
    if spec.service.iap.is_some()
        || spec.load_balancer.iap.is_none()
        || spec.traffic.routing != Routing::Nearest
        || spec.regions.len() < 2
    {
        return;
    }
    report
        .at(
            &RULE,
            "/loadBalancer/iap",
            "under `routing: nearest` Cloud Run service health drains a failing region, and it works only with IAP on the Cloud Run service, not on the backend service",
        )
        .help("move the members to `service.iap` (IAP directly on Cloud Run, which Google recommends), and remove `loadBalancer.iap`");
}
