//! MR7xx: image and build.

area! {
    "image and build":
    image_reference,
    gcr_io_image,
    unpinned_image,
    build_repository,
    image_outside_build_repository,
}

#[cfg(test)]
mod tests {
    /// Hostile images and repositories get short findings, quickly.
    #[test]
    fn huge_values_give_short_findings() {
        let huge = "A".repeat(200_000);
        for (image, repository, code) in [
            (
                format!("us-docker.pkg.dev/p/r/{huge}:v1"),
                "us-docker.pkg.dev/my-project/apps".to_string(),
                "MR701",
            ),
            (
                format!("{huge}.example.com/app:v1"),
                "us-docker.pkg.dev/my-project/apps".to_string(),
                "MR701",
            ),
            (
                format!("app@{huge}:x"),
                "us-docker.pkg.dev/my-project/apps".to_string(),
                "MR701",
            ),
            (
                "us-docker.pkg.dev/my-project/apps/my-app:v1".to_string(),
                format!("us-docker.pkg.dev/my-project/{huge}"),
                "MR704",
            ),
            (
                "us-docker.pkg.dev/my-project/apps/my-app:v1".to_string(),
                format!("{huge}/my-project/apps"),
                "MR704",
            ),
        ] {
            let source = format!(
                "version: 1\nproject: my-project\nservice:\n  name: my-app\n  image: \"{image}\"\n  minInstances: 1\nregions:\n  - name: us-central1\n  - name: europe-west1\nloadBalancer:\n  domains: [app.example.com]\nbuild:\n  repository: \"{repository}\"\n"
            );
            crate::rules::tests::assert_short_findings(&source, "MR7", &[code], 1_500);
        }
    }
}
