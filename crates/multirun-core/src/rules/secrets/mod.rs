//! MR424 on (in the Cloud Run service range, MR4xx): secrets from Secret Manager (`service.secrets`): references, versions, mounted files.

use crate::spec::{SecretRef, Spec};
use crate::yaml::escape_pointer_segment;

area! {
    "secrets":
    secret_reference,
    secret_latest_in_env,
    secret_file_path,
    secret_directory_shared,
    secret_env_duplicate,
}

/// One secret reference as written: in `service.secrets.env` or `service.secrets.files`.
struct SecretEntry<'a> {
    /// JSON Pointer to the entry (`/service/secrets/env/NAME`).
    pointer: String,
    /// The variable name or the file path.
    key: &'a str,
    reference: &'a SecretRef,
    /// Whether it is a file (else an environment variable).
    file: bool,
}

/// Every secret reference: the environment variables first, then the files.
fn entries(spec: &Spec) -> Vec<SecretEntry<'_>> {
    let secrets = &spec.service.secrets;
    let env = secrets.env.iter().map(|(key, reference)| SecretEntry {
        pointer: format!("/service/secrets/env/{}", escape_pointer_segment(key)),
        key,
        reference,
        file: false,
    });
    let files = secrets.files.iter().map(|(key, reference)| SecretEntry {
        pointer: format!("/service/secrets/files/{}", escape_pointer_segment(key)),
        key,
        reference,
        file: true,
    });
    env.chain(files).collect()
}
