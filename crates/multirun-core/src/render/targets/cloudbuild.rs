//! Target `cloudbuild`: `cloudbuild.yaml`, a Cloud Build pipeline that builds the image, pushes
//! it to Artifact Registry and deploys it to every region in parallel.
//!
//! - The image goes to `build.repository` (Artifact Registry). Nothing is pushed to `gcr.io`:
//!   Container Registry stopped accepting writes on 2025-03-18.
//! - The tag is the user substitution `_TAG`, which defaults to the build ID. `$SHORT_SHA` and
//!   `$COMMIT_SHA` are empty under `gcloud builds submit`, which would leave `image:`.
//!   `options.dynamicSubstitutions` lets the default refer to `$BUILD_ID` in manual builds too
//!   (triggered builds always expand substitutions dynamically).
//! - Every deploy step `waitFor`s the push step only, so the regions deploy in parallel once
//!   the image exists (no `waitFor` would serialise them; `['-']` would race the build).
//! - Without `build` in the spec there is nothing to build: the pipeline only deploys
//!   `service.image` to every region, all steps starting at once.
//!
//! Each deploy applies the same service settings as deploy.sh (image, port, CPU, memory,
//! concurrency, timeout, scaling, ingress, env with `CLOUD_RUN_REGION`, labels, service account,
//! invoker access, CPU billing, startup boost, execution environment, session affinity). The probes are not gcloud flags here: deploy.sh or Terraform sets them when
//! it creates the service, and `gcloud run deploy` carries every setting it is not given over to
//! the new revision.
//!
//! The steps are computed here and the template only lays them out. Strings in the context
//! (`cloudbuild.steps[].args`, `cloudbuild.images`...) are final Cloud Build text: user values in
//! them already have `$` doubled. Templates write them with `{{yaml}}`, and raw user values with
//! `{{cloudbuild}}`.

use std::rc::Rc;

use serde::Serialize;

use super::{template, Output, Source, Target};
use crate::render::escape::cloudbuild_literal as literal;
use crate::render::model::{EnvVar, ServiceModel};
use crate::render::{Model, TemplateContext};

pub const TARGET: Target = Target {
    name: "cloudbuild",
    description:
        "cloudbuild.yaml: build, push to Artifact Registry, deploy to every region in parallel",
    templates: &[template!("cloudbuild.yaml.hbs")],
    plan,
};

/// The Docker builder, one of Cloud Build's official builders.
pub const DOCKER_BUILDER: &str = "gcr.io/cloud-builders/docker";
/// The Google Cloud CLI image, under its documented name and floating `stable` tag (pinned
/// versions older than a year are deleted).
pub const GCLOUD_BUILDER: &str = "gcr.io/google.com/cloudsdktool/google-cloud-cli:stable";
/// The user substitution holding the image tag.
pub const TAG_SUBSTITUTION: &str = "_TAG";
/// Its default: the build ID, set in every build (unlike `$SHORT_SHA`).
pub const TAG_DEFAULT: &str = "${BUILD_ID}";
/// The build timeout, set explicitly: the API's default is 60 minutes, older docs say 10.
pub const BUILD_TIMEOUT: &str = "3600s";

pub const BUILD_STEP_ID: &str = "build";
pub const PUSH_STEP_ID: &str = "push";

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pipeline {
    /// Whether the pipeline builds an image (`build` is in the spec).
    pub build: bool,
    /// The image every region deploys (Cloud Build text).
    pub image_ref: String,
    pub steps: Vec<Step>,
    pub images: Vec<String>,
    pub substitutions: Vec<Substitution>,
    pub dynamic_substitutions: bool,
    pub timeout: &'static str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub id: String,
    pub name: &'static str,
    pub entrypoint: Option<&'static str>,
    pub dir: Option<String>,
    /// Step ids, or `-` (start at once).
    pub wait_for: &'static [&'static str],
    /// Shared: a deploy step's flags are mostly the same in every region (see [`DeployFlags`]).
    pub args: Vec<Rc<str>>,
    /// The region a deploy step deploys to.
    pub region: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Substitution {
    pub key: &'static str,
    pub value: &'static str,
}

