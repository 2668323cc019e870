//! Target `monitoring`: the alert policies the rollout gates read, and that page a human
//! afterwards, and an uptime check per domain, under `monitoring/`:
//!
//! - `alert-policy-errors-REGION.json`: the service's 5xx ratio in the region over the bake
//!   window above `gates.maxErrorRatio` (Cloud Run's `request_count`, whose
//!   `response_code_class` label is `"5xx"`, over all requests: `denominatorFilter`);
//! - `alert-policy-latency-REGION.json`: the p99 of `request_latencies` (a DELTA distribution:
//!   `ALIGN_PERCENTILE_99`) above `gates.maxLatencyP99Ms`, or above the request timeout when
//!   the spec sets no latency gate (requests that slow are timing out);
//! - `uptime-check-DOMAIN.json`: HTTPS GET of `healthCheck.path` through the load balancer,
//!   every 60 s, and `alert-policy-uptime-DOMAIN.json`: the check failing (uptime checks are
//!   found by host: `resource.label.host`, so the policy needs no check ID, which only exists
//!   once the check is created). A domain over 200 bytes is cut in these two file names, to
//!   its start and a hash of the whole ([`file_domain`]): a file name has at most 255 bytes.
//!
//! Behind Identity-Aware Proxy (`service.iap` or `loadBalancer.iap`), an uptime check cannot
//! sign in: IAP answers it with a 302 redirect to the sign-in page, or a 401 when the client
//! does not say it follows redirects (IAP FAQ), and a check that wants a 2xx would fail for
//! ever. So the check accepts exactly those two codes ([`IAP_STATUS_CODES`]): it then proves
//! DNS, the certificate, the load balancer and IAP answer, and fails on a 5xx, a timeout or IAP
//! turned off; the service behind IAP is watched by the 5xx-ratio and latency policies.
//!
//! Each file is one API resource as its v3 JSON ([`types`]), written by a template from a
//! context value, as the dashboard is. Every alignment period is the bake window, at least
//! 60 s, the shortest the API accepts.
//!
//! `apply.sh` creates, updates and deletes them with gcloud, found again by their user labels:
//! deploy.sh and clouddeploy/setup.sh both source it, so the one snippet serves both (the
//! template engine has no partials, and a sourced file is also one file to read). Alert
//! policies have only an alpha gcloud surface (`gcloud alpha monitoring policies`, which takes
//! the JSON file as it is); uptime checks have a GA one (`gcloud monitoring uptime`), which
//! takes flags rather than a file, so the script passes the check's fields as flags.

mod types;

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use super::{template, Output, Source, Target};
use crate::render::fingerprint;
use crate::render::{Model, TemplateContext};
use types::{
    Aggregation, AlertPolicy, Condition, Documentation, HttpCheck, Labels, MonitoredResource,
    ResponseStatusCode, Threshold, Trigger, UptimeCheckConfig,
};

pub const TARGET: Target = Target {
    name: "monitoring",
    description: "monitoring/: alert policies (5xx ratio and p99 latency per region, uptime per domain) and an uptime check per domain",
    templates: &[
        template!("monitoring/alert-policy.json.hbs"),
        template!("monitoring/uptime-check.json.hbs"),
        template!("monitoring/apply.sh.hbs"),
    ],
    plan,
};

/// Every uptime check probes once a minute, the shortest period but one (1, 5, 10, 15 min).
const UPTIME_PERIOD: &str = "60s";
const UPTIME_TIMEOUT: &str = "10s";
/// The same, as `gcloud monitoring uptime create` takes them (`--period` in minutes,
/// `--timeout` in seconds).
const UPTIME_PERIOD_MINUTES: u32 = 1;
const UPTIME_TIMEOUT_SECONDS: u32 = 10;

/// What IAP answers a request that is not signed in: a redirect to the sign-in page (302), or
/// 401 for a client that does not declare it follows redirects
/// (https://cloud.google.com/iap/docs/faq).
pub const IAP_STATUS_CODES: [u32; 2] = [302, 401];

/// The shared script, relative to the output directory.
pub const APPLY_SCRIPT: &str = "monitoring/apply.sh";

/// A string literal in a Monitoring filter.
fn quote(value: &str) -> String {
    let mut quoted = String::with_capacity(value.len() + 2);
    push_quoted(value, &mut quoted);
    quoted
}

