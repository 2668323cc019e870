use crate::rules::{Context, Report};

rule! {
    code: "MR633",
    name: "cdn-with-armor",
    severity: Warning,
    summary: "Cloud Armor's backend policy is not evaluated on Cloud CDN cache hits.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let lb = &cx.spec.load_balancer;
    if lb.armor.is_none() || lb.cdn.is_none() {
        return;
    }
    report
        .at_key(&RULE, "/loadBalancer/cdn", "Cloud CDN answers cache hits before the Cloud Armor backend policy sees them: a blocked client still gets cached responses")
        .help("acceptable for public static assets (silence with `lint.allow: [cdn-with-armor]`); otherwise keep CDN off, or add a Cloud Armor edge policy, which filters before the cache");
}
