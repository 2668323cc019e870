use crate::rules::{Context, Report};

rule! {
    code: "MR428",
    name: "secret-env-duplicate",
    severity: Error,
    summary: "A variable in `secrets.env` must not also be set in `env`.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let spec = cx.spec;
    for entry in super::entries(spec) {
        if entry.file {
            continue;
        }
        let name = entry.key;
        let place = if spec.service.env.contains_key(name) {
            "`service.env`".to_string()
        } else if let Some(region) = spec.regions.iter().find(|r| r.env.contains_key(name)) {
            format!("the `env` of region `{}`", region.name)
        } else if name == crate::gcp::env::REGION_ENV_VAR {
            "every region by multirun".to_string()
        } else {
            continue;
        };
        report
            .at_key(
                &RULE,
                entry.pointer.clone(),
                format!("`{name}` comes from secret `{}` and is also set in {place}", entry.reference.secret),
            )
            .help("keep one of the two: a variable is either a plain value or a secret");
    }
}
