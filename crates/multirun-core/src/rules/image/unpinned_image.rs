use crate::gcp::image::ImageReference;
use crate::rules::{Context, Report};

rule! {
    code: "MR703",
    name: "unpinned-image",
    severity: Warning,
    summary: "`service.image` has no version: no tag or digest, or the `latest` tag.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let image = &cx.spec.service.image;
    let Ok(parsed) = ImageReference::parse(image) else {
        return; // MR701
    };
    if parsed.is_pinned() {
        return;
    }
    let message = if parsed.tag.is_none() {
        format!("`{image}` has no tag or digest, so it means `:latest`, whatever that points to when each region deploys")
    } else {
        format!("`{image}` uses the `latest` tag, which moves with every push")
    };
    report.at(&RULE, "/service/image", message).help(
        "pin the image with a version tag (`:v1.2.3`) or a digest (`@sha256:…`): every region resolves the tag when it deploys, so a push during a rollout leaves regions on different images",
    );
}
