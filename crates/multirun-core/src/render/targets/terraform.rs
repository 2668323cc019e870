//! Target `terraform`: the same architecture as `deploy.sh`, as a Terraform root module in
//! `terraform/` (`versions.tf`, `variables.tf`, `main.tf`, `outputs.tf`), with `for_each` over the
//! regions. `main.tf` reads `../dashboard.json`, which the `dashboard` target writes, and the
//! alert policies and uptime checks under `../monitoring/`, which the `monitoring` target writes.
//!
//! The files are checked in the project's tests against HashiCorp's HCL parser and the schema of
//! google provider 8.7.0 (`tests/external/check-terraform.mjs`), so the provider constraint must
//! admit that version, and against `terraform fmt -check` (`tests/external/check-terraform-fmt.sh`).
//!
//! No provider block: every resource names `var.project`, so the directory works as a root
//! configuration and as a module.

use std::borrow::Cow;

use serde::Serialize;

use super::{monitoring, template, Output, Source, Target};
use crate::render::model::{EnvVar, RegionModel};
use crate::render::{escape, Model, TemplateContext};

pub const TARGET: Target = Target {
    name: "terraform",
    description: "terraform/ (versions.tf, variables.tf, main.tf, outputs.tf): the same architecture for the google provider 7.19 to 8.x, for_each over the regions (or one multi-region service); reads ../dashboard.json",
    templates: &[
        template!("terraform/versions.tf.hbs"),
        template!("terraform/variables.tf.hbs"),
        template!("terraform/main.tf.hbs"),
        template!("terraform/outputs.tf.hbs"),
    ],
    plan,
};

/// The provider constraint `versions.tf` pins: from the first version that has every argument
/// the output uses, up to the next major, which may break them.
pub const PROVIDER_CONSTRAINT: &str = ">= 7.19.0, < 9.0.0";
/// The lowest version the constraint admits, and why (provider CHANGELOG): `readiness_probe` on
/// `google_cloud_run_v2_service` arrived in 7.19.0; `multi_region_settings` (7.1.0) and
/// `invoker_iam_disabled` (6.8.0) are older.
pub const LOWEST_PROVIDER_VERSION: &str = "7.19.0";
/// The google provider version whose schema the tests check the output against
/// (PyPI's `cdktn-provider-google` 21.1.0 is generated from it).
pub const CHECKED_PROVIDER_VERSION: &str = "8.7.0";

fn plan<'a>(model: &Model, base: &TemplateContext<'a>) -> Vec<Output<'a>> {
    let context = context(model, base);
    ["versions.tf", "variables.tf", "main.tf", "outputs.tf"]
        .into_iter()
        .map(|file| Output {
            path: format!("terraform/{file}"),
            source: Source::Template {
                name: template_name(file),
                context: context.clone(),
            },
        })
        .collect()
}

fn template_name(file: &str) -> &'static str {
    match file {
        "versions.tf" => "terraform/versions.tf.hbs",
        "variables.tf" => "terraform/variables.tf.hbs",
        "main.tf" => "terraform/main.tf.hbs",
        "outputs.tf" => "terraform/outputs.tf.hbs",
        _ => unreachable!("terraform plans only its four files"),
    }
}

/// The model's regions as the templates read them here: with `pad` on each env var.
#[derive(Serialize)]
struct Region<'a> {
    #[serde(flatten)]
    region: &'a RegionModel,
    /// In place of the model's `env` (a later field of the same name takes the earlier one's
    /// place, as in `serde_json`).
    env: Vec<PaddedEnvVar<'a>>,
    /// Direct VPC egress with subnets: the region's entry in `local.regions` carries `subnet`.
    #[serde(rename = "withSubnet")]
    with_subnet: bool,
}

/// An [`EnvVar`] with `pad`, the spaces that align the `=` after its name. Its fields are
/// spelled out rather than `#[serde(flatten)]`ed, which took twice as long to serialize
/// (flattening goes through serde's map path: an allocated key per field); [`padded`]
/// destructures `EnvVar` exhaustively, so a field added there fails to compile until it is
/// added here.
#[derive(Serialize)]
struct PaddedEnvVar<'a> {
    name: &'a str,
    value: &'a str,
    pad: Cow<'static, str>,
}

fn padded<'a>(var: &'a EnvVar, pad: Cow<'static, str>) -> PaddedEnvVar<'a> {
    let EnvVar { name, value } = var;
    PaddedEnvVar { name, value, pad }
}

