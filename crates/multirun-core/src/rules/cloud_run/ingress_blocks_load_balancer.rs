use crate::rules::{Context, Report};
use crate::spec::Ingress;

rule! {
    code: "MR415",
    name: "ingress-blocks-load-balancer",
    severity: Error,
    summary: "`service.ingress: internal` refuses the external load balancer's requests.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    if cx.spec.service.ingress != Ingress::Internal {
        return;
    }
    report
        .at(
            &RULE,
            "/service/ingress",
            "`ingress: internal` admits only internal load balancers and VPC traffic: every request through the global external load balancer would be refused",
        )
        .help("use `internal-and-cloud-load-balancing` (multirun's default): it admits the load balancer and still closes the public run.app URL")
        .suggest("internal-and-cloud-load-balancing");
}
