//! MR6xx: the load balancer.

pub mod hostname;

area! {
    "load balancer":
    domain_invalid,
    wildcard_domain,
    domain_count,
    duplicate_domain,
    certificate_list_and_map,
    ssl_certificate_count,
    dns_authorization_domain_length,
    certificate_manager_quota,
    existing_certificate_name,
}

#[cfg(test)]
mod tests {
    /// Hostile domains get short findings, quickly.
    #[test]
    fn huge_domains_give_short_findings() {
        let huge = "a".repeat(200_000);
        let many: Vec<String> = (0..5_000).map(|i| format!("h{i}.example.com")).collect();
        let source = format!(
            "version: 1\nproject: my-project\nservice:\n  name: my-app\n  image: us-docker.pkg.dev/my-project/apps/my-app:v1.0.0\n  minInstances: 1\nregions:\n  - name: us-central1\n  - name: europe-west1\nloadBalancer:\n  domains: [\"https://{huge}.com/\", \"*.{huge}\", \"{huge}\", \"{huge}\", {}]\n",
            many.join(", ")
        );
        crate::rules::tests::assert_short_findings(
            &source,
            "MR6",
            &["MR601", "MR602", "MR603", "MR604"],
            1_500,
        );
    }
}
