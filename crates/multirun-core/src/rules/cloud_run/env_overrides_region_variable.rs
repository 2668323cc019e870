use crate::gcp::env::REGION_ENV_VAR;
use crate::rules::{Context, Report};
use crate::spec::Deployment;

rule! {
    code: "MR413",
    name: "env-overrides-region-variable",
    severity: Warning,
    summary: "multirun sets `CLOUD_RUN_REGION` in every region; a value for it in `env` is replaced.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    for entry in super::env_entries(cx.spec) {
        if entry.name != REGION_ENV_VAR {
            continue;
        }
        let d = match entry.region {
            None if cx.spec.deployment == Deployment::MultiRegion => report.at_key(
                &RULE,
                entry.pointer.clone(),
                format!("`{REGION_ENV_VAR}` in `service.env` is dropped under `deployment: multi-region`: one template serves every region, so one value would be wrong in all but one"),
            ),
            None => report.at_key(
                &RULE,
                entry.pointer.clone(),
                format!("`{REGION_ENV_VAR}` in `service.env` is replaced in every region: multirun sets it to each region's name"),
            ),
            Some(region) if entry.value == region.name => {
                report.at_key(&RULE, entry.pointer.clone(), format!("`{REGION_ENV_VAR}` in region `{}` repeats what multirun already sets", region.name))
            }
            Some(region) => report.at_key(
                &RULE,
                entry.pointer.clone(),
                format!("`{REGION_ENV_VAR}: {}` in region `{}` is replaced: multirun sets it to `{}`", entry.value, region.name, region.name),
            ),
        };
        if cx.spec.deployment == Deployment::MultiRegion {
            d.help("remove it, and read the region from the metadata server (`instance/region`); to pass another value, use a different variable name");
        } else {
            d.help(format!("remove it: every region's container already gets `{REGION_ENV_VAR}` set to its region's name; to pass another value, use a different variable name"));
        }
    }
}
