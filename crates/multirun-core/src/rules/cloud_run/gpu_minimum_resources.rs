use crate::catalog;
use crate::gcp::resources::{cpu_millis, describe_bytes, parse_memory, Cpu};
use crate::rules::{Context, Report};

rule! {
    code: "MR420",
    name: "gpu-minimum-resources",
    severity: Error,
    summary: "With a GPU, `service.cpu` and `service.memory` are at least the GPU type's minimum (4 vCPU and 16 GiB for an L4).",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let service = &cx.spec.service;
    let Some(entry) = service.gpu.as_ref().and_then(|g| catalog::gpu(g.kind.as_str())) else {
        return;
    };
    let min_cpu = Cpu(entry.min_cpu_millis);
    if let Some(millis) = cpu_millis(service.cpu) {
        if millis < entry.min_cpu_millis {
            report
                .at(&RULE, "/service/cpu", format!("an {} GPU needs at least {min_cpu} vCPU, but `cpu` is {}", entry.display, Cpu(millis)))
                .help(format!("set `cpu: {min_cpu}` or more"))
                .suggest(min_cpu.to_string());
        }
    }
    if let Ok(memory) = parse_memory(&service.memory) {
        if memory.bytes < entry.min_memory_bytes {
            let min = describe_bytes(entry.min_memory_bytes);
            report
                .at(&RULE, "/service/memory", format!("an {} GPU needs at least {min} of memory, but `memory` is `{}`", entry.display, service.memory))
                .help(format!("set `memory: {}Gi` or more", entry.min_memory_bytes >> 30))
                .suggest(format!("{}Gi", entry.min_memory_bytes >> 30));
        }
    }
}
