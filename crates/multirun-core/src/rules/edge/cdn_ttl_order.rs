use crate::rules::{Context, Report};
use crate::spec::CacheMode;

rule! {
    code: "MR632",
    name: "cdn-ttl-order",
    severity: Error,
    summary: "Under `CACHE_ALL_STATIC`, `defaultTtl` and `clientTtl` are at most `maxTtl` (86400 unless set).",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let Some(cdn) = &cx.spec.load_balancer.cdn else {
        return;
    };
    if cdn.cache_mode != CacheMode::CacheAllStatic {
        return;
    }
    let Some(max) = cdn.effective_max_ttl() else {
        return;
    };
    let max_text = if cdn.max_ttl.is_some() { format!("`maxTtl` ({max})") } else { format!("the default `maxTtl` ({max})") };
    for (field, value) in [("defaultTtl", cdn.effective_default_ttl()), ("clientTtl", cdn.effective_client_ttl())] {
        let Some(value) = value else {
            continue;
        };
        if value > max {
            let written = if field == "defaultTtl" { cdn.default_ttl.is_some() } else { cdn.client_ttl.is_some() };
            let pointer = if written { format!("/loadBalancer/cdn/{field}") } else { "/loadBalancer/cdn/maxTtl".to_string() };
            report
                .at(&RULE, pointer, format!("`{field}` ({value}) is above {max_text}: Cloud CDN refuses a {field} longer than the max TTL"))
                .help(format!("set `maxTtl: {value}` or more, or lower `{field}`"));
        }
    }
}
