use crate::rules::{Context, Report};
use crate::spec::Deployment;
use crate::text::quote::clip;
use crate::yaml::escape_pointer_segment;

rule! {
    code: "MR204",
    name: "region-override-in-multi-region",
    severity: Error,
    summary: "Per-region env, minInstances, maxInstances and subnet overrides, and VPC egress, are refused under deployment: multi-region, whose one template serves every region.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    if cx.spec.deployment != Deployment::MultiRegion {
        return;
    }
    if cx.spec.service.vpc.is_some() {
        report
            .at_key(
                &RULE,
                "/service/vpc",
                "`service.vpc` under `deployment: multi-region`: a subnet and a Serverless VPC Access connector are regional resources, but a multi-region service has one template for every region",
            )
            .help("use `deployment: regional` (a service per region, each with its region's subnet or connector), or remove `service.vpc`");
    }
    const WHY: &str = "a Cloud Run multi-region service deploys one template to every region";
    for (i, region) in cx.spec.regions.iter().enumerate() {
        let name = clip(&region.name);
        for (field, value, service_field) in [
            ("minInstances", region.min_instances, "service.minInstances"),
            ("maxInstances", region.max_instances, "service.maxInstances"),
        ] {
            if value.is_some() {
                report
                    .at_key(
                        &RULE,
                        format!("/regions/{i}/{field}"),
                        format!("region `{name}` sets its own `{field}`, which `deployment: multi-region` cannot honour: {WHY}"),
                    )
                    .help(format!("set `{service_field}` for every region and remove this one, or use `deployment: regional` (a service per region) to keep per-region values"));
            }
        }
        if region.subnet.is_some() {
            report
                .at_key(
                    &RULE,
                    format!("/regions/{i}/subnet"),
                    format!("region `{name}` sets its own `subnet`, which `deployment: multi-region` cannot honour: {WHY}"),
                )
                .help("use `deployment: regional` (a service per region) for Direct VPC egress");
        }
        for key in region.env.keys() {
            report
                .at_key(
                    &RULE,
                    format!("/regions/{i}/env/{}", escape_pointer_segment(key)),
                    format!("region `{name}` sets its own environment variable `{}`, which `deployment: multi-region` cannot honour: {WHY}", clip(key)),
                )
                .help("move it to `service.env` (the same value everywhere), read the region at run time from the metadata server (`instance/region`), or use `deployment: regional`");
        }
    }
}
