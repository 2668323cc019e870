use crate::rules::{Context, Report};

rule! {
    code: "MR423",
    name: "gpu-zonal-redundancy-off",
    severity: Warning,
    summary: "Without GPU zonal redundancy, failover to another zone is best effort.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let Some(gpu) = &cx.spec.service.gpu else {
        return;
    };
    if gpu.zonal_redundancy {
        return;
    }
    report
        .at(&RULE, "/service/gpu/zonalRedundancy", "without zonal redundancy, GPU instances fail over to another zone only if capacity happens to be free")
        .help("keep zonal redundancy on for a service that must survive a zone outage, or silence this warning with `lint.allow` when the lower price matters more");
}
