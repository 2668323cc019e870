use crate::gcp::resources::{
    cpu_millis, describe_bytes, is_valid_cpu_millis, largest_cpu_for_memory, memory_range_for_cpu,
    parse_memory, smallest_cpu_for_memory, to_quantity, Cpu, MAX_MEMORY, MIN_MEMORY,
};
use crate::rules::{Context, Report};

rule! {
    code: "MR405",
    name: "cpu-memory-mismatch",
    severity: Error,
    summary: "`service.memory` must be within what `service.cpu` allows (for example at most 4 GiB with 1 vCPU, at least 2 GiB with 4 vCPU).",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let service = &cx.spec.service;
    // Invalid CPU or memory values have their own rules (MR403, MR404).
    let Some(millis) = cpu_millis(service.cpu).filter(|m| is_valid_cpu_millis(*m)) else {
        return;
    };
    let Some(bytes) = parse_memory(&service.memory)
        .ok()
        .map(|m| m.bytes)
        .filter(|b| (MIN_MEMORY..=MAX_MEMORY).contains(b))
    else {
        return;
    };
    let (min, max) = memory_range_for_cpu(millis);
    if (min..=max).contains(&bytes) {
        return;
    }
    let cpu = Cpu(millis);
    let memory = &service.memory;
    let shown = if super::is_set(cx, "/service/memory") {
        format!("`{memory}`")
    } else {
        format!("`{memory}` (the default)")
    };
    // Point at memory when it is written; with the default memory, at the CPU that rules it out.
    let pointer = if super::is_set(cx, "/service/memory") || !super::is_set(cx, "/service/cpu") {
        "/service/memory"
    } else {
        "/service/cpu"
    };
    let quantity = |b: u64| to_quantity(b).expect("memory bands are whole MiB");
    if bytes > max {
        let fits = Cpu(smallest_cpu_for_memory(bytes).expect("memory is at most 32 GiB"));
        report
            .at(&RULE, pointer, format!("memory {shown} is more than {cpu} vCPU allows: at most {}", describe_bytes(max)))
            .help(format!("raise `cpu` to {fits}, the smallest that allows `{memory}`, or lower `memory` to at most `{}`", quantity(max)));
    } else {
        let fits = Cpu(largest_cpu_for_memory(bytes).expect("memory is at least 128 MiB"));
        report
            .at(&RULE, pointer, format!("memory {shown} is less than {cpu} vCPU needs: at least {}", describe_bytes(min)))
            .help(format!("raise `memory` to at least `{}`, or lower `cpu` to {fits}, the largest that allows `{memory}`", quantity(min)));
    }
}
