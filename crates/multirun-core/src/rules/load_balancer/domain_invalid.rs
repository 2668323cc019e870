use super::hostname::{self, Problem};
use crate::rules::{Context, Report};

rule! {
    code: "MR601",
    name: "domain-invalid",
    severity: Error,
    summary: "Each `loadBalancer.domains` entry must be a bare, lowercase DNS hostname.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    for (i, written) in cx.spec.load_balancer.domains.iter().enumerate() {
        // Wildcards are MR602's.
        if written.contains('*') || hostname::validate(written).is_ok() {
            continue;
        }
        let pointer = format!("/loadBalancer/domains/{i}");
        let shown = crate::text::quote::clip(written);
        let cleaned = hostname::clean(written);
        let changes = cleaned.changes();
        if !changes.is_empty() && hostname::validate(&cleaned.host).is_ok() {
            let host = &cleaned.host;
            let why = if cleaned.scheme || cleaned.path {
                "the certificate and the load balancer take hostnames, not URLs"
            } else if cleaned.port {
                "the load balancer listens on the standard ports (443, and 80 for the redirect)"
            } else if cleaned.trailing_dot {
                "users type the name without the root dot"
            } else if cleaned.uppercase {
                "DNS names are case-insensitive, and multirun takes them in lowercase"
            } else {
                "spaces are not part of a hostname"
            };
            report
                .at(
                    &RULE,
                    pointer,
                    format!(
                        "`{shown}` is not a bare hostname: it has {}",
                        crate::text::quote::join_and(&changes)
                    ),
                )
                .help(format!("write just `{host}`: {why}"))
                .suggest(host.clone());
            continue;
        }
        let problem = match hostname::validate(&cleaned.host) {
            Err(Problem::Wildcard) | Ok(()) => continue,
            Err(problem) => problem,
        };
        let help = match &problem {
            Problem::Empty => "remove the empty entry, or write a hostname such as `app.example.com`",
            Problem::NonAscii(_) => "write an internationalized name in its ASCII (IDNA) form, `xn--…`, as DNS stores it",
            Problem::InvalidChar(_) | Problem::LabelChar { .. } => "hostnames use only letters, digits, hyphens and dots",
            Problem::SingleLabel => "write the fully qualified name users type, such as `app.example.com`",
            Problem::EmptyLabel => "remove the extra dot",
            Problem::LabelTooLong { .. } | Problem::TooLong(_) => "use a shorter name: DNS allows 63 characters per label and 253 in all",
            Problem::LabelHyphen { .. } => "remove the hyphen at the start or end of the label",
            Problem::NumericTld => "point a hostname at the load balancer's address and list that hostname",
            Problem::Uppercase | Problem::Wildcard => unreachable!("cleaned names are lowercase, and wildcards are skipped"),
        };
        report
            .at(
                &RULE,
                pointer,
                format!("`{shown}` is not a valid hostname: {}", problem.describe()),
            )
            .help(help);
    }
}
