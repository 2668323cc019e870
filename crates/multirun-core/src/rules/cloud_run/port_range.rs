use crate::rules::{Context, Report};

rule! {
    code: "MR410",
    name: "port-range",
    severity: Error,
    summary: "`service.port` must be from 1 to 65535.",
    check: check,
}

pub const MAX: u32 = 65535;

fn check(cx: &Context, report: &mut Report) {
    let port = cx.spec.service.port;
    if (1..=MAX).contains(&port) {
        return;
    }
    report
        .at(&RULE, "/service/port", format!("port {port} is not a TCP port: ports go from 1 to {MAX}"))
        .help("set `port` to the port the container listens on (Cloud Run passes it in `PORT`); Cloud Run's default is 8080");
}
