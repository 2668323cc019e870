//! The parts of Cloud Monitoring's `AlertPolicy` and `UptimeCheckConfig` (v3 REST JSON) that
//! the monitoring target writes, field for field.

//!
//! They borrow what they share with the model and with each other (names, labels, the window):
//! a render builds all 86 policies of every region, and owned copies were a fifth of it.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertPolicy<'a> {
    pub display_name: &'a str,
    pub documentation: Documentation<'a>,
    /// How deploy.sh finds the policy again and tells whether it changed.
    pub user_labels: Labels<'a>,
    pub conditions: [Condition<'a>; 1],
    pub combiner: &'static str,
    pub enabled: bool,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub notification_channels: &'a [String],
    pub severity: &'static str,
}

/// The user labels of a policy or an uptime check, in the JSON's order (by name).
#[derive(Debug, Clone, Serialize)]
pub struct Labels<'a> {
    /// Changes with the file: deploy.sh compares it with the live resource's.
    pub multirun_fingerprint: &'static str,
    /// Unique per service.
    pub multirun_policy: Cow<'a, str>,
    pub multirun_service: &'a str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Documentation<'a> {
    pub content: String,
    pub mime_type: &'static str,
    pub subject: &'a str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Condition<'a> {
    pub display_name: &'a str,
    pub condition_threshold: Threshold<'a>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Threshold<'a> {
    pub filter: String,
    pub aggregations: [Aggregation<'a>; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denominator_filter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denominator_aggregations: Option<[Aggregation<'a>; 1]>,
    pub comparison: &'static str,
    pub threshold_value: f64,
    pub duration: &'static str,
    pub trigger: Trigger,
}

#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Aggregation<'a> {
    pub alignment_period: &'a str,
    pub per_series_aligner: &'static str,
    pub cross_series_reducer: &'static str,
    pub group_by_fields: [&'static str; 1],
}

#[derive(Debug, Clone, Serialize)]
pub struct Trigger {
    pub count: u32,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UptimeCheckConfig<'a> {
    pub display_name: String,
    pub monitored_resource: MonitoredResource,
    pub http_check: HttpCheck,
    pub period: &'static str,
    pub timeout: &'static str,
    pub user_labels: Labels<'a>,
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
