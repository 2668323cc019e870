//! The spec, version 1: the typed model users write in YAML (camelCase keys).
//!
//! Doc comments here become the `description`s in `schemas/multirun.schema.json`, which
//! yaml-language-server shows on hover. The schema carries shape (types, required fields,
//! enums, no unknown keys); value rules (ranges, formats, Google Cloud limits) are the
//! semantic rules in `crate::rules`, which explain the fact behind each limit.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// A Cloud Run service deployed to several regions behind one global external Application
/// Load Balancer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[cfg_attr(feature = "schema", schemars(title = "multirun spec", extend("$id" = "https://github.com/multirun/multirun/blob/main/schemas/multirun.schema.json")))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Spec {
    /// Spec format version. Only `1` exists.
    pub version: u32,
    /// Google Cloud project ID that hosts every resource (6–30 characters: lowercase letters,
    /// digits and hyphens, starting with a letter).
    pub project: String,
    /// The Cloud Run service deployed identically to every region.
    pub service: Service,
    /// Regions to deploy to, each with optional per-region overrides. Order is kept in outputs.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub regions: Vec<Region>,
    /// How Cloud Run runs the service in the regions. `regional`: one Cloud Run service per
    /// region, each deployed on its own (per-region overrides allowed). `multi-region`: one Cloud
    /// Run multi-region service deployed to every region in a single operation, with one
    /// template for all of them (no per-region `env`, `minInstances` or `maxInstances`, and no
    /// `CLOUD_RUN_REGION`). Either way, one serverless NEG per region behind the load balancer.
    /// Default: `regional`.
    #[serde(default)]
    pub deployment: Deployment,
    /// How the load balancer spreads requests between regions. Default: `routing: nearest`.
    #[serde(default)]
    pub traffic: Traffic,
    /// The global external Application Load Balancer in front of every region.
    pub load_balancer: LoadBalancer,
    /// Health checking, applied as Cloud Run startup and liveness probes (and readiness probes
    /// under `nearest` routing) plus load-balancer outlier detection. Serverless backends take no
    /// load-balancer health check. Default: every field's default.
    #[serde(default)]
    pub health_check: HealthCheck,
    /// How `cloudbuild.yaml` builds and pushes the image. Omit to deploy `service.image` as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<Build>,
    /// Cloud Monitoring output. Default: a dashboard titled after the service, and the alert
    /// policies and uptime checks the rollout gates read.
    #[serde(default)]
    pub monitoring: Monitoring,
    /// How a new image reaches the regions: wave by wave, each wave through canary steps gated
    /// on the new revision's 5xx ratio and p99 latency, with rollback on a failed gate. Default:
    /// the first region alone, then the rest, with a single 10% canary. The gates size the
    /// alert policies (target `monitoring`); the rollout script and pipeline are not rendered
    /// yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollout: Option<Rollout>,
    /// Labels put on the Cloud Run services (and Terraform resources that take labels).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Least-privilege identities: service accounts multirun creates, and the roles each
    /// identity needs for the chosen settings, no more (`multirun explain identities` lists the
    /// policy). deploy.sh and Terraform create the accounts and grant their roles, and every
    /// output runs as them (clouddeploy/cloudbuild.yaml too, under `rollout.engine:
    /// clouddeploy`); deploy.sh prints a summary of every grant, grants the deployers theirs
    /// (never removing one), and removes the secret and repository grants a later spec drops
    /// (it records them in the created accounts' descriptions). Default: none (the
    /// service runs as `service.serviceAccount` or the Compute Engine default account, and
    /// Cloud Build as the project's default build account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identities: Option<Identities>,
    /// Settings for multirun's own checks.
    #[serde(default)]
    pub lint: Lint,
}

