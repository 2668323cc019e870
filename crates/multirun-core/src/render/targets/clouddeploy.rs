//! Target `clouddeploy`: the rollout as a Cloud Deploy pipeline, under `clouddeploy/`:
//!
//! - `clouddeploy.yaml`: a `DeliveryPipeline` with one serial stage per wave, a `Target` per
//!   region (`run.location`; one Cloud Run service each) and, for a wave of several regions, a
//!   multi-target over them; each stage a canary with the spec's percentages
//!   (`automaticTrafficControl: true`: Cloud Run splits the traffic) gated by an `analysis` on
//!   the wave's alert policies (target `monitoring`), whose duration is the bake. Then three
//!   `Automation`s: advance the canary phases once a phase succeeds, promote to the next wave
//!   after the bake, and roll back a rollout whose job (the analysis above all) failed.
//! - `skaffold.yaml` and `run-service.yaml`: the Knative service every target deploys (the same
//!   template as deploy.sh's `gcloud/run-service-REGION.yaml`), with the per-region values
//!   (`CLOUD_RUN_REGION` and every environment variable, min and max instances, the Direct VPC
//!   subnet) as **deploy parameters** set on each region's `Target`. Not Skaffold profiles: a
//!   multi-target stage has one profile list for all its child targets, so profiles cannot
//!   tell the regions of one wave apart; a child target's own `deployParameters` can.
//! - `cloudbuild.yaml`: build and push the image (when the spec has `build`), then
//!   `gcloud deploy releases create` instead of deploying.
//! - `setup.sh`: apply the alert policies (`monitoring/apply.sh`, shared with deploy.sh), put
//!   their resource names into the analysis (they exist only once created), create the
//!   deployer service account, grant the roles, and `gcloud deploy apply` the pipeline.
//!
//! Cloud Deploy keeps the pipeline and its targets in one region (rule MR806): the first
//! wave's first region. The services themselves stay in their own regions.

use std::rc::Rc;

use serde::Serialize;

use super::{template, Output, Source, Target};
use crate::render::escape::cloudbuild_literal as literal;
use crate::render::model::{EnvVar, RegionModel, ServiceModel};
use crate::render::{Model, TemplateContext};

pub const TARGET: Target = Target {
    name: "clouddeploy",
    description: "clouddeploy/: a Cloud Deploy pipeline (clouddeploy.yaml, skaffold.yaml, the Knative service), a Cloud Build config that creates releases, and setup.sh",
    templates: &[
        template!("clouddeploy/clouddeploy.yaml.hbs"),
        template!("clouddeploy/skaffold.yaml.hbs"),
        template!("clouddeploy/cloudbuild.yaml.hbs"),
        template!("clouddeploy/setup.sh.hbs"),
    ],
    plan,
};

/// The traffic tag Cloud Deploy puts on the canary revision during `canary-N` phases
/// (`runtimeConfig.cloudRun.canaryRevisionTags`); not rollout.sh's `candidate`, whose presence
/// means a half-done gcloud rollout.
pub const CANARY_TAG: &str = "canary";

/// The verify container's image: curl and a POSIX shell, nothing else.
pub const VERIFY_IMAGE: &str = "curlimages/curl:8.11.1";

/// The user substitution holding the `clouddeploy/` directory's path in the build's source.
pub const DIR_SUBSTITUTION: &str = "_CLOUDDEPLOY_DIR";

