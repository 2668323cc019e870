//! MR8xx: progressive rollout (waves, canary steps, bake, gates, engines).

area! {
    "rollout":
    wave_regions,
    canary_percentages,
    bake_duration,
    first_wave_several_regions,
    weighted_canary,
    clouddeploy_pipeline_region,
    rollout_in_multi_region,
}
