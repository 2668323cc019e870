use crate::rules::{Context, Report};
use crate::spec::cdn_ttl;

rule! {
    code: "MR630",
    name: "cdn-ttl-range",
    severity: Error,
    summary: "A Cloud CDN TTL is at most 31,622,400 seconds (366 days).",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let Some(cdn) = &cx.spec.load_balancer.cdn else {
        return;
    };
    for (field, value) in [("defaultTtl", cdn.default_ttl), ("maxTtl", cdn.max_ttl), ("clientTtl", cdn.client_ttl)] {
        let Some(value) = value else {
            continue;
        };
        if value > cdn_ttl::MAX {
            report
                .at(&RULE, format!("/loadBalancer/cdn/{field}"), format!("`{field}: {value}` is above Cloud CDN's limit of 31622400 seconds (366 days)"))
                .help("use at most 31622400")
                .suggest("31622400");
        }
    }
}