pub fn pipeline(model: &Model) -> Pipeline {
    let tag_ref = format!("${{{TAG_SUBSTITUTION}}}");
    let mut steps = Vec::new();
    let (image_ref, images, substitutions, deploy_wait_for) = match &model.build {
        Some(build) => {
            let image_ref = format!("{}:{tag_ref}", literal(&build.image));
            let context = build.context.trim_end_matches('/');
            steps.push(Step {
                id: BUILD_STEP_ID.into(),
                name: DOCKER_BUILDER,
                entrypoint: None,
                // Docker reads `-f` relative to the working directory, and the spec's
                // dockerfile is relative to the context: run in the context.
                dir: (!context.is_empty() && context != ".").then(|| literal(context).into_owned()),
                wait_for: &[],
                args: vec![
                    "build".into(),
                    "-f".into(),
                    literal(&build.dockerfile).into(),
                    "-t".into(),
                    image_ref.as_str().into(),
                    ".".into(),
                ],
                region: None,
            });
            steps.push(Step {
                id: PUSH_STEP_ID.into(),
                name: DOCKER_BUILDER,
                entrypoint: None,
                dir: None,
                wait_for: &[BUILD_STEP_ID],
                args: vec!["push".into(), image_ref.as_str().into()],
                region: None,
            });
            let substitutions = vec![Substitution {
                key: TAG_SUBSTITUTION,
                value: TAG_DEFAULT,
            }];
            (
                image_ref.clone(),
                vec![image_ref],
                substitutions,
                &[PUSH_STEP_ID],
            )
        }
        // Nothing to build: every region deploys service.image, all at once.
        None => (
            literal(&model.service.image).into_owned(),
            Vec::new(),
            Vec::new(),
            &["-"],
        ),
    };
    let flags = DeployFlags::new(model, &image_ref);
    if let Some(shared) = &model.multi_region {
        // One multi-region service: one deploy reaches every region at once.
        steps.push(Step {
            id: "deploy".into(),
            name: GCLOUD_BUILDER,
            entrypoint: Some("gcloud"),
            dir: None,
            wait_for: deploy_wait_for,
            args: flags.args(
                format!("--regions={}", literal(&shared.regions_annotation)),
                (shared.min_instances, shared.max_instances),
                &shared.env,
                // MR204 refuses VPC egress in this mode.
                None,
            ),
            region: None,
        });
    }
    for region in model
        .regions
        .iter()
        .filter(|_| model.multi_region.is_none())
    {
        steps.push(Step {
            id: ["deploy-", &region.name].concat(),
            name: GCLOUD_BUILDER,
            entrypoint: Some("gcloud"),
            dir: None,
            wait_for: deploy_wait_for,
            args: flags.args(
                ["--region=", &literal(&region.name)].concat(),
                (region.min_instances, region.max_instances),
                &region.env,
                region.subnet.as_deref(),
            ),
            region: Some(region.name.clone()),
        });
    }
    let build = model.build.is_some();
    Pipeline {
        build,
        image_ref,
        steps,
        images,
        substitutions,
        dynamic_substitutions: build,
        timeout: BUILD_TIMEOUT,
    }
}

/// `gcloud run deploy`'s arguments for one region (`--region=R`) or, under
/// `deployment: multi-region`, for the multi-region service (`--regions=R1,R2`), with the same
/// settings as deploy.sh. Most are the same in every region: they are written once per
/// pipeline and shared by each step (a render of every region wrote the same ~20 flags 43
/// times over). `image_ref` is already Cloud Build text; every other value is escaped here.
struct DeployFlags<'m> {
    service: &'m ServiceModel,
    /// `run deploy NAME --project=P`, before the location.
    command: Vec<Rc<str>>,
    /// `--image` to `--timeout`, before the instance counts.
    settings: Vec<Rc<str>>,
    ingress: Rc<str>,
    /// Labels, service account, runtime and secrets, after the environment.
    identity: Vec<Rc<str>>,
    /// GPU and access, after VPC egress.
    last: Vec<Rc<str>>,
}

impl<'m> DeployFlags<'m> {
    fn new(model: &'m Model, image_ref: &str) -> Self {
        let service = &model.service;
        let mut identity: Vec<Rc<str>> = Vec::new();
        if !model.labels.is_empty() {
            let labels: Vec<(&str, &str)> = model
                .labels
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            identity.push(format!("--labels={}", literal(&gcloud_dict(&labels))).into());
        }
        if let Some(account) = &service.service_account {
            identity.push(format!("--service-account={}", literal(account)).into());
        }
        identity.extend(runtime_args(service).into_iter().map(Rc::from));
        identity.push(secrets_arg(&service.secrets).into());
        let mut last: Vec<Rc<str>> = gpu_args(service).into_iter().map(Rc::from).collect();
        // Public services disable the invoker IAM check rather than grant allUsers, which
        // Domain Restricted Sharing refuses (in Cloud Build only with a warning, leaving the
        // load balancer with 403s). `--no-allow-unauthenticated` removes an allUsers binding an
        // earlier version granted.
        last.push(
            if service.public {
                "--no-invoker-iam-check"
            } else {
                "--invoker-iam-check"
            }
            .into(),
        );
        last.push("--no-allow-unauthenticated".into());
        DeployFlags {
            service,
            command: vec![
                "run".into(),
                "deploy".into(),
                literal(&service.name).into(),
                format!("--project={}", literal(&model.project)).into(),
            ],
            settings: vec![
                format!("--image={image_ref}").into(),
                format!("--port={}", service.port).into(),
                format!("--cpu={}", literal(&service.cpu)).into(),
                format!("--memory={}", literal(&service.memory)).into(),
                format!("--concurrency={}", service.concurrency).into(),
                format!("--timeout={}", service.timeout_seconds).into(),
            ],
            ingress: format!("--ingress={}", service.ingress).into(),
            identity,
            last,
        }
    }

