use crate::rules::{Context, Report};

rule! {
    code: "MR904",
    name: "vpc-connector-name",
    severity: Error,
    summary: "`service.vpc.connector` is a connector's name (not a path), at most 25 characters.",
    check: check,
}

/// The longest Serverless VPC Access connector name.
pub const MAX_LEN: usize = 25;

fn check(cx: &Context, report: &mut Report) {
    let Some(connector) = cx.spec.service.vpc.as_ref().and_then(|v| v.connector.as_deref()) else {
        return;
    };
    let len = connector.chars().count();
    let problem = if connector.contains('/') {
        "is a path; write only the connector's name (multirun writes each region's path)".to_string()
    } else if len == 0 {
        "is empty".to_string()
    } else if len > MAX_LEN {
        format!("is {len} characters long, over the limit of {MAX_LEN}")
    } else {
        return;
    };
    report
        .at(&RULE, "/service/vpc/connector", format!("connector `{}` {problem}", connector.chars().take(80).collect::<String>()))
        .help("use the connector's name, such as `run-connector`: the same name in every region, each region with its own connector");
}
