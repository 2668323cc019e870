use crate::rules::{Context, Report};
use crate::spec::ArmorAction;

rule! {
    code: "MR626",
    name: "armor-existing-policy-with-rules",
    severity: Error,
    summary: "`armor.policy` names an existing policy: `rules`, `defaultAction` and `adaptiveProtection` would be ignored.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let Some(armor) = &cx.spec.load_balancer.armor else {
        return;
    };
    let Some(policy) = &armor.policy else {
        return;
    };
    let mut ignored = Vec::new();
    if !armor.rules.is_empty() {
        ignored.push("rules");
    }
    if armor.default_action != ArmorAction::Allow {
        ignored.push("defaultAction");
    }
    if armor.adaptive_protection {
        ignored.push("adaptiveProtection");
    }
    let Some(first) = ignored.first() else {
        return;
    };
    report
        .at_key(&RULE, format!("/loadBalancer/armor/{first}"), format!("`armor.policy` attaches the existing policy `{policy}` as it is: {} would be ignored", ignored.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")))
        .help("remove `policy` to have multirun generate a policy from these settings, or remove them and manage `{policy}` yourself");
}
