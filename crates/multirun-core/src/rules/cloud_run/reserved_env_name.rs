use crate::rules::{Context, Report};

rule! {
    code: "MR411",
    name: "reserved-env-name",
    severity: Error,
    summary: "`PORT`, `K_SERVICE`, `K_REVISION` and `K_CONFIGURATION` are set by Cloud Run and cannot be set in `env`.",
    check: check,
}

/// Variables the container runtime contract defines for services; Cloud Run rejects them.
pub const RESERVED: [&str; 4] = ["PORT", "K_SERVICE", "K_REVISION", "K_CONFIGURATION"];

fn check(cx: &Context, report: &mut Report) {
    for entry in super::env_entries(cx.spec) {
        if !RESERVED.contains(&entry.name) {
            continue;
        }
        let name = entry.name;
        let help = match name {
            "PORT" => "remove it; Cloud Run sets `PORT` to `service.port`, so change the port there".to_string(),
            "K_SERVICE" => format!("remove it; Cloud Run sets `K_SERVICE` to the service name (`{}`)", cx.spec.service.name),
            "K_REVISION" => "remove it; Cloud Run sets `K_REVISION` to the name of the running revision".to_string(),
            _ => format!("remove it; Cloud Run sets `{name}` to the name of the configuration that created the revision"),
        };
        report
            .at_key(
                &RULE,
                entry.pointer.clone(),
                format!(
                    "`{name}` in {} is reserved: Cloud Run sets it in every container",
                    entry.place()
                ),
            )
            .help(help);
    }
}
