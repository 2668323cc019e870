use crate::rules::{Context, Report};

rule! {
    code: "MR414",
    name: "env-google-prefix",
    severity: Warning,
    summary: "Environment variable names starting with `X_GOOGLE_` are reserved for functions on Cloud Run and may be rejected.",
    check: check,
}

pub const PREFIX: &str = "X_GOOGLE_";

fn check(cx: &Context, report: &mut Report) {
    for entry in super::env_entries(cx.spec) {
        if entry.name.starts_with(PREFIX) {
            report
                .at_key(&RULE, entry.pointer.clone(), format!("`{}` in {} starts with `{PREFIX}`, a prefix Google reserves", entry.name, entry.place()))
                .help(format!("rename it without the `{PREFIX}` prefix; Cloud Run rejects such names for functions and may for services too"));
        }
    }
}
