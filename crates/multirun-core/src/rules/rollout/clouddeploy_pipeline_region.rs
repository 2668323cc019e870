use crate::rules::{Context, Report};
use crate::spec::RolloutEngine;
use crate::text::quote::clip;

rule! {
    code: "MR806",
    name: "clouddeploy-pipeline-region",
    severity: Info,
    summary: "Cloud Deploy keeps the pipeline and every target in one region: the first wave's.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let Some(rollout) = &cx.spec.rollout else {
        return;
    };
    if rollout.engine != RolloutEngine::Clouddeploy {
        return;
    }
    let waves = cx.spec.rollout_waves();
    let Some(region) = waves.first().and_then(|w| w.first()) else {
        return;
    };
    report
        .at(
            &RULE,
            "/rollout/engine",
            format!(
                "the delivery pipeline, its targets and its automation live in `{}`, the first wave's region; each target deploys one Cloud Run service in its own region",
                clip(region)
            ),
        )
        .help("Cloud Deploy needs a pipeline's targets in the pipeline's region; while Cloud Deploy in that region is unavailable, no wave can advance or roll back through it (a gcloud-driven rollout, which needs only Cloud Run and Cloud Monitoring, still can)");
}
