use crate::gcp::artifact_registry;
use crate::gcp::image::ImageReference;
use crate::rules::{Context, Report};

rule! {
    code: "MR702",
    name: "gcr-io-image",
    severity: Warning,
    summary: "`service.image` is on Container Registry (`gcr.io`), which was shut down on 2025-03-18.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let image = &cx.spec.service.image;
    let Ok(parsed) = ImageReference::parse(image) else {
        return; // MR701
    };
    let host = parsed.host();
    let Some(location) = artifact_registry::gcr_host_location(&host) else {
        return;
    };
    let message = format!(
        "`{image}` is a Container Registry path; Container Registry was shut down on 2025-03-18 and `{host}` paths work only through Artifact Registry"
    );
    let d = report.at(&RULE, "/service/image", message);
    match artifact_registry::artifact_registry_equivalent(&parsed) {
        Some(equivalent) => {
            d.help(format!(
                "use the image's Artifact Registry path, `{equivalent}` (the `{host}` repository in `{location}`), or move it to a Docker repository of your own: `LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE`"
            ))
            .suggest(equivalent);
        }
        None => {
            d.help(format!(
                "use the image's Artifact Registry path: `{location}-docker.pkg.dev/PROJECT/{host}/IMAGE`, or a Docker repository of your own, `LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE`"
            ));
        }
    }
}
