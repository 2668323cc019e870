use crate::rules::{Context, Report};
use crate::spec::Deployment;

rule! {
    code: "MR807",
    name: "rollout-in-multi-region",
    severity: Error,
    summary: "A progressive rollout is refused under deployment: multi-region, which deploys every region in one operation.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    if cx.spec.deployment != Deployment::MultiRegion || cx.spec.rollout.is_none() {
        return;
    }
    report
        .at_key(
            &RULE,
            "/rollout",
            "`rollout` asks for one wave of regions at a time, but `deployment: multi-region` deploys a new image to every region in one operation, and its traffic can't be split by tag",
        )
        .help("use `deployment: regional` (a service per region) for a progressive rollout, or remove `rollout`");
}
