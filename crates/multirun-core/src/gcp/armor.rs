//! Cloud Armor: the security policy multirun generates from `loadBalancer.armor`, in the API's
//! own terms (actions such as `deny(403)`, the preconfigured WAF expression, the default
//! rule), shared by the generators (the gcloud YAML and Terraform write the same policy) and by
//! the derived names (the policy's name carries a hash of this content).

use serde::Serialize;

use crate::spec::{Armor, ArmorRule, Spec};

/// The default rule's priority: the lowest, which every policy holds, matching every request.
pub const DEFAULT_RULE_PRIORITY: u32 = 2_147_483_647;

/// The sensitivity a WAF rule gets when the spec names none.
pub const DEFAULT_SENSITIVITY: u32 = 1;

/// ModSecurity CRS 3.3 rule sets Cloud Armor preconfigures (each `-v33-stable` or
/// `-v33-canary`), as listed on Google's "Tune preconfigured WAF rules" page.
pub const WAF_RULE_SETS: &[&str] = &[
    "sqli",
    "xss",
    "lfi",
    "rfi",
    "rce",
    "methodenforcement",
    "scannerdetection",
    "protocolattack",
    "php",
    "sessionfixation",
    "java",
    "nodejs",
];

/// Whether `name` is a known preconfigured WAF rule set (`sqli-v33-stable`).
pub fn is_known_waf_rule_set(name: &str) -> bool {
    let Some((set, channel)) = name.rsplit_once("-v33-") else {
        return false;
    };
    WAF_RULE_SETS.contains(&set) && matches!(channel, "stable" | "canary")
}

/// The generated policy.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    pub name: String,
    pub description: String,
    /// The spec's rules by priority, then the default rule.
    pub rules: Vec<PolicyRule>,
    pub adaptive_protection: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyRule {
    pub priority: u32,
    /// `allow`, `deny(403)`, `throttle`, `rate_based_ban`...
    pub action: &'static str,
    pub description: Option<String>,
    pub preview: bool,
    /// A CEL expression (a WAF rule set becomes `evaluatePreconfiguredWaf(...)`), or none when
    /// the rule matches source IP ranges.
    pub expression: Option<String>,
    /// Source IP ranges (`*` for every request) when there is no expression.
    pub src_ip_ranges: Vec<String>,
    pub rate_limit: Option<PolicyRateLimit>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyRateLimit {
    pub count: u32,
    pub interval_sec: u32,
    /// `deny(429)`...
    pub exceed_action: &'static str,
    /// `IP`, `ALL`...
    pub enforce_on_key: &'static str,
    pub ban_duration_sec: Option<u32>,
}

/// The policy multirun generates for the spec: `None` without `loadBalancer.armor`, or when
/// it names an existing `policy`.
pub fn generated_policy(spec: &Spec) -> Option<Policy> {
    let armor = spec.load_balancer.armor.as_ref()?;
    if armor.policy.is_some() {
        return None;
    }
    let rules = policy_rules(armor);
    let adaptive_protection = armor.adaptive_protection;
    // The name hashes what gets deployed: the same rules give the same name.
    let content = serde_json::to_string(&(&rules, adaptive_protection)).unwrap_or_default();
    Some(Policy {
        name: crate::gcp::names::security_policy(&spec.service.name, &content),
        description: format!("multirun: the Cloud Armor policy of {}", spec.service.name),
        rules,
        adaptive_protection,
    })
}

/// The name of the policy the backend services use: the spec's existing one, or the generated.
pub fn attached_policy_name(spec: &Spec) -> Option<String> {
    let armor = spec.load_balancer.armor.as_ref()?;
    match &armor.policy {
        Some(name) => Some(name.clone()),
        None => generated_policy(spec).map(|p| p.name),
    }
}

fn policy_rules(armor: &Armor) -> Vec<PolicyRule> {
    let mut rules: Vec<PolicyRule> = armor.rules.iter().map(policy_rule).collect();
    rules.sort_by_key(|r| r.priority);
    rules.push(PolicyRule {
        priority: DEFAULT_RULE_PRIORITY,
        action: armor.default_action.api(),
        description: Some("default rule".to_string()),
        preview: false,
        expression: None,
        src_ip_ranges: vec!["*".to_string()],
        rate_limit: None,
    });
    rules
}

fn policy_rule(rule: &ArmorRule) -> PolicyRule {
    let expression = match (&rule.waf, &rule.expression) {
        (Some(waf), _) => Some(format!(
            "evaluatePreconfiguredWaf('{waf}', {{'sensitivity': {}}})",
            rule.sensitivity.unwrap_or(DEFAULT_SENSITIVITY)
        )),
        (None, Some(expression)) => Some(expression.clone()),
        (None, None) => None,
    };
    let src_ip_ranges = match (&expression, rule.src_ip_ranges.is_empty()) {
        (Some(_), _) => Vec::new(),
        (None, true) => vec!["*".to_string()],
        (None, false) => rule.src_ip_ranges.clone(),
    };
    PolicyRule {
        priority: rule.priority,
        action: rule.action.api(),
        description: rule.description.clone(),
        preview: rule.preview,
        expression,
        src_ip_ranges,
        // Only the actions that take rate-limit options get them (rule MR623 refuses the rest).
        rate_limit: rule
            .rate_limit
            .as_ref()
            .filter(|_| rule.action.rate_limited())
            .map(|limit| PolicyRateLimit {
                count: limit.count,
                interval_sec: limit.interval_sec,
                exceed_action: limit.exceed_action.api(),
                enforce_on_key: limit.enforce_on_key.api(),
                ban_duration_sec: limit.ban_duration_sec,
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_the_crs_rule_sets() {
        assert!(is_known_waf_rule_set("sqli-v33-stable"));
        assert!(is_known_waf_rule_set("xss-v33-canary"));
        assert!(!is_known_waf_rule_set("sqli-stable"));
        assert!(!is_known_waf_rule_set("sql-v33-stable"));
        assert!(!is_known_waf_rule_set("sqli-v33-beta"));
    }
}
