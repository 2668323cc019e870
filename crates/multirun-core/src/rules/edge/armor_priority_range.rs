use crate::gcp::armor::DEFAULT_RULE_PRIORITY;
use crate::rules::{Context, Report};

rule! {
    code: "MR621",
    name: "armor-priority-range",
    severity: Error,
    summary: "A Cloud Armor rule's priority is 0 to 2147483646 (2147483647 is the default rule's).",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let Some(armor) = &cx.spec.load_balancer.armor else {
        return;
    };
    for (i, rule) in armor.rules.iter().enumerate() {
        if rule.priority >= DEFAULT_RULE_PRIORITY {
            report
                .at(&RULE, format!("/loadBalancer/armor/rules/{i}/priority"), format!("priority {} is outside 0–2147483646: 2147483647 is the default rule's", rule.priority))
                .help("use a lower priority; what happens to requests no rule matches is `armor.defaultAction`");
        }
    }
}
