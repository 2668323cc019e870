use crate::gcp::certificates::{
    groups, DEFAULT_QUOTA_DNS_AUTHORIZATIONS, DEFAULT_QUOTA_MANAGED_CERTIFICATES,
    DEFAULT_QUOTA_MAP_ENTRIES,
};
use crate::rules::{Context, Report};

rule! {
    code: "MR649",
    name: "certificate-manager-quota",
    severity: Warning,
    summary: "Certificate Manager's default project quotas: 1000 DNS authorizations, 1000 Google-managed certificates, 5000 map entries.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    if !cx.spec.load_balancer.certificates.generates_certificate_manager() {
        return;
    }
    // What deploy.sh and the Terraform create: a DNS authorization and a certificate per
    // domain (with its wildcard), and a map entry per hostname.
    let groups = groups(&cx.spec.load_balancer.domains);
    let entries: usize = groups.iter().map(|g| g.hostnames.len()).sum();
    let over: Vec<String> = [
        (groups.len(), DEFAULT_QUOTA_DNS_AUTHORIZATIONS, "DNS authorizations"),
        (groups.len(), DEFAULT_QUOTA_MANAGED_CERTIFICATES, "Google-managed certificates"),
        (entries, DEFAULT_QUOTA_MAP_ENTRIES, "certificate map entries"),
    ]
    .into_iter()
    .filter(|(count, quota, _)| count > quota)
    .map(|(count, quota, what)| format!("{count} {what} (default quota {quota})"))
    .collect();
    if over.is_empty() {
        return;
    }
    report
        .at_key(
            &RULE,
            "/loadBalancer/domains",
            format!(
                "these domains need {} in one project, more than Certificate Manager's default quotas allow; the creations past the quota fail",
                over.join(", ")
            ),
        )
        .help("request a higher Certificate Manager quota for the project before deploying, or split the domains across services or projects");
}
