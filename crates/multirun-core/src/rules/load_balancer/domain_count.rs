use crate::rules::{Context, Report};

/// Most domains one Google-managed SSL certificate takes.
pub const MAX_DOMAINS: usize = 100;

rule! {
    code: "MR603",
    name: "domain-count",
    severity: Error,
    summary: "The Google-managed certificate needs 1 to 100 domains.",
    check: check,
}

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
