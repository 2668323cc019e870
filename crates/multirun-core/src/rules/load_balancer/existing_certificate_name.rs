use crate::gcp::names;
use crate::rules::{Context, Report};
use crate::text::quote::clip;

rule! {
    code: "MR650",
    name: "existing-certificate-name",
    severity: Error,
    summary: "An existing certificate or certificate map must not carry a name multirun generates, which deploy.sh and teardown.sh delete.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let service = cx.spec.service.name.as_str();
    let certificates = &cx.spec.load_balancer.certificates;
    for (i, name) in certificates.ssl_certificates.iter().enumerate() {
        if !is_generated_certificate_name(service, name) {
            continue;
        }
        report
            .at(
                &RULE,
                format!("/loadBalancer/certificates/sslCertificates/{i}"),
                format!("`{}` is named like the certificates multirun creates for `{service}` (`{service}-cert[-HASH]`): teardown.sh deletes every certificate with such a name, and deploy.sh deletes it once it is off the proxy", clip(name)),
            )
            .help("give the existing certificate a name of its own (create a copy under another name), or drop it from `sslCertificates` and let multirun create the certificate");
    }
    if let Some(map) = &certificates.certificate_map {
        if *map == names::certificate_map(service) {
            report
                .at(
                    &RULE,
                    "/loadBalancer/certificates/certificateMap",
                    format!("`{}` is the name of the certificate map multirun creates for `{service}` with `type: certificate-manager`: deploy.sh deletes the entries of a map of that name that it did not create, and teardown.sh deletes the map", clip(map)),
                )
                .help("use a map of another name, or remove `certificateMap` and set `type: certificate-manager` to have multirun manage this one");
        }
    }
}

/// `SERVICE-cert` or `SERVICE-cert-` and 8 lowercase hex digits: what
/// `names::patterns::certificate` matches, and deploy.sh and teardown.sh list as multirun's.
fn is_generated_certificate_name(service: &str, name: &str) -> bool {
    let Some(rest) = name
        .strip_prefix(service)
        .and_then(|rest| rest.strip_prefix("-cert"))
    else {
        return false;
    };
    rest.is_empty()
        || rest.strip_prefix('-').is_some_and(|hash| {
            hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
}

#[cfg(test)]
mod tests {
    use super::is_generated_certificate_name as generated;

    #[test]
    fn matches_exactly_what_the_scripts_list_as_multiruns() {
        assert!(generated("app", "app-cert"));
        assert!(generated("app", "app-cert-0123abcd"));
        assert!(!generated("app", "app-cert-0123abcD"));
        assert!(!generated("app", "app-cert-0123abc"));
        assert!(!generated("app", "app-cert-legacy"));
        assert!(!generated("app", "app-certificate"));
        assert!(!generated("app", "my-app-cert"));
        assert!(!generated("app", "app-mcert-0123abcd"));
    }
}
