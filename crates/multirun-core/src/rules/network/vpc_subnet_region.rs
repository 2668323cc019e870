use crate::rules::{Context, Report};

rule! {
    code: "MR903",
    name: "vpc-subnet-region",
    severity: Warning,
    summary: "A region's Direct VPC egress subnet, written as `projects/P/regions/REGION/subnetworks/NAME`, is in that region.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let spec = cx.spec;
    if spec.service.vpc.as_ref().is_none_or(|v| v.connector.is_some()) {
        return;
    }
    for (i, region) in spec.regions.iter().enumerate() {
        let Some(subnet) = spec.subnet(region) else {
            continue;
        };
        let Some(subnet_region) = subnet_region(subnet) else {
            continue;
        };
        if subnet_region == region.name {
            continue;
        }
        let pointer = if region.subnet.is_some() {
            format!("/regions/{i}/subnet")
        } else {
            "/service/vpc/subnet".to_string()
        };
        report
            .at(&RULE, pointer, format!("region `{}` would send traffic through a subnet in `{subnet_region}`: subnets are regional", region.name))
            .help(format!("give region `{}` its own `subnet` in `{}`, or write `service.vpc.subnet` as a name that each region has", region.name, region.name));
    }
}

/// The region of `projects/P/regions/REGION/subnetworks/NAME` (also as a full URL).
fn subnet_region(subnet: &str) -> Option<&str> {
    let rest = &subnet[subnet.find("/regions/")? + "/regions/".len()..];
    let (region, tail) = rest.split_once('/')?;
    tail.starts_with("subnetworks/").then_some(region)
}