/// `identities`: which service accounts multirun creates, and who deploys.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Identities {
    /// Create the runtime service account (`SERVICE-runtime`, unless `service.serviceAccount`
    /// names an existing one) and the Cloud Build service account (`SERVICE-build`), and grant
    /// each exactly the roles the spec's settings need. Default: `false`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub create: bool,
    /// Principals who run deploy.sh and teardown.sh (`user:EMAIL`, `group:EMAIL` or
    /// `serviceAccount:EMAIL`): Terraform, and deploy.sh with `create`, grant them the
    /// deployer's roles for these settings; deploy.sh never removes one, it names those no
    /// longer needed. Default: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deployers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Lint {
    /// Warnings and infos to silence for this spec, by code (`MR105`) or name
    /// (`weighted-no-failover`). Errors cannot be silenced: they describe what Google Cloud
    /// rejects.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Service {
    /// Cloud Run service name, the same in every region: starts with a letter, lowercase
    /// letters, digits and hyphens, no trailing hyphen, at most 49 characters.
    pub name: String,
    /// Container image, ideally in Artifact Registry
    /// (`LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE:TAG`) and pinned by tag or digest.
    pub image: String,
    /// Port the container listens on (1–65535). Cloud Run's default: 8080.
    #[serde(default = "defaults::port")]
    pub port: u32,
    /// vCPUs per instance: 0.08 up to (not including) 1 in steps of 0.001, or 1, 2, 4, 6 or 8.
    /// Cloud Run's default: 1.
    #[serde(default = "defaults::cpu")]
    pub cpu: f64,
    /// Memory per instance, with a unit: `512Mi`, `1Gi`, `2G`... (128 MiB to 32 GiB, and within
    /// what the CPU allows). Cloud Run's default: `512Mi`.
    #[serde(default = "defaults::memory")]
    pub memory: String,
    /// Maximum concurrent requests per instance (1–1000). Cloud Run's default: 80.
    #[serde(default = "defaults::concurrency")]
    pub concurrency: u32,
    /// Request timeout in seconds (1–3600). Cloud Run's default: 300.
    #[serde(default = "defaults::timeout_seconds")]
    pub timeout_seconds: u32,
    /// Minimum instances kept warm in each region (overridable per region). Cloud Run's default: 0.
    #[serde(default)]
    pub min_instances: u32,
    /// Maximum instances in each region (overridable per region). Cloud Run's default: 100.
    #[serde(default = "defaults::max_instances")]
    pub max_instances: u32,
    /// Allow unauthenticated invocation (`allUsers` gets `roles/run.invoker`). The load balancer
    /// does not authenticate end users, so a public website needs `true`. Default: `false`.
    #[serde(default)]
    pub public: bool,
    /// Who may reach the service directly. Default: `internal-and-cloud-load-balancing`, so
    /// traffic must come through the load balancer (Cloud Run's own default is `all`).
    #[serde(default)]
    pub ingress: Ingress,
    /// Service account the service runs as. Default: the Compute Engine default service account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account: Option<String>,
    /// Environment variables for every region (merged under each region's `env`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
    /// Instance-based billing: CPU stays allocated for the whole life of an instance, so
    /// background work runs between requests (Cloud Run's `--no-cpu-throttling`). Needs at least
    /// 1 vCPU. Default: `false`, request-based billing (CPU only while serving requests).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cpu_always_allocated: bool,
    /// Startup CPU boost: more CPU while an instance starts, for faster cold starts (billed).
    /// Written explicitly in every output: `gcloud run deploy` turns it on for new services by
    /// itself, the YAML and Terraform do not. Default: `false`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub startup_cpu_boost: bool,
    /// Execution environment: `gen1` (faster starts, needed below 1 vCPU) or `gen2` (full Linux
    /// compatibility, network file systems; at least 512 MiB). Default: Cloud Run chooses
    /// (`gen1` is written when `cpu` is below 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_environment: Option<ExecutionEnvironment>,
    /// Session affinity: Cloud Run sends a client's requests to the same instance, best effort,
    /// with a cookie (within a region; not across regions). Default: `false`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub session_affinity: bool,
    /// Secrets from Secret Manager, as environment variables and as mounted files. The runtime
    /// service account gets `roles/secretmanager.secretAccessor` on each secret (deploy.sh and
    /// Terraform grant it). Default: none.
    #[serde(default, skip_serializing_if = "Secrets::is_empty")]
    pub secrets: Secrets,
    /// Outbound traffic into a VPC network (to Cloud SQL, Memorystore, internal services), in
    /// every region: Direct VPC egress (`network`, `subnet`, `networkTags`) or a Serverless VPC
    /// Access `connector`, not both. Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc: Option<Vpc>,
    /// A GPU attached to each instance, for inference. Needs `cpuAlwaysAllocated: true`, the
    /// GPU type's minimum CPU and memory (4 vCPU and 16 GiB for an L4), and regions that offer
    /// it (multirun's dated GPU list, rule `gpu-region`). Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpu: Option<Gpu>,
    /// Identity-Aware Proxy on the Cloud Run service itself (Google's recommendation): every
    /// path in, the load balancer and `run.app` alike, signs users in with Google and admits
    /// only `members`. Not with `public: true`, not with `loadBalancer.iap`. Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iap: Option<Iap>,
}

/// Identity-Aware Proxy: who may sign in. IAP uses a Google-managed OAuth client; the project
/// must belong to an organization, whose identities it admits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Iap {
    /// Principals granted `roles/iap.httpsResourceAccessor`: `user:EMAIL`, `group:EMAIL`,
    /// `domain:DOMAIN` or `serviceAccount:EMAIL`.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub members: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Gpu {
    /// The GPU type. Default: `nvidia-l4`.
    #[serde(default, rename = "type")]
    pub kind: GpuType,
    /// GPUs per instance: Cloud Run attaches exactly 1. Default: 1.
    #[serde(default = "defaults::gpu_count")]
    pub count: u32,
    /// Zonal redundancy: capacity reserved so that instances fail over to another zone. Off is
    /// cheaper, and failover becomes best effort. Default: `true`, Cloud Run's.
    #[serde(default = "defaults::yes")]
    pub zonal_redundancy: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub enum GpuType {
    /// NVIDIA L4 (24 GB): at least 4 vCPU and 16 GiB per instance.
    #[default]
    #[serde(rename = "nvidia-l4")]
    NvidiaL4,
}

