use super::hostname;
use crate::rules::{Context, Report};
use crate::text::quote::clip;

rule! {
    code: "MR602",
    name: "wildcard-domain",
    severity: Error,
    summary: "A wildcard domain needs Certificate Manager with DNS authorization, and the form `*.example.com`.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let certificates = &cx.spec.load_balancer.certificates;
    for (i, written) in cx.spec.load_balancer.domains.iter().enumerate() {
        if !written.contains('*') {
            continue;
        }
        let pointer = format!("/loadBalancer/domains/{i}");
        let base = written
            .strip_prefix("*.")
            .filter(|base| hostname::validate(base).is_ok());
        let Some(base) = base else {
            report
                .at(&RULE, pointer, format!("`{}` is not a wildcard a certificate can cover: only a whole first label may be `*`", clip(written)))
                .help("write the wildcard as `*.` followed by a hostname, such as `*.example.com`");
            continue;
        };
        if !certificates.generates_classic() {
            continue;
        }
        report
            .at(&RULE, pointer, format!("`{}` is a wildcard; a classic Google-managed SSL certificate cannot cover wildcard domains", clip(written)))
            .help(format!(
                "set `loadBalancer.certificates.type: certificate-manager` (Certificate Manager issues wildcards through DNS authorization), or list each hostname you serve (`www.{0}`, `api.{0}`)",
                clip(base)
            ));
    }
}
