//! Target `deploy`: `deploy.sh` and `teardown.sh` (bash + gcloud), and the YAML files they apply
//! from `gcloud/`:
//!
//! - `gcloud/run-service-<region>.yaml`: the Cloud Run service of one region, applied with
//!   `gcloud run services replace` (probes, the readiness probe included, have no GA gcloud flag;
//!   the YAML also creates or replaces in one idempotent step); under `deployment: multi-region`,
//!   `gcloud/run-service.yaml` instead: the one multi-region service, applied with
//!   `gcloud run multi-region-services replace`;
//! - `gcloud/backend-service[-<region>].yaml`: backend service(s), applied with
//!   `gcloud compute backend-services import` (outlier detection has no gcloud flag at all);
//! - `gcloud/url-map.yaml`: the URL map (weighted routing needs
//!   `defaultRouteAction.weightedBackendServices`, which `url-maps create` cannot express);
//! - `gcloud/http-redirect-url-map.yaml`: the HTTP→HTTPS redirect, when enabled;
//! - `gcloud/security-policy.yaml`: the Cloud Armor policy multirun generates, created with
//!   `gcloud compute security-policies create --file-name`.
//!
//! The scripts find these files next to themselves, and `dashboard.json` (target `dashboard`)
//! likewise.

use serde::Serialize;

use super::{template, Output, Source, Target};
use crate::render::model::RegionModel;
use crate::render::{Model, TemplateContext};

pub const TARGET: Target = Target {
    name: "deploy",
    description: "deploy.sh and teardown.sh (bash + gcloud), with the Cloud Run service and load-balancer YAML they apply under gcloud/",
    templates: &[
        template!("deploy.sh.hbs"),
        template!("teardown.sh.hbs"),
        template!("gcloud/run-service.yaml.hbs"),
        template!("gcloud/backend-service.yaml.hbs"),
        template!("gcloud/url-map.yaml.hbs"),
        template!("gcloud/http-redirect-url-map.yaml.hbs"),
        template!("gcloud/security-policy.yaml.hbs"),
    ],
    plan,
};

/// What the deploy templates need beyond the model, under the context key `deploy`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct DeployContext {
    regions: Vec<RegionFiles>,
    /// `deployment: multi-region`: the multi-region service's YAML.
    multi_region_service_file: &'static str,
    backend_services: Vec<BackendService>,
    url_map_file: String,
    redirect_url_map_file: String,
    /// Weighted routing: the URL map's `weightedBackendServices`, in region order.
    weighted_backend_services: Vec<WeightedBackendService>,
    /// Nearest routing: the URL map's `defaultService`.
    default_service_url: String,
    dashboard_file: &'static str,
    /// The generated Cloud Armor policy's YAML.
    security_policy_file: &'static str,
    /// A gcloud `--filter` that matches the dashboard's exact display name.
    dashboard_filter: String,
    /// Less than 1 vCPU, which Cloud Run runs only in the first-generation environment.
    fractional_cpu: bool,
    /// Always false here: the Knative template marks deploy parameters only for Cloud Deploy
    /// (target `clouddeploy`), which renders it too.
    from_params: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct RegionFiles {
    name: String,
    neg_name: String,
    service_file: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct BackendService {
    name: String,
    file: String,
    /// The serverless NEGs it holds: every region under `nearest`, its own region under `weighted`.
    neg_urls: Vec<String>,
    outlier_detection: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct WeightedBackendService {
    url: String,
    weight: u32,
}

const MULTI_REGION_SERVICE_FILE: &str = "gcloud/run-service.yaml";

const SECURITY_POLICY_FILE: &str = "gcloud/security-policy.yaml";

const COMPUTE_API: &str = "https://www.googleapis.com/compute/v1";

fn neg_url(project: &str, region: &RegionModel) -> String {
    [
        COMPUTE_API,
        "/projects/",
        project,
        "/regions/",
        &region.name,
        "/networkEndpointGroups/",
        &region.neg_name,
    ]
    .concat()
}

fn backend_service_url(project: &str, name: &str) -> String {
    [
        COMPUTE_API,
        "/projects/",
        project,
        "/global/backendServices/",
        name,
    ]
    .concat()
}

/// A gcloud filter string literal: `"..."` with `\` and `"` escaped (gcloud's resource lexer
/// treats `\` as an escape for itself and for quotes inside a quoted literal).
fn gcloud_filter_literal(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', r"\\").replace('"', "\\\""))
}

