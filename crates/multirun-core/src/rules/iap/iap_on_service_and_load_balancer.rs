use crate::rules::{Context, Report};

rule! {
    code: "MR641",
    name: "iap-on-service-and-load-balancer",
    severity: Error,
    summary: "Identity-Aware Proxy on both the Cloud Run service (`service.iap`) and the load balancer (`loadBalancer.iap`).",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let spec = cx.spec;
    if spec.service.iap.is_none() || spec.load_balancer.iap.is_none() {
        return;
    }
    report
        .at(
            &RULE,
            "/loadBalancer/iap",
            "IAP is set on the Cloud Run service (`service.iap`) and on the load balancer (`loadBalancer.iap`); Google Cloud allows one or the other",
        )
        .help("keep `service.iap` (Google's recommendation: it also protects run.app, and Cloud Run service health needs it), and remove `loadBalancer.iap`");
}
