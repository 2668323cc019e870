use crate::gcp::resources::{parse_memory, MIN_MEMORY, MIN_MEMORY_GEN2};
use crate::rules::{Context, Report};
use crate::spec::ExecutionEnvironment;

rule! {
    code: "MR418",
    name: "second-generation-memory",
    severity: Error,
    summary: "The second-generation execution environment needs at least 512 MiB of memory.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let service = &cx.spec.service;
    if service.execution_environment != Some(ExecutionEnvironment::Gen2) {
        return;
    }
    // Memory outside Cloud Run's range, or not a quantity, has its own rule (MR404).
    let Some(bytes) = parse_memory(&service.memory).ok().map(|m| m.bytes) else {
        return;
    };
    if !(MIN_MEMORY..MIN_MEMORY_GEN2).contains(&bytes) {
        return;
    }
    let memory = &service.memory;
    report
        .at(
            &RULE,
            "/service/memory",
            format!("memory `{memory}` is less than the 512 MiB the second-generation execution environment needs"),
        )
        .help("raise `memory` to at least `512Mi`, or use `executionEnvironment: gen1`")
        .suggest("512Mi");
}