fn deploy_context(model: &Model) -> DeployContext {
    let project = model.project.as_str();
    let regions = model
        .regions
        .iter()
        .map(|r| RegionFiles {
            name: r.name.clone(),
            neg_name: r.neg_name.clone(),
            service_file: ["gcloud/run-service-", &r.name, ".yaml"].concat(),
        })
        .collect();
    let backend_services = if model.weighted {
        model
            .regions
            .iter()
            .map(|r| BackendService {
                name: r.backend_service_name.clone(),
                file: ["gcloud/backend-service-", &r.name, ".yaml"].concat(),
                neg_urls: vec![neg_url(project, r)],
                outlier_detection: model.outlier_detection.enabled,
            })
            .collect()
    } else {
        vec![BackendService {
            name: model.load_balancer.backend_service_name.clone(),
            file: "gcloud/backend-service.yaml".to_string(),
            neg_urls: model.regions.iter().map(|r| neg_url(project, r)).collect(),
            outlier_detection: model.outlier_detection.enabled,
        }]
    };
    let weighted_backend_services = if model.weighted {
        model
            .regions
            .iter()
            .map(|r| WeightedBackendService {
                url: backend_service_url(project, &r.backend_service_name),
                weight: r.weight,
            })
            .collect()
    } else {
        Vec::new()
    };
    let literal = gcloud_filter_literal(&model.dashboard_title);
    DeployContext {
        regions,
        multi_region_service_file: MULTI_REGION_SERVICE_FILE,
        backend_services,
        url_map_file: "gcloud/url-map.yaml".to_string(),
        redirect_url_map_file: "gcloud/http-redirect-url-map.yaml".to_string(),
        weighted_backend_services,
        default_service_url: backend_service_url(
            project,
            &model.load_balancer.backend_service_name,
        ),
        dashboard_file: "dashboard.json",
        security_policy_file: SECURITY_POLICY_FILE,
        dashboard_filter: format!("displayName<={literal} AND displayName>={literal}"),
        fractional_cpu: model.service.cpu.parse::<f64>().is_ok_and(|cpu| cpu < 1.0),
        from_params: false,
    }
}

fn plan<'a>(model: &Model, base: &TemplateContext<'a>) -> Vec<Output<'a>> {
    let deploy = deploy_context(model);
    let base = base.clone().with("deploy", &deploy);
    let output = |path: &str, name: &'static str, context: TemplateContext<'a>| Output {
        path: path.to_string(),
        source: Source::Template { name, context },
    };
    let mut outputs = vec![
        output("deploy.sh", "deploy.sh.hbs", base.clone()),
        output("teardown.sh", "teardown.sh.hbs", base.clone()),
    ];
    if model.multi_region.is_some() {
        // One template for every region: the region-specific fields are not read.
        outputs.push(output(
            MULTI_REGION_SERVICE_FILE,
            "gcloud/run-service.yaml.hbs",
            base.clone().with("region", &model.regions[0]),
        ));
    } else {
        for (region, files) in model.regions.iter().zip(&deploy.regions) {
            outputs.push(output(
                &files.service_file,
                "gcloud/run-service.yaml.hbs",
                base.clone().with("region", region),
            ));
        }
    }
    for backend in &deploy.backend_services {
        outputs.push(output(
            &backend.file,
            "gcloud/backend-service.yaml.hbs",
            base.clone().with("backendService", backend),
        ));
    }
    outputs.push(output(
        &deploy.url_map_file,
        "gcloud/url-map.yaml.hbs",
        base.clone(),
    ));
    if model
        .load_balancer
        .armor
        .as_ref()
        .is_some_and(|armor| armor.generated.is_some())
    {
        outputs.push(output(
            SECURITY_POLICY_FILE,
            "gcloud/security-policy.yaml.hbs",
            base.clone(),
        ));
    }
    if model.load_balancer.https_redirect {
        outputs.push(output(
            &deploy.redirect_url_map_file,
            "gcloud/http-redirect-url-map.yaml.hbs",
            base,
        ));
    }
    outputs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_literal_escapes_quotes_and_backslashes() {
        assert_eq!(gcloud_filter_literal("My app"), r#""My app""#);
        assert_eq!(gcloud_filter_literal(r#"a "b" \c"#), r#""a \"b\" \\c""#);
    }
}
