use std::collections::HashMap;

use super::hostname;
use crate::rules::{Context, Report};

rule! {
    code: "MR604",
    name: "duplicate-domain",
    severity: Warning,
    summary: "A domain is listed more than once in `loadBalancer.domains`.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    // Keyed by the hostname an entry names, so `App.example.com` repeats `app.example.com`.
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    for (i, written) in cx.spec.load_balancer.domains.iter().enumerate() {
        let host = hostname::clean(written).host;
        if host.is_empty() {
            continue;
        }
        match first_seen.get(&host) {
            None => {
                first_seen.insert(host, i);
            }
            Some(&first) => {
                let earlier = &cx.spec.load_balancer.domains[first];
                let same = if earlier == written {
                    String::new()
                } else {
                    format!(", `{}`", crate::text::quote::clip(earlier))
                };
                report
                    .at(
                        &RULE,
                        format!("/loadBalancer/domains/{i}"),
                        format!("`{}` is already listed (entry {}{same})", crate::text::quote::clip(written), first + 1),
                    )
                    .help("remove this entry: the certificate and the load balancer already cover this hostname");
            }
        }
    }
}
