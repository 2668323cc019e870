use crate::rules::{Context, Report};

rule! {
    code: "MR645",
    name: "iap-with-cdn",
    severity: Error,
    summary: "Identity-Aware Proxy together with Cloud CDN (`loadBalancer.cdn`): IAP is incompatible with Cloud CDN.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let spec = cx.spec;
    if spec.iap().is_none() || !spec.cdn_enabled() {
        return;
    }
    report
        .at(
            &RULE,
            "/loadBalancer/cdn",
            "Cloud CDN is on (`loadBalancer.cdn`) for a service behind Identity-Aware Proxy; IAP is incompatible with Cloud CDN",
        )
        .help("remove `loadBalancer.cdn`: a service that checks who signs in serves per-user answers, which a shared cache must not keep");
}
