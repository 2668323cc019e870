//! MR62x–MR63x: Cloud Armor (`loadBalancer.armor`) and Cloud CDN (`loadBalancer.cdn`) on the
//! load balancer's backend services. They share MR6xx with the load balancer; MR620 up leaves
//! the load balancer's own rules room below.

area! {
    "Cloud Armor and CDN":
    armor_ingress_all,
    armor_priority_range,
    armor_duplicate_priority,
    armor_rate_limit,
    armor_rule_match,
    armor_waf_rule_set,
    armor_existing_policy_with_rules,
    armor_waf_sensitivity_zero,
    cdn_ttl_range,
    cdn_ttl_for_cache_mode,
    cdn_ttl_order,
    cdn_with_armor,
}

use crate::rules::Context;
use crate::spec::ArmorRule;

/// The spec's Cloud Armor rules (none without `loadBalancer.armor`), each with its index and
/// its JSON pointer, under which the pointers of its fields go.
fn armor_rules<'a>(cx: &'a Context) -> impl Iterator<Item = (usize, String, &'a ArmorRule)> {
    let rules = cx
        .spec
        .load_balancer
        .armor
        .iter()
        .flat_map(|armor| &armor.rules);
    rules
        .enumerate()
        .map(|(i, rule)| (i, format!("/loadBalancer/armor/rules/{i}"), rule))
}
