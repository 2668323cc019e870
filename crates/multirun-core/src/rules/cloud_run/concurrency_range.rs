use crate::rules::{Context, Report};

rule! {
    code: "MR407",
    name: "concurrency-range",
    severity: Error,
    summary: "`service.concurrency` must be from 1 to 1000.",
    check: check,
}

pub const MIN: u32 = 1;
pub const MAX: u32 = 1000;

fn check(cx: &Context, report: &mut Report) {
    let concurrency = cx.spec.service.concurrency;
    if concurrency < MIN {
        report.at(&RULE, "/service/concurrency", format!("concurrency {concurrency} is below Cloud Run's minimum of {MIN}")).help(format!(
            "use {MIN} to {MAX} concurrent requests per instance (Cloud Run's default is 80); the API reads 0 as \"use the default\", not as a limit"
        ));
    } else if concurrency > MAX {
        report
            .at(&RULE, "/service/concurrency", format!("concurrency {concurrency} is above Cloud Run's maximum of {MAX}"))
            .help(format!("use at most {MAX} concurrent requests per instance; for more throughput, raise `maxInstances`"))
            .suggest(MAX.to_string());
    }
}
