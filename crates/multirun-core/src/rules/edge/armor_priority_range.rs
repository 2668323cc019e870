use crate::gcp::armor::DEFAULT_RULE_PRIORITY;
use super::armor_rules;
use crate::rules::{Context, Report};

rule! {
    code: "MR621",
    name: "armor-priority-range",
    severity: Error,
    summary: "A Cloud Armor rule's priority is 0 to 2147483646 (2147483647 is the default rule's).",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    for (_, at, rule) in armor_rules(cx) {
        if rule.priority >= DEFAULT_RULE_PRIORITY {
            report
                .at(&RULE, format!("{at}/priority"), format!("priority {} is outside 0–2147483646: 2147483647 is the default rule's", rule.priority))
                .help("use a lower priority; what happens to requests no rule matches is `armor.defaultAction`");
        }
    }
}
