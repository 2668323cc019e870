use crate::rules::{Context, Report};
use crate::spec::Ingress;

rule! {
    code: "MR642",
    name: "iap-load-balancer-ingress-all",
    severity: Warning,
    summary: "IAP on the load balancer with `ingress: all`: the service's run.app URL bypasses IAP.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let spec = cx.spec;
    if spec.service.iap.is_some()
        || spec.load_balancer.iap.is_none()
        || spec.service.ingress != Ingress::All
    {
        return;
    }
    report
        .at(
            &RULE,
            "/service/ingress",
            "`loadBalancer.iap` protects only traffic through the load balancer, and `ingress: all` leaves the run.app URL open to requests that never meet IAP",
        )
        .help("set `ingress: internal-and-cloud-load-balancing`, or move IAP to the service (`service.iap`), which protects every path in")
        .suggest("internal-and-cloud-load-balancing");
}
