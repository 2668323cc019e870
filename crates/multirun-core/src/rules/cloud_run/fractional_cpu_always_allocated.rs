use crate::gcp::resources::{cpu_millis, is_valid_cpu_millis, Cpu};
use crate::rules::{Context, Report};

rule! {
    code: "MR416",
    name: "fractional-cpu-always-allocated",
    severity: Error,
    summary: "With less than 1 vCPU, `service.cpuAlwaysAllocated` must be false.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let service = &cx.spec.service;
    if !service.cpu_always_allocated {
        return;
    }
    // An invalid CPU value has its own rule (MR403).
    let Some(millis) = cpu_millis(service.cpu).filter(|m| is_valid_cpu_millis(*m) && *m < 1000)
    else {
        return;
    };
    report
        .at(
            &RULE,
            "/service/cpuAlwaysAllocated",
            format!(
                "CPU always allocated (instance-based billing) needs at least 1 vCPU, but `cpu` is {}",
                Cpu(millis)
            ),
        )
        .help("raise `cpu` to 1 or more, or remove `cpuAlwaysAllocated` (request-based billing)");
}
