use crate::text::quote::clip;
use crate::rules::{Context, Report};

rule! {
    code: "MR301",
    name: "health-check-path",
    severity: Error,
    summary: "`healthCheck.path` and `healthCheck.livenessPath` must start with `/` and contain no whitespace or control characters.",
    check: check,
}

/// How a character that cannot appear raw in an HTTP request path reads in a message.
fn describe(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        '\t' => "a tab".into(),
        _ => format!("the character U+{:04X}", c as u32),
    }
}

fn with_slash(path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    }
}

fn check(cx: &Context, report: &mut Report) {
    let hc = &cx.spec.health_check;
    check_path(report, &hc.path, "/healthCheck/path");
    if let Some(liveness_path) = &hc.liveness_path {
        check_path(report, liveness_path, "/healthCheck/livenessPath");
    }
}

fn check_path(report: &mut Report, path: &str, pointer: &str) {
    if path.is_empty() {
        report
            .at(&RULE, pointer, "the health check path is empty")
            .help("set the path your service answers health checks on, such as `/ready`, or `/` to probe the root")
            .suggest("/");
        return;
    }
    if let Some(bad) = path.chars().find(|c| c.is_whitespace() || c.is_control()) {
        let d = report.at(
            &RULE,
            pointer,
            format!(
                "the health check path {:?} contains {}",
                clip(path),
                describe(bad)
            ),
        );
        let trimmed = path.trim();
        if !trimmed.is_empty() && !trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
            let fixed = with_slash(trimmed);
            d.help(format!(
                "remove the surrounding whitespace: `{}`",
                clip(&fixed)
            ))
            .suggest(fixed);
        } else {
            d.help("an HTTP request path cannot carry whitespace or control characters: remove them, or percent-encode them (a space is `%20`)");
        }
        return;
    }
    if !path.starts_with('/') {
        let fixed = with_slash(path);
        report
            .at(
                &RULE,
                pointer,
                format!(
                    "the health check path `{}` does not start with `/`",
                    clip(path)
                ),
            )
            .help(format!(
                "HTTP request paths start with `/`: use `{}`",
                clip(&fixed)
            ))
            .suggest(fixed);
    }
}