impl GpuType {
    pub fn as_str(self) -> &'static str {
        match self {
            GpuType::NvidiaL4 => "nvidia-l4",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Vpc {
    /// Direct VPC egress: the VPC network, by name or as `projects/PROJECT/global/networks/NAME`
    /// (a Shared VPC host project's). Default: the network of `subnet`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
    /// Direct VPC egress: the subnet, by name (the same name in every region) or as
    /// `projects/PROJECT/regions/REGION/subnetworks/NAME`; a region's `subnet` overrides it.
    /// Subnets are regional: each region needs one in that region. Default: the subnet named
    /// like `network`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet: Option<String>,
    /// Direct VPC egress: network tags on the instances, for egress firewall rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub network_tags: Vec<String>,
    /// A Serverless VPC Access connector instead of Direct VPC egress: its name, the same in
    /// every region (a connector is regional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connector: Option<String>,
    /// Direct VPC egress: the prefix length of the subnets' primary range (`24` for a `/24`),
    /// for multirun's sizing check only (rule `vpc-subnet-size`): instances use about two
    /// addresses each. multirun does not create subnets. Default: not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(min = 8, max = 29)))]
    pub subnet_prefix_length: Option<u32>,
    /// Which outbound traffic goes through the VPC: `private-ranges-only` (RFC 1918 and Private
    /// Google Access addresses) or `all-traffic` (needs Cloud NAT to reach the internet).
    /// Default: `private-ranges-only`.
    #[serde(default)]
    pub egress: VpcEgress,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum VpcEgress {
    /// Only traffic to private addresses goes through the VPC.
    #[default]
    PrivateRangesOnly,
    /// All outbound traffic goes through the VPC.
    AllTraffic,
}

impl VpcEgress {
    pub fn as_str(self) -> &'static str {
        match self {
            VpcEgress::PrivateRangesOnly => "private-ranges-only",
            VpcEgress::AllTraffic => "all-traffic",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Secrets {
    /// Environment variables set from a secret version, by variable name. Cloud Run reads the
    /// value once, when an instance starts: pin a version rather than `latest`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, SecretRef>,
    /// Files mounted from a secret version, by absolute path (`/secrets/api-key`). Each
    /// directory holds files of one secret only. A file is read from Secret Manager on every
    /// access, so `latest` follows rotation.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, SecretRef>,
}

impl Secrets {
    pub fn is_empty(&self) -> bool {
        self.env.is_empty() && self.files.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecretRef {
    /// The secret: its name in the spec's project (`db-password`), or
    /// `projects/PROJECT_NUMBER/secrets/NAME` for a secret in another project (by number).
    pub secret: String,
    /// The secret version: a version number (`3`) or `latest`.
    pub version: SecretVersion,
}

/// A secret version as written: a number or a name (`latest`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(untagged)]
pub enum SecretVersion {
    Number(u64),
    Name(String),
}

impl std::fmt::Display for SecretVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SecretVersion::Number(n) => write!(f, "{n}"),
            SecretVersion::Name(name) => f.write_str(name),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum ExecutionEnvironment {
    /// First generation: faster cold starts; the only one that runs less than 1 vCPU.
    Gen1,
    /// Second generation: full Linux compatibility and network file systems; at least 512 MiB.
    Gen2,
}

impl ExecutionEnvironment {
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionEnvironment::Gen1 => "gen1",
            ExecutionEnvironment::Gen2 => "gen2",
        }
    }
}

/// Where Identity-Aware Proxy checks users.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IapPlacement {
    /// On the Cloud Run service (`service.iap`).
    Service,
    /// On the load balancer's backend service(s) (`loadBalancer.iap`).
    LoadBalancer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Ingress {
    /// Any source, including the service's own `run.app` URL.
    All,
    /// Only the VPC and the project's internal sources.
    Internal,
    /// Internal sources and Google Cloud load balancers.
    #[default]
    InternalAndCloudLoadBalancing,
}

impl Ingress {
    pub fn as_str(self) -> &'static str {
        match self {
            Ingress::All => "all",
            Ingress::Internal => "internal",
            Ingress::InternalAndCloudLoadBalancing => "internal-and-cloud-load-balancing",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Region {
    /// Cloud Run region, such as `us-central1`. Must be in multirun's dated region catalog
    /// (`multirun regions`) unless `uncatalogued: true`.
    pub name: String,
    /// Share of traffic under `routing: weighted`: an integer 0–100; all weights sum to 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
    /// Overrides `service.minInstances` in this region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_instances: Option<u32>,
    /// Overrides `service.maxInstances` in this region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_instances: Option<u32>,
    /// Extra environment variables for this region; they override `service.env`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
    /// Direct VPC egress: this region's subnet (a subnet in this region), overriding
    /// `service.vpc.subnet`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet: Option<String>,
    /// Escape hatch for a region newer than multirun's catalog: skips the catalog check (the
    /// name must still look like a region). Default: `false`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub uncatalogued: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Traffic {
    /// `nearest`: one backend service holds every region; each user goes to the closest healthy
    /// region, with automatic failover. `weighted`: one backend service per region and a fixed
    /// split by `weight`, wherever users are, with no automatic failover. Default: `nearest`.
    #[serde(default)]
    pub routing: Routing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Deployment {
    /// One Cloud Run service per region, each deployed on its own.
    #[default]
    Regional,
    /// One Cloud Run multi-region service (`run.googleapis.com/regions`, Terraform
    /// `multi_region_settings`), deployed to every region at once.
    MultiRegion,
}

impl Deployment {
    pub fn as_str(self) -> &'static str {
        match self {
            Deployment::Regional => "regional",
            Deployment::MultiRegion => "multi-region",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Routing {
    /// Closest region first, with failover (one backend service holding every region).
    #[default]
    Nearest,
    /// Fixed split by region weight (one backend service per region).
    Weighted,
}

impl Routing {
    pub fn as_str(self) -> &'static str {
        match self {
            Routing::Nearest => "nearest",
            Routing::Weighted => "weighted",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoadBalancer {
    /// Hostnames served. With the default classic certificate they all go on one
    /// Google-managed certificate: at most 100, no wildcards. With `certificates.type:
    /// certificate-manager`, wildcards such as `*.example.com` are allowed too.
    pub domains: Vec<String>,
    /// Which certificates the HTTPS proxy presents: a classic Google-managed certificate for
    /// `domains` (the default), Certificate Manager with DNS authorization (wildcards), or
    /// existing certificates (`sslCertificates`) or an existing certificate map
    /// (`certificateMap`). Default: a classic Google-managed certificate.
    #[serde(default, skip_serializing_if = "Certificates::is_default")]
    pub certificates: Certificates,
    /// Also answer plain HTTP on port 80 with a redirect to HTTPS. Default: `true`.
    #[serde(default = "defaults::yes")]
    pub https_redirect: bool,
    /// Identity-Aware Proxy on the load balancer's backend service(s) instead of on Cloud Run:
    /// for central access management of several regions behind one backend service. It does
    /// not protect `run.app` (keep `ingress` off `all`), and Cloud Run service health needs IAP
    /// on the service instead (`service.iap`). Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iap: Option<Iap>,
    /// Cloud Armor on the backend service(s): an existing security policy by name (`policy`), or
    /// a policy multirun generates from `rules`, `defaultAction` and `adaptiveProtection`. It
    /// filters only what comes through the load balancer: keep `service.ingress` off `all`.
    /// Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub armor: Option<Armor>,
    /// Cloud CDN on the backend service(s): Google's edge caches answer cacheable responses.
    /// Default: off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cdn: Option<Cdn>,
}

/// `loadBalancer.certificates`: the certificates of the HTTPS proxy.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Certificates {
    /// `classic`: one classic Google-managed SSL certificate (`compute ssl-certificates`) for
    /// every domain, at most 100 and no wildcards, attached to the proxy's `sslCertificates`.
    /// `certificate-manager`: Certificate Manager: a DNS authorization per domain (a domain and
    /// its wildcard share one), Google-managed certificates issued through them, and a
    /// certificate map with an entry per hostname, attached to the proxy; wildcards allowed,
    /// and deploy.sh prints the CNAME records to create. Default: `classic`.
    #[serde(rename = "type", default)]
    pub kind: CertificateKind,
    /// Existing classic SSL certificates (self-managed or Google-managed), by name, attached to
    /// the proxy instead of a generated certificate: at most 15. Only with `type: classic`,
    /// and never together with `certificateMap`. Default: none, multirun generates one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ssl_certificates: Vec<String>,
    /// An existing Certificate Manager certificate map (in location `global`), by name,
    /// attached to the proxy instead of one multirun generates: multirun then creates no
    /// certificate at all. Never together with `sslCertificates`. Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_map: Option<String>,
}

impl Certificates {
    pub fn is_default(&self) -> bool {
        *self == Certificates::default()
    }

    /// Certificate Manager serves the proxy: generated (`type: certificate-manager`) or an
    /// existing map.
    pub fn uses_certificate_manager(&self) -> bool {
        self.kind == CertificateKind::CertificateManager || self.certificate_map.is_some()
    }

    /// multirun creates one classic Google-managed certificate for `domains`.
    pub fn generates_classic(&self) -> bool {
        !self.uses_certificate_manager() && self.ssl_certificates.is_empty()
    }

    /// multirun creates the Certificate Manager resources (DNS authorizations, certificates,
    /// the map and its entries).
    pub fn generates_certificate_manager(&self) -> bool {
        self.kind == CertificateKind::CertificateManager
            && self.certificate_map.is_none()
            && self.ssl_certificates.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum CertificateKind {
    /// A classic Google-managed SSL certificate (`compute ssl-certificates`).
    #[default]
    Classic,
    /// Certificate Manager: DNS authorizations, Google-managed certificates and a certificate
    /// map.
    CertificateManager,
}

impl CertificateKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CertificateKind::Classic => "classic",
            CertificateKind::CertificateManager => "certificate-manager",
        }
    }
}

/// `loadBalancer.armor`: a Cloud Armor backend security policy (type `CLOUD_ARMOR`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Armor {
    /// An existing security policy in the project, by name: multirun attaches it and manages
    /// nothing else (no `rules`, `defaultAction` or `adaptiveProtection` then). Default: none,
    /// multirun generates a policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// The generated policy's rules, evaluated by priority (0 first); the first that matches
    /// decides.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<ArmorRule>,
    /// What the generated policy does with a request no rule matched (its default rule, priority
    /// 2147483647). Default: `allow`.
    #[serde(default)]
    pub default_action: ArmorAction,
    /// Adaptive Protection: Cloud Armor learns the normal traffic and alerts on layer-7 DDoS
    /// attacks (`layer7DdosDefenseConfig`). Default: `false`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub adaptive_protection: bool,
}

/// One rule of the generated Cloud Armor policy. It matches a preconfigured WAF rule set
/// (`waf`), a CEL `expression`, or source IP ranges (`srcIpRanges`): one of them, or none to
/// match every request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ArmorRule {
    /// Evaluation order, unique in the policy: 0 (first) to 2147483646 (2147483647 is the
    /// default rule's).
    pub priority: u32,
    /// What happens to a matching request: `allow`, `deny-403`, `deny-404`, `deny-502`,
    /// `throttle` or `rate-based-ban` (the last two need `rateLimit`).
    pub action: ArmorRuleAction,
    /// A note on the rule (at most 64 characters). Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(length(max = 64)))]
    pub description: Option<String>,
    /// A preconfigured WAF rule set (ModSecurity CRS 3.3), such as `sqli-v33-stable` or
    /// `xss-v33-stable`: the rule matches what it detects at `sensitivity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waf: Option<String>,
    /// The WAF rule set's sensitivity level, 0–4: higher levels add signatures that detect more
    /// and block more legitimate traffic (0 enables none). Default: 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 4)))]
    pub sensitivity: Option<u32>,
    /// A Cloud Armor custom rules language (CEL) expression, such as
    /// `request.path.matches('/admin/.*')`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    /// Source IP ranges in CIDR notation (`*` for every address).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub src_ip_ranges: Vec<String>,
    /// Rate limiting, for the `throttle` and `rate-based-ban` actions (and only for them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimit>,
    /// Preview mode: the rule is evaluated and logged, and its action is not enforced.
    /// Default: `false`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub preview: bool,
}

/// A Cloud Armor rule's rate limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RateLimit {
    /// Requests per key allowed within `intervalSec`.
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub count: u32,
    /// The window the requests are counted over, in seconds.
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub interval_sec: u32,
    /// The answer to requests over the limit. Default: `deny-429`.
    #[serde(default)]
    pub exceed_action: ExceedAction,
    /// What a client is: `ip` (its address), `all` (every client together), `xff-ip` (the first
    /// address in `X-Forwarded-For`), `user-ip`, `http-path` or `region-code`. Default: `ip`.
    #[serde(default)]
    pub enforce_on_key: EnforceOnKey,
    /// `rate-based-ban` only: seconds a client stays banned once it went over the limit.
    /// Default: none (banned while over the limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub ban_duration_sec: Option<u32>,
}

/// The default rule's action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub enum ArmorAction {
    #[default]
    #[serde(rename = "allow")]
    Allow,
    #[serde(rename = "deny-403")]
    Deny403,
    #[serde(rename = "deny-404")]
    Deny404,
    #[serde(rename = "deny-502")]
    Deny502,
}

impl ArmorAction {
    /// The API's spelling: `allow`, `deny(403)`...
    pub fn api(self) -> &'static str {
        match self {
            ArmorAction::Allow => "allow",
            ArmorAction::Deny403 => "deny(403)",
            ArmorAction::Deny404 => "deny(404)",
            ArmorAction::Deny502 => "deny(502)",
        }
    }
}

/// A Cloud Armor rule's action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub enum ArmorRuleAction {
    #[serde(rename = "allow")]
    Allow,
    #[serde(rename = "deny-403")]
    Deny403,
    #[serde(rename = "deny-404")]
    Deny404,
    #[serde(rename = "deny-502")]
    Deny502,
    /// Requests over `rateLimit` get `exceedAction`; the others pass.
    #[serde(rename = "throttle")]
    Throttle,
    /// Like `throttle`, and a client over the limit is banned for `banDurationSec`.
    #[serde(rename = "rate-based-ban")]
    RateBasedBan,
}

impl ArmorRuleAction {
    /// The API's spelling: `allow`, `deny(403)`, `throttle`, `rate_based_ban`.
    pub fn api(self) -> &'static str {
        match self {
            ArmorRuleAction::Allow => "allow",
            ArmorRuleAction::Deny403 => "deny(403)",
            ArmorRuleAction::Deny404 => "deny(404)",
            ArmorRuleAction::Deny502 => "deny(502)",
            ArmorRuleAction::Throttle => "throttle",
            ArmorRuleAction::RateBasedBan => "rate_based_ban",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ArmorRuleAction::Allow => "allow",
            ArmorRuleAction::Deny403 => "deny-403",
            ArmorRuleAction::Deny404 => "deny-404",
            ArmorRuleAction::Deny502 => "deny-502",
            ArmorRuleAction::Throttle => "throttle",
            ArmorRuleAction::RateBasedBan => "rate-based-ban",
        }
    }

    /// `throttle` and `rate-based-ban`: the actions that take rate-limit options.
    pub fn rate_limited(self) -> bool {
        matches!(
            self,
            ArmorRuleAction::Throttle | ArmorRuleAction::RateBasedBan
        )
    }
}

/// The answer to a request over a rate limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub enum ExceedAction {
    #[serde(rename = "deny-403")]
    Deny403,
    #[serde(rename = "deny-404")]
    Deny404,
    #[default]
    #[serde(rename = "deny-429")]
    Deny429,
    #[serde(rename = "deny-502")]
    Deny502,
}

impl ExceedAction {
    pub fn api(self) -> &'static str {
        match self {
            ExceedAction::Deny403 => "deny(403)",
            ExceedAction::Deny404 => "deny(404)",
            ExceedAction::Deny429 => "deny(429)",
            ExceedAction::Deny502 => "deny(502)",
        }
    }
}

/// What a rate limit counts requests by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum EnforceOnKey {
    #[default]
    Ip,
    All,
    XffIp,
    UserIp,
    HttpPath,
    RegionCode,
}

