use crate::rules::{Context, Report};

rule! {
    code: "MR429",
    name: "gpu-quota",
    severity: Warning,
    summary: "GPUs need quota, and a project has none by default: each region needs at least `maxInstances` GPUs of it.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let spec = cx.spec;
    let Some(gpu) = &spec.service.gpu else {
        return;
    };
    let quota = if gpu.zonal_redundancy {
        "with zonal redundancy"
    } else {
        "without zonal redundancy"
    };
    let per_region: Vec<String> = spec
        .regions
        .iter()
        .map(|r| format!("{} in `{}`", spec.max_instances(r), r.name))
        .collect();
    let most = spec
        .regions
        .iter()
        .map(|r| spec.max_instances(r))
        .max()
        .unwrap_or(0);
    report
        .at(&RULE, "/service/gpu", format!("Cloud Run checks each region's `maxInstances` (up to {most}) against the project's `{}` GPU quota {quota}, which is 0 until Google grants a request: the deploy fails without it", gpu.kind.as_str()))
        .help(format!("request the quota \"Total Nvidia L4 GPU allocation {quota}, per project per region\" for at least {} (one GPU per instance), then silence this warning with `lint.allow: [gpu-quota]`", crate::text::quote::join_and(&per_region)));
}