/// Values spelled the way the google provider wants them, under the context key `tf`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Tf<'a> {
    provider_constraint: &'static str,
    lowest_provider_version: &'static str,
    checked_provider_version: &'static str,
    region_count: usize,
    ingress: &'static str,
    ingress_load_balancer_only: bool,
    timeout: String,
    /// Cloud Run runs an instance with less than 1 vCPU only in the first-generation execution
    /// environment.
    gen1: bool,
    /// The execution environment as the v2 API's enum, when the model has one.
    execution_environment: Option<&'static str>,
    labels: Vec<Label<'a>>,
    alert_policies: Vec<MonitoringFile<'a>>,
    uptime_checks: Vec<MonitoringFile<'a>>,
    /// `deployment: multi-region`: the one template's variables, padded like each region's.
    multi_region_env: Vec<PaddedEnvVar<'a>>,
    /// The secrets the runtime service account reads, with `pad` aligning the `=` after each key.
    secret_grants: Vec<SecretGrant<'a>>,
    /// `serviceAccount:EMAIL` of the spec's runtime service account (none: the default one).
    runtime_member: Option<String>,
    /// Direct VPC egress with a subnet in some region: each region's entry carries `subnet`.
    vpc_subnets: bool,
    /// `identities.create` made the runtime account: the service references its resource.
    runtime_account_created: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SecretGrant<'a> {
    resource: &'a str,
    name: &'a str,
    project_number: Option<&'a str>,
    pad: Cow<'static, str>,
}

#[derive(Serialize)]
struct Label<'a> {
    key: &'a str,
    value: &'a str,
    /// The spaces that align the `=` after the key.
    pad: Cow<'static, str>,
}

/// A file of the monitoring target that `main.tf` decodes, by its `multirun_policy` key.
#[derive(Serialize)]
struct MonitoringFile<'a> {
    key: Cow<'a, str>,
    /// Relative to the output directory.
    path: Cow<'a, str>,
    /// Spaces after the key that align the `=` signs, as `terraform fmt` does.
    pad: Cow<'static, str>,
}

/// `n` spaces, borrowed for the widths keys have: every env var, label and monitoring file of
/// every region has its own padding.
fn spaces(n: usize) -> Cow<'static, str> {
    const SPACES: &str = "                                                                ";
    match SPACES.get(..n) {
        Some(spaces) => Cow::Borrowed(spaces),
        None => Cow::Owned(" ".repeat(n)),
    }
}

fn monitoring_files<'a>(files: Vec<(Cow<'a, str>, Cow<'a, str>)>) -> Vec<MonitoringFile<'a>> {
    let width = hcl_width;
    let widest = files.iter().map(|(k, _)| width(k)).max().unwrap_or(0);
    files
        .into_iter()
        .map(|(key, path)| MonitoringFile {
            pad: spaces(widest - width(&key)),
            key,
            path,
        })
        .collect()
}

