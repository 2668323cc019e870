use crate::gcp::secrets;
use crate::rules::{Context, Report};
use crate::spec::SecretVersion;

rule! {
    code: "MR424",
    name: "secret-reference",
    severity: Error,
    summary: "A secret is a Secret Manager name or `projects/PROJECT_NUMBER/secrets/NAME`, and its version `latest`, a number or an alias.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    for entry in super::entries(cx.spec) {
        let secret = &entry.reference.secret;
        if secrets::parse(secret).is_none() {
            let help = if secret.starts_with("projects/") {
                "a secret in another project is `projects/PROJECT_NUMBER/secrets/NAME`, with the project's number (1 to 19 digits), not its ID"
            } else {
                "a secret name is 1 to 255 letters, digits, `-` and `_`"
            };
            report
                .at(
                    &RULE,
                    format!("{}/secret", entry.pointer),
                    format!("`{}` is not a Secret Manager secret name", shorten(secret)),
                )
                .help(help);
        }
        let bad_version = match &entry.reference.version {
            SecretVersion::Number(n) => *n == 0,
            SecretVersion::Name(name) => !secrets::is_valid_version(name),
        };
        if bad_version {
            report
                .at(
                    &RULE,
                    format!("{}/version", entry.pointer),
                    format!(
                        "`{}` is not a secret version",
                        shorten(&entry.reference.version.to_string())
                    ),
                )
                .help("use a version number (versions count from 1), `latest`, or an alias of letters, digits, `-` and `_`");
        }
    }
}

/// A value cut to a length that keeps the message short.
fn shorten(value: &str) -> String {
    const SHOWN: usize = 80;
    if value.chars().count() <= SHOWN {
        value.to_string()
    } else {
        format!("{}...", value.chars().take(SHOWN).collect::<String>())
    }
}
