use crate::rules::{Context, Report};

rule! {
    code: "MR401",
    name: "service-name",
    severity: Error,
    summary: "`service.name` must be a valid Cloud Run service name: lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen, at most 49 characters.",
    check: check,
}

/// Longest Cloud Run service name ("fewer than 50 characters").
pub const MAX_LEN: usize = 49;

fn check(cx: &Context, report: &mut Report) {
    let name = cx.spec.service.name.as_str();
    if name.is_empty() {
        report
            .at(&RULE, "/service/name", "the service name is empty")
            .help("name the service: lowercase letters, digits and hyphens, starting with a letter, such as `my-app`");
        return;
    }
    let problems = super::name_problems(name, MAX_LEN);
    if problems.is_empty() {
        return;
    }
    let d = report.at(
        &RULE,
        "/service/name",
        format!(
            "service name `{name}` is not a valid Cloud Run service name: it {}",
            crate::text::quote::join_and(&problems)
        ),
    );
    match obvious_fix(name) {
        Some(fixed) => d.help(format!("rename the service to `{fixed}`")).suggest(fixed),
        None if problems.len() == 1 && name.chars().count() > MAX_LEN => d.help(format!("shorten the name to at most {MAX_LEN} characters")),
        None => {
            d.help(format!("use only lowercase letters, digits and hyphens, start with a letter, don't end with a hyphen, and keep it to {MAX_LEN} characters"))
        }
    };
}

/// The name lowercased with `_` turned into `-`, when that alone makes it valid.
fn obvious_fix(name: &str) -> Option<String> {
    let fixed = name.to_lowercase().replace('_', "-");
    (fixed != name && super::name_problems(&fixed, MAX_LEN).is_empty()).then_some(fixed)
}
