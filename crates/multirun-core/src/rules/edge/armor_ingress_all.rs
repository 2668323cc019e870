use crate::rules::{Context, Report};
use crate::spec::Ingress;

rule! {
    code: "MR620",
    name: "armor-ingress-all",
    severity: Warning,
    summary: "Cloud Armor with `service.ingress: all`: clients bypass the policy through the run.app URL.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let spec = cx.spec;
    if spec.load_balancer.armor.is_none() || spec.service.ingress != Ingress::All {
        return;
    }
    report
        .at(&RULE, "/service/ingress", "`ingress: all` lets clients call the service's run.app URL directly, past every Cloud Armor rule")
        .help("use `internal-and-cloud-load-balancing` (multirun's default), so that requests must come through the load balancer and its security policy")
        .suggest("internal-and-cloud-load-balancing");
}
