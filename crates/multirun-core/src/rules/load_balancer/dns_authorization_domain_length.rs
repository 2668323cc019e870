use super::hostname;
use crate::gcp::certificates::{authorized_domain, MAX_DNS_AUTHORIZATION_DOMAIN_LEN};
use crate::rules::{Context, Report};
use crate::text::quote::clip;

rule! {
    code: "MR648",
    name: "dns-authorization-domain-length",
    severity: Error,
    summary: "A Certificate Manager DNS authorization takes a domain of at most 237 characters.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    if !cx.spec.load_balancer.certificates.generates_certificate_manager() {
        return;
    }
    for (i, written) in cx.spec.load_balancer.domains.iter().enumerate() {
        let domain = authorized_domain(written);
        // Longer than a hostname at all, or not one: MR601 and MR602 say so.
        if domain.len() <= MAX_DNS_AUTHORIZATION_DOMAIN_LEN || hostname::validate(domain).is_err()
        {
            continue;
        }
        let extra = domain.len() - MAX_DNS_AUTHORIZATION_DOMAIN_LEN;
        report
            .at(
                &RULE,
                format!("/loadBalancer/domains/{i}"),
                format!(
                    "`{}` needs a DNS authorization for a domain of {} characters, {extra} more than the {MAX_DNS_AUTHORIZATION_DOMAIN_LEN} Certificate Manager takes",
                    clip(written),
                    domain.len()
                ),
            )
            .help("serve a shorter hostname, or attach a certificate you obtain yourself (`certificates.sslCertificates` or `certificates.certificateMap`)");
    }
}