/// Appends [`quote`]`(value)` to `out`: `"..."` with `\` and `"` escaped by a `\`.
fn push_quoted(value: &str, out: &mut String) {
    out.push('"');
    let mut rest = value;
    while let Some(at) = rest.find(['\\', '"']) {
        out.push_str(&rest[..at]);
        out.push('\\');
        out.push_str(&rest[at..=at]);
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out.push('"');
}

/// One file of the target: its path, and what deploy.sh and Terraform call it.
#[derive(Debug, Clone)]
pub struct PolicyFile<'a> {
    pub path: &'a str,
    /// The `multirun_policy` user label: unique per service.
    pub key: &'a str,
    pub policy: AlertPolicy<'a>,
}

#[derive(Debug, Clone)]
pub struct UptimeFile<'a> {
    pub path: String,
    pub key: String,
    pub check: UptimeCheckConfig<'a>,
}

fn labels<'a>(model: &'a Model, key: impl Into<Cow<'a, str>>) -> Labels<'a> {
    Labels {
        multirun_fingerprint: fingerprint::PLACEHOLDER,
        multirun_policy: key.into(),
        multirun_service: &model.service.name,
    }
}

/// A Cloud Run metric's filter in one region: `metric.type=... AND resource...`. `resource` is
/// [`run_resource`] of the service and region, computed once for the region's filters.
fn run_filter(metric: &str, resource: &str) -> String {
    const METRIC: &str = "metric.type=\"run.googleapis.com/";
    let mut filter = String::with_capacity(METRIC.len() + metric.len() + 1 + resource.len());
    filter.push_str(METRIC);
    filter.push_str(metric);
    filter.push('"');
    filter.push_str(resource);
    filter
}

/// The resource part of [`run_filter`]: the service's revisions in `region`.
fn run_resource(model: &Model, region: &str) -> String {
    let mut resource = String::with_capacity(128);
    resource
        .push_str(" AND resource.type=\"cloud_run_revision\" AND resource.label.\"service_name\"=");
    push_quoted(&model.service.name, &mut resource);
    resource.push_str(" AND resource.label.\"location\"=");
    push_quoted(region, &mut resource);
    resource
}

fn window(model: &Model) -> String {
    format!("{}s", model.rollout.bake_seconds.max(60))
}

/// The file of the policy `name`, alerting on `threshold`; `what` says what happened.
fn policy_file<'a>(
    model: &'a Model,
    name: &'a PolicyName,
    what: String,
    threshold: Threshold<'a>,
) -> PolicyFile<'a> {
    let PolicyName {
        key,
        path,
        display_name,
    } = name;
    let policy = AlertPolicy {
        documentation: Documentation {
            content: [
                what.as_str(),
                "\n\nGenerated by multirun ",
                model.multirun_version,
                " for the Cloud Run service `",
                &model.service.name,
                "`. A rollout's gates read the same metric over the same window; afterwards the policy pages whoever its notification channels reach.",
            ]
            .concat(),
            mime_type: "text/markdown",
            subject: display_name,
        },
        user_labels: labels(model, key.as_str()),
        conditions: [Condition {
            display_name,
            condition_threshold: threshold,
        }],
        display_name,
        combiner: "OR",
        enabled: true,
        notification_channels: &model.notification_channels,
        severity: "ERROR",
    };
    PolicyFile { path, key, policy }
}

/// The keys (`multirun_policy` labels) of a region's policies, its 5xx ratio's and its p99
/// latency's, which gate a rollout step in the region.
pub fn region_policy_keys(region: &str) -> [String; 2] {
    [["errors-", region].concat(), ["latency-", region].concat()]
}

/// The key of a domain's uptime policy, and of its uptime check.
fn uptime_key(domain: &str) -> String {
    format!("uptime-{}", domain.replace('.', "-"))
}

fn policy_path(key: &str) -> String {
    ["monitoring/alert-policy-", key, ".json"].concat()
}

/// Uptime policies are named after the domain itself, not their key.
fn uptime_policy_path(domain: &str) -> String {
    format!(
        "monitoring/alert-policy-uptime-{}.json",
        file_domain(domain)
    )
}

