//! Artifact Registry: Docker repository paths (`LOCATION-docker.pkg.dev/PROJECT/REPOSITORY`),
//! and the Container Registry hosts that Artifact Registry now serves. Shared by the MR7xx rules
//! and the generators, which push to and deploy from these paths.

use super::image::{is_path_component, ImageReference, NAME_MAX_LEN};

/// The Artifact Registry location in a `LOCATION-docker.pkg.dev` host.
pub fn artifact_registry_location(host: &str) -> Option<&str> {
    host.strip_suffix("-docker.pkg.dev")
        .filter(|location| !location.is_empty())
}

/// The Artifact Registry location of the `gcr.io` repository that serves a Container Registry
/// host (Google's mapping: `gcr.io` and `us.gcr.io` → `us`, `eu.gcr.io` → `europe`,
/// `asia.gcr.io` → `asia`). `None` for any other host.
pub fn gcr_host_location(host: &str) -> Option<&'static str> {
    match host {
        "gcr.io" | "us.gcr.io" => Some("us"),
        "eu.gcr.io" => Some("europe"),
        "asia.gcr.io" => Some("asia"),
        _ => None,
    }
}

/// `HOST/PROJECT/IMAGE…` on a Container Registry host, as the Artifact Registry path of the
/// `HOST` repository that serves it: `gcr.io/p/app:v1` → `us-docker.pkg.dev/p/gcr.io/app:v1`.
/// `None` for other hosts, and for domain-scoped projects (`gcr.io/example.com/p/…`).
pub fn artifact_registry_equivalent(reference: &ImageReference) -> Option<String> {
    let host = reference.host();
    let location = gcr_host_location(&host)?;
    let (project, image) = reference.path.split_once('/')?;
    if project.contains('.') || reference.registry.is_some_and(|r| r.contains(':')) {
        return None;
    }
    Some(format!(
        "{location}-docker.pkg.dev/{project}/{host}/{image}{}",
        reference.suffix()
    ))
}

/// The image a pipeline pushes to `repository` for `image_name`, without tag.
pub fn image_path(repository: &str, image_name: &str) -> String {
    format!("{}/{image_name}", repository.trim_end_matches('/'))
}

/// An Artifact Registry Docker repository: `LOCATION-docker.pkg.dev/PROJECT/REPOSITORY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repository<'a> {
    /// The whole path, as written.
    pub path: &'a str,
    pub location: &'a str,
    pub project: &'a str,
    pub repository: &'a str,
}

/// Why a string is not an Artifact Registry Docker repository path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepositoryError {
    Empty,
    Whitespace,
    Scheme,
    TrailingSlash,
    /// A Container Registry host (`gcr.io`, `eu.gcr.io`...).
    ContainerRegistry {
        host: String,
    },
    /// Any other host that is not `LOCATION-docker.pkg.dev`.
    NotArtifactRegistry {
        host: String,
    },
    /// Fewer than the three parts; names what is missing.
    Missing(&'static str),
    /// A tag or digest on the repository.
    TagOrDigest,
    /// Path components after the repository (usually an image name).
    ExtraPath(String),
    /// `LOCATION` in `LOCATION-docker.pkg.dev` is not a location name.
    Location(String),
    /// Longer than an image name may be, before the image name is even added.
    TooLong(usize),
    Uppercase,
    Component(String),
}

