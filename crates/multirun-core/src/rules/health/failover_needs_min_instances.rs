use crate::text::quote::clip;
use crate::rules::regions::name_list;
use crate::rules::{Context, Report};
use crate::spec::Routing;

rule! {
    code: "MR307",
    name: "failover-needs-min-instances",
    severity: Warning,
    summary: "Under `routing: nearest` with two or more regions, every region needs `minInstances` of at least 1 for Cloud Run service health failover.",
    check: check,
}

const WHY: &str = "Cloud Run service health, which moves users away from a failing region, needs at least 1 minimum instance in every region";

fn check(cx: &Context, report: &mut Report) {
    let spec = cx.spec;
    if spec.traffic.routing != Routing::Nearest || spec.regions.len() < 2 {
        return;
    }
    let mut inheriting = Vec::new();
    for (i, region) in spec.regions.iter().enumerate() {
        match region.min_instances {
            Some(0) => {
                report
                    .at(&RULE, format!("/regions/{i}/minInstances"), format!("region `{}` sets `minInstances: 0`; {WHY}", clip(&region.name)))
                    .help("set `minInstances` to 1 or more in this region (warm instances are billed in every region that keeps them)")
                    .suggest("1");
            }
            None if spec.min_instances(region) == 0 => inheriting.push(region.name.as_str()),
            _ => {}
        }
    }
    if inheriting.is_empty() {
        return;
    }
    let pointer = "/service/minInstances";
    let explicit = cx.tree.locate(pointer).1 == 0;
    let regions = format!(
        "{} {}",
        if inheriting.len() == 1 {
            "region"
        } else {
            "regions"
        },
        name_list(inheriting.iter().copied())
    );
    let value = if explicit {
        "is 0"
    } else {
        "is not set (Cloud Run's default is 0)"
    };
    let d = report.at(
        &RULE,
        pointer,
        format!("`service.minInstances` {value}, and {regions} use it; {WHY}"),
    );
    d.help("set `service.minInstances: 1` (or `minInstances` on each of those regions); warm instances are billed in every region that keeps them");
    if explicit {
        d.suggest("1");
    }
}
