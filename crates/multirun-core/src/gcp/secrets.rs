//! Secret Manager references (`service.secrets`): how a secret is named, how gcloud, the Knative
//! YAML and Terraform each spell it, and where a mounted file's volume goes. Shared by the
//! secret rules and the generators.
//!
//! Facts (Cloud SDK `command_lib/run/secrets_mapping.py` and `config_changes.py`): a secret name
//! matches `[a-zA-Z0-9-_]{1,255}`; a secret in another project is
//! `projects/<PROJECT_NUMBER>/secrets/<NAME>`, the project given by its number (1–19 digits); a
//! mounted file `/dir/file` is a volume at `/dir` holding the file `file`, and a directory
//! holds one secret only.

/// The longest secret name Secret Manager accepts.
pub const MAX_NAME: usize = 255;
/// The role that reads a secret's versions.
pub const ACCESSOR_ROLE: &str = "roles/secretmanager.secretAccessor";

/// A parsed `secret:` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecretName<'a> {
    /// The project number of a secret in another project.
    pub project_number: Option<&'a str>,
    pub name: &'a str,
}

/// Whether `name` is a secret name: 1–255 ASCII letters, digits, `-` and `_`.
pub fn is_valid_name(name: &str) -> bool {
    (1..=MAX_NAME).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Parses a `secret:` value: a name, or `projects/<number>/secrets/<name>`. `None` when it is
/// neither.
pub fn parse(value: &str) -> Option<SecretName<'_>> {
    if let Some(rest) = value.strip_prefix("projects/") {
        let (project, name) = rest.split_once("/secrets/")?;
        let numeric =
            (1..=19).contains(&project.len()) && project.bytes().all(|b| b.is_ascii_digit());
        return (numeric && is_valid_name(name)).then_some(SecretName {
            project_number: Some(project),
            name,
        });
    }
    is_valid_name(value).then_some(SecretName {
        project_number: None,
        name: value,
    })
}

impl SecretName<'_> {
    /// The secret as gcloud, the v2 API and Terraform name it: `NAME`, or
    /// `projects/NUMBER/secrets/NAME`.
    pub fn resource(&self) -> String {
        match self.project_number {
            Some(number) => format!("projects/{number}/secrets/{}", self.name),
            None => self.name.to_string(),
        }
    }

    /// The name the Knative YAML uses for it: the secret's own name, or, for a secret in
    /// another project, an alias declared in the `run.googleapis.com/secrets` annotation.
    pub fn knative_name(&self) -> String {
        match self.project_number {
            Some(number) => format!("{}-p{number}", &self.name[..self.name.len().min(200)]),
            None => self.name.to_string(),
        }
    }
}

/// Whether a secret version is one Cloud Run takes: `latest`, a version number, or an alias
/// (letters, digits, `-` and `_`). Anything with `:`, `/` or `,` would also break gcloud's
/// `SECRET:VERSION` syntax.
pub fn is_valid_version(version: &str) -> bool {
    is_valid_name(version)
}

/// Splits a mounted file's path into the directory Cloud Run mounts and the file name in it.
/// `None` when the path is not absolute, has an empty segment or a `:`, or sits directly in `/`.
pub fn split_file_path(path: &str) -> Option<(&str, &str)> {
    if !path.starts_with('/') || path.contains(':') || path.contains("//") || path.ends_with('/') {
        return None;
    }
    let (directory, file) = path.rsplit_once('/')?;
    (!directory.is_empty() && !file.is_empty()).then_some((directory, file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_local_and_cross_project_secrets() {
        assert_eq!(parse("db-password").unwrap().resource(), "db-password");
        let remote = parse("projects/123456/secrets/api_key").unwrap();
        assert_eq!(remote.project_number, Some("123456"));
        assert_eq!(remote.resource(), "projects/123456/secrets/api_key");
        assert_eq!(remote.knative_name(), "api_key-p123456");
        assert!(parse("projects/my-project/secrets/x").is_none());
        assert!(parse("db password").is_none());
        assert!(parse("").is_none());
        assert!(parse(&"a".repeat(256)).is_none());
    }

    #[test]
    fn splits_file_paths_into_mount_directory_and_file() {
        assert_eq!(
            split_file_path("/secrets/api-key"),
            Some(("/secrets", "api-key"))
        );
        assert_eq!(split_file_path("/a/b/c"), Some(("/a/b", "c")));
        for bad in ["secrets/x", "/x", "/a/", "/a//b", "/a:b/c", "/"] {
            assert_eq!(split_file_path(bad), None, "{bad}");
        }
    }
}