impl EnforceOnKey {
    /// The API's spelling: `IP`, `ALL`, `XFF_IP`...
    pub fn api(self) -> &'static str {
        match self {
            EnforceOnKey::Ip => "IP",
            EnforceOnKey::All => "ALL",
            EnforceOnKey::XffIp => "XFF_IP",
            EnforceOnKey::UserIp => "USER_IP",
            EnforceOnKey::HttpPath => "HTTP_PATH",
            EnforceOnKey::RegionCode => "REGION_CODE",
        }
    }
}

/// `loadBalancer.cdn`: Cloud CDN on the backend service(s).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Cdn {
    /// What gets cached: `CACHE_ALL_STATIC` (static content types, and what the origin marks
    /// cacheable), `USE_ORIGIN_HEADERS` (only what the origin's `Cache-Control` allows; no TTLs
    /// here) or `FORCE_CACHE_ALL` (every successful response, private ones included; no
    /// `maxTtl`). Default: `CACHE_ALL_STATIC`.
    #[serde(default)]
    pub cache_mode: CacheMode,
    /// Seconds a response without its own max-age is cached (0 to 31,622,400). Default: 3600
    /// (not with `USE_ORIGIN_HEADERS`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_ttl: Option<u32>,
    /// The most seconds any response is cached (0 to 31,622,400; `CACHE_ALL_STATIC` only).
    /// Default: 86400.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_ttl: Option<u32>,
    /// The most seconds browsers are told to cache (0 to 31,622,400; not with
    /// `USE_ORIGIN_HEADERS`). Default: 3600 under `CACHE_ALL_STATIC`, Cloud CDN's choice under
    /// `FORCE_CACHE_ALL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_ttl: Option<u32>,
    /// Negative caching: also cache error answers (404, 410, 5xx...) for a short time, with
    /// Cloud CDN's default TTLs per status code. Default: `false`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub negative_caching: bool,
}

