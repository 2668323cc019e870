use crate::rules::{Context, Report};

rule! {
    code: "MR422",
    name: "gpu-count",
    severity: Error,
    summary: "`service.gpu.count` is 1: Cloud Run attaches exactly one GPU per instance.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let Some(gpu) = &cx.spec.service.gpu else {
        return;
    };
    if gpu.count == 1 {
        return;
    }
    report
        .at(&RULE, "/service/gpu/count", format!("Cloud Run attaches exactly 1 GPU per instance, not {}", gpu.count))
        .help("set `count: 1` (or leave it out); for more GPU capacity, raise `maxInstances`")
        .suggest("1");
}
