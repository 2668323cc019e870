use crate::gcp::resources::{cpu_millis, is_valid_cpu_millis, Cpu, MIN_CPU_MILLIS, WHOLE_CPUS};
use crate::rules::{Context, Report};

rule! {
    code: "MR403",
    name: "cpu-value",
    severity: Error,
    summary: "`service.cpu` must be 0.08 to 0.999 in steps of 0.001, or exactly 1, 2, 4, 6 or 8.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let cpu = cx.spec.service.cpu;
    if cpu_millis(cpu).is_some_and(is_valid_cpu_millis) {
        return;
    }
    let max = *WHOLE_CPUS.last().expect("non-empty") as f64;
    let min = Cpu(MIN_CPU_MILLIS);
    if cpu < f64::from(MIN_CPU_MILLIS) / 1000.0 {
        report
            .at(
                &RULE,
                "/service/cpu",
                format!("cpu {cpu} is below Cloud Run's minimum of {min} vCPU"),
            )
            .help(format!(
                "use at least {min}: fractional CPU goes from {min} to 0.999 in steps of 0.001"
            ));
    } else if cpu < 1.0 {
        let rounded = Cpu((cpu * 1000.0).round() as u32);
        let d = report.at(
            &RULE,
            "/service/cpu",
            format!(
                "cpu {cpu} has more than three decimals; fractional CPU goes in steps of 0.001"
            ),
        );
        if is_valid_cpu_millis(rounded.0) && rounded.0 < 1000 {
            d.help(format!("round it to {rounded}"))
                .suggest(rounded.to_string());
        } else {
            d.help(format!(
                "use a value from {min} to 0.999 with at most three decimals, or 1"
            ));
        }
    } else if cpu > max {
        report
            .at(&RULE, "/service/cpu", format!("cpu {cpu} is above Cloud Run's maximum of {max} vCPU"))
            .help("use 1, 2, 4, 6 or 8 vCPU; for more compute, raise `maxInstances` so more instances run");
    } else {
        let below = WHOLE_CPUS
            .iter()
            .rev()
            .find(|&&c| f64::from(c) < cpu)
            .expect("cpu > 1");
        let above = WHOLE_CPUS
            .iter()
            .find(|&&c| f64::from(c) > cpu)
            .expect("cpu < max");
        report
            .at(&RULE, "/service/cpu", format!("cpu {cpu} is not a Cloud Run CPU size: from 1 vCPU up, only 1, 2, 4, 6 and 8 are allowed"))
            .help(format!("use {below} or {above}"));
    }
}
