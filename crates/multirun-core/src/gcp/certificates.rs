//! Certificates of the load balancer's HTTPS proxy: how `loadBalancer.domains` splits into
//! Certificate Manager DNS authorizations and certificates, and the limits the rules check.

/// Most classic SSL certificates one target HTTPS proxy references (`sslCertificates`).
pub const MAX_SSL_CERTIFICATES_PER_PROXY: usize = 15;

/// Longest domain a Certificate Manager DNS authorization takes ("Domain name length
/// limitations for Google-managed certificates": 237 characters with DNS authorization, 220
/// with per-project DNS authorization, 253 with load balancer authorization). A system limit.
pub const MAX_DNS_AUTHORIZATION_DOMAIN_LEN: usize = 237;

/// Certificate Manager's default resource quotas per project (raisable on request), from its
/// "Quotas and limits" page: DNS authorizations, Google-managed certificates, certificate map
/// entries, in location `global`.
pub const DEFAULT_QUOTA_DNS_AUTHORIZATIONS: usize = 1000;
pub const DEFAULT_QUOTA_MANAGED_CERTIFICATES: usize = 1000;
pub const DEFAULT_QUOTA_MAP_ENTRIES: usize = 5000;

/// The hostnames one Certificate Manager DNS authorization covers: a domain and its wildcard
/// (an authorization for `example.com` issues `example.com` and `*.example.com`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationGroup {
    /// The authorized domain, without `*.`.
    pub domain: String,
    /// The spec's hostnames it covers, in spec order: the domain, its wildcard, or both.
    pub hostnames: Vec<String>,
}

/// The domain a hostname's DNS authorization is for: `*.example.com` → `example.com`.
pub fn authorized_domain(hostname: &str) -> &str {
    hostname.strip_prefix("*.").unwrap_or(hostname)
}

/// `domains` grouped by DNS authorization, in the order each domain first appears; a hostname
/// listed twice counts once.
pub fn groups(domains: &[String]) -> Vec<AuthorizationGroup> {
    let mut groups: Vec<AuthorizationGroup> = Vec::new();
    for hostname in domains {
        let domain = authorized_domain(hostname);
        match groups.iter_mut().find(|g| g.domain == domain) {
            Some(group) => {
                if !group.hostnames.contains(hostname) {
                    group.hostnames.push(hostname.clone());
                }
            }
            None => groups.push(AuthorizationGroup {
                domain: domain.to_string(),
                hostnames: vec![hostname.clone()],
            }),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_domain_and_its_wildcard_share_one_authorization() {
        let domains: Vec<String> = [
            "example.com",
            "api.example.org",
            "*.example.com",
            "example.com",
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        let groups = groups(&domains);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].domain, "example.com");
        assert_eq!(groups[0].hostnames, ["example.com", "*.example.com"]);
        assert_eq!(groups[1].domain, "api.example.org");
        assert_eq!(groups[1].hostnames, ["api.example.org"]);
    }
}
