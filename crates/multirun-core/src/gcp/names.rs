//! Names of the Compute resources multirun derives from the service name. The rules (MR501)
//! and every generator use these, so a name that validates is the name that gets created.

use crate::spec::{Routing, Spec};

/// One derived resource: what it is, and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerivedName {
    pub resource: &'static str,
    pub name: String,
    /// The region the resource belongs to, for per-region resources.
    pub region: Option<String>,
}

pub fn neg(service: &str, region: &str) -> String {
    format!("{service}-neg-{region}")
}

pub fn backend_service(service: &str, routing: Routing, region: &str) -> String {
    match routing {
        Routing::Nearest => format!("{service}-backend"),
        Routing::Weighted => format!("{service}-backend-{region}"),
    }
}

pub fn url_map(service: &str) -> String {
    format!("{service}-url-map")
}
pub fn https_proxy(service: &str) -> String {
    format!("{service}-https-proxy")
}
pub fn certificate(service: &str) -> String {
    format!("{service}-cert")
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
    names.push(global("URL map", url_map(service)));
    names.push(global("global address", address(service)));
    names.push(global("SSL certificate", certificate(service)));
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
