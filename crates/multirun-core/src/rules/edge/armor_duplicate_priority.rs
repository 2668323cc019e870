use std::collections::BTreeMap;

use super::armor_rules;
use crate::rules::{Context, Report};

rule! {
    code: "MR622",
    name: "armor-duplicate-priority",
    severity: Error,
    summary: "Two Cloud Armor rules share a priority.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let mut first: BTreeMap<u32, usize> = BTreeMap::new();
    for (i, at, rule) in armor_rules(cx) {
        if let Some(&earlier) = first.get(&rule.priority) {
            let related = report.related(format!("/loadBalancer/armor/rules/{earlier}/priority"), "the first rule with this priority");
            report
                .at(&RULE, format!("{at}/priority"), format!("priority {} is taken by rule {earlier}: a policy holds one rule per priority", rule.priority))
                .help("give each rule its own priority; the lower number is evaluated first")
                .related
                .push(related);
        } else {
            first.insert(rule.priority, i);
        }
    }
}
