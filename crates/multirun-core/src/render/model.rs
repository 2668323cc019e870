//! The data every template sees: the spec with defaults applied, per-region effective
//! settings, and every derived resource name. Values are raw; templates escape them with the
//! helper for their language (`sh`, `hcl`, `json`, `yaml`).

use std::cell::OnceCell;
use std::collections::BTreeMap;

use serde::Serialize;

use super::targets::monitoring::PolicyName;
use crate::gcp::armor;
use crate::gcp::artifact_registry;
use crate::gcp::env::REGION_ENV_VAR;
use crate::gcp::identities::{self, Principal, Scope, ScopeKind};
use crate::gcp::names;
use crate::gcp::resources::format_cpu;
use crate::gcp::rollout::{bake_minutes, MAX_QUIET_WINDOWS};
use crate::gcp::secrets;
use crate::spec::{
    Deployment, ExecutionEnvironment, IapPlacement, Region, Rollout, Routing, Secrets, Service,
    Spec, VpcEgress,
};

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Model {
    pub multirun_version: &'static str,
    pub project: String,
    pub routing: &'static str,
    /// `regional` or `multi-region` (the spec's `deployment`).
    pub deployment: &'static str,
    /// `deployment: multi-region`: the one service every region runs; `None` when regional.
    pub multi_region: Option<MultiRegionModel>,
    pub nearest: bool,
    pub weighted: bool,
    pub service: ServiceModel,
    pub regions: Vec<RegionModel>,
    pub probes: ProbesModel,
    pub outlier_detection: OutlierDetectionModel,
    pub load_balancer: LoadBalancerModel,
    /// How the scripts find what earlier specs created: RE2 patterns for gcloud `--filter`.
    pub patterns: PatternsModel,
    pub build: Option<BuildModel>,
    pub dashboard_title: String,
    pub labels: BTreeMap<String, String>,
    /// The rollout, with its defaults applied (rendered whether or not the spec has one).
    pub rollout: RolloutModel,
    /// Notification channels the alert policies notify.
    pub notification_channels: Vec<String>,
    /// Identity-Aware Proxy, on the Cloud Run service or on the backend service(s).
    pub iap: Option<IapModel>,
    /// `identities`: the accounts multirun creates and the roles each identity gets
    /// (`gcp::identities`, the one home of that policy).
    pub identities: Option<IdentitiesModel>,
    /// The service accounts multirun may have created for this service, by any spec: the
    /// runtime one, then the build one. deploy.sh deletes those the spec no longer wants.
    pub managed_accounts: Vec<String>,
    /// The alert policies' names, derived on first use (`monitoring::policy_names`): the
    /// monitoring files, Terraform and the dashboard all list them. Not template data.
    #[serde(skip)]
    pub(crate) policy_names: OnceCell<Vec<PolicyName>>,
}

