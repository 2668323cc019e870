use crate::rules::regions::name_list;
use crate::rules::{Context, Report};
use crate::text::quote::clip;

rule! {
    code: "MR801",
    name: "wave-regions",
    severity: Error,
    summary: "Every region of the spec appears in exactly one rollout wave, and waves name only the spec's regions.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let Some(waves) = cx.spec.rollout.as_ref().and_then(|r| r.waves.as_ref()) else {
        return;
    };
    let regions: Vec<&str> = cx.spec.regions.iter().map(|r| r.name.as_str()).collect();
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for (w, wave) in waves.iter().enumerate() {
        if wave.is_empty() {
            report
                .at(&RULE, format!("/rollout/waves/{w}"), format!("wave {} is empty", w + 1))
                .help("remove the empty wave, or move a region into it");
        }
        for (i, name) in wave.iter().enumerate() {
            let pointer = format!("/rollout/waves/{w}/{i}");
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
                report
                    .at(
                        &RULE,
                        pointer,
                        format!(
                            "region `{}` is in wave {} and again in wave {}",
                            clip(name),
                            first + 1,
                            w + 1
                        ),
                    )
                    .help("keep each region in one wave: a region takes the new revision once");
            } else if !regions.contains(&name.as_str()) {
                report
                    .at(
                        &RULE,
                        pointer,
                        format!("wave {} names `{}`, which is not in `regions`", w + 1, clip(name)),
                    )
                    .help(format!("waves list the spec's regions: {}", name_list(regions.iter().copied())));
            }
            seen.push((name.as_str(), w));
        }
    }
    let missing: Vec<&str> = regions
        .iter()
        .copied()
        .filter(|r| !seen.iter().any(|(n, _)| n == r))
        .collect();
    if !missing.is_empty() {
        report
            .at_key(
                &RULE,
                "/rollout/waves",
                format!("no wave deploys {}", name_list(missing.iter().copied())),
            )
            .help("add each region to a wave (a new wave at the end, or an existing one): a region in no wave would never get the new revision");
    }
}
