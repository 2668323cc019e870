use crate::gcp::artifact_registry::Repository;
use crate::gcp::image::ImageReference;
use crate::rules::{Context, Report};

rule! {
    code: "MR705",
    name: "image-outside-build-repository",
    severity: Warning,
    summary: "With `build` set, `service.image` should be the image the pipeline pushes: `<build.repository>/<service name>`.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let Some(build) = &cx.spec.build else {
        return;
    };
    // Unparseable values have their own rules (MR701, MR704).
    let (Ok(image), Ok(repository)) = (
        ImageReference::parse(&cx.spec.service.image),
        Repository::parse(&build.repository),
    ) else {
        return;
    };
    let service = &cx.spec.service.name;
    let pushed = repository.image(service);
    // Registry hosts are case-insensitive; paths are lowercase once valid.
    let name = format!("{}/{}", image.host(), image.path);
    if name == pushed {
        return;
    }
    let message = if name.starts_with(&format!("{}/", repository.path)) {
        format!(
            "`service.image` is `{}`, but the pipeline pushes and deploys `{pushed}`",
            image.name
        )
    } else {
        format!("`service.image` (`{}`) is outside `build.repository` (`{}`), where the pipeline pushes and deploys `{pushed}`", image.name, repository.path)
    };
    report
        .at(&RULE, "/service/image", message)
        .help(format!("point `service.image` at `{pushed}` (with the tag you deploy) so `cloudbuild.yaml` and `deploy.sh` deploy the same image"));
}