/// Longer domains are cut in file names: a hostname may have 253 characters, and a file name
/// (the domain with its prefix and `.json`) at most 255 bytes on the file systems people use.
const FILE_DOMAIN_MAX: usize = 200;

/// `domain` as it appears in a file name: itself up to [`FILE_DOMAIN_MAX`] bytes, else its start
/// and a hash of the whole, so that two long domains never share a file.
fn file_domain(domain: &str) -> Cow<'_, str> {
    if domain.len() <= FILE_DOMAIN_MAX {
        return domain.into();
    }
    // Hostnames are ASCII (MR601), so any byte index is a char boundary.
    let digest = crate::text::hash::hex_digest(domain.as_bytes(), 16);
    format!("{}-{digest}", &domain[..FILE_DOMAIN_MAX - 17]).into()
}

/// How the others refer to one file of [`policies`]: by key (`multirun_policy` label), path, and
/// display name (the dashboard's chart titles).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyName {
    pub key: String,
    pub path: String,
    pub display_name: String,
}

/// Every file of [`policies`], in its order, named without building the policies: what
/// Terraform, `apply.sh` and the dashboard refer to them by, and what [`policies`] names them.
/// Named once per model, on first use.
pub fn policy_names(model: &Model) -> &[PolicyName] {
    model.policy_names.get_or_init(|| name_policies(model))
}

fn name_policies(model: &Model) -> Vec<PolicyName> {
    let service = model.service.name.as_str();
    let mut names = Vec::with_capacity(2 * model.regions.len() + model.load_balancer.domains.len());
    for region in &model.regions {
        let r = region.name.as_str();
        let [errors, latency] = region_policy_keys(r);
        // `concat`, not `format!`: Terraform, the dashboard and the monitoring files each name
        // every policy of every region, and the formatting machinery was most of that.
        for (key, display_name) in [
            (errors, [service, " 5xx ratio in ", r].concat()),
            (latency, [service, " p99 latency in ", r].concat()),
        ] {
            names.push(PolicyName {
                path: policy_path(&key),
                key,
                display_name,
            });
        }
    }
    for domain in checked_domains(model) {
        names.push(PolicyName {
            key: uptime_key(domain),
            path: uptime_policy_path(domain),
            display_name: format!("{service} uptime of {domain}"),
        });
    }
    names
}

