use crate::diagnostic::Severity;
use crate::rules::{Context, Report, RuleMeta};

/// Most domains one Google-managed SSL certificate takes.
pub const MAX_DOMAINS: usize = 100;

pub static RULE: RuleMeta = RuleMeta {
    code: "MR603",
    name: "domain-count",
    severity: Severity::Error,
    summary: "The Google-managed certificate needs 1 to 100 domains.",
    doc: rule_doc!("MR603-domain-count"),
    check: Some(check),
};

fn check(cx: &Context, report: &mut Report) {
    let count = cx.spec.load_balancer.domains.len();
    if count == 0 {
        report
            .at(&RULE, "/loadBalancer/domains", "`loadBalancer.domains` is empty; the load balancer's Google-managed certificate needs at least one domain")
            .help("list the hostnames users reach the service at, such as `app.example.com`");
    } else if count > MAX_DOMAINS {
        let extra = count - MAX_DOMAINS;
        report
            .at(
                &RULE,
                format!("/loadBalancer/domains/{MAX_DOMAINS}"),
                format!("{count} domains, {extra} more than the {MAX_DOMAINS} a Google-managed SSL certificate takes; the list overflows from this entry on"),
            )
            .help(format!("keep at most {MAX_DOMAINS} domains: remove {extra} of them"));
    }
}
