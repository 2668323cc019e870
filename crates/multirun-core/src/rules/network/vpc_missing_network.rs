use crate::rules::{Context, Report};

rule! {
    code: "MR902",
    name: "vpc-missing-network",
    severity: Error,
    summary: "Direct VPC egress needs a network or a subnet in every region; a region's `subnet` needs `service.vpc`.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let spec = cx.spec;
    let Some(vpc) = &spec.service.vpc else {
        for (i, region) in spec.regions.iter().enumerate() {
            if region.subnet.is_some() {
                report
                    .at(&RULE, format!("/regions/{i}/subnet"), format!("region `{}` has a `subnet`, but the service has no `vpc`", region.name))
                    .help("add `vpc:` under `service` (with `network` and `egress` as needed) for Direct VPC egress, or remove the region's `subnet`");
            }
        }
        return;
    };
    if vpc.connector.is_some() || vpc.network.is_some() {
        return;
    }
    let missing: Vec<usize> = (0..spec.regions.len())
        .filter(|&i| spec.subnet(&spec.regions[i]).is_none())
        .collect();
    if missing.len() == spec.regions.len() {
        report
            .at(&RULE, "/service/vpc", "`vpc` has no `network`, `subnet` or `connector`: there is nothing to send traffic through")
            .help("set `network` (and `subnet`, if its subnets are not named like the network) for Direct VPC egress, or `connector`");
        return;
    }
    for i in missing {
        report
            .at(&RULE, format!("/regions/{i}/name"), format!("region `{}` has no subnet for Direct VPC egress, and `service.vpc` has no `network`", spec.regions[i].name))
            .help("give the region a `subnet` in that region, or set `service.vpc.network`");
    }
}
