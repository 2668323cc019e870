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
