use crate::rules::{Context, Report};
use crate::spec::CacheMode;

rule! {
    code: "MR631",
    name: "cdn-ttl-for-cache-mode",
    severity: Error,
    summary: "`USE_ORIGIN_HEADERS` takes no TTL, and `FORCE_CACHE_ALL` no `maxTtl`.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let Some(cdn) = &cx.spec.load_balancer.cdn else {
        return;
    };
    let refused: &[(&str, Option<u32>)] = match cdn.cache_mode {
        CacheMode::CacheAllStatic => &[],
        CacheMode::UseOriginHeaders => &[("defaultTtl", cdn.default_ttl), ("maxTtl", cdn.max_ttl), ("clientTtl", cdn.client_ttl)],
        CacheMode::ForceCacheAll => &[("maxTtl", cdn.max_ttl)],
    };
    let mode = cdn.cache_mode.as_str();
    for (field, value) in refused {
        if value.is_none() {
            continue;
        }
        let why = match cdn.cache_mode {
            CacheMode::UseOriginHeaders => "the origin's Cache-Control headers alone decide",
            _ => "`defaultTtl` already overrides every response's TTL",
        };
        report
            .at_key(&RULE, format!("/loadBalancer/cdn/{field}"), format!("`cacheMode: {mode}` takes no `{field}`: {why}"))
            .help(format!("remove `{field}`, or use `cacheMode: CACHE_ALL_STATIC`, which takes every TTL"));
    }
}
