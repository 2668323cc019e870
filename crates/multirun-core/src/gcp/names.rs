//! Names of the Compute resources multirun derives from the service name. The rules (MR501)
//! and every generator use these, so a name that validates is the name that gets created.

use crate::spec::{Routing, Spec};
use crate::text::hash::hex_digest;

/// One derived resource: what it is, and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerivedName {
    pub resource: &'static str,
    pub name: String,
    /// The region the resource belongs to, for per-region resources.
    pub region: Option<String>,
}

pub fn neg(service: &str, region: &str) -> String {
    [service, "-neg-", region].concat()
}

pub fn backend_service(service: &str, routing: Routing, region: &str) -> String {
    match routing {
        Routing::Nearest => [service, "-backend"].concat(),
        Routing::Weighted => [service, "-backend-", region].concat(),
    }
}

pub fn url_map(service: &str) -> String {
    format!("{service}-url-map")
}
pub fn https_proxy(service: &str) -> String {
    format!("{service}-https-proxy")
}
/// The managed certificate for a set of domains. A Google-managed certificate cannot be
/// changed once created, so a new domain set needs a new certificate: its name carries a hash
/// of the set (order and case don't matter), and the old one is deleted once the new one is
/// active.
pub fn certificate(service: &str, domains: &[String]) -> String {
    let mut set: Vec<String> = domains.iter().map(|d| d.to_ascii_lowercase()).collect();
    set.sort();
    set.dedup();
    let digest = hex_digest(set.join(",").as_bytes(), 8);
    format!("{service}-cert-{digest}")
}

/// Certificate Manager (`loadBalancer.certificates.type: certificate-manager`): the DNS
/// authorization of one domain (it covers the domain and its wildcard), named by a hash of the
/// domain, as its domain cannot change.
pub fn dns_authorization(service: &str, domain: &str) -> String {
    let digest = hex_digest(domain.to_ascii_lowercase().as_bytes(), 8);
    format!("{service}-auth-{digest}")
}

/// A Certificate Manager Google-managed certificate for a set of domains (a domain and its
/// wildcard). Its domains cannot change either: the name carries a hash of the set.
pub fn managed_certificate(service: &str, domains: &[String]) -> String {
    let mut set: Vec<String> = domains.iter().map(|d| d.to_ascii_lowercase()).collect();
    set.sort();
    set.dedup();
    let digest = hex_digest(set.join(",").as_bytes(), 8);
    format!("{service}-mcert-{digest}")
}

/// The certificate map multirun generates.
pub fn certificate_map(service: &str) -> String {
    format!("{service}-certmap")
}

/// The certificate map entry of one hostname (`*.example.com` included).
pub fn certificate_map_entry(service: &str, hostname: &str) -> String {
    let digest = hex_digest(hostname.to_ascii_lowercase().as_bytes(), 8);
    format!("{service}-host-{digest}")
}

/// The Cloud Armor policy multirun generates. Its rules change as a whole: a new rule set gets
/// a new policy, named by a hash of its content, attached in place of the old one (one atomic
/// switch per backend service), and the old one is deleted once nothing uses it.
pub fn security_policy(service: &str, content: &str) -> String {
    let digest = hex_digest(content.as_bytes(), 8);
    format!("{service}-waf-{digest}")
}

/// RE2 patterns (for gcloud `--filter` `~`) matching every name multirun derives for one kind
/// of resource of `service`, whatever the spec said when it was created: how deploy.sh and
/// teardown.sh find what earlier specs left. Service names are `[a-z][a-z0-9-]*`, so they
/// need no escaping.
pub mod patterns {
    /// A region name: `us-central1`, `northamerica-northeast2`.
    const REGION: &str = "[a-z]+-[a-z]+[0-9]+";

    pub fn neg(service: &str) -> String {
        format!("^{service}-neg-{REGION}$")
    }

    /// The nearest-routing backend service and every weighted one.
    pub fn backend_service(service: &str) -> String {
        format!("^{service}-backend(-{REGION})?$")
    }

    /// Certificates for any domain set, and the unhashed name of earlier versions.
    pub fn certificate(service: &str) -> String {
        format!("^{service}-cert(-[0-9a-f]{{8}})?$")
    }

    /// Generated Certificate Manager DNS authorizations, matched against the full resource
    /// name (`projects/P/locations/global/dnsAuthorizations/NAME`).
    pub fn dns_authorization(service: &str) -> String {
        format!("/{service}-auth-[0-9a-f]{{8}}$")
    }

