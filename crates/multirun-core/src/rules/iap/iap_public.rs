use crate::rules::{Context, Report};
use crate::spec::IapPlacement;

rule! {
    code: "MR640",
    name: "iap-public",
    severity: Error,
    summary: "Identity-Aware Proxy with `service.public: true`: a public service admits everyone, IAP only its members.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let spec = cx.spec;
    if !spec.service.public {
        return;
    }
    let Some((placement, _)) = spec.iap() else {
        return;
    };
    let (field, why) = match placement {
        IapPlacement::Service => (
            "`service.iap`",
            "gcloud refuses `--public` together with `--iap`",
        ),
        IapPlacement::LoadBalancer => (
            "`loadBalancer.iap`",
            "IAP calls Cloud Run as its service agent, which needs the invoker check that `public: true` turns off",
        ),
    };
    report
        .at(
            &RULE,
            "/service/public",
            format!("`public: true` turns off Cloud Run's invoker check, and {field} admits only its members; {why}"),
        )
        .help("remove `public: true`: IAP signs users in, and multirun grants the IAP service agent `roles/run.invoker`")
        .suggest("false");
}
