use crate::rules::{Context, Report};

rule! {
    code: "MR421",
    name: "gpu-billing",
    severity: Error,
    summary: "A GPU needs instance-based billing: `service.cpuAlwaysAllocated: true`.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let service = &cx.spec.service;
    if service.gpu.is_none() || service.cpu_always_allocated {
        return;
    }
    report
        .at(&RULE, "/service/gpu", "a GPU needs instance-based billing, but `cpuAlwaysAllocated` is false (request-based billing)")
        .help("add `cpuAlwaysAllocated: true` under `service`: GPU instances are billed for their whole life");
}
