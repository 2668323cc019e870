use crate::text::quote::clip;
use crate::rules::{Context, Report};

rule! {
    code: "MR202",
    name: "duplicate-region",
    severity: Error,
    summary: "A region may be listed only once.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let regions = &cx.spec.regions;
    for (i, region) in regions.iter().enumerate() {
        let Some(first) = regions[..i].iter().position(|r| r.name == region.name) else {
            continue;
        };
        let related = report.related(
            format!("/regions/{first}/name"),
            format!("entry {} lists `{}` first", first + 1, clip(&region.name)),
        );
        report
            .at(
                &RULE,
                format!("/regions/{i}/name"),
                format!("region `{}` is listed twice: entries {} and {} of `regions`", clip(&region.name), first + 1, i + 1),
            )
            .help(format!(
                "remove this entry (move any settings it carries to entry {}): a project has one Cloud Run service of a name per region, and the load balancer takes one serverless NEG per region",
                first + 1
            ))
            .related
            .push(related);
    }
}
