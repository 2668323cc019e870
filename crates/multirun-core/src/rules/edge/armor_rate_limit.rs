use super::armor_rules;
use crate::rules::{Context, Report};
use crate::spec::ArmorRuleAction;

rule! {
    code: "MR623",
    name: "armor-rate-limit",
    severity: Error,
    summary: "`throttle` and `rate-based-ban` need `rateLimit`; no other action takes it, and `banDurationSec` is for `rate-based-ban` only.",
    check: check,
}

fn check(cx: &Context, report: &mut Report) {
    for (_, at, rule) in armor_rules(cx) {
        let action = rule.action.as_str();
        match (&rule.rate_limit, rule.action.rate_limited()) {
            (None, true) => {
                report
                    .at_key(&RULE, format!("{at}/action"), format!("action `{action}` needs `rateLimit` (`count` requests per `intervalSec` seconds)"))
                    .help("add `rateLimit: {count: 100, intervalSec: 60}`, with the limit that suits this path");
            }
            (Some(_), false) => {
                report
                    .at_key(&RULE, format!("{at}/rateLimit"), format!("action `{action}` takes no `rateLimit`: only `throttle` and `rate-based-ban` do"))
                    .help("use `action: throttle` (or `rate-based-ban`) to rate-limit, or remove `rateLimit`");
            }
            (Some(limit), true) if limit.ban_duration_sec.is_some() && rule.action == ArmorRuleAction::Throttle => {
                report
                    .at_key(&RULE, format!("{at}/rateLimit/banDurationSec"), "`banDurationSec` is for `rate-based-ban` only: `throttle` bans nobody")
                    .help("use `action: rate-based-ban` to ban clients over the limit, or remove `banDurationSec`");
            }
            _ => {}
        }
    }
}
