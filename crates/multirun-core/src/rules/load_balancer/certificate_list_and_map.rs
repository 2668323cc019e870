use crate::rules::{Context, Report};
use crate::spec::CertificateKind;

rule! {
    code: "MR646",
    name: "certificate-list-and-map",
    severity: Error,
    summary: "Existing classic SSL certificates (`sslCertificates`) cannot go with Certificate Manager (`certificateMap` or `type: certificate-manager`).",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let certificates = &cx.spec.load_balancer.certificates;
    if certificates.ssl_certificates.is_empty() {
        return;
    }
    let other = if let Some(map) = &certificates.certificate_map {
        format!("the certificate map `{}`", crate::text::quote::clip(map))
    } else if certificates.kind == CertificateKind::CertificateManager {
        "`type: certificate-manager`".to_string()
    } else {
        return;
    };
    report
        .at_key(
            &RULE,
            "/loadBalancer/certificates/sslCertificates",
            format!("`sslCertificates` lists classic SSL certificates, and {other} puts Certificate Manager on the same proxy; a proxy with a certificate map ignores its SSL certificates"),
        )
        .help("keep one: remove `sslCertificates` to serve through Certificate Manager, or remove `certificateMap` and `type: certificate-manager` to attach the classic certificates");
}
