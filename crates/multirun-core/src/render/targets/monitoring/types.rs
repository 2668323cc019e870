//! The parts of Cloud Monitoring's `AlertPolicy` and `UptimeCheckConfig` (v3 REST JSON) that
//! the monitoring target writes, field for field.

use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertPolicy {
    pub display_name: String,
    pub documentation: Documentation,
    /// How deploy.sh finds the policy again and tells whether it changed.
    pub user_labels: BTreeMap<&'static str, String>,
    pub conditions: Vec<Condition>,
    pub combiner: &'static str,
    pub enabled: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notification_channels: Vec<String>,
    pub severity: &'static str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Documentation {
    pub content: String,
    pub mime_type: &'static str,
    pub subject: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    pub display_name: String,
    pub condition_threshold: Threshold,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Threshold {
    pub filter: String,
    pub aggregations: Vec<Aggregation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denominator_filter: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub denominator_aggregations: Vec<Aggregation>,
    pub comparison: &'static str,
    pub threshold_value: f64,
    pub duration: String,
    pub trigger: Trigger,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Aggregation {
    pub alignment_period: String,
    pub per_series_aligner: &'static str,
    pub cross_series_reducer: &'static str,
    pub group_by_fields: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Trigger {
    pub count: u32,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UptimeCheckConfig {
    pub display_name: String,
    pub monitored_resource: MonitoredResource,
    pub http_check: HttpCheck,
    pub period: &'static str,
    pub timeout: &'static str,
    pub user_labels: BTreeMap<&'static str, String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MonitoredResource {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub labels: BTreeMap<&'static str, String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpCheck {
    pub request_method: &'static str,
    pub use_ssl: bool,
    pub validate_ssl: bool,
    pub path: String,
    pub port: u32,
    /// The status codes that pass; none: the API's default, any 2xx.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accepted_response_status_codes: Vec<ResponseStatusCode>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseStatusCode {
    pub status_value: u32,
}
