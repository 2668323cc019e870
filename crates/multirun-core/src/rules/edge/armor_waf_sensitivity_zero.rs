use crate::rules::{Context, Report};

rule! {
    code: "MR627",
    name: "armor-waf-sensitivity-zero",
    severity: Warning,
    summary: "A WAF rule at sensitivity 0 enables no signature: it matches nothing.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    let Some(armor) = &cx.spec.load_balancer.armor else {
        return;
    };
    for (i, rule) in armor.rules.iter().enumerate() {
        if rule.waf.is_some() && rule.sensitivity == Some(0) {
            report
                .at(&RULE, format!("/loadBalancer/armor/rules/{i}/sensitivity"), "sensitivity 0 enables no signature of the rule set: this rule matches nothing")
                .help("start at sensitivity 1, and raise it after tuning against your traffic (`preview: true` logs without blocking)")
                .suggest("1");
        }
    }
}