/// `identities`, as the outputs write it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentitiesModel {
    pub create: bool,
    /// The runtime service account multirun creates (none when the spec names its own, or
    /// `create` is off).
    pub runtime_created: Option<AccountModel>,
    /// The runtime service account's email; none: the Compute Engine default one.
    pub runtime_email: Option<String>,
    /// The Cloud Build service account multirun creates (`create` only).
    pub build: Option<AccountModel>,
    /// The build account's roles on the project.
    pub build_project_roles: Vec<&'static str>,
    /// The build account's roles on the runtime service account.
    pub build_runtime_account_roles: Vec<&'static str>,
    /// The build account's roles on the build repository.
    pub build_repository_grants: Vec<RepositoryGrantModel>,
    /// The build account's roles on the Cloud Deploy execution service account
    /// (`rollout.engine: clouddeploy`).
    pub build_execution_account_roles: Vec<&'static str>,
    /// The Cloud Deploy execution service account's email.
    pub execution_email: String,
    /// `identities.deployers`.
    pub deployers: Vec<String>,
    /// The deployer's roles on the project, each once.
    pub deployer_project_roles: Vec<&'static str>,
    /// Every project role the policy may give a deployer, for any settings: deploy.sh names
    /// those a deployer holds and this spec does not need (it never removes them).
    pub deployer_policy_project_roles: Vec<&'static str>,
    pub deployer_runtime_account_roles: Vec<&'static str>,
    pub deployer_secret_grants: Vec<SecretRoleModel>,
    pub deployer_repository_grants: Vec<RepositoryGrantModel>,
    /// Every grant in words, one line each (deploy.sh prints them).
    pub summary: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountModel {
    pub id: String,
    pub email: String,
    /// `projects/PROJECT/serviceAccounts/EMAIL`, as Cloud Build's `serviceAccount` takes it.
    pub resource: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RepositoryGrantModel {
    pub role: &'static str,
    pub project: String,
    pub location: String,
    pub repository: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretRoleModel {
    pub role: &'static str,
    /// `NAME` or `projects/NUMBER/secrets/NAME`.
    pub resource: String,
}

/// `service.iap` or `loadBalancer.iap`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IapModel {
    /// On the Cloud Run service (`run.googleapis.com/iap-enabled`, `iap_enabled`).
    pub on_service: bool,
    /// On the backend service(s) (their `iap` block).
    pub on_load_balancer: bool,
    /// Principals granted `roles/iap.httpsResourceAccessor`, in spec order.
    pub members: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RolloutModel {
    pub engine: &'static str,
    pub waves: Vec<WaveModel>,
    /// Canary percentages, ascending, each below 100 (the last step, 100, is not listed).
    pub canary: Vec<u32>,
    /// The bake, which is also the gates' window, in seconds (a whole number of minutes).
    pub bake_seconds: u64,
    pub bake_minutes: u64,
    /// The 5xx-ratio gate, as the text the scripts compare with (`0.01`).
    pub max_error_ratio: String,
    pub max_error_ratio_value: f64,
    /// The p99-latency gate in milliseconds; 0 when the spec sets none.
    pub max_latency_p99_ms: u32,
    pub min_requests: u32,
    /// Windows with too few requests a gate waits through before it fails.
    pub max_quiet_windows: u32,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WaveModel {
    /// 1-based.
    pub number: usize,
    pub regions: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceModel {
    pub name: String,
    pub image: String,
    pub port: u32,
    /// CPU as Cloud Run writes it: `1`, `2`, or a fraction such as `0.5`.
    pub cpu: String,
    pub memory: String,
    pub concurrency: u32,
    pub timeout_seconds: u32,
    pub public: bool,
    pub ingress: &'static str,
    pub service_account: Option<String>,
    /// Instance-based billing (`cpu-throttling: false`, `cpu_idle = false`).
    pub cpu_always_allocated: bool,
    pub startup_cpu_boost: bool,
    /// `gen1` or `gen2`: the spec's choice, else `gen1` when the CPU is below 1 vCPU (Cloud Run
    /// allows that only there), else none (Cloud Run chooses).
    pub execution_environment: Option<&'static str>,
    pub session_affinity: bool,
    pub secrets: SecretsModel,
    pub vpc: Option<VpcModel>,
    pub gpu: Option<GpuModel>,
}

/// `service.gpu`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GpuModel {
    /// The accelerator (`nvidia-l4`).
    pub kind: &'static str,
    pub count: u32,
    pub zonal_redundancy: bool,
}

/// `service.vpc`: Direct VPC egress (`direct`) or a connector.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VpcModel {
    pub direct: bool,
    pub network: Option<String>,
    pub network_tags: Vec<String>,
    pub connector: Option<String>,
    /// `private-ranges-only` or `all-traffic` (Knative, gcloud).
    pub egress: &'static str,
    /// The same, as the v2 API's enum (Terraform).
    pub egress_enum: &'static str,
}

/// `service.secrets`, as each output spells it.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretsModel {
    /// Whether there is any secret: the grants and the Secret Manager API come with it.
    pub any: bool,
    /// Environment variables from secrets, by name.
    pub env: Vec<SecretEnvModel>,
    /// One volume per mounted directory, in path order.
    pub volumes: Vec<SecretVolumeModel>,
    /// The Knative `run.googleapis.com/secrets` annotation: `ALIAS:projects/N/secrets/NAME,...`
    /// for secrets in other projects.
    pub knative_aliases: Option<String>,
    /// Each distinct secret, once: the runtime service account gets read access to it.
    pub grants: Vec<SecretGrantModel>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretEnvModel {
    pub name: String,
    /// What the Knative YAML calls the secret (an alias for another project's).
    pub knative_name: String,
    /// `NAME` or `projects/NUMBER/secrets/NAME` (gcloud, the v2 API, Terraform).
    pub resource: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretVolumeModel {
    pub name: String,
    pub mount_path: String,
    pub knative_name: String,
    pub resource: String,
    pub items: Vec<SecretItemModel>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretItemModel {
    /// The file name inside the mounted directory.
    pub path: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretGrantModel {
    /// `NAME` or `projects/NUMBER/secrets/NAME`.
    pub resource: String,
    /// The secret's own name, and its project (the number) when it is in another project.
    pub name: String,
    pub project_number: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegionModel {
    pub name: String,
    /// Weight under weighted routing (0 when nearest).
    pub weight: u32,
    pub min_instances: u32,
    pub max_instances: u32,
    /// Service env merged with the region's, plus `CLOUD_RUN_REGION` (Cloud Run doesn't set
    /// it), sorted by name.
    pub env: Vec<EnvVar>,
    pub neg_name: String,
    pub backend_service_name: String,
    /// Direct VPC egress: the region's subnet.
    pub subnet: Option<String>,
    /// Direct VPC egress: the Knative `run.googleapis.com/network-interfaces` value, a JSON list
    /// with this region's one interface.
    pub network_interfaces: Option<String>,
    pub first: bool,
    pub last: bool,
}

/// A Cloud Run multi-region service: one template for every region, so one set of scaling
/// bounds and environment variables (rules MR2xx refuse per-region overrides in this mode).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MultiRegionModel {
    /// The `run.googleapis.com/regions` annotation: the regions, comma-separated, in spec order.
    pub regions_annotation: String,
    pub min_instances: u32,
    pub max_instances: u32,
    /// `service.env`, sorted by name, without `CLOUD_RUN_REGION`: one template cannot give each
    /// region its own value.
    pub env: Vec<EnvVar>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnvVar {
    pub name: String,
    pub value: String,
}

/// The spec's `healthCheck`, as Cloud Run probes: each kind has its own job, so each gets its
/// own settings.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbesModel {
    /// Holds the other probes off until the container has started, for up to `startupSeconds`.
    pub startup: ProbeModel,
    /// Restarts an instance; more lenient than readiness, so a failing dependency drains
    /// instances instead of restarting them.
    pub liveness: ProbeModel,
    /// Drains an instance; feeds Cloud Run service health, which drives failover under
    /// `nearest` (None under `weighted`, where nothing would read it).
    pub readiness: Option<ProbeModel>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeModel {
    pub path: String,
    pub port: u32,
    pub period_seconds: u32,
    pub timeout_seconds: u32,
    pub failure_threshold: u32,
    pub success_threshold: u32,
}

/// Outlier detection on the (single) backend service under `nearest` routing.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutlierDetectionModel {
    pub enabled: bool,
    /// Consecutive 502, 503 or 504 answers, the signal that a region's backend is down (the
    /// application's own 500s are not).
    pub consecutive_gateway_failure: u32,
    pub enforcing_consecutive_gateway_failure: u32,
    /// 0: consecutive 5xx of any kind (the application's own errors) never eject a region.
    pub enforcing_consecutive_errors: u32,
    pub interval_seconds: u32,
    pub base_ejection_time_seconds: u32,
    pub max_ejection_percent: u32,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadBalancerModel {
    pub domains: Vec<String>,
    pub https_redirect: bool,
    pub url_map_name: String,
    pub https_proxy_name: String,
    pub certificate_name: String,
    /// `loadBalancer.certificates.type`: `classic` or `certificate-manager`.
    pub certificate_kind: &'static str,
    /// multirun creates the classic Google-managed certificate `certificate_name`.
    pub generates_classic_certificate: bool,
    /// Classic mode: the SSL certificates on the proxy, the generated one or the spec's
    /// existing ones. Empty with Certificate Manager.
    pub ssl_certificates: Vec<String>,
    /// Certificate Manager: the map on the proxy, and what multirun generates for it (`enabled`
    /// false and nothing else set with classic certificates; templates never see a null).
    pub certificate_manager: CertificateManagerModel,
    /// The name of the certificate map multirun generates (whatever the spec says now), so
    /// deploy.sh and teardown.sh find one an earlier spec created.
    pub generated_certificate_map_name: String,
    pub address_name: String,
    pub https_forwarding_rule_name: String,
    pub redirect_url_map_name: String,
    pub http_proxy_name: String,
    pub http_forwarding_rule_name: String,
    /// The backend service for `nearest` routing (the only one).
    pub backend_service_name: String,
    /// `loadBalancer.armor`: the security policy on every backend service.
    pub armor: Option<ArmorModel>,
    /// `loadBalancer.cdn`: Cloud CDN on every backend service.
    pub cdn: Option<CdnModel>,
}

/// Certificate Manager on the HTTPS proxy: a certificate map, generated or existing.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateManagerModel {
    /// Certificate Manager serves the proxy (else: classic SSL certificates).
    pub enabled: bool,
    /// The map attached to the proxy (empty when not `enabled`).
    pub map_name: String,
    /// multirun creates the map, its entries, certificates and DNS authorizations (false: the
    /// spec's existing map, and nothing else).
    pub generated: bool,
    pub dns_authorizations: Vec<DnsAuthorizationModel>,
    pub certificates: Vec<ManagedCertificateModel>,
    pub entries: Vec<MapEntryModel>,
}

/// One DNS authorization: a domain and its wildcard.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DnsAuthorizationModel {
    pub name: String,
    pub domain: String,
    /// The Terraform resource label (`auth_0`...).
    pub key: String,
}

/// One Certificate Manager Google-managed certificate, issued through one DNS authorization.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ManagedCertificateModel {
    pub name: String,
    pub key: String,
    pub domains: Vec<String>,
    /// `domains` joined by commas, as `--domains` takes them.
    pub domains_joined: String,
    pub authorization: String,
    pub authorization_key: String,
}

/// One certificate map entry: a hostname and its certificate.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MapEntryModel {
    pub name: String,
    pub key: String,
    pub hostname: String,
    pub certificate: String,
    pub certificate_key: String,
}

fn certificate_manager(spec: &Spec) -> CertificateManagerModel {
    let service = spec.service.name.as_str();
    let certificates = &spec.load_balancer.certificates;
    if let Some(map) = &certificates.certificate_map {
        return CertificateManagerModel {
            enabled: true,
            map_name: map.clone(),
            generated: false,
            dns_authorizations: Vec::new(),
            certificates: Vec::new(),
            entries: Vec::new(),
        };
    }
    if !certificates.generates_certificate_manager() {
        return CertificateManagerModel {
            enabled: false,
            map_name: String::new(),
            generated: false,
            dns_authorizations: Vec::new(),
            certificates: Vec::new(),
            entries: Vec::new(),
        };
    }
    let groups = crate::gcp::certificates::groups(&spec.load_balancer.domains);
    let mut model = CertificateManagerModel {
        enabled: true,
        map_name: names::certificate_map(service),
        generated: true,
        dns_authorizations: Vec::new(),
        certificates: Vec::new(),
        entries: Vec::new(),
    };
    for (i, group) in groups.iter().enumerate() {
        let authorization = names::dns_authorization(service, &group.domain);
        let certificate = names::managed_certificate(service, &group.hostnames);
        model.dns_authorizations.push(DnsAuthorizationModel {
            name: authorization.clone(),
            domain: group.domain.clone(),
            key: format!("auth_{i}"),
        });
        model.certificates.push(ManagedCertificateModel {
            name: certificate.clone(),
            key: format!("cert_{i}"),
            domains: group.hostnames.clone(),
            domains_joined: group.hostnames.join(","),
            authorization,
            authorization_key: format!("auth_{i}"),
        });
        for hostname in &group.hostnames {
            let n = model.entries.len();
            model.entries.push(MapEntryModel {
                name: names::certificate_map_entry(service, hostname),
                key: format!("entry_{n}"),
                hostname: hostname.clone(),
                certificate: certificate.clone(),
                certificate_key: format!("cert_{i}"),
            });
        }
    }
    model
}

/// The Cloud Armor policy the backend services use.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArmorModel {
    /// The policy's name: the spec's existing one, or the generated one.
    pub policy_name: String,
    /// The policy multirun generates; `None` for an existing one.
    pub generated: Option<armor::Policy>,
}

/// Cloud CDN, with the TTLs each cache mode takes (defaults applied, the others left out).
/// TTLs are text, so that a template's `#if` keeps a TTL of 0 ("always revalidate").
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CdnModel {
    pub cache_mode: &'static str,
    pub default_ttl: Option<String>,
    pub max_ttl: Option<String>,
    pub client_ttl: Option<String>,
    pub negative_caching: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PatternsModel {
    pub service: String,
    pub neg: String,
    pub backend_service: String,
    pub certificate: String,
    pub security_policy: String,
    pub dns_authorization: String,
    pub managed_certificate: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildModel {
    pub repository: String,
    pub dockerfile: String,
    pub context: String,
    /// The image the pipeline builds, without tag: `<repository>/<service name>`.
    pub image: String,
}

impl Model {
    pub fn new(spec: &Spec) -> Model {
        let service = &spec.service;
        let name = service.name.as_str();
        let routing = spec.traffic.routing;
        let count = spec.regions.len();
        let multi_region = spec.deployment == Deployment::MultiRegion;
        let regions = spec
            .regions
            .iter()
            .enumerate()
            .map(|(i, region)| {
                // Merged by reference, then copied once.
                let mut env: BTreeMap<&str, &str> = service
                    .env
                    .iter()
                    .chain(&region.env)
                    .map(|(name, value)| (name.as_str(), value.as_str()))
                    .collect();
                if multi_region {
                    env.remove(REGION_ENV_VAR);
                } else {
                    env.insert(REGION_ENV_VAR, &region.name);
                }
                RegionModel {
                    name: region.name.clone(),
                    weight: if routing == Routing::Weighted {
                        region.weight.unwrap_or(0)
                    } else {
                        0
                    },
                    min_instances: spec.min_instances(region),
                    max_instances: spec.max_instances(region),
                    env: env
                        .into_iter()
                        .map(|(name, value)| EnvVar {
                            name: name.to_string(),
                            value: value.to_string(),
                        })
                        .collect(),
                    neg_name: names::neg(name, &region.name),
                    backend_service_name: names::backend_service(name, routing, &region.name),
                    subnet: spec.subnet(region).map(str::to_string),
                    network_interfaces: network_interfaces(spec, region),
                    first: i == 0,
                    last: i + 1 == count,
                }
            })
            .collect();
        let hc = &spec.health_check;
        let multi_region = multi_region.then(|| MultiRegionModel {
            regions_annotation: spec
                .regions
                .iter()
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>()
                .join(","),
            min_instances: service.min_instances,
            max_instances: service.max_instances,
            env: service
                .env
                .iter()
                .filter(|(name, _)| name.as_str() != REGION_ENV_VAR)
                .map(|(name, value)| EnvVar {
                    name: name.clone(),
                    value: value.clone(),
                })
                .collect(),
        });
        let identities_plan = identities::plan(spec);
        let managed_accounts = [identities::RUNTIME_SUFFIX, identities::BUILD_SUFFIX]
            .iter()
            .map(|suffix| identities::email(&identities::account_id(name, suffix), &spec.project))
            // An account the spec names is the user's, whatever its name.
            .filter(|email| service.service_account.as_ref() != Some(email))
            .collect();
        Model {
            multirun_version: crate::VERSION,
            project: spec.project.clone(),
            routing: routing.as_str(),
            deployment: spec.deployment.as_str(),
            multi_region,
            nearest: routing == Routing::Nearest,
            weighted: routing == Routing::Weighted,
            service: ServiceModel {
                name: name.to_string(),
                image: service.image.clone(),
                port: service.port,
                cpu: format_cpu(service.cpu),
                memory: service.memory.clone(),
                concurrency: service.concurrency,
                timeout_seconds: service.timeout_seconds,
                public: service.public,
                ingress: service.ingress.as_str(),
                // `identities.create` without a named account: the one multirun creates.
                service_account: service.service_account.clone().or_else(|| {
                    identities_plan
                        .as_ref()
                        .and_then(|p| p.runtime.as_ref().map(|a| a.email.clone()))
                }),
                cpu_always_allocated: service.cpu_always_allocated,
                startup_cpu_boost: service.startup_cpu_boost,
                execution_environment: execution_environment(service),
                session_affinity: service.session_affinity,
                secrets: secrets(&service.secrets),
                gpu: service.gpu.as_ref().map(|gpu| GpuModel {
                    kind: gpu.kind.as_str(),
                    count: gpu.count,
                    zonal_redundancy: gpu.zonal_redundancy,
                }),
                vpc: service.vpc.as_ref().map(|vpc| VpcModel {
                    direct: vpc.connector.is_none(),
                    network: vpc.network.clone(),
                    network_tags: vpc.network_tags.clone(),
                    connector: vpc.connector.clone(),
                    egress: vpc.egress.as_str(),
                    egress_enum: match vpc.egress {
                        VpcEgress::PrivateRangesOnly => "PRIVATE_RANGES_ONLY",
                        VpcEgress::AllTraffic => "ALL_TRAFFIC",
                    },
                }),
            },
            regions,
            probes: probes(spec),
            outlier_detection: OutlierDetectionModel {
                enabled: routing == Routing::Nearest,
                consecutive_gateway_failure: hc.unhealthy_threshold,
                enforcing_consecutive_gateway_failure: 100,
                enforcing_consecutive_errors: 0,
                interval_seconds: hc.interval_seconds,
                // Google's serverless NEG guide suggests raising the 30 s default, e.g. to 180 s.
                base_ejection_time_seconds: 180,
                max_ejection_percent: 50,
            },
            load_balancer: LoadBalancerModel {
                domains: spec.load_balancer.domains.clone(),
                https_redirect: spec.load_balancer.https_redirect,
                url_map_name: names::url_map(name),
                https_proxy_name: names::https_proxy(name),
                certificate_name: names::certificate(name, &spec.load_balancer.domains),
                certificate_kind: if spec.load_balancer.certificates.uses_certificate_manager() {
                    "certificate-manager"
                } else {
                    "classic"
                },
                generates_classic_certificate: spec.load_balancer.certificates.generates_classic(),
                ssl_certificates: if spec.load_balancer.certificates.uses_certificate_manager() {
                    Vec::new()
                } else if spec.load_balancer.certificates.ssl_certificates.is_empty() {
                    vec![names::certificate(name, &spec.load_balancer.domains)]
                } else {
                    spec.load_balancer.certificates.ssl_certificates.clone()
                },
                certificate_manager: certificate_manager(spec),
                generated_certificate_map_name: names::certificate_map(name),
                address_name: names::address(name),
                https_forwarding_rule_name: names::https_forwarding_rule(name),
                redirect_url_map_name: names::redirect_url_map(name),
                http_proxy_name: names::http_proxy(name),
                http_forwarding_rule_name: names::http_forwarding_rule(name),
                backend_service_name: names::backend_service(name, Routing::Nearest, ""),
                armor: armor::attached_policy_name(spec).map(|policy_name| ArmorModel {
                    policy_name,
                    generated: armor::generated_policy(spec),
                }),
                cdn: spec.load_balancer.cdn.as_ref().map(|cdn| CdnModel {
                    cache_mode: cdn.cache_mode.as_str(),
                    default_ttl: cdn.effective_default_ttl().map(|t| t.to_string()),
                    max_ttl: cdn.effective_max_ttl().map(|t| t.to_string()),
                    client_ttl: cdn.effective_client_ttl().map(|t| t.to_string()),
                    negative_caching: cdn.negative_caching,
                }),
            },
            patterns: PatternsModel {
                service: names::patterns::service(name),
                neg: names::patterns::neg(name),
                backend_service: names::patterns::backend_service(name),
                certificate: names::patterns::certificate(name),
                security_policy: names::patterns::security_policy(name),
                dns_authorization: names::patterns::dns_authorization(name),
                managed_certificate: names::patterns::managed_certificate(name),
            },
            build: spec.build.as_ref().map(|b| BuildModel {
                repository: b.repository.trim_end_matches('/').to_string(),
                dockerfile: b.dockerfile.clone(),
                context: b.context.clone(),
                image: artifact_registry::image_path(&b.repository, name),
            }),
            dashboard_title: spec.dashboard_title(),
            labels: spec.labels.clone(),
            rollout: rollout(spec),
            notification_channels: spec.monitoring.notification_channels.clone(),
            iap: spec.iap().map(|(placement, iap)| IapModel {
                on_service: placement == IapPlacement::Service,
                on_load_balancer: placement == IapPlacement::LoadBalancer,
                members: iap.members.clone(),
            }),
            identities: identities_plan
                .as_ref()
                .map(|plan| identities_model(plan, &spec.project)),
            managed_accounts,
            policy_names: OnceCell::new(),
        }
    }
}

/// The plan of `gcp::identities`, grouped the way the outputs grant it.
fn identities_model(plan: &identities::Plan, project: &str) -> IdentitiesModel {
    let account = |a: &identities::Account| {
        a.created_id.as_ref().map(|id| AccountModel {
            id: id.clone(),
            email: a.email.clone(),
            resource: format!("projects/{project}/serviceAccounts/{}", a.email),
        })
    };
    let roles_on = |principal: Principal, on: fn(&Scope) -> bool| {
        let mut roles: Vec<&'static str> = Vec::new();
        for grant in plan.of(principal).filter(|g| on(&g.scope)) {
            if !roles.contains(&grant.entry.role) {
                roles.push(grant.entry.role);
            }
        }
        roles
    };
    let repository_grants = |principal: Principal| {
        plan.of(principal)
            .filter_map(|g| match &g.scope {
                Scope::Repository {
                    project,
                    location,
                    repository,
                } => Some(RepositoryGrantModel {
                    role: g.entry.role,
                    project: project.clone(),
                    location: location.clone(),
                    repository: repository.clone(),
                }),
                _ => None,
            })
            .collect()
    };
    IdentitiesModel {
        create: plan.build.is_some(),
        runtime_created: plan.runtime.as_ref().and_then(account),
        runtime_email: plan.runtime.as_ref().map(|a| a.email.clone()),
        build: plan.build.as_ref().and_then(account),
        build_project_roles: roles_on(Principal::Build, |s| *s == Scope::Project),
        build_runtime_account_roles: roles_on(Principal::Build, |s| *s == Scope::RuntimeAccount),
        build_repository_grants: repository_grants(Principal::Build),
        build_execution_account_roles: roles_on(Principal::Build, |s| {
            *s == Scope::ExecutionAccount
        }),
        execution_email: plan.execution.clone(),
        deployers: plan.deployers.clone(),
        deployer_project_roles: roles_on(Principal::Deployer, |s| *s == Scope::Project),
        deployer_policy_project_roles: identities::policy_roles(
            Principal::Deployer,
            ScopeKind::Project,
        ),
        deployer_runtime_account_roles: roles_on(Principal::Deployer, |s| {
            *s == Scope::RuntimeAccount
        }),
        deployer_secret_grants: plan
            .of(Principal::Deployer)
            .filter_map(|g| match &g.scope {
                Scope::Secret(resource) => Some(SecretRoleModel {
                    role: g.entry.role,
                    resource: resource.clone(),
                }),
                _ => None,
            })
            .collect(),
        deployer_repository_grants: repository_grants(Principal::Deployer),
        summary: plan.summary(),
    }
}

fn rollout(spec: &Spec) -> RolloutModel {
    let defaults = Rollout::default();
    let rollout = spec.rollout.as_ref().unwrap_or(&defaults);
    // The rules refuse invalid values; the fallbacks only keep a render of an unchecked spec
    // (the property tests do that) from panicking.
    let bake_minutes = bake_minutes(&rollout.bake).unwrap_or(10);
    let mut ratio = format!("{}", rollout.gates.max_error_ratio);
    if !ratio.contains('.') {
        ratio.push_str(".0");
    }
    RolloutModel {
        engine: rollout.engine.as_str(),
        waves: spec
            .rollout_waves()
            .into_iter()
            .enumerate()
            .map(|(i, regions)| WaveModel {
                number: i + 1,
                regions,
            })
            .collect(),
        canary: rollout
            .canary
            .iter()
            .filter_map(|p| u32::try_from(*p).ok().filter(|p| (1..100).contains(p)))
            .collect(),
        bake_seconds: bake_minutes * 60,
        bake_minutes,
        max_error_ratio: ratio,
        max_error_ratio_value: rollout.gates.max_error_ratio,
        max_latency_p99_ms: rollout.gates.max_latency_p99_ms.unwrap_or(0),
        min_requests: rollout.gates.min_requests,
        max_quiet_windows: MAX_QUIET_WINDOWS,
    }
}

/// The secrets as the outputs write them. Rendering sees only specs without errors, where every
/// reference parses; one that does not is left out rather than panicking.
fn secrets(spec: &Secrets) -> SecretsModel {
    let mut grants: BTreeMap<String, SecretGrantModel> = BTreeMap::new();
    let mut aliases: BTreeMap<String, String> = BTreeMap::new();
    let mut note = |name: &secrets::SecretName| {
        let resource = name.resource();
        if name.project_number.is_some() {
            aliases.insert(name.knative_name(), resource.clone());
        }
        grants.entry(resource.clone()).or_insert(SecretGrantModel {
            resource,
            name: name.name.to_string(),
            project_number: name.project_number.map(str::to_string),
        });
    };
    let env = spec
        .env
        .iter()
        .filter_map(|(var, reference)| {
            let name = secrets::parse(&reference.secret)?;
            note(&name);
            Some(SecretEnvModel {
                name: var.clone(),
                knative_name: name.knative_name(),
                resource: name.resource(),
                version: reference.version.to_string(),
            })
        })
        .collect();
    let mut volumes: Vec<SecretVolumeModel> = Vec::new();
    for (path, reference) in &spec.files {
        let (Some(name), Some((directory, file))) = (
            secrets::parse(&reference.secret),
            secrets::split_file_path(path),
        ) else {
            continue;
        };
        note(&name);
        let item = SecretItemModel {
            path: file.to_string(),
            version: reference.version.to_string(),
        };
        match volumes.iter_mut().find(|v| v.mount_path == directory) {
            Some(volume) => volume.items.push(item),
            None => volumes.push(SecretVolumeModel {
                name: format!("secrets-{}", volumes.len() + 1),
                mount_path: directory.to_string(),
                knative_name: name.knative_name(),
                resource: name.resource(),
                items: vec![item],
            }),
        }
    }
    let knative_aliases = (!aliases.is_empty()).then(|| {
        aliases
            .iter()
            .map(|(alias, resource)| format!("{alias}:{resource}"))
            .collect::<Vec<_>>()
            .join(",")
    });
    SecretsModel {
        any: !grants.is_empty(),
        env,
        volumes,
        knative_aliases,
        grants: grants.into_values().collect(),
    }
}

/// The Knative `run.googleapis.com/network-interfaces` annotation of one region under Direct
/// VPC egress: `[{"network":..,"subnetwork":..,"tags":[..]}]`, with what the spec sets.
fn network_interfaces(spec: &Spec, region: &Region) -> Option<String> {
    let vpc = spec
        .service
        .vpc
        .as_ref()
        .filter(|v| v.connector.is_none())?;
    let mut interface = serde_json::Map::new();
    if let Some(network) = &vpc.network {
        interface.insert("network".into(), network.clone().into());
    }
    if let Some(subnet) = spec.subnet(region) {
        interface.insert("subnetwork".into(), subnet.to_string().into());
    }
    if !vpc.network_tags.is_empty() {
        interface.insert("tags".into(), vpc.network_tags.clone().into());
    }
    Some(serde_json::Value::Array(vec![interface.into()]).to_string())
}

/// The execution environment every output writes: the spec's, else `gen1` below 1 vCPU.
fn execution_environment(service: &Service) -> Option<&'static str> {
    match service.execution_environment {
        Some(environment) => Some(environment.as_str()),
        None => (service.cpu < 1.0).then_some(ExecutionEnvironment::Gen1.as_str()),
    }
}

/// Cloud Run's cap on a startup probe's period and on its window
/// (`failureThreshold × periodSeconds`).
const STARTUP_LIMIT_SECONDS: u32 = 240;

fn probes(spec: &Spec) -> ProbesModel {
    let hc = &spec.health_check;
    let probe = |path: &str, period_seconds: u32, failure_threshold: u32| ProbeModel {
        path: path.to_string(),
        port: spec.health_port(),
        period_seconds,
        timeout_seconds: hc.timeout_seconds,
        failure_threshold,
        success_threshold: hc.healthy_threshold,
    };
    // The startup probe checks every interval (capped to what a startup probe allows) until
    // the window runs out; the window never exceeds `startupSeconds`.
    let startup_period = hc
        .interval_seconds
        .min(hc.startup_seconds)
        .clamp(1, STARTUP_LIMIT_SECONDS);
    let startup_failures = (hc.startup_seconds / startup_period).max(1);
    ProbesModel {
        startup: probe(&hc.path, startup_period, startup_failures),
        liveness: probe(
            hc.liveness_path(),
            hc.interval_seconds,
            hc.liveness_threshold(),
        ),
        readiness: (spec.traffic.routing == Routing::Nearest)
            .then(|| probe(&hc.path, hc.interval_seconds, hc.unhealthy_threshold)),
    }
}