/// Cloud CDN's cache mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CacheMode {
    #[default]
    CacheAllStatic,
    UseOriginHeaders,
    ForceCacheAll,
}

impl CacheMode {
    pub fn as_str(self) -> &'static str {
        match self {
            CacheMode::CacheAllStatic => "CACHE_ALL_STATIC",
            CacheMode::UseOriginHeaders => "USE_ORIGIN_HEADERS",
            CacheMode::ForceCacheAll => "FORCE_CACHE_ALL",
        }
    }
}

/// Cloud CDN's TTL defaults and limit (gcloud's `cdn_flags_utils`).
pub mod cdn_ttl {
    /// The largest TTL Cloud CDN takes: 366 days.
    pub const MAX: u32 = 31_622_400;
    pub const DEFAULT_TTL: u32 = 3600;
    pub const MAX_TTL: u32 = 86_400;
    pub const CLIENT_TTL: u32 = 3600;
}

impl Cdn {
    /// The default TTL written out: the spec's, else 3600, and none under `USE_ORIGIN_HEADERS`.
    pub fn effective_default_ttl(&self) -> Option<u32> {
        match self.cache_mode {
            CacheMode::UseOriginHeaders => None,
            _ => Some(self.default_ttl.unwrap_or(cdn_ttl::DEFAULT_TTL)),
        }
    }