/// Every alert policy, named by [`policy_names`]; `window` is [`window`]`(model)`.
pub fn policies<'a>(model: &'a Model, window: &'a str) -> Vec<PolicyFile<'a>> {
    let service = model.service.name.as_str();
    let rollout = &model.rollout;
    let mut names = policy_names(model).iter();
    let mut files = Vec::with_capacity(names.len());
    // Named by `policy_names`, in the order they are built here.
    let mut next_name = || names.next().expect("policy_names names every policy");
    let sum_by_region = |aligner| Aggregation {
        alignment_period: window,
        per_series_aligner: aligner,
        cross_series_reducer: "REDUCE_SUM",
        group_by_fields: ["resource.label.\"location\""],
    };
    let limit_ms = if rollout.max_latency_p99_ms > 0 {
        rollout.max_latency_p99_ms
    } else {
        model.service.timeout_seconds.saturating_mul(1000)
    };
    // Two policies for each of up to 43 regions: their texts are concatenated, not formatted.
    let bake_minutes = itoa::Buffer::new().format(rollout.bake_minutes).to_string();
    let limit_ms_text = itoa::Buffer::new().format(limit_ms).to_string();
    for region in &model.regions {
        let r = region.name.as_str();
        let resource = run_resource(model, r);
        let requests = run_filter("request_count", &resource);
        let errors = [
            &requests,
            " AND metric.label.\"response_code_class\"=\"5xx\"",
        ]
        .concat();
        files.push(policy_file(
            model,
            next_name(),
            [
                "More than ",
                &rollout.max_error_ratio,
                " of `",
                service,
                "`'s requests in `",
                r,
                "` answered 5xx over ",
                &bake_minutes,
                " minutes.",
            ]
            .concat(),
            Threshold {
                filter: errors,
                aggregations: [sum_by_region("ALIGN_DELTA")],
                denominator_filter: Some(requests),
                denominator_aggregations: Some([sum_by_region("ALIGN_DELTA")]),
                comparison: "COMPARISON_GT",
                threshold_value: rollout.max_error_ratio_value,
                duration: "0s",
                trigger: Trigger { count: 1 },
            },
        ));
        files.push(policy_file(
            model,
            next_name(),
            [
                "`",
                service,
                "`'s p99 request latency in `",
                r,
                "` was above ",
                &limit_ms_text,
                " ms over ",
                &bake_minutes,
                " minutes.",
            ]
            .concat(),
            Threshold {
                filter: run_filter("request_latencies", &resource),
                aggregations: [Aggregation {
                    alignment_period: window,
                    per_series_aligner: "ALIGN_PERCENTILE_99",
                    cross_series_reducer: "REDUCE_MAX",
                    group_by_fields: ["resource.label.\"location\""],
                }],
                denominator_filter: None,
                denominator_aggregations: None,
                comparison: "COMPARISON_GT",
                threshold_value: f64::from(limit_ms),
                duration: "0s",
                trigger: Trigger { count: 1 },
            },
        ));
    }
    for domain in checked_domains(model) {
        files.push(policy_file(
            model,
            next_name(),
            if model.iap.is_some() {
                format!("The uptime check of `https://{domain}{}` through the load balancer failed from more than one location: IAP did not answer with its sign-in redirect or 401 (an outage of DNS, the certificate, the load balancer or IAP, or IAP turned off).", model.probes.startup.path)
            } else {
                format!("The uptime check of `https://{domain}{}` through the load balancer failed from more than one location.", model.probes.startup.path)
            },
            Threshold {
                filter: format!(
                    "metric.type=\"monitoring.googleapis.com/uptime_check/check_passed\" AND resource.type=\"uptime_url\" AND resource.label.\"host\"={}",
                    quote(domain)
                ),
                aggregations: [Aggregation {
                    alignment_period: "1200s",
                    per_series_aligner: "ALIGN_NEXT_OLDER",
                    cross_series_reducer: "REDUCE_COUNT_FALSE",
                    group_by_fields: ["resource.label.\"host\""],
                }],
                denominator_filter: None,
                denominator_aggregations: None,
                comparison: "COMPARISON_GT",
                threshold_value: 1.0,
                duration: "60s",
                trigger: Trigger { count: 1 },
            },
        ));
    }
    files
}

/// The domains an uptime check can reach: a wildcard (`*.example.com`, Certificate Manager) names
/// no host to request.
fn checked_domains(model: &Model) -> impl Iterator<Item = &String> {
    model
        .load_balancer
        .domains
        .iter()
        .filter(|domain| !domain.contains('*'))
}

pub fn uptime_checks(model: &Model) -> Vec<UptimeFile<'_>> {
    checked_domains(model)
        .map(|domain| {
            let key = uptime_key(domain);
            UptimeFile {
                path: format!("monitoring/uptime-check-{}.json", file_domain(domain)),
                check: UptimeCheckConfig {
                    display_name: format!("{} {domain}", model.service.name),
                    monitored_resource: MonitoredResource {
                        kind: "uptime_url",
                        labels: BTreeMap::from([
                            ("project_id", model.project.clone()),
                            ("host", domain.clone()),
                        ]),
                    },
                    http_check: HttpCheck {
                        request_method: "GET",
                        use_ssl: true,
                        validate_ssl: true,
                        path: model.probes.startup.path.clone(),
                        port: 443,
                        accepted_response_status_codes: if model.iap.is_some() {
                            IAP_STATUS_CODES
                                .iter()
                                .map(|&status_value| ResponseStatusCode { status_value })
                                .collect()
                        } else {
                            Vec::new()
                        },
                    },
                    period: UPTIME_PERIOD,
                    timeout: UPTIME_TIMEOUT,
                    user_labels: labels(model, key.clone()),
                },
                key,
            }
        })
        .collect()
}

/// What `monitoring/apply.sh` needs: each file by its key, relative to `monitoring/`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct ApplyScript {
    /// Matches the `multirun_service` label of this service's policies and checks.
    service_pattern: String,
    policies: Vec<ScriptFile>,
    uptime_checks: Vec<ScriptUptimeCheck>,
    uptime_period_minutes: u32,
    uptime_timeout_seconds: u32,
}

