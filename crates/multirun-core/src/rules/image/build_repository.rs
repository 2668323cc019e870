use crate::gcp::artifact_registry::{self, Repository, RepositoryError};
use crate::rules::{Context, Report};

rule! {
    code: "MR704",
    name: "build-repository",
    severity: Error,
    summary: "`build.repository` must be an Artifact Registry Docker repository: `LOCATION-docker.pkg.dev/PROJECT/REPOSITORY`.",
    check: check,
}

const FORMAT: &str = "`LOCATION-docker.pkg.dev/PROJECT/REPOSITORY`";

fn check(cx: &Context, report: &mut Report) {
    let Some(build) = &cx.spec.build else {
        return;
    };
    let written = build.repository.as_str();
    let shown = crate::text::quote::clip(written);
    let Err(error) = Repository::parse(written) else {
        return;
    };
    // The fix for a mechanical typo, when it gives a valid repository.
    let valid = |candidate: String| Repository::parse(&candidate).is_ok().then_some(candidate);
    let (message, help, suggestion): (String, String, Option<String>) = match error {
        RepositoryError::Empty => {
            ("`build.repository` is empty".into(), format!("set it to the Artifact Registry Docker repository the pipeline pushes to: {FORMAT}"), None)
        }
        RepositoryError::Whitespace => (format!("`{shown}` contains spaces"), "remove the spaces".into(), valid(written.trim().to_string())),
        RepositoryError::Scheme => (
            format!("`{shown}` starts with a URL scheme"),
            format!("drop the scheme: a repository path is {FORMAT}"),
            valid(written.split_once("://").map_or(written, |(_, rest)| rest).trim_end_matches('/').to_string()),
        ),
        RepositoryError::TrailingSlash => {
            (format!("`{shown}` ends with `/`"), "drop the trailing `/`".into(), valid(written.trim_end_matches('/').to_string()))
        }
        RepositoryError::ContainerRegistry { host } => {
            let location = artifact_registry::gcr_host_location(&host).unwrap_or("us");
            let project = written.split('/').nth(1).filter(|p| !p.is_empty() && written.split('/').count() == 2);
            let ar_path = format!("{location}-docker.pkg.dev/{}/{host}", project.unwrap_or("PROJECT"));
            (
                format!("`{shown}` is a Container Registry path; Container Registry was shut down on 2025-03-18 and accepts no pushes"),
                format!("push to an Artifact Registry Docker repository, {FORMAT}, created beforehand; the project's `{host}` repository in Artifact Registry, if it has one, is `{}`", crate::text::quote::clip(&ar_path)),
                project.and_then(|_| valid(ar_path.clone())),
            )
        }
        RepositoryError::NotArtifactRegistry { host } => (
            format!("`{shown}` is not in Artifact Registry: `{}` is not a `LOCATION-docker.pkg.dev` host", crate::text::quote::clip(&host)),
            format!(
                "push to an Artifact Registry Docker repository, {FORMAT}, such as `us-central1-docker.pkg.dev/{}/REPOSITORY`",
                crate::text::quote::clip(&cx.spec.project)
            ),
            None,
        ),
        RepositoryError::Missing(what) => (format!("`{shown}` lacks {what}; `build.repository` is {FORMAT}"), format!("add {what}"), None),
        RepositoryError::TagOrDigest => {
            let host_end = written.find('/').unwrap_or(0);
            let cut = written[host_end..].find([':', '@']).map_or(written.len(), |i| host_end + i);
            (
                format!("`{shown}` has a tag or digest; `build.repository` is the repository alone"),
                "remove the tag: the pipeline tags each image it pushes".into(),
                valid(written[..cut].to_string()),
            )
        }
        RepositoryError::ExtraPath(extra) => {
            let repository: Vec<&str> = written.splitn(4, '/').take(3).collect();
            (
                format!("`{shown}` goes past the repository: `{}` follows {FORMAT}", crate::text::quote::clip(&extra)),
                format!(
                    "remove `/{}`: the pipeline pushes `<repository>/{}:<tag>`, naming the image after the service",
                    crate::text::quote::clip(&extra),
                    crate::text::quote::clip(&cx.spec.service.name)
                ),
                valid(repository.join("/")),
            )
        }
        RepositoryError::Location(location) => (
            format!("`{}` in `{shown}` is not an Artifact Registry location", crate::text::quote::clip(&location)),
            "use a region or multi-region name, such as `us-central1-docker.pkg.dev` or `us-docker.pkg.dev`".into(),
            None,
        ),
        RepositoryError::Uppercase => {
            (format!("`{shown}` has uppercase letters"), "Artifact Registry paths are lowercase".into(), valid(written.to_ascii_lowercase()))
        }
        RepositoryError::TooLong(len) => (
            format!("`{shown}` is {len} characters; with the image name added, the pushed image would pass the 255-character limit on image names"),
            "use a shorter repository path".into(),
            None,
        ),
        RepositoryError::Component(part) => (
            format!("`{}` in `{shown}` is not a valid project ID or repository name", crate::text::quote::clip(&part)),
            "project IDs and repository names are lowercase letters, digits and hyphens".into(),
            None,
        ),
    };
    let d = report.at(&RULE, "/build/repository", message);
    d.help(help);
    if let Some(suggestion) = suggestion {
        d.suggest(suggestion);
    }
}