/// The model plus `tf`, and `regions` with the padding that aligns `=` in maps with
/// user-chosen keys the way `terraform fmt` does (as `pad` on each of `regions[].env[]`).
/// Templates still escape every key and value themselves, with `hcl`; the padding only counts
/// the escaped width.
fn context<'a>(model: &Model, base: &TemplateContext<'a>) -> TemplateContext<'a> {
    let width = hcl_width;
    let pad = |key: &str, widest: usize| spaces(widest - width(key));
    let vpc_subnets = model.service.vpc.as_ref().is_some_and(|v| v.direct)
        && model.regions.iter().any(|r| r.subnet.is_some());
    let regions: Vec<Region> = model
        .regions
        .iter()
        .map(|region| {
            let widest = region.env.iter().map(|e| width(&e.name)).max().unwrap_or(0);
            Region {
                region,
                env: region
                    .env
                    .iter()
                    .map(|var| padded(var, pad(&var.name, widest)))
                    .collect(),
                with_subnet: vpc_subnets,
            }
        })
        .collect();
    let widest_label = model.labels.keys().map(|k| width(k)).max().unwrap_or(0);
    let labels = model
        .labels
        .iter()
        .map(|(key, value)| Label {
            key,
            value,
            pad: pad(key, widest_label),
        })
        .collect();
    let cpu_below_one = model
        .service
        .cpu
        .parse::<f64>()
        .map(|cpu| cpu < 1.0)
        .unwrap_or(false);
    let grants = &model.service.secrets.grants;
    let widest_grant = grants.iter().map(|g| width(&g.resource)).max().unwrap_or(0);
    let secret_grants = grants
        .iter()
        .map(|grant| SecretGrant {
            resource: &grant.resource,
            name: &grant.name,
            project_number: grant.project_number.as_deref(),
            pad: pad(&grant.resource, widest_grant),
        })
        .collect();
    let tf = Tf {
        provider_constraint: PROVIDER_CONSTRAINT,
        lowest_provider_version: LOWEST_PROVIDER_VERSION,
        checked_provider_version: CHECKED_PROVIDER_VERSION,
        region_count: model.regions.len(),
        ingress: ingress(model.service.ingress),
        ingress_load_balancer_only: ingress(model.service.ingress)
            == "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
        timeout: format!("{}s", model.service.timeout_seconds),
        gen1: cpu_below_one,
        execution_environment: model.service.execution_environment.map(|e| match e {
            "gen1" => "EXECUTION_ENVIRONMENT_GEN1",
            "gen2" => "EXECUTION_ENVIRONMENT_GEN2",
            other => unreachable!("unknown execution environment {other}"),
        }),
        labels,
        alert_policies: monitoring_files(
            monitoring::policy_names(model)
                .iter()
                .map(|name| (name.key.as_str().into(), name.path.as_str().into()))
                .collect(),
        ),
        uptime_checks: monitoring_files(
            monitoring::uptime_checks(model)
                .into_iter()
                .map(|f| (f.key.into(), f.path.into()))
                .collect(),
        ),
        multi_region_env: model
            .multi_region
            .as_ref()
            .map(|shared| {
                let widest = shared.env.iter().map(|e| width(&e.name)).max().unwrap_or(0);
                shared
                    .env
                    .iter()
                    .map(|var| padded(var, pad(&var.name, widest)))
                    .collect()
            })
            .unwrap_or_default(),
        secret_grants,
        runtime_member: model
            .service
            .service_account
            .as_ref()
            .map(|account| format!("serviceAccount:{account}")),
        vpc_subnets,
        runtime_account_created: model
            .identities
            .as_ref()
            .is_some_and(|i| i.runtime_created.is_some()),
    };
    base.clone().with("regions", &regions).with("tf", &tf)
}

/// How many chars `escape::hcl(key)` writes: what `terraform fmt` aligns `=` by. Keys are
/// mostly plain words, which need no escaping: only the others are escaped to be counted.
fn hcl_width(key: &str) -> usize {
    if key
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        key.len() + 2
    } else {
        escape::hcl(key).chars().count()
    }
}

