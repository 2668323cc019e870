use crate::text::quote::clip;
use crate::rules::{Context, Report};

rule! {
    code: "MR602",
    name: "wildcard-domain",
    severity: Error,
    summary: "Google-managed SSL certificates do not cover wildcard domains.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    for (i, written) in cx.spec.load_balancer.domains.iter().enumerate() {
        if !written.contains('*') {
            continue;
        }
        let example = match written.trim().strip_prefix("*.") {
            Some(base) if !base.is_empty() && !base.contains('*') => {
                format!("`www.{0}`, `api.{0}`", clip(base))
            }
            _ => "`www.example.com`, `api.example.com`".to_string(),
        };
        report
            .at(&RULE, format!("/loadBalancer/domains/{i}"), format!("`{}` is a wildcard; a Google-managed SSL certificate cannot cover wildcard domains", clip(written)))
            .help(format!(
                "list each hostname you serve ({example}); a wildcard certificate needs Certificate Manager with DNS authorization, which multirun does not set up"
            ));
    }
}
