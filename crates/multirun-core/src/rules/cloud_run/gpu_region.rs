use crate::catalog;
use crate::rules::{Context, Report};

rule! {
    code: "MR419",
    name: "gpu-region",
    severity: Error,
    summary: "`service.gpu` needs regions that offer the GPU type (multirun's dated list).",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let Some(gpu) = &cx.spec.service.gpu else {
        return;
    };
    let Some(entry) = catalog::gpu(gpu.kind.as_str()) else {
        return;
    };
    for (i, region) in cx.spec.regions.iter().enumerate() {
        let name = region.name.as_str();
        if entry.regions.contains(&name) || entry.invitation_only.contains(&name) || region.uncatalogued {
            continue;
        }
        report
            .at(&RULE, format!("/regions/{i}/name"), format!("region `{name}` has no {} GPUs (as of {})", entry.display, catalog::GPU_CATALOG_CHECKED))
            .help(format!("{} GPUs are in {}; pick regions among them, or mark a region Google has added since with `uncatalogued: true`", entry.display, crate::text::quote::join_and(&entry.regions.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>())));
    }
}