/// Skaffold's config version: the one Google's Cloud Run samples for Cloud Deploy use.
pub const SKAFFOLD_API_VERSION: &str = "skaffold/v4beta4";
/// The placeholder of an alert policy's resource name in `clouddeploy.yaml`, which setup.sh
/// replaces once the policy exists: `@ALERT_POLICY:KEY@`.
pub fn policy_placeholder(key: &str) -> String {
    ["@ALERT_POLICY:", key, "@"].concat()
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pipeline {
    pub name: String,
    pub description: String,
    /// The automations' names: `PIPELINE/ID`.
    pub advance_automation: String,
    pub promote_automation: String,
    pub repair_automation: String,
    /// Where the pipeline, its targets and automations live (MR806).
    pub region: String,
    pub stages: Vec<Stage>,
    pub targets: Vec<RegionTarget>,
    pub multi_targets: Vec<MultiTarget>,
    /// The execution and automation service account.
    pub service_account: String,
    pub service_account_id: String,
    /// `canary-N` for every canary percentage: the phases the advance rule moves on from.
    pub canary_phases: Vec<String>,
    pub bake_minutes: u64,
    /// `gcloud deploy releases create --images=NAME=REF`: the name in run-service.yaml.
    pub image_name: String,
    pub cloudbuild: CloudBuild,
    pub skaffold_api_version: &'static str,
    /// The verify job's HTTP probe, when Cloud Deploy's execution environment can reach the
    /// new revision; None: `verify: false`, and why.
    pub verify: Verify,
}

/// Deployment verification: after every phase, a container in Cloud Deploy's execution
/// environment (a Cloud Build worker, outside the VPC) requests the spec's health path from the
/// new revision: through its `canary---` tag URL in a `canary-N` phase (the tag Cloud Deploy
/// puts on the canary revision, `canaryRevisionTags`), through the service URLs in `stable`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verify {
    pub enabled: bool,
    /// The HTTP path requested (the readiness/startup probe's path).
    pub path: String,
    /// Why there is no verification (empty when enabled): the probe could not reach the
    /// revision, so it would fail every rollout.
    pub skipped_because: Vec<String>,
    pub image: &'static str,
    pub tag: &'static str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stage {
    pub wave: usize,
    pub target_id: String,
    pub regions: Vec<String>,
    /// Empty: a standard (all at once) deploy, still gated by the analysis.
    pub percentages: Vec<u32>,
    /// The placeholders of the wave's alert policies.
    pub alert_policies: Vec<String>,
    /// `analysis.duration`: the bake.
    pub analysis_duration: String,
    /// The stage's strategy runs the verify job ([`Verify`]).
    pub verify: bool,
    /// `canaryRevisionTags`: the tag the verify job reaches the canary revision by.
    pub canary_tag: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegionTarget {
    pub id: String,
    pub description: String,
    pub region: String,
    pub location: String,
    /// Deploy parameters, by key (sorted): the values run-service.yaml's `from-param`
    /// placeholders take in this region.
    pub parameters: Vec<Parameter>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Parameter {
    /// Shared by every region's parameters ([`ParameterKeys`]).
    pub key: Rc<str>,
    pub value: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MultiTarget {
    pub id: String,
    pub description: String,
    pub wave: usize,
    pub target_ids: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudBuild {
    /// Build and push steps exist (the spec has `build`).
    pub build: bool,
    pub dockerfile: String,
    pub dir: Option<String>,
    /// The built image with its tag (Cloud Build text: `$` doubled in user values).
    pub image_ref: String,
    /// `releases create` arguments after `gcloud`.
    pub release_args: Vec<String>,
}

/// The Knative template's per-region view for Cloud Deploy: the first region's values as the
/// defaults, and every environment variable of any region (a variable only some regions set is
/// empty in the others).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct ParameterizedRegion {
    min_instances: u32,
    max_instances: u32,
    env: Vec<EnvVar>,
    network_interfaces: Option<String>,
}

/// What the Knative template needs under `deploy` here: the deploy target's keys it reads, and
/// `fromParams`, which adds the `# from-param:` comments and leaves traffic to Cloud Deploy.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct KnativeDeploy {
    fractional_cpu: bool,
    from_params: bool,
}

/// Every environment variable name of any region, sorted (the model's env lists are sorted).
/// Computed once per pipeline: every region's parameters list all of them.
fn env_names(model: &Model) -> Vec<&str> {
    let mut names: Vec<&str> = model
        .regions
        .iter()
        .flat_map(|r| r.env.iter().map(|e| e.name.as_str()))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

fn env_value<'a>(region: &'a RegionModel, name: &str) -> &'a str {
    region
        .env
        .iter()
        .find(|e| e.name == name)
        .map_or("", |e| e.value.as_str())
}

/// The deploy parameter of the environment variable at `index` in [`env_names`]. Keys are
/// positional (`env0`, `env1`...) because variable names may hold characters a key may not.
fn env_parameter(index: usize) -> String {
    format!("env{index}")
}

/// `run.googleapis.com/network-interfaces` as a deploy parameter value: a YAML double-quoted
/// scalar, since the value replaces the placeholder's text and the JSON would otherwise be read
/// as a YAML flow sequence.
fn quoted_yaml(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Every key a region's deploy parameters may have, sorted, with what each holds: written once
/// per pipeline, and shared by the regions' lists.
struct ParameterKeys<'m>(Vec<(Rc<str>, ParameterValue<'m>)>);

enum ParameterValue<'m> {
    MinInstances,
    MaxInstances,
    /// The variable of this name.
    Env(&'m str),
    /// Only in regions with Direct VPC egress.
    NetworkInterfaces,
}