    /// The arguments of the deploy to `location` (the `--region` or `--regions` flag).
    fn args(
        &self,
        location: String,
        (min_instances, max_instances): (u32, u32),
        env: &[EnvVar],
        subnet: Option<&str>,
    ) -> Vec<Rc<str>> {
        let mut args = Vec::with_capacity(
            self.command.len() + self.settings.len() + self.identity.len() + self.last.len() + 12,
        );
        args.extend_from_slice(&self.command);
        args.push(location.into());
        args.extend_from_slice(&self.settings);
        let mut count = itoa::Buffer::new();
        args.push(
            ["--min-instances=", count.format(min_instances)]
                .concat()
                .into(),
        );
        args.push(
            ["--max-instances=", count.format(max_instances)]
                .concat()
                .into(),
        );
        args.push(self.ingress.clone());
        // A multi-region service without variables has none to set (regional ones always have
        // CLOUD_RUN_REGION); clearing keeps earlier ones from lingering.
        if env.is_empty() {
            args.push("--clear-env-vars".into());
        } else {
            let env: Vec<(&str, &str)> = env
                .iter()
                .map(|e| (e.name.as_str(), e.value.as_str()))
                .collect();
            args.push(
                ["--set-env-vars=", &literal(&gcloud_dict(&env))]
                    .concat()
                    .into(),
            );
        }
        args.extend_from_slice(&self.identity);
        args.extend(vpc_args(self.service, subnet).into_iter().map(Rc::from));
        args.extend_from_slice(&self.last);
        args
    }
}

/// CPU billing, startup boost, execution environment and session affinity, each explicit so
/// that the deploy matches deploy.sh's YAML and Terraform (`gcloud run deploy` would turn startup
/// boost on for a new service by itself).
fn runtime_args(service: &ServiceModel) -> Vec<String> {
    let flag = |on: bool, name: &str| {
        if on {
            format!("--{name}")
        } else {
            format!("--no-{name}")
        }
    };
    let mut args = vec![
        // Throttled CPU is request-based billing; CPU always allocated is instance-based.
        flag(!service.cpu_always_allocated, "cpu-throttling"),
        flag(service.startup_cpu_boost, "cpu-boost"),
    ];
    if let Some(environment) = service.execution_environment {
        args.push(format!("--execution-environment={environment}"));
    }
    args.push(flag(service.session_affinity, "session-affinity"));
    args
}

/// The GPU, explicit either way: `--gpu=0` removes one an earlier spec had.
fn gpu_args(service: &ServiceModel) -> Vec<String> {
    match &service.gpu {
        None => vec!["--gpu=0".into()],
        Some(gpu) => vec![
            format!("--gpu={}", gpu.count),
            format!("--gpu-type={}", gpu.kind),
            if gpu.zonal_redundancy {
                "--gpu-zonal-redundancy"
            } else {
                "--no-gpu-zonal-redundancy"
            }
            .into(),
        ],
    }
}

/// VPC egress, explicit either way: Direct VPC egress clears a connector, a connector clears
/// the network, and neither clears both (gcloud keeps what it is not told to change).
fn vpc_args(service: &ServiceModel, subnet: Option<&str>) -> Vec<String> {
    let Some(vpc) = &service.vpc else {
        return vec!["--clear-network".into(), "--clear-vpc-connector".into()];
    };
    let mut args = Vec::new();
    if let Some(connector) = &vpc.connector {
        args.push(format!("--vpc-connector={}", literal(connector)));
        args.push("--clear-network".into());
    } else {
        if let Some(network) = &vpc.network {
            args.push(format!("--network={}", literal(network)));
        }
        if let Some(subnet) = subnet {
            args.push(format!("--subnet={}", literal(subnet)));
        }
        if vpc.network_tags.is_empty() {
            args.push("--clear-network-tags".into());
        } else {
            args.push(format!(
                "--network-tags={}",
                literal(&vpc.network_tags.join(","))
            ));
        }
        args.push("--clear-vpc-connector".into());
    }
    args.push(format!("--vpc-egress={}", vpc.egress));
    args
}

