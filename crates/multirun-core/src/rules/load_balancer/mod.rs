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
        let started = std::time::Instant::now();
        let checked = crate::check(&source, "huge.yaml");
        assert!(
            started.elapsed().as_secs() < 5,
            "took {:?}",
            started.elapsed()
        );
        let ours: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.code.starts_with("MR6"))
            .collect();
        for code in ["MR601", "MR602", "MR603", "MR604"] {
            assert!(
                ours.iter().any(|d| d.code == code),
                "no {code}: {:?}",
                ours.iter().map(|d| &d.code).collect::<Vec<_>>()
            );
        }
        for d in ours {
            let size = d.message.len()
                + d.help.as_deref().map_or(0, str::len)
                + d.suggestion.as_deref().map_or(0, str::len);
            assert!(size < 1_500, "{}: {} bytes", d.code, size);
        }
    }
}