impl<'a> Repository<'a> {
    pub fn parse(s: &'a str) -> Result<Self, RepositoryError> {
        if s.is_empty() {
            return Err(RepositoryError::Empty);
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(RepositoryError::Whitespace);
        }
        if s.contains("://") {
            return Err(RepositoryError::Scheme);
        }
        if s.len() >= NAME_MAX_LEN {
            return Err(RepositoryError::TooLong(s.len()));
        }
        let (host, rest) = s.split_once('/').unwrap_or((s, ""));
        let lower_host = host.to_ascii_lowercase();
        if gcr_host_location(&lower_host).is_some() {
            return Err(RepositoryError::ContainerRegistry { host: lower_host });
        }
        let Some(location) = artifact_registry_location(host) else {
            return Err(RepositoryError::NotArtifactRegistry {
                host: host.to_string(),
            });
        };
        if s.ends_with('/') && !rest.is_empty() {
            return Err(RepositoryError::TrailingSlash);
        }
        let parts: Vec<&str> = if rest.is_empty() {
            Vec::new()
        } else {
            rest.split('/').collect()
        };
        match parts.len() {
            0 => return Err(RepositoryError::Missing("a project and a repository")),
            1 if !parts[0].contains([':', '@']) => {
                return Err(RepositoryError::Missing("a repository"))
            }
            _ => {}
        }
        if parts.len() > 2 {
            return Err(RepositoryError::ExtraPath(parts[2..].join("/")));
        }
        if s.contains([':', '@']) {
            return Err(RepositoryError::TagOrDigest);
        }
        if let Some(bad) = parts
            .iter()
            .find(|p| !is_path_component(&p.to_ascii_lowercase()))
        {
            return Err(RepositoryError::Component((*bad).to_string()));
        }
        let location_ok = location
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !location.starts_with('-');
        if !location_ok {
            return Err(RepositoryError::Location(location.to_string()));
        }
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(RepositoryError::Uppercase);
        }
        Ok(Repository {
            path: s,
            location,
            project: parts[0],
            repository: parts[1],
        })
    }

    /// `LOCATION-docker.pkg.dev`.
    pub fn host(&self) -> &'a str {
        &self.path[..self.path.find('/').unwrap_or(self.path.len())]
    }

    /// The image path the pipeline pushes for `image_name`, without tag.
    pub fn image(&self, image_name: &str) -> String {
        image_path(self.path, image_name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_gcr_io_to_artifact_registry() {
        let map = |s: &str| artifact_registry_equivalent(&ImageReference::parse(s).unwrap());
        assert_eq!(
            map("gcr.io/my-project/my-app:v1").as_deref(),
            Some("us-docker.pkg.dev/my-project/gcr.io/my-app:v1")
        );
        assert_eq!(
            map("us.gcr.io/p/team/app").as_deref(),
            Some("us-docker.pkg.dev/p/us.gcr.io/team/app")
        );
        assert_eq!(
            map("eu.gcr.io/p/app").as_deref(),
            Some("europe-docker.pkg.dev/p/eu.gcr.io/app")
        );
        assert_eq!(
            map("asia.gcr.io/p/app").as_deref(),
            Some("asia-docker.pkg.dev/p/asia.gcr.io/app")
        );
        assert_eq!(map("gcr.io/google.com/p/app"), None);
        assert_eq!(map("gcr.io/app"), None);
        assert_eq!(map("mirror.gcr.io/library/nginx"), None);
        assert_eq!(map("us-docker.pkg.dev/p/r/app"), None);
    }

    #[test]
    fn parses_repositories() {
        let r = Repository::parse("europe-west1-docker.pkg.dev/my-project/apps").unwrap();
        assert_eq!(
            (r.location, r.project, r.repository, r.host()),
            (
                "europe-west1",
                "my-project",
                "apps",
                "europe-west1-docker.pkg.dev"
            )
        );
        assert_eq!(
            r.image("my-app"),
            "europe-west1-docker.pkg.dev/my-project/apps/my-app"
        );
        assert!(Repository::parse("us-docker.pkg.dev/my-project/gcr.io").is_ok());

        use RepositoryError::*;
        let cases: &[(&str, RepositoryError)] = &[
            ("", Empty),
            ("us-docker.pkg.dev/p/ r", Whitespace),
            ("https://us-docker.pkg.dev/p/r", Scheme),
            ("us-docker.pkg.dev/p/r/", TrailingSlash),
            (
                "gcr.io/p",
                ContainerRegistry {
                    host: "gcr.io".into(),
                },
            ),
            (
                "EU.gcr.io/p",
                ContainerRegistry {
                    host: "eu.gcr.io".into(),
                },
            ),
            (
                "docker.io/me",
                NotArtifactRegistry {
                    host: "docker.io".into(),
                },
            ),
            (
                "my-project/apps",
                NotArtifactRegistry {
                    host: "my-project".into(),
                },
            ),
            (
                "-docker.pkg.dev/p/r",
                NotArtifactRegistry {
                    host: "-docker.pkg.dev".into(),
                },
            ),
            ("us-docker.pkg.dev", Missing("a project and a repository")),
            ("us-docker.pkg.dev/p", Missing("a repository")),
            ("us-docker.pkg.dev/p/r/app", ExtraPath("app".into())),
            (
                "us-docker.pkg.dev/p/r/team/app:v1",
                ExtraPath("team/app:v1".into()),
            ),
            ("us-docker.pkg.dev/p/r:v1", TagOrDigest),
            ("us-docker.pkg.dev/p/r_-x", Component("r_-x".into())),
            ("us-docker.pkg.dev/p/Apps", Uppercase),
            ("US-docker.pkg.dev/p/r", Uppercase),
            ("us_east-docker.pkg.dev/p/r", Location("us_east".into())),
        ];
        for (input, expected) in cases {
            assert_eq!(Repository::parse(input).as_ref(), Err(expected), "{input}");
        }
    }
}