    /// The max TTL written out: `CACHE_ALL_STATIC` only, the spec's or 86400.
    pub fn effective_max_ttl(&self) -> Option<u32> {
        match self.cache_mode {
            CacheMode::CacheAllStatic => Some(self.max_ttl.unwrap_or(cdn_ttl::MAX_TTL)),
            _ => None,
        }
    }

    /// The client TTL written out: the spec's, else 3600 under `CACHE_ALL_STATIC`; none under
    /// `USE_ORIGIN_HEADERS`.
    pub fn effective_client_ttl(&self) -> Option<u32> {
        match self.cache_mode {
            CacheMode::UseOriginHeaders => None,
            CacheMode::CacheAllStatic => Some(self.client_ttl.unwrap_or(cdn_ttl::CLIENT_TTL)),
            CacheMode::ForceCacheAll => self.client_ttl,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HealthCheck {
    /// HTTP path probed on each instance; must start with `/`. Default: `/`.
    #[serde(default = "defaults::health_path")]
    pub path: String,
    /// Port probed (1–65535). Default: `service.port`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u32>,
    /// Seconds between probes (1–300). Default: 10, Cloud Run's probe period.
    #[serde(default = "defaults::interval_seconds")]
    pub interval_seconds: u32,
    /// Seconds before a probe fails (1–300, at most `intervalSeconds`). Default: 1, Cloud Run's.
    #[serde(default = "defaults::probe_timeout_seconds")]
    pub timeout_seconds: u32,
    /// Consecutive successes before an instance counts as ready (1–10). Default: 1.
    #[serde(default = "defaults::healthy_threshold")]
    pub healthy_threshold: u32,
    /// Consecutive failures before an instance counts as failed (1–10): readiness then drains
    /// it; also the number of consecutive gateway failures (502, 503, 504) that eject a region
    /// under `nearest` routing. Default: 3, Cloud Run's.
    #[serde(default = "defaults::unhealthy_threshold")]
    pub unhealthy_threshold: u32,
    /// Seconds a new instance may take to start before Cloud Run stops it (1–240): the startup
    /// probe's window. Default: 240, the most Cloud Run allows, so slow starts (a JVM, a model
    /// load) are not killed.
    #[serde(default = "defaults::startup_seconds")]
    pub startup_seconds: u32,
    /// Path of the liveness probe, which restarts an instance that fails it. Default: `path`.
    /// Point it at an endpoint that checks only the process itself, so that a failing
    /// dependency makes readiness drain instances instead of liveness restarting them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_path: Option<String>,
    /// Consecutive liveness failures before Cloud Run restarts an instance (at least 1).
    /// Default: three times `unhealthyThreshold`, so readiness drains an instance well before
    /// liveness restarts it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub liveness_threshold: Option<u32>,
}

impl HealthCheck {
    /// The liveness probe's path: `livenessPath`, else `path`.
    pub fn liveness_path(&self) -> &str {
        self.liveness_path.as_deref().unwrap_or(&self.path)
    }

    /// The liveness probe's failure threshold: `livenessThreshold`, else three times
    /// `unhealthyThreshold`.
    pub fn liveness_threshold(&self) -> u32 {
        self.liveness_threshold
            .unwrap_or_else(|| self.unhealthy_threshold.saturating_mul(3))
    }
}

impl Default for HealthCheck {
    fn default() -> Self {
        HealthCheck {
            path: defaults::health_path(),
            port: None,
            interval_seconds: defaults::interval_seconds(),
            timeout_seconds: defaults::probe_timeout_seconds(),
            healthy_threshold: defaults::healthy_threshold(),
            unhealthy_threshold: defaults::unhealthy_threshold(),
            startup_seconds: defaults::startup_seconds(),
            liveness_path: None,
            liveness_threshold: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Build {
    /// Artifact Registry Docker repository the pipeline pushes to:
    /// `LOCATION-docker.pkg.dev/PROJECT/REPOSITORY`.
    pub repository: String,
    /// Dockerfile path, relative to `context`. Default: `Dockerfile`.
    #[serde(default = "defaults::dockerfile")]
    pub dockerfile: String,
    /// Build context directory. Default: `.`.
    #[serde(default = "defaults::context")]
    pub context: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Monitoring {
    /// The Cloud Monitoring dashboard.
    #[serde(default)]
    pub dashboard: Dashboard,
    /// Notification channels the alert policies notify, as full resource names
    /// (`projects/PROJECT/notificationChannels/ID`). Default: none (the incidents still show in
    /// the console).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notification_channels: Vec<String>,
}

/// A progressive rollout: waves of regions, canary steps within a wave, a bake at each step,
/// and gates read after each bake.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Rollout {
    /// Regions in rollout order, one list per wave: every region of the spec exactly once. A
    /// wave's regions move together. Default: the first region, then the rest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waves: Option<Vec<Vec<String>>>,
    /// Percentages of a wave's traffic on the new revision before it takes 100%: ascending
    /// integers from 1 to 99. `[]` goes straight to 100% after the bake. Default: `[10]`.
    #[serde(default = "defaults::canary")]
    pub canary: Vec<i64>,
    /// How long each step bakes before its gates are read, in whole minutes (`10m`, at least
    /// `1m`): also the window the gates read. Default: `10m`.
    #[serde(default = "defaults::bake")]
    pub bake: String,
    /// What the new revision must show after each bake.
    #[serde(default)]
    pub gates: Gates,
    /// Which engine drives the rollout: `gcloud` (`rollout.sh`, a gcloud and Cloud Monitoring
    /// API script) or `clouddeploy` (a Cloud Deploy pipeline). Default: `gcloud`.
    #[serde(default)]
    pub engine: RolloutEngine,
}

impl Default for Rollout {
    fn default() -> Self {
        Rollout {
            waves: None,
            canary: defaults::canary(),
            bake: defaults::bake(),
            gates: Gates::default(),
            engine: RolloutEngine::default(),
        }
    }
}

/// The rollout's gates, read for the new revision over each bake window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Gates {
    /// Highest share of 5xx responses among the new revision's requests over the bake window
    /// (0–1). Default: `0.01`.
    #[serde(default = "defaults::max_error_ratio")]
    #[cfg_attr(feature = "schema", schemars(range(min = 0.0, max = 1.0)))]
    pub max_error_ratio: f64,
    /// Highest p99 request latency of the new revision over the bake window, in milliseconds.
    /// Default: no latency gate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub max_latency_p99_ms: Option<u32>,
    /// Fewest requests the new revision must serve in a window for the gates to be read. With
    /// fewer, the gate waits another window, and fails after 3 windows. Default: `50`.
    #[serde(default = "defaults::min_requests")]
    pub min_requests: u32,
}

impl Default for Gates {
    fn default() -> Self {
        Gates {
            max_error_ratio: defaults::max_error_ratio(),
            max_latency_p99_ms: None,
            min_requests: defaults::min_requests(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum RolloutEngine {
    /// `rollout.sh`: a script of gcloud and Cloud Monitoring API calls.
    #[default]
    Gcloud,
    /// Cloud Deploy: a delivery pipeline with canary phases, analysis and automations.
    Clouddeploy,
}

impl RolloutEngine {
    pub fn as_str(self) -> &'static str {
        match self {
            RolloutEngine::Gcloud => "gcloud",
            RolloutEngine::Clouddeploy => "clouddeploy",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Dashboard {
    /// Dashboard title. Default: `<service name> (multi-region)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

mod defaults {
    pub fn port() -> u32 {
        8080
    }
    pub fn cpu() -> f64 {
        1.0
    }
    pub fn memory() -> String {
        "512Mi".into()
    }
    pub fn concurrency() -> u32 {
        80
    }
    pub fn timeout_seconds() -> u32 {
        300
    }
    pub fn max_instances() -> u32 {
        100
    }
    pub fn yes() -> bool {
        true
    }
    pub fn gpu_count() -> u32 {
        1
    }
    pub fn health_path() -> String {
        "/".into()
    }
    pub fn interval_seconds() -> u32 {
        10
    }
    pub fn probe_timeout_seconds() -> u32 {
        1
    }
    pub fn healthy_threshold() -> u32 {
        1
    }
    pub fn unhealthy_threshold() -> u32 {
        3
    }
    pub fn startup_seconds() -> u32 {
        240
    }
    pub fn dockerfile() -> String {
        "Dockerfile".into()
    }
    pub fn context() -> String {
        ".".into()
    }
    pub fn canary() -> Vec<i64> {
        vec![10]
    }
    pub fn bake() -> String {
        "10m".into()
    }
    pub fn max_error_ratio() -> f64 {
        0.01
    }
    pub fn min_requests() -> u32 {
        50
    }
}

impl Spec {
    /// Effective settings of one region: service-wide values with the region's overrides.
    pub fn min_instances(&self, region: &Region) -> u32 {
        region.min_instances.unwrap_or(self.service.min_instances)
    }

    pub fn max_instances(&self, region: &Region) -> u32 {
        region.max_instances.unwrap_or(self.service.max_instances)
    }

    /// Direct VPC egress subnet of one region: the region's own, else `service.vpc.subnet`.
    pub fn subnet<'a>(&'a self, region: &'a Region) -> Option<&'a str> {
        region.subnet.as_deref().or_else(|| {
            self.service
                .vpc
                .as_ref()
                .and_then(|vpc| vpc.subnet.as_deref())
        })
    }

    /// Where Identity-Aware Proxy sits, with its settings: on the Cloud Run service when
    /// `service.iap` is set, else on the backend service(s) when `loadBalancer.iap` is (rule
    /// `iap-on-service-and-load-balancer` refuses both).
    pub fn iap(&self) -> Option<(IapPlacement, &Iap)> {
        match (&self.service.iap, &self.load_balancer.iap) {
            (Some(iap), _) => Some((IapPlacement::Service, iap)),
            (None, Some(iap)) => Some((IapPlacement::LoadBalancer, iap)),
            (None, None) => None,
        }
    }

    /// Whether Cloud CDN is on for the backend service(s) (`loadBalancer.cdn`).
    pub fn cdn_enabled(&self) -> bool {
        self.load_balancer.cdn.is_some()
    }

    pub fn health_port(&self) -> u32 {
        self.health_check.port.unwrap_or(self.service.port)
    }

    /// The rollout's waves as written, or the default: the first region, then the rest.
    pub fn rollout_waves(&self) -> Vec<Vec<String>> {
        if let Some(waves) = self.rollout.as_ref().and_then(|r| r.waves.clone()) {
            return waves;
        }
        let mut first: Vec<String> = self.regions.iter().map(|r| r.name.clone()).collect();
        match first.len() {
            0 => Vec::new(),
            1 => vec![first],
            _ => {
                let rest = first.split_off(1);
                vec![first, rest]
            }
        }
    }

    pub fn dashboard_title(&self) -> String {
        self.monitoring
            .dashboard
            .title
            .clone()
            .unwrap_or_else(|| format!("{} (multi-region)", self.service.name))
    }
}
