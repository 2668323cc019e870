use crate::rules::{Context, Report};
use crate::text::quote::clip;

rule! {
    code: "MR430",
    name: "deployer-member",
    severity: Error,
    summary: "Each of `identities.deployers` is an IAM principal: `user:`, `group:`, `domain:`, `serviceAccount:`, `principal:` or `principalSet:`, then its identifier.",
    check: check,
}

/// The principal kinds a project role can be granted to, as IAM spells them.
const KINDS: &[&str] = &["user", "group", "domain", "serviceAccount", "principal", "principalSet"];

fn check(cx: &Context, report: &mut Report) {
    let Some(identities) = &cx.spec.identities else {
        return;
    };
    for (i, member) in identities.deployers.iter().enumerate() {
        let well_formed = member.split_once(':').is_some_and(|(kind, id)| {
            KINDS.contains(&kind)
                && !id.is_empty()
                && !id.chars().any(|c| c.is_whitespace() || c.is_control())
        });
        if !well_formed {
            report
                .at(&RULE, format!("/identities/deployers/{i}"), format!("`{}` is not an IAM principal", clip(member)))
                .help("write `user:EMAIL`, `group:EMAIL`, `serviceAccount:EMAIL`, `domain:DOMAIN`, or a `principal:`/`principalSet:` identifier");
        }
    }
}
