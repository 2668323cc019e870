use crate::rules::{Context, Report};

rule! {
    code: "MR402",
    name: "project-id",
    severity: Error,
    summary: "`project` must be a valid Google Cloud project ID: 6–30 lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen, without `google` or `ssl`.",
    check: check,
}

pub const MIN_LEN: usize = 6;
pub const MAX_LEN: usize = 30;
/// Strings Google documents as restricted in project IDs ("such as google and ssl"). Others
/// (`null`, `undefined`) are quoted only by third parties and are not checked.
pub const RESTRICTED: [&str; 2] = ["google", "ssl"];

fn check(cx: &Context, report: &mut Report) {
    let project = cx.spec.project.as_str();
    if project.is_empty() {
        report
            .at(&RULE, "/project", "the project ID is empty")
            .help("set `project` to the ID of the Google Cloud project that hosts the service, such as `my-project`");
        return;
    }
    // Project numbers are about 12 digits; a longer run of digits is just an invalid ID.
    if project.len() <= 20 && project.bytes().all(|b| b.is_ascii_digit()) {
        report
            .at(
                &RULE,
                "/project",
                format!("`{project}` looks like a project number; `project` takes the project ID"),
            )
            .help(format!(
                "find the ID with `gcloud projects describe {project} --format='value(projectId)'`"
            ));
        return;
    }
    let problems = problems(project);
    if problems.is_empty() {
        return;
    }
    let d = report.at(
        &RULE,
        "/project",
        format!(
            "`{project}` is not a valid project ID: it {}",
            crate::text::quote::join_and(&problems)
        ),
    );
    match obvious_fix(project) {
        Some(fixed) => d.help(format!("use `{fixed}` if that is the project's ID: project IDs use lowercase letters, digits and hyphens")).suggest(fixed),
        None if RESTRICTED.iter().any(|w| project.to_lowercase().contains(w)) => d.help(format!(
            "Google Cloud refuses project IDs containing {}, so no project has this ID; use the project's ID as `gcloud projects list` shows it",
            RESTRICTED.map(|w| format!("`{w}`")).join(" or ")
        )),
        None => d.help(format!(
            "use the project's ID as `gcloud projects list` shows it: {MIN_LEN}–{MAX_LEN} lowercase letters, digits and hyphens, starting with a letter"
        )),
    };
}

/// Everything wrong with a project ID, as phrases that follow "it".
fn problems(project: &str) -> Vec<String> {
    let mut problems = super::name_problems(project, MAX_LEN);
    let len = project.chars().count();
    if len < MIN_LEN {
        problems.push(format!(
            "is {len} characters long, under the minimum of {MIN_LEN}"
        ));
    }
    let lower = project.to_lowercase();
    for word in RESTRICTED {
        if lower.contains(word) {
            problems.push(format!("contains the restricted string `{word}`"));
        }
    }
    problems
}

/// The ID lowercased with `_` turned into `-`, when that alone makes it valid.
fn obvious_fix(project: &str) -> Option<String> {
    let fixed = project.to_lowercase().replace('_', "-");
    (fixed != project && problems(&fixed).is_empty()).then_some(fixed)
}
