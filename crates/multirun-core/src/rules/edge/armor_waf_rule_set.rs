use crate::gcp::armor::{is_known_waf_rule_set, WAF_RULE_SETS};
use super::armor_rules;
use crate::rules::{Context, Report};

rule! {
    code: "MR625",
    name: "armor-waf-rule-set",
    severity: Warning,
    summary: "`waf` names a preconfigured WAF rule set multirun does not know.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    for (_, at, rule) in armor_rules(cx) {
        let Some(waf) = &rule.waf else {
            continue;
        };
        if is_known_waf_rule_set(waf) {
            continue;
        }
        report
            .at(&RULE, format!("{at}/waf"), format!("`{waf}` is not a preconfigured WAF rule set multirun knows"))
            .help(format!("write `NAME-v33-stable` (or `-v33-canary`), NAME one of: {}", WAF_RULE_SETS.join(", ")));
    }
}
