use crate::gcp::certificates::MAX_SSL_CERTIFICATES_PER_PROXY;
use crate::rules::{Context, Report};

rule! {
    code: "MR647",
    name: "ssl-certificate-count",
    severity: Error,
    summary: "A target HTTPS proxy takes at most 15 classic SSL certificates.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let count = cx.spec.load_balancer.certificates.ssl_certificates.len();
    if count <= MAX_SSL_CERTIFICATES_PER_PROXY {
        return;
    }
    let extra = count - MAX_SSL_CERTIFICATES_PER_PROXY;
    report
        .at(
            &RULE,
            format!("/loadBalancer/certificates/sslCertificates/{MAX_SSL_CERTIFICATES_PER_PROXY}"),
            format!("{count} SSL certificates, {extra} more than the {MAX_SSL_CERTIFICATES_PER_PROXY} a target HTTPS proxy takes; the list overflows from this entry on"),
        )
        .help(format!("keep at most {MAX_SSL_CERTIFICATES_PER_PROXY} certificates (remove {extra}), or serve the domains through Certificate Manager (`type: certificate-manager` or `certificateMap`), whose map has no such limit"));
}