/// `service.ingress` as the Cloud Run v2 API enum.
fn ingress(ingress: &str) -> &'static str {
    match ingress {
        "all" => "INGRESS_TRAFFIC_ALL",
        "internal" => "INGRESS_TRAFFIC_INTERNAL_ONLY",
        "internal-and-cloud-load-balancing" => "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
        other => unreachable!("unknown ingress {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{render, RenderOptions};

    fn render_terraform(yaml: &str) -> std::collections::BTreeMap<String, String> {
        let checked = crate::check(yaml, "spec.yaml");
        assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
        let options = RenderOptions {
            targets: vec!["terraform".into()],
            ..Default::default()
        };
        render(checked.spec.as_ref().unwrap(), &options)
            .unwrap()
            .into_iter()
            .map(|f| (f.path, f.contents))
            .collect()
    }

    const NEAREST: &str = include_str!("../../../../../tests/fixtures/render/nearest-3/spec.yaml");
    const WEIGHTED: &str =
        include_str!("../../../../../tests/fixtures/render/weighted-3/spec.yaml");

    /// Lines that assign `attribute` (ignoring comments).
    fn assignments<'a>(text: &'a str, attribute: &str) -> Vec<&'a str> {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.starts_with('#'))
            .filter(|l| {
                l.split_once('=')
                    .map(|(k, _)| k.trim() == attribute)
                    .unwrap_or(false)
                    || l.starts_with(&format!("{attribute} {{"))
            })
            .collect()
    }

    #[test]
    fn hcl_width_counts_the_escaped_key() {
        for key in [
            "PORT", "my_var-2", "", "a b", "q\"uote", "${x}", "é", "tab\t", "%{y",
        ] {
            assert_eq!(hcl_width(key), escape::hcl(key).chars().count(), "{key:?}");
        }
    }

    #[test]
    fn renders_the_four_files_and_the_monitoring_files_they_load() {
        let files = render_terraform(NEAREST);
        let names: Vec<&str> = files.keys().map(String::as_str).collect();
        // main.tf reads ../dashboard.json and ../monitoring/*.json, so `--target terraform`
        // brings the dashboard and the monitoring files along.
        assert_eq!(
            names,
            [
                "dashboard.json",
                "monitoring/alert-policy-errors-asia-east1.json",
                "monitoring/alert-policy-errors-europe-west1.json",
                "monitoring/alert-policy-errors-us-central1.json",
                "monitoring/alert-policy-latency-asia-east1.json",
                "monitoring/alert-policy-latency-europe-west1.json",
                "monitoring/alert-policy-latency-us-central1.json",
                "monitoring/alert-policy-uptime-app.example.com.json",
                "monitoring/apply.sh",
                "monitoring/uptime-check-app.example.com.json",
                "terraform/main.tf",
                "terraform/outputs.tf",
                "terraform/variables.tf",
                "terraform/versions.tf"
            ]
        );
        assert!(files["terraform/versions.tf"]
            .contains(&format!("version = \"{PROVIDER_CONSTRAINT}\"")));
    }

    #[test]
    fn never_emits_what_serverless_negs_reject() {
        for spec in [NEAREST, WEIGHTED] {
            let main = &render_terraform(spec)["terraform/main.tf"];
            for forbidden in [
                "health_checks",
                "balancing_mode",
                "capacity_scaler",
                "max_rate",
                "max_rate_per_endpoint",
                "max_utilization",
                "max_connections",
                "timeout_sec",
            ] {
                assert!(
                    assignments(main, forbidden).is_empty(),
                    "{forbidden} in\n{main}"
                );
            }
            assert!(!main.contains("google_compute_health_check"));
            // Every LB resource that takes a scheme gets EXTERNAL_MANAGED, explicitly.
            let schemes = assignments(main, "load_balancing_scheme");
            assert!(!schemes.is_empty());
            assert!(
                schemes.iter().all(|l| l.ends_with("\"EXTERNAL_MANAGED\"")),
                "{schemes:?}"
            );
            assert!(main.contains("deletion_protection = false"));
            assert!(main.contains("file(\"${path.module}/../dashboard.json\")"));
        }
    }

    #[test]
    fn nearest_has_one_backend_service_with_ejecting_outlier_detection() {
        let main = &render_terraform(NEAREST)["terraform/main.tf"];
        assert_eq!(
            main.matches("resource \"google_compute_backend_service\"")
                .count(),
            1
        );
        // Gateway failures (the region is down) eject; the application's own 500s don't.
        assert!(
            main.contains("consecutive_gateway_failure           = 3"),
            "{main}"
        );
        assert!(main.contains("enforcing_consecutive_gateway_failure = 100"));
        assert!(main.contains("enforcing_consecutive_errors          = 0"));
        assert!(main.contains("default_service = google_compute_backend_service.backend.id"));
        assert!(assignments(main, "weighted_backend_services").is_empty());
    }

    #[test]
    fn weighted_splits_with_weighted_backend_services_and_no_default_service() {
        let main = &render_terraform(WEIGHTED)["terraform/main.tf"];
        assert!(main.contains("dynamic \"weighted_backend_services\""));
        assert!(main.contains("weight          = weighted_backend_services.value.weight"));
        assert!(assignments(main, "default_service").is_empty(), "{main}");
        assert_eq!(
            main.matches("resource \"google_compute_backend_service\"")
                .count(),
            1
        );
        assert!(assignments(main, "outlier_detection").is_empty());
        let weights: Vec<&str> = assignments(main, "weight")
            .into_iter()
            .filter(|l| !l.contains("weighted_backend_services"))
            .collect();
        assert_eq!(
            weights,
            [
                "weight               = 50",
                "weight               = 30",
                "weight               = 20"
            ]
        );
    }

    #[test]
    fn public_disables_the_invoker_check_instead_of_granting_all_users() {
        let public = &render_terraform(NEAREST)["terraform/main.tf"];
        assert!(public.contains("invoker_iam_disabled = true"));
        assert!(!public.contains("allUsers\""));
        let private = render_terraform(&NEAREST.replace("public: true", "public: false"));
        assert!(private["terraform/main.tf"].contains("invoker_iam_disabled = false"));
    }

    #[test]
    fn readiness_probes_where_gcloud_has_them_and_no_provider_block() {
        let nearest = &render_terraform(NEAREST)["terraform/main.tf"];
        assert_eq!(
            assignments(nearest, "readiness_probe").len(),
            1,
            "{nearest}"
        );
        // Weighted routing has no readiness probe in the gcloud YAML either.
        let weighted = &render_terraform(WEIGHTED)["terraform/main.tf"];
        assert!(assignments(weighted, "readiness_probe").is_empty());
        // A module with a provider block cannot be called with for_each or depends_on.
        for main in [nearest, weighted] {
            assert!(!main.lines().any(|l| l.starts_with("provider ")), "{main}");
        }
    }

    #[test]
    fn multi_region_is_one_global_service_with_a_neg_per_region() {
        let spec = NEAREST.replace("traffic:", "deployment: multi-region\ntraffic:");
        let files = render_terraform(&spec);
        let main = &files["terraform/main.tf"];
        let service = main
            .split("resource \"google_cloud_run_v2_service\" \"service\" {")
            .nth(1)
            .unwrap()
            .split("\n}\n")
            .next()
            .unwrap();
        assert!(service.contains("location = \"global\""), "{service}");
        assert!(service.contains("multi_region_settings {"));
        assert!(!service.contains("for_each = local.regions"));
        assert!(main.contains("region_names = [\"us-central1\", \"europe-west1\", \"asia-east1\"]"));
        assert!(main.contains("service = google_cloud_run_v2_service.service.name"));
        // One template: no per-region CLOUD_RUN_REGION.
        assert!(!main.contains("\"CLOUD_RUN_REGION\""));
        assert!(files["terraform/outputs.tf"].contains("google_cloud_run_v2_service.service.urls"));
    }

    #[test]
    fn user_values_are_hcl_escaped() {
        let hostile = NEAREST.replace(
            "LOG_LEVEL: info",
            "LOG_LEVEL: \"${file(\\\"/etc/passwd\\\")} %{if true}x%{endif} \\\"q\\\" \\\\ $(id)\"",
        );
        let main = &render_terraform(&hostile)["terraform/main.tf"];
        assert!(
            main.contains(r#""$${file(\"/etc/passwd\")} %%{if true}x%%{endif} \"q\" \\ $(id)""#),
            "{main}"
        );
    }

    /// Existing certificates and an existing map are references on the HTTPS proxy, never
    /// resources: `terraform destroy` cannot delete what the user owns.
    #[test]
    fn existing_certificates_and_map_are_references_not_resources() {
        let cases = [
            (
                include_str!(
                    "../../../../../tests/fixtures/render/certificates-existing/spec.yaml"
                ),
                "ssl_certificates",
                r#"ssl_certificates = [format("projects/%s/global/sslCertificates/%s", var.project, "app-example-com"), format("projects/%s/global/sslCertificates/%s", var.project, "www-example-com")]"#,
            ),
            (
                include_str!(
                    "../../../../../tests/fixtures/render/certificate-map-existing/spec.yaml"
                ),
                "certificate_map",
                r#"certificate_map = format("//certificatemanager.googleapis.com/projects/%s/locations/global/certificateMaps/%s", var.project, "shared-certificates")"#,
            ),
        ];
        for (spec, attribute, reference) in cases {
            let files = render_terraform(spec);
            let main = &files["terraform/main.tf"];
            for resource in [
                "google_compute_managed_ssl_certificate",
                "google_compute_ssl_certificate",
                "google_certificate_manager_",
            ] {
                assert!(
                    !main.contains(&format!("resource \"{resource}")),
                    "{attribute}: a {resource} resource:\n{main}"
                );
            }
            let proxy = main
                .split("resource \"google_compute_target_https_proxy\"")
                .nth(1)
                .and_then(|rest| rest.split("\n}\n").next())
                .expect("no HTTPS proxy");
            assert_eq!(assignments(proxy, attribute), [reference], "{proxy}");
            let other = if attribute == "certificate_map" {
                "ssl_certificates"
            } else {
                "certificate_map"
            };
            assert!(assignments(proxy, other).is_empty(), "{proxy}");
        }
    }
}