impl<'m> ParameterKeys<'m> {
    /// `env_names` is [`env_names`] of the model.
    fn new(env_names: &[&'m str]) -> Self {
        let mut keys: Vec<(Rc<str>, ParameterValue)> = vec![
            ("minInstances".into(), ParameterValue::MinInstances),
            ("maxInstances".into(), ParameterValue::MaxInstances),
            (
                "networkInterfaces".into(),
                ParameterValue::NetworkInterfaces,
            ),
        ];
        for (i, name) in env_names.iter().enumerate() {
            keys.push((env_parameter(i).into(), ParameterValue::Env(name)));
        }
        keys.sort_by(|(a, _), (b, _)| a.cmp(b));
        ParameterKeys(keys)
    }

    /// The deploy parameters of `region`, by key.
    fn of(&self, region: &RegionModel) -> Vec<Parameter> {
        self.0
            .iter()
            .filter_map(|(key, value)| {
                let value = match value {
                    ParameterValue::MinInstances => region.min_instances.to_string(),
                    ParameterValue::MaxInstances => region.max_instances.to_string(),
                    ParameterValue::Env(name) => env_value(region, name).to_string(),
                    ParameterValue::NetworkInterfaces => {
                        quoted_yaml(region.network_interfaces.as_deref()?)
                    }
                };
                Some(Parameter {
                    key: key.clone(),
                    value,
                })
            })
            .collect()
    }
}

pub fn target_id(service: &str, region: &str) -> String {
    [service, "-", region].concat()
}

pub fn multi_target_id(service: &str, wave: usize) -> String {
    format!("{service}-wave-{wave}")
}

/// The deployer service account's ID: 6 to 30 characters, from the service name.
pub fn service_account_id(service: &str) -> String {
    // One derivation, shared with the identities policy (the build account acts as it).
    crate::gcp::identities::account_id(service, crate::gcp::identities::EXECUTION_SUFFIX)
}

pub fn pipeline(model: &Model) -> Pipeline {
    let service = model.service.name.as_str();
    let rollout = &model.rollout;
    let region = rollout
        .waves
        .first()
        .and_then(|w| w.regions.first())
        .cloned()
        .unwrap_or_else(|| model.regions[0].name.clone());
    let verify = verify(model);
    let mut multi_targets = Vec::new();
    let stages = rollout
        .waves
        .iter()
        .map(|wave| {
            let target_id = if wave.regions.len() == 1 {
                target_id(service, &wave.regions[0])
            } else {
                let id = multi_target_id(service, wave.number);
                multi_targets.push(MultiTarget {
                    id: id.clone(),
                    description: format!(
                        "{service}: wave {}, {}",
                        wave.number,
                        wave.regions.join(", ")
                    ),
                    wave: wave.number,
                    target_ids: wave.regions.iter().map(|r| target_id(service, r)).collect(),
                });
                id
            };
            Stage {
                wave: wave.number,
                target_id,
                regions: wave.regions.clone(),
                percentages: rollout.canary.clone(),
                alert_policies: wave
                    .regions
                    .iter()
                    // Each region is in one wave (MR801).
                    .flat_map(|r| super::monitoring::region_policy_keys(r))
                    .map(|key| policy_placeholder(&key))
                    .collect(),
                analysis_duration: format!("{}s", rollout.bake_seconds),
                verify: verify.enabled,
                canary_tag: verify.enabled.then_some(CANARY_TAG),
            }
        })
        .collect();
    let parameter_keys = ParameterKeys::new(&env_names(model));
    let targets = model
        .regions
        .iter()
        .map(|r| RegionTarget {
            id: target_id(service, &r.name),
            description: [service, " in ", &r.name].concat(),
            region: r.name.clone(),
            location: ["projects/", &model.project, "/locations/", &r.name].concat(),
            parameters: parameter_keys.of(r),
        })
        .collect();
    let account_id = service_account_id(service);
    let image_name = match &model.build {
        Some(build) => build.image.clone(),
        None => model.service.image.clone(),
    };
    Pipeline {
        name: service.to_string(),
        description: format!(
            "{service} wave by wave, each wave through canary steps gated on Cloud Monitoring alert policies"
        ),
        advance_automation: format!("{service}/advance"),
        promote_automation: format!("{service}/promote"),
        repair_automation: format!("{service}/repair"),
        region: region.clone(),
        stages,
        targets,
        multi_targets,
        service_account: format!("{account_id}@{}.iam.gserviceaccount.com", model.project),
        service_account_id: account_id,
        canary_phases: rollout
            .canary
            .iter()
            .map(|p| format!("canary-{p}"))
            .collect(),
        bake_minutes: rollout.bake_minutes,
        cloudbuild: cloudbuild(model, &region, &image_name),
        skaffold_api_version: SKAFFOLD_API_VERSION,
        verify,
        image_name,
    }
}

/// The HTTP probe needs a request from outside the VPC to reach the revision's container port
/// and be answered without credentials; each reason it would not is listed.
fn verify(model: &Model) -> Verify {
    let service = &model.service;
    let probe = model
        .probes
        .readiness
        .as_ref()
        .unwrap_or(&model.probes.startup);
    let mut skipped_because = Vec::new();
    if service.ingress != "all" {
        // "All ingress paths, including the default run.app URL, are subject to your ingress
        // setting" (cloud.google.com/run/docs/securing/ingress).
        skipped_because.push(format!(
            "service.ingress is {}: its URLs refuse requests from outside",
            service.ingress
        ));
    }
    if !service.public {
        skipped_because
            .push("service.public is false: the probe would need an identity token".to_string());
    }
    if model.iap.as_ref().is_some_and(|iap| iap.on_service) {
        skipped_because.push("IAP is on the service: the probe would need to sign in".to_string());
    }
    if probe.port != service.port {
        skipped_because.push(format!(
            "healthCheck.port {} is not service.port {}: a URL reaches only the latter",
            probe.port, service.port
        ));
    }
    Verify {
        enabled: skipped_because.is_empty(),
        path: probe.path.clone(),
        skipped_because,
        image: VERIFY_IMAGE,
        tag: CANARY_TAG,
    }
}

fn cloudbuild(model: &Model, region: &str, image_name: &str) -> CloudBuild {
    let service = model.service.name.as_str();
    let mut release_args: Vec<String> = vec![
        "deploy".into(),
        "releases".into(),
        "create".into(),
        // Release names are unique per pipeline: the build ID is.
        format!(
            "{}-${{BUILD_ID}}",
            literal(&service.chars().take(20).collect::<String>()).trim_end_matches('-')
        ),
        format!("--delivery-pipeline={}", literal(service)),
        format!("--region={region}"),
        format!("--project={}", literal(&model.project)),
        // The release's source is the directory holding skaffold.yaml and run-service.yaml,
        // relative to the build's source: the user substitution below says where.
        format!("--source=${{{DIR_SUBSTITUTION}}}"),
        "--skaffold-file=skaffold.yaml".into(),
    ];
    let (build, image_ref) = match &model.build {
        Some(build) => {
            let image_ref = format!("{}:${{_TAG}}", literal(&build.image));
            release_args.push(format!("--images={}={image_ref}", literal(image_name)));
            (true, image_ref)
        }
        None => (false, literal(&model.service.image).into_owned()),
    };
    let (dockerfile, dir) = match &model.build {
        Some(build) => {
            let context = build.context.trim_end_matches('/');
            (
                literal(&build.dockerfile).into_owned(),
                (!context.is_empty() && context != ".").then(|| literal(context).into_owned()),
            )
        }
        None => (String::new(), None),
    };
    CloudBuild {
        build,
        dockerfile,
        dir,
        image_ref,
        release_args,
    }
}

fn knative_region(model: &Model) -> ParameterizedRegion {
    let first = &model.regions[0];
    ParameterizedRegion {
        min_instances: first.min_instances,
        max_instances: first.max_instances,
        env: env_names(model)
            .into_iter()
            .map(|name| EnvVar {
                value: env_value(first, name).to_string(),
                name: name.to_string(),
            })
            .collect(),
        network_interfaces: first.network_interfaces.clone(),
    }
}

fn plan<'a>(model: &Model, base: &TemplateContext<'a>) -> Vec<Output<'a>> {
    // MR807 refuses a rollout under deployment: multi-region, which has no per-region service
    // to target; without a rollout section the default one is rendered, so say so instead.
    if model.multi_region.is_some() {
        return Vec::new();
    }
    let pipeline = pipeline(model);
    let base = base.clone().with("clouddeploy", &pipeline);
    let output = |path: &str, name: &'static str, context: TemplateContext<'a>| Output {
        path: path.to_string(),
        source: Source::Template { name, context },
    };
    let mut service: ServiceModel = model.service.clone();
    service.image = pipeline.image_name.clone();
    let knative = base
        .clone()
        .with("service", &service)
        .with("region", &knative_region(model))
        .with(
            "deploy",
            &KnativeDeploy {
                fractional_cpu: model.service.cpu.parse::<f64>().is_ok_and(|cpu| cpu < 1.0),
                from_params: true,
            },
        );
    vec![
        output(
            "clouddeploy/clouddeploy.yaml",
            "clouddeploy/clouddeploy.yaml.hbs",
            base.clone(),
        ),
        output(
            "clouddeploy/skaffold.yaml",
            "clouddeploy/skaffold.yaml.hbs",
            base.clone(),
        ),
        output(
            "clouddeploy/run-service.yaml",
            "gcloud/run-service.yaml.hbs",
            knative,
        ),
        output(
            "clouddeploy/cloudbuild.yaml",
            "clouddeploy/cloudbuild.yaml.hbs",
            base.clone(),
        ),
        output("clouddeploy/setup.sh", "clouddeploy/setup.sh.hbs", base),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_account_ids_fit() {
        assert_eq!(service_account_id("my-app"), "my-app-deployer");
        let long = service_account_id("a-very-long-service-name-indeed-more");
        assert!(long.len() <= 30, "{long}");
        assert_eq!(
            service_account_id("abcdefghijklmnopqrst-uvw"),
            "abcdefghijklmnopqrst-deployer"
        );
    }
}
