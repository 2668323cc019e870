use crate::gcp::resources::{cpu_millis, is_valid_cpu_millis, Cpu};
use crate::rules::{Context, Report};
use crate::spec::ExecutionEnvironment;

rule! {
    code: "MR417",
    name: "second-generation-fractional-cpu",
    severity: Error,
    summary: "The second-generation execution environment needs at least 1 vCPU.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let service = &cx.spec.service;
    if service.execution_environment != Some(ExecutionEnvironment::Gen2) {
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
            "/service/executionEnvironment",
            format!(
                "the second-generation execution environment needs at least 1 vCPU, but `cpu` is {}",
                Cpu(millis)
            ),
        )
        .help("use `executionEnvironment: gen1`, or raise `cpu` to 1 or more")
        .suggest("gen1");
}
