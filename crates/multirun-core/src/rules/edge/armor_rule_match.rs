use super::armor_rules;
use crate::rules::{Context, Report};

rule! {
    code: "MR624",
    name: "armor-rule-match",
    severity: Error,
    summary: "A Cloud Armor rule matches one of `waf`, `expression` or `srcIpRanges`; `sensitivity` goes with `waf`.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    for (i, at, rule) in armor_rules(cx) {
        let mut matches = Vec::new();
        if rule.waf.is_some() {
            matches.push("waf");
        }
        if rule.expression.is_some() {
            matches.push("expression");
        }
        if !rule.src_ip_ranges.is_empty() {
            matches.push("srcIpRanges");
        }
        if matches.len() > 1 {
            report
                .at_key(&RULE, format!("{at}/{}", matches[1]), format!("rule {i} has {}: a rule matches one of them", matches.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(" and ")))
                .help("split it into one rule per condition, or write one `expression` that combines them (`inIpRange(origin.ip, '198.51.100.0/24') && ...`)");
        }
        if rule.sensitivity.is_some() && rule.waf.is_none() {
            report
                .at_key(&RULE, format!("{at}/sensitivity"), format!("rule {i} has a `sensitivity` but no `waf` rule set to apply it to"))
                .help("add `waf: sqli-v33-stable` (or another rule set), or remove `sensitivity`");
        }
    }
}
