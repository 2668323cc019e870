use crate::rules::{Context, Report};

/// Most domains one Google-managed SSL certificate takes.
pub const MAX_DOMAINS: usize = 100;

rule! {
    code: "MR603",
    name: "domain-count",
    severity: Error,
    summary: "The load balancer needs at least 1 domain, and a classic Google-managed certificate takes at most 100.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let count = cx.spec.load_balancer.domains.len();
    if count == 0 {
        report
            .at(&RULE, "/loadBalancer/domains", "`loadBalancer.domains` is empty; the load balancer's certificate needs at least one domain")
            .help("list the hostnames users reach the service at, such as `app.example.com`");
    } else if count > MAX_DOMAINS && cx.spec.load_balancer.certificates.generates_classic() {
        // Certificate Manager gives each domain (with its wildcard) a certificate of its own,
        // and existing certificates are not multirun's to size.
        let extra = count - MAX_DOMAINS;
        report
            .at(
                &RULE,
                format!("/loadBalancer/domains/{MAX_DOMAINS}"),
                format!("{count} domains, {extra} more than the {MAX_DOMAINS} a Google-managed SSL certificate takes; the list overflows from this entry on"),
            )
            .help(format!("keep at most {MAX_DOMAINS} domains (remove {extra} of them), or set `loadBalancer.certificates.type: certificate-manager`, which gives each domain a certificate of its own"));
    }
}