/// The secrets, all of them (`--set-secrets` replaces the previous revision's): `ENV=SECRET:VERSION`
/// for variables, `/dir/file=SECRET:VERSION` for files. `--clear-secrets` when there are none, so
/// a secret the spec dropped goes.
fn secrets_arg(secrets: &crate::render::model::SecretsModel) -> String {
    if !secrets.any {
        return "--clear-secrets".into();
    }
    let mut pairs: Vec<(String, String)> = secrets
        .env
        .iter()
        .map(|e| (e.name.clone(), format!("{}:{}", e.resource, e.version)))
        .collect();
    for volume in &secrets.volumes {
        for item in &volume.items {
            pairs.push((
                format!("{}/{}", volume.mount_path, item.path),
                format!("{}:{}", volume.resource, item.version),
            ));
        }
    }
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    format!("--set-secrets={}", literal(&gcloud_dict(&pairs)))
}

/// A gcloud dictionary flag value, `K1=V1,K2=V2`, such that gcloud splits it back into exactly
/// these pairs. When a key or value holds a comma (or the text starts with `^`), it uses
/// gcloud's alternate-delimiter syntax `^DELIM^K1=V1DELIMK2=V2` (`gcloud topic escaping`) with a
/// delimiter that occurs in no key or value. gcloud splits each pair at its first `=`.
pub fn gcloud_dict(pairs: &[(&str, &str)]) -> String {
    let items: Vec<String> = pairs.iter().map(|(k, v)| [k, "=", v].concat()).collect();
    let plain = items.join(",");
    if !items.iter().any(|i| i.contains(',')) && !plain.starts_with('^') {
        return plain;
    }
    let delimiter = delimiter_for(&items);
    format!("^{delimiter}^{}", items.join(&delimiter))
}

/// The shortest delimiter that splits `items.join(delimiter)` back into `items`.
fn delimiter_for(items: &[String]) -> String {
    let splits_back = |d: &str| {
        let joined = items.join(d);
        joined.split(d).eq(items.iter().map(String::as_str))
    };
    const SINGLE: &[char] = &[
        '|', '@', ';', '#', '~', '!', '%', '+', ':', '/', '&', '*', '?', '<', '>', '[', ']', '{',
        '}', '(', ')',
    ];
    for c in SINGLE {
        if !items.iter().any(|i| i.contains(*c)) {
            return c.to_string();
        }
    }
    (0u32..)
        .map(|n| format!("@{n}@"))
        .find(|d| splits_back(d) && !items.iter().any(|i| i.contains(d.as_str())))
        .expect("some delimiter occurs in no item")
}

fn plan<'a>(model: &Model, base: &TemplateContext<'a>) -> Vec<Output<'a>> {
    let context = base.clone().with("cloudbuild", &pipeline(model));
    vec![Output {
        path: "cloudbuild.yaml".into(),
        source: Source::Template {
            name: "cloudbuild.yaml.hbs",
            context,
        },
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(value: &str) -> Vec<String> {
        // gcloud's ArgDict/ArgList splitting, per `gcloud topic escaping`.
        if let Some(rest) = value.strip_prefix('^') {
            if let Some(end) = rest.find('^') {
                let (delimiter, body) = (&rest[..end], &rest[end + 1..]);
                return body.split(delimiter).map(String::from).collect();
            }
        }
        value.split(',').map(String::from).collect()
    }

    #[test]
    fn gcloud_dict_round_trips_through_gcloud_splitting() {
        let cases: Vec<Vec<(&str, &str)>> = vec![
            vec![("A", "1"), ("B", "two")],
            vec![("A", "x,y"), ("B", "z")],
            vec![("A", "a|b,c"), ("B", "@;#~!%+:/&*?<>[]{}()")],
            vec![("A", "|@;#~!%+:/&*?<>[]{}(),@0@")],
            vec![("A", "=b=c"), ("B", "")],
        ];
        for pairs in cases {
            let value = gcloud_dict(&pairs);
            let expected: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
            assert_eq!(split(&value), expected, "{value}");
        }
        assert_eq!(gcloud_dict(&[("A", "1"), ("B", "2")]), "A=1,B=2");
        assert_eq!(gcloud_dict(&[("A", "1,2")]), "^|^A=1,2");
    }
}
