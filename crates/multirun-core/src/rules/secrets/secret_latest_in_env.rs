use crate::rules::{Context, Report};
use crate::spec::SecretVersion;

rule! {
    code: "MR425",
    name: "secret-latest-in-env",
    severity: Warning,
    summary: "A secret in an environment variable should pin a version rather than `latest`: the value is read once, when an instance starts.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    for entry in super::entries(cx.spec) {
        if entry.file || entry.reference.version != SecretVersion::Name("latest".into()) {
            continue;
        }
        report
            .at(
                &RULE,
                format!("{}/version", entry.pointer),
                format!(
                    "`{}` reads `latest` of secret `{}` once, when each instance starts: instances started before and after a new version disagree",
                    entry.key, entry.reference.secret
                ),
            )
            .help("pin a version number and change it to roll out a new secret version, or mount the secret as a file under `secrets.files`, which is read on every access");
    }
}
