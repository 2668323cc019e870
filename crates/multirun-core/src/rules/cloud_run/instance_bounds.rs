use crate::rules::{Context, Report};

rule! {
    code: "MR409",
    name: "instance-bounds",
    severity: Error,
    summary: "In every region, the effective `minInstances` must not exceed `maxInstances`, and `maxInstances` must be at least 1.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let spec = cx.spec;
    // Findings about the service-level values are reported once, not once per region.
    let mut service_zero_reported = false;
    let mut service_order_reported = false;
    for (i, region) in spec.regions.iter().enumerate() {
        let (min, max) = (spec.min_instances(region), spec.max_instances(region));
        let name = &region.name;
        if max == 0 {
            if region.max_instances.is_some() {
                report
                    .at(
                        &RULE,
                        format!("/regions/{i}/maxInstances"),
                        format!("maxInstances 0 in region `{name}` allows no instances at all"),
                    )
                    .help(zero_help());
            } else if !service_zero_reported {
                service_zero_reported = true;
                report
                    .at(
                        &RULE,
                        "/service/maxInstances",
                        "maxInstances 0 allows no instances at all",
                    )
                    .help(zero_help());
            }
            continue;
        }
        if min <= max {
            continue;
        }
        match (region.min_instances, region.max_instances) {
            (Some(_), max_override) => {
                let from = if max_override.is_some() {
                    String::new()
                } else {
                    " (from `service.maxInstances`)".to_string()
                };
                report
                    .at(&RULE, format!("/regions/{i}/minInstances"), format!("minInstances {min} in region `{name}` is above its maxInstances {max}{from}"))
                    .help(format!("lower this minInstances to at most {max}, or give region `{name}` a `maxInstances` of at least {min}"));
            }
            (None, Some(_)) => {
                report
                    .at(
                        &RULE,
                        format!("/regions/{i}/maxInstances"),
                        format!("maxInstances {max} in region `{name}` is below its minInstances {min} (from `service.minInstances`)"),
                    )
                    .help(format!("raise this maxInstances to at least {min}, or give region `{name}` a `minInstances` of at most {max}"));
            }
            (None, None) if !service_order_reported => {
                service_order_reported = true;
                report
                    .at(&RULE, "/service/minInstances", format!("minInstances {min} is above maxInstances {max}"))
                    .help(format!("lower minInstances to at most {max}, or raise maxInstances to at least {min}"));
            }
            (None, None) => {}
        }
    }
}

fn zero_help() -> &'static str {
    "use at least 1; to stop serving from a region, remove it from `regions` (Cloud Run's API reads 0 as \"unset\" and would apply its default of 100)"
}
