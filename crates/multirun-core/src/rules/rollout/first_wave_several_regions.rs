use crate::rules::regions::name_list;
use crate::rules::{Context, Report};

rule! {
    code: "MR804",
    name: "first-wave-several-regions",
    severity: Warning,
    summary: "A first wave of several regions exposes them all to a bad image at once.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let Some(first) = cx
        .spec
        .rollout
        .as_ref()
        .and_then(|r| r.waves.as_ref())
        .and_then(|w| w.first())
    else {
        return;
    };
    if first.len() < 2 {
        return;
    }
    report
        .at(
            &RULE,
            "/rollout/waves/0",
            format!(
                "the first wave takes the new revision in {} regions at once: {}",
                first.len(),
                name_list(first.iter().map(String::as_str))
            ),
        )
        .help("start with one region (ideally one with enough traffic for the gates to read), and move the others to the next wave");
}
