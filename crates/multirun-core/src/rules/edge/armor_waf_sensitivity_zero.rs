use super::armor_rules;
use crate::rules::{Context, Report};

rule! {
    code: "MR627",
    name: "armor-waf-sensitivity-zero",
    severity: Warning,
    summary: "A WAF rule at sensitivity 0 enables no signature: it matches nothing.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    for (_, at, rule) in armor_rules(cx) {
        if rule.waf.is_some() && rule.sensitivity == Some(0) {
            report
                .at(&RULE, format!("{at}/sensitivity"), "sensitivity 0 enables no signature of the rule set: this rule matches nothing")
                .help("start at sensitivity 1, and raise it after tuning against your traffic (`preview: true` logs without blocking)")
                .suggest("1");
        }
    }
}
