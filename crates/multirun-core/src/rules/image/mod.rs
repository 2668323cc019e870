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
            let started = std::time::Instant::now();
            let checked = crate::check(&source, "huge.yaml");
            assert!(
                started.elapsed().as_secs() < 5,
                "took {:?}",
                started.elapsed()
            );
            let ours: Vec<_> = checked
                .diagnostics
                .iter()
                .filter(|d| d.code.starts_with("MR7"))
                .collect();
            assert!(
                ours.iter().any(|d| d.code == code),
                "no {code}: {:?}",
                ours.iter().map(|d| &d.code).collect::<Vec<_>>()
            );
            for d in ours {
                let size = d.message.len()
                    + d.help.as_deref().map_or(0, str::len)
                    + d.suggestion.as_deref().map_or(0, str::len);
                assert!(size < 1_500, "{}: {} bytes", d.code, size);
            }
        }
    }
}