#[derive(Debug, Clone, Serialize)]
struct ScriptFile {
    key: String,
    file: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct ScriptUptimeCheck {
    key: String,
    file: String,
    display_name: String,
    host: String,
    path: String,
    port: u32,
    /// `--status-codes`: the accepted codes, comma-separated; empty: the default 2xx.
    status_codes: String,
}

fn in_monitoring_dir(path: &str) -> String {
    path.strip_prefix("monitoring/").unwrap_or(path).to_string()
}

fn apply_script(model: &Model) -> ApplyScript {
    ApplyScript {
        service_pattern: crate::gcp::names::patterns::service(&model.service.name),
        policies: policy_names(model)
            .iter()
            .map(|PolicyName { key, path, .. }| ScriptFile {
                key: key.clone(),
                file: in_monitoring_dir(path),
            })
            .collect(),
        uptime_checks: uptime_checks(model)
            .into_iter()
            .map(|u| ScriptUptimeCheck {
                key: u.key,
                file: in_monitoring_dir(&u.path),
                display_name: u.check.display_name,
                host: u.check.monitored_resource.labels["host"].clone(),
                status_codes: u
                    .check
                    .http_check
                    .accepted_response_status_codes
                    .iter()
                    .map(|c| c.status_value.to_string())
                    .collect::<Vec<_>>()
                    .join(","),
                path: u.check.http_check.path,
                port: u.check.http_check.port,
            })
            .collect(),
        uptime_period_minutes: UPTIME_PERIOD_MINUTES,
        uptime_timeout_seconds: UPTIME_TIMEOUT_SECONDS,
    }
}

fn plan<'a>(model: &Model, base: &TemplateContext<'a>) -> Vec<Output<'a>> {
    let window = window(model);
    let mut outputs = vec![Output {
        path: APPLY_SCRIPT.into(),
        source: Source::Template {
            name: "monitoring/apply.sh.hbs",
            context: base.clone().with("monitoringScript", &apply_script(model)),
        },
    }];
    for file in policies(model, &window) {
        outputs.push(Output {
            path: file.path.to_string(),
            source: Source::Template {
                name: "monitoring/alert-policy.json.hbs",
                context: base.clone().with("policy", &file.policy),
            },
        });
    }
    for file in uptime_checks(model) {
        outputs.push(Output {
            path: file.path,
            source: Source::Template {
                name: "monitoring/uptime-check.json.hbs",
                context: base.clone().with("uptimeCheck", &file.check),
            },
        });
    }
    outputs
}

#[cfg(test)]
mod file_name_tests {
    use super::*;

    #[test]
    fn file_names_of_the_longest_domains_fit_the_file_system() {
        let longest = format!(
            "{}.example.com",
            [
                "a".repeat(60),
                "b".repeat(60),
                "c".repeat(60),
                "d".repeat(58)
            ]
            .join(".")
        );
        assert_eq!(longest.len(), 253);
        let other = longest.replacen('a', "z", 1);
        for path in [
            uptime_policy_path(&longest),
            format!("monitoring/uptime-check-{}.json", file_domain(&longest)),
        ] {
            let name = path.rsplit('/').next().unwrap();
            assert!(name.len() <= 255, "{} bytes: {name}", name.len());
        }
        assert_ne!(file_domain(&longest), file_domain(&other));
        assert_eq!(file_domain("app.example.com"), "app.example.com");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_names_are_those_of_the_policies() {
        let spec = crate::check(
            include_str!("../../../../../../examples/production.yaml"),
            "production.yaml",
        )
        .spec
        .expect("the example checks");
        let model = Model::new(&spec);
        let window = window(&model);
        let built: Vec<PolicyName> = policies(&model, &window)
            .into_iter()
            .map(|file| PolicyName {
                key: file.key.to_string(),
                path: file.path.to_string(),
                display_name: file.policy.display_name.to_string(),
            })
            .collect();
        assert!(built.len() > 2);
        assert_eq!(policy_names(&model), built);
        assert_eq!(name_policies(&model), built, "named again, the same");
    }

    #[test]
    fn filter_literals_escape_backslashes_and_quotes() {
        assert_eq!(quote("my-app"), r#""my-app""#);
        assert_eq!(quote(r#"a "b" \c\"#), r#""a \"b\" \\c\\""#);
    }
}
