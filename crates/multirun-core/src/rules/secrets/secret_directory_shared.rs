use std::collections::BTreeMap;

use crate::gcp::secrets;
use crate::rules::{Context, Report};

rule! {
    code: "MR427",
    name: "secret-directory-shared",
    severity: Error,
    summary: "The secret files in one directory come from one secret: Cloud Run mounts one secret per directory.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    // The first secret mounted in each directory (files in path order).
    let mut first: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    for entry in super::entries(cx.spec) {
        if !entry.file {
            continue;
        }
        let Some((directory, _)) = secrets::split_file_path(entry.key) else {
            continue;
        };
        let secret = entry.reference.secret.as_str();
        match first.get(directory) {
            None => {
                first.insert(directory, (secret, entry.key));
            }
            Some((other, other_path)) if *other != secret => {
                report
                    .at_key(
                        &RULE,
                        entry.pointer.clone(),
                        format!(
                            "`{}` mounts secret `{secret}` in `{directory}`, where `{other_path}` already mounts secret `{other}`",
                            entry.key
                        ),
                    )
                    .help(format!("move it to a directory of its own, such as `{directory}/{}/{}`", sanitized(secret), entry.key.rsplit('/').next().unwrap_or_default()));
            }
            Some(_) => {}
        }
    }
}

/// A secret reference as a directory name.
fn sanitized(secret: &str) -> String {
    secret.rsplit('/').next().unwrap_or(secret).to_string()
}
