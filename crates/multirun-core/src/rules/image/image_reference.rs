use crate::gcp::artifact_registry;
use crate::gcp::image::{self, ImageReference, ReferenceError};
use crate::rules::{Context, Report};

rule! {
    code: "MR701",
    name: "image-reference",
    severity: Error,
    summary: "`service.image` must be a valid container image reference.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let image = &cx.spec.service.image;
    let shown = crate::text::quote::clip(image);
    let error = match ImageReference::parse(image) {
        Ok(parsed) => {
            let host = parsed.host();
            let parts = parsed.components().count();
            if artifact_registry::artifact_registry_location(&host).is_some() && parts < 3 {
                let message = format!(
                    "`{shown}` is not a complete Artifact Registry image: after the host it has `{}`, where PROJECT/REPOSITORY/IMAGE belongs",
                    parsed.path
                );
                report
                    .at(&RULE, "/service/image", message)
                    .help("an Artifact Registry image is `LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE:TAG`, in a repository that already exists");
            }
            return;
        }
        Err(error) => error,
    };
    let help = match &error {
        ReferenceError::Empty => "set `service.image` to the image to deploy, such as `us-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE:TAG`",
        ReferenceError::Whitespace => "remove the spaces",
        ReferenceError::Scheme => "drop the scheme: an image reference starts with the registry host",
        ReferenceError::EmptyComponent => "remove the stray `/` and write the full path: `LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE:TAG`",
        ReferenceError::Registry(_) => "a registry host is a DNS name (letters, digits, hyphens and dots), optionally with `:PORT`",
        ReferenceError::Uppercase => "write the repository path in lowercase; only the tag may have uppercase letters",
        ReferenceError::Component(_) => "each `/`-separated part of the path is lowercase letters and digits, joined by `.`, `_`, `__` or hyphens",
        ReferenceError::NameTooLong(_) => "shorten the image path",
        ReferenceError::EmptyTag => "write the tag after `:`, or drop the `:`; an empty tag often comes from an unset variable such as `$SHORT_SHA`",
        ReferenceError::Tag(_) => "tags hold letters, digits, `_`, `.` and `-`, and start with a letter, digit or `_`",
        ReferenceError::TagTooLong(_) => "use a tag of at most 128 characters",
        ReferenceError::DigestAfterColon => "write the digest after `@`: `IMAGE@sha256:…`",
        ReferenceError::DigestFormat(_) | ReferenceError::DigestAlgorithm(_) | ReferenceError::DigestLength { .. } | ReferenceError::DigestNotHex => {
            "copy the image's full digest: `sha256:` followed by 64 hex digits"
        }
        ReferenceError::DigestUppercase => "write the digest in lowercase",
    };
    let d = report.at(
        &RULE,
        "/service/image",
        format!(
            "`{shown}` is not a valid image reference: {}",
            error.describe()
        ),
    );
    d.help(help);
    if let Some(fixed) = image::repair(image) {
        d.suggest(fixed);
    }
}
