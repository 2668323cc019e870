//! Target `rollout`: `rollout.sh`, the gcloud engine of a progressive rollout. It takes a new
//! image region by region, wave by wave: a revision with no traffic and a tag, the canary
//! percentages, then 100 %, each step baked and gated on the new revision's 5xx ratio and p99
//! latency, read from the Cloud Monitoring API (no gcloud command reads time series). A failed
//! gate returns every region touched so far to its previous revision.
//!
//! Rendered whatever `rollout.engine` says (the Cloud Deploy pipeline is rendered either way
//! too), with the defaults when the spec has no `rollout`; not under `deployment:
//! multi-region`, where one template serves every region (MR807 refuses a `rollout` section
//! there, and Cloud Run multi-region services take no traffic tags).

use serde::Serialize;

use super::{template, Output, Source, Target};
use crate::render::{Model, TemplateContext};

pub const TARGET: Target = Target {
    name: "rollout",
    description: "rollout.sh: the new image region by region in waves, canary steps gated on Cloud Monitoring, rollback on a failed gate (gcloud + curl)",
    templates: &[template!("rollout.sh.hbs")],
    plan,
};

/// The traffic tag on the new revision while a rollout is under way: the mark the script looks
/// for to tell a half-done rollout, and the name of its URL (`candidate---SERVICE-...run.app`).
pub const CANDIDATE_TAG: &str = "candidate";

/// What the rollout template needs beyond the model, under the context key `rolloutScript`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct RolloutScript {
    /// Every region in rollout order (wave by wave).
    regions: Vec<String>,
    /// The wave of each region of `regions`, 1-based.
    region_waves: Vec<usize>,
    wave_count: usize,
    candidate_tag: &'static str,
}

fn plan<'a>(model: &Model, base: &TemplateContext<'a>) -> Vec<Output<'a>> {
    if model.multi_region.is_some() {
        return Vec::new();
    }
    let waves = &model.rollout.waves;
    let script = RolloutScript {
        regions: waves
            .iter()
            .flat_map(|w| w.regions.iter().cloned())
            .collect(),
        region_waves: waves
            .iter()
            .flat_map(|w| w.regions.iter().map(|_| w.number))
            .collect(),
        wave_count: waves.len(),
        candidate_tag: CANDIDATE_TAG,
    };
    vec![Output {
        path: "rollout.sh".to_string(),
        source: Source::Template {
            name: "rollout.sh.hbs",
            context: base.clone().with("rolloutScript", &script),
        },
    }]
}
