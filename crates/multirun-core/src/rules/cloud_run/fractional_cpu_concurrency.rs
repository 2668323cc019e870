use super::concurrency_range::{MAX as MAX_CONCURRENCY, MIN as MIN_CONCURRENCY};
use crate::gcp::resources::{cpu_millis, is_valid_cpu_millis, Cpu};
use crate::rules::{Context, Report};

rule! {
    code: "MR406",
    name: "fractional-cpu-concurrency",
    severity: Error,
    summary: "With less than 1 vCPU, `service.concurrency` must be 1.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let service = &cx.spec.service;
    // Invalid CPU or concurrency values have their own rules (MR403, MR407).
    let Some(millis) = cpu_millis(service.cpu).filter(|m| is_valid_cpu_millis(*m) && *m < 1000)
    else {
        return;
    };
    let concurrency = service.concurrency;
    if concurrency == 1 || !(MIN_CONCURRENCY..=MAX_CONCURRENCY).contains(&concurrency) {
        return;
    }
    let cpu = Cpu(millis);
    if super::is_set(cx, "/service/concurrency") {
        report
            .at(&RULE, "/service/concurrency", format!("concurrency {concurrency} needs at least 1 vCPU, but `cpu` is {cpu}"))
            .help("with less than 1 vCPU an instance serves one request at a time: set `concurrency: 1`, or raise `cpu` to 1")
            .suggest("1");
    } else {
        report
            .at(&RULE, "/service/cpu", format!("cpu {cpu} is less than 1 vCPU, which needs `concurrency: 1`; concurrency is {concurrency} (the default)"))
            .help("set `concurrency: 1` under `service`, or raise `cpu` to 1");
    }
}
