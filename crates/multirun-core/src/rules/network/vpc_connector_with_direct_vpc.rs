use crate::rules::{Context, Report};

rule! {
    code: "MR901",
    name: "vpc-connector-with-direct-vpc",
    severity: Error,
    summary: "`service.vpc.connector` and Direct VPC egress (`network`, `subnet`, `networkTags`, a region's `subnet`) are mutually exclusive.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let Some(vpc) = &cx.spec.service.vpc else {
        return;
    };
    if vpc.connector.is_none() {
        return;
    }
    let mut direct: Vec<String> = Vec::new();
    if vpc.network.is_some() {
        direct.push("`network`".into());
    }
    if vpc.subnet.is_some() {
        direct.push("`subnet`".into());
    }
    if !vpc.network_tags.is_empty() {
        direct.push("`networkTags`".into());
    }
    for region in cx.spec.regions.iter().filter(|r| r.subnet.is_some()) {
        direct.push(format!("the `subnet` of region `{}`", region.name));
    }
    if direct.is_empty() {
        return;
    }
    report
        .at(
            &RULE,
            "/service/vpc/connector",
            format!(
                "a VPC connector and Direct VPC egress ({}) are mutually exclusive",
                crate::text::quote::join_and(&direct)
            ),
        )
        .help("keep either `connector`, or `network`/`subnet`/`networkTags` (Direct VPC egress, which Google recommends over connectors)");
}
