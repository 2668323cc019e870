use crate::rules::{Context, Report};

rule! {
    code: "MR408",
    name: "request-timeout-range",
    severity: Error,
    summary: "`service.timeoutSeconds` must be from 1 to 3600.",
    check: check,
}

pub const MIN: u32 = 1;
pub const MAX: u32 = 3600;

fn check(cx: &Context, report: &mut Report) {
    let timeout = cx.spec.service.timeout_seconds;
    if timeout < MIN {
        report
            .at(&RULE, "/service/timeoutSeconds", format!("timeoutSeconds {timeout} is below Cloud Run's minimum of {MIN} second"))
            .help(format!("use {MIN} to {MAX} seconds (Cloud Run's default is 300); the API reads 0 as \"use the default\", not as no timeout"));
    } else if timeout > MAX {
        report
            .at(&RULE, "/service/timeoutSeconds", format!("timeoutSeconds {timeout} is above Cloud Run's maximum of {MAX} seconds (60 minutes)"))
            .help(format!("use at most {MAX}; for longer work, start it from the request and finish it outside the request (Cloud Run jobs, Cloud Tasks)"))
            .suggest(MAX.to_string());
    }
}
