use crate::rules::{Context, Report};

rule! {
    code: "MR302",
    name: "health-check-port",
    severity: Error,
    summary: "`healthCheck.port` must be a TCP port from 1 to 65535.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let Some(port) = cx
        .spec
        .health_check
        .port
        .filter(|p| !(1..=65535).contains(p))
    else {
        return;
    };
    report
        .at(&RULE, "/healthCheck/port", format!("health check port {port} is not a TCP port: ports run from 1 to 65535"))
        .help(format!("set the port your container answers health checks on, or remove `port` to probe `service.port` ({})", cx.spec.service.port));
}