    /// Generated Certificate Manager certificates, matched against the full resource name.
    pub fn managed_certificate(service: &str) -> String {
        format!("/{service}-mcert-[0-9a-f]{{8}}$")
    }

    /// Generated Cloud Armor policies, for any rule set.
    pub fn security_policy(service: &str) -> String {
        format!("^{service}-waf-[0-9a-f]{{8}}$")
    }

    /// The service itself, by exact name.
    pub fn service(service: &str) -> String {
        format!("^{service}$")
    }
}
pub fn address(service: &str) -> String {
    format!("{service}-ip")
}
pub fn https_forwarding_rule(service: &str) -> String {
    format!("{service}-https-rule")
}
pub fn redirect_url_map(service: &str) -> String {
    format!("{service}-http-redirect")
}
pub fn http_proxy(service: &str) -> String {
    format!("{service}-http-proxy")
}
pub fn http_forwarding_rule(service: &str) -> String {
    format!("{service}-http-rule")
}

/// Every Compute resource name the spec leads to, in creation order.
pub fn all(spec: &Spec) -> Vec<DerivedName> {
    let service = spec.service.name.as_str();
    let routing = spec.traffic.routing;
    let mut names = Vec::new();
    let global = |resource, name| DerivedName {
        resource,
        name,
        region: None,
    };
    for region in &spec.regions {
        names.push(DerivedName {
            resource: "serverless NEG",
            name: neg(service, &region.name),
            region: Some(region.name.clone()),
        });
    }
    match routing {
        Routing::Nearest => names.push(global(
            "backend service",
            backend_service(service, routing, ""),
        )),
        Routing::Weighted => {
            for region in &spec.regions {
                names.push(DerivedName {
                    resource: "backend service",
                    name: backend_service(service, routing, &region.name),
                    region: Some(region.name.clone()),
                });
            }
        }
    }
    if let Some(policy) = crate::gcp::armor::generated_policy(spec) {
        names.push(global("Cloud Armor security policy", policy.name));
    }
    names.push(global("URL map", url_map(service)));
    names.push(global("global address", address(service)));
    let certificates = &spec.load_balancer.certificates;
    if certificates.generates_classic() {
        names.push(global(
            "SSL certificate",
            certificate(service, &spec.load_balancer.domains),
        ));
    }
    if certificates.generates_certificate_manager() {
        for group in crate::gcp::certificates::groups(&spec.load_balancer.domains) {
            names.push(global(
                "DNS authorization",
                dns_authorization(service, &group.domain),
            ));
            names.push(global(
                "Certificate Manager certificate",
                managed_certificate(service, &group.hostnames),
            ));
        }
        names.push(global("certificate map", certificate_map(service)));
        for hostname in &spec.load_balancer.domains {
            names.push(global(
                "certificate map entry",
                certificate_map_entry(service, hostname),
            ));
        }
    }
    names.push(global("target HTTPS proxy", https_proxy(service)));
    names.push(global("forwarding rule", https_forwarding_rule(service)));
    if spec.load_balancer.https_redirect {
        names.push(global("redirect URL map", redirect_url_map(service)));
        names.push(global("target HTTP proxy", http_proxy(service)));
        names.push(global("forwarding rule", http_forwarding_rule(service)));
    }
    names
}

/// RFC 1035 label as Compute requires: `[a-z]([-a-z0-9]*[a-z0-9])?`, 1–63 characters.
pub fn is_rfc1035(name: &str) -> bool {
    let bytes = name.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 63
        && bytes[0].is_ascii_lowercase()
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && !name.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_names_follow_the_domain_set_not_its_order() {
        let set = |domains: &[&str]| domains.iter().map(ToString::to_string).collect::<Vec<_>>();
        let a = certificate("app", &set(&["a.example.com", "b.example.com"]));
        assert_eq!(
            a,
            certificate("app", &set(&["B.example.com", "a.example.com"]))
        );
        assert_ne!(a, certificate("app", &set(&["a.example.com"])));
        assert!(a.starts_with("app-cert-") && a.len() == "app-cert-".len() + 8);
    }

    #[test]
    fn patterns_are_anchored() {
        // What they match is checked against real names by the fake-cloud scenarios
        // (tests/day_two.rs), whose filters use Python's `re`, as gcloud's use RE2.
        assert_eq!(patterns::neg("app"), "^app-neg-[a-z]+-[a-z]+[0-9]+$");
        assert_eq!(patterns::certificate("app"), "^app-cert(-[0-9a-f]{8})?$");
    }
}
