//! Least-privilege identities (`identities`): the one home of the IAM policy. [`POLICY`] lists
//! every role multirun may grant, to whom, on what, when, and the source of the fact; [`plan`]
//! picks the entries a spec's settings need. deploy.sh, teardown.sh, Terraform, cloudbuild.yaml,
//! the printed summary and `multirun explain identities` all read the same plan, so they agree.
//!
//! Three identities:
//! - the **runtime** service account the Cloud Run service runs as (`SERVICE-runtime`, or the
//!   spec's `service.serviceAccount`): no role to serve requests, read access to each secret;
//! - the **build** service account `cloudbuild.yaml` runs as (`SERVICE-build`): deploy to Cloud
//!   Run, act as the runtime account, write logs, push the image;
//! - the **deployer**, whoever runs deploy.sh and teardown.sh (`identities.deployers`).
//!
//! Facts not confirmed from a primary source are marked `verified: false`: they are still the
//! roles the steps need as far as known, and every output says so next to them.

use crate::gcp::artifact_registry::Repository;
use crate::gcp::secrets;
use crate::spec::{RolloutEngine, Spec};

/// The runtime service account multirun creates: `SERVICE-runtime`.
pub const RUNTIME_SUFFIX: &str = "-runtime";
/// The Cloud Build service account multirun creates: `SERVICE-build`.
pub const BUILD_SUFFIX: &str = "-build";
/// The Cloud Deploy execution service account clouddeploy/setup.sh creates: `SERVICE-deployer`.
pub const EXECUTION_SUFFIX: &str = "-deployer";
/// Service account IDs are 6 to 30 characters.
pub const ACCOUNT_ID_MAX: usize = 30;

/// Who gets a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal {
    Runtime,
    Build,
    Deployer,
}

impl Principal {
    pub fn as_str(self) -> &'static str {
        match self {
            Principal::Runtime => "runtime",
            Principal::Build => "build",
            Principal::Deployer => "deployer",
        }
    }
}

/// What a role is granted on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The spec's project.
    Project,
    /// One secret: `NAME`, or `projects/NUMBER/secrets/NAME` in another project.
    Secret(String),
    /// The runtime service account (`iam.serviceAccounts.actAs`).
    RuntimeAccount,
    /// The Cloud Deploy execution service account (`SERVICE-deployer`, clouddeploy/setup.sh).
    ExecutionAccount,
    /// The Artifact Registry repository of `build.repository`.
    Repository {
        project: String,
        location: String,
        repository: String,
    },
}

/// When a policy entry applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Always,
    /// `identities.create`: multirun creates the accounts.
    Create,
    /// `identities.create` and `build`: the build pushes an image.
    CreateAndBuild,
    /// `service.secrets` has any secret.
    Secrets,
    /// `build` is set (the deployer grants the build account on the repository).
    CreateAndBuildRepository,
    /// `loadBalancer.armor` is set.
    Armor,
    /// No `loadBalancer.armor`.
    NoArmor,
    /// `service.iap` or `loadBalancer.iap`.
    Iap,
    /// `rollout.engine: clouddeploy`.
    CloudDeploy,
    /// `identities.create` and `rollout.engine: clouddeploy`: clouddeploy/cloudbuild.yaml runs as
    /// the build account.
    CreateAndCloudDeploy,
}

impl When {
    fn holds(self, spec: &Spec) -> bool {
        let create = spec.identities.as_ref().is_some_and(|i| i.create);
        let clouddeploy = spec
            .rollout
            .as_ref()
            .is_some_and(|r| r.engine == RolloutEngine::Clouddeploy);
        match self {
            When::Always => true,
            When::Create => create,
            When::CreateAndBuild | When::CreateAndBuildRepository => {
                create && build_repository(spec).is_some()
            }
            When::Secrets => !spec.service.secrets.is_empty(),
            When::Armor => spec.load_balancer.armor.is_some(),
            When::NoArmor => spec.load_balancer.armor.is_none(),
            When::Iap => spec.iap().is_some(),
            When::CloudDeploy => clouddeploy,
            When::CreateAndCloudDeploy => create && clouddeploy,
        }
    }

    /// The condition in words, for the policy table.
    pub fn describe(self) -> &'static str {
        match self {
            When::Always => "always",
            When::Create => "`identities.create`",
            When::CreateAndBuild | When::CreateAndBuildRepository => {
                "`identities.create` with `build`"
            }
            When::Secrets => "`service.secrets`",
            When::Armor => "`loadBalancer.armor`",
            When::NoArmor => "no `loadBalancer.armor`",
            When::Iap => "`service.iap` or `loadBalancer.iap`",
            When::CloudDeploy => "`rollout.engine: clouddeploy`",
            When::CreateAndCloudDeploy => "`identities.create` with `rollout.engine: clouddeploy`",
        }
    }
}

/// What a policy entry is granted on, before a spec fills it in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    Project,
    /// Each secret of `service.secrets`.
    EachSecret,
    RuntimeAccount,
    ExecutionAccount,
    Repository,
}

impl ScopeKind {
    pub fn describe(self) -> &'static str {
        match self {
            ScopeKind::Project => "the project",
            ScopeKind::EachSecret => "each secret",
            ScopeKind::RuntimeAccount => "the runtime service account",
            ScopeKind::ExecutionAccount => "the Cloud Deploy execution service account",
            ScopeKind::Repository => "the build repository",
        }
    }
}

/// One line of the policy.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub principal: Principal,
    pub role: &'static str,
    pub scope: ScopeKind,
    pub when: When,
    /// What the role is for.
    pub why: &'static str,
    pub source: &'static str,
    /// Whether the fact was confirmed from the source (else it is the best known, and says so).
    pub verified: bool,
}

const SECRETS_DOC: &str = "https://cloud.google.com/run/docs/configuring/services/secrets";
const RUN_ROLES_DOC: &str = "https://cloud.google.com/run/docs/reference/iam/roles";
const SERVICE_IDENTITY_DOC: &str =
    "https://cloud.google.com/run/docs/configuring/services/service-identity";
const BUILD_ACCOUNT_DOC: &str =
    "https://cloud.google.com/run/docs/configuring/services/build-service-account";
const BUILD_DEPLOY_DOC: &str =
    "https://cloud.google.com/build/docs/deploying-builds/deploy-cloud-run";
const ARMOR_DOC: &str = "https://cloud.google.com/armor/docs/create-security-policies";
const IAP_DOC: &str = "https://cloud.google.com/run/docs/securing/identity-aware-proxy-cloud-run";
const SERVERLESS_LB_DOC: &str =
    "https://cloud.google.com/load-balancing/docs/https/setting-up-https-serverless";
const MONITORING_DOC: &str = "https://cloud.google.com/monitoring/access-control";
const CLOUD_DEPLOY_DOC: &str = "https://cloud.google.com/deploy/docs/iam-roles-permissions";
const CLOUD_DEPLOY_ACCOUNTS_DOC: &str =
    "https://cloud.google.com/deploy/docs/cloud-deploy-service-account";
const IAM_DOC: &str = "https://cloud.google.com/iam/docs/service-accounts-create";

macro_rules! entry {
    ($principal:ident, $role:literal, $scope:ident, $when:ident, $why:literal, $source:expr, $verified:literal) => {
        Entry {
            principal: Principal::$principal,
            role: $role,
            scope: ScopeKind::$scope,
            when: When::$when,
            why: $why,
            source: $source,
            verified: $verified,
        }
    };
}

/// Every role multirun grants or asks for, in the order the summary prints them.
pub const POLICY: &[Entry] = &[
    // The runtime account needs no role to serve requests; it reads its secrets.
    entry!(
        Runtime,
        "roles/secretmanager.secretAccessor",
        EachSecret,
        Secrets,
        "read the secret's versions (Cloud Run checks it at deploy time)",
        SECRETS_DOC,
        true
    ),
    // The build account deploys with `gcloud run deploy` (cloudbuild.yaml).
    entry!(
        Build,
        "roles/run.admin",
        Project,
        Create,
        "deploy the services, and set the invoker IAM check",
        BUILD_DEPLOY_DOC,
        true
    ),
    entry!(
        Build,
        "roles/iam.serviceAccountUser",
        RuntimeAccount,
        Create,
        "deploy revisions that run as the runtime service account",
        BUILD_DEPLOY_DOC,
        true
    ),
    entry!(
        Build,
        "roles/logging.logWriter",
        Project,
        Create,
        "write the build's logs (options.logging: CLOUD_LOGGING_ONLY)",
        BUILD_ACCOUNT_DOC,
        true
    ),
    entry!(
        Build,
        "roles/artifactregistry.writer",
        Repository,
        CreateAndBuild,
        "push the image",
        BUILD_ACCOUNT_DOC,
        true
    ),
    // With Cloud Deploy, clouddeploy/cloudbuild.yaml runs as the build account too and creates a
    // release (`gcloud deploy releases create`) instead of deploying.
    entry!(
        Build,
        "roles/clouddeploy.releaser",
        Project,
        CreateAndCloudDeploy,
        "create the Cloud Deploy release (clouddeploy/cloudbuild.yaml)",
        CLOUD_DEPLOY_DOC,
        true
    ),
    entry!(
        Build,
        "roles/iam.serviceAccountUser",
        ExecutionAccount,
        CreateAndCloudDeploy,
        "create releases whose render and deploy run as the execution service account",
        CLOUD_DEPLOY_ACCOUNTS_DOC,
        true
    ),
    entry!(
        Build,
        "roles/storage.admin",
        Project,
        CreateAndCloudDeploy,
        "gcloud deploy releases create makes the staging bucket PROJECT_clouddeploy if missing and uploads the source to it",
        CLOUD_DEPLOY_ACCOUNTS_DOC,
        false
    ),
    // The deployer runs deploy.sh and teardown.sh.
    entry!(
        Deployer,
        "roles/run.admin",
        Project,
        Always,
        "deploy the services, set their IAM policy and invoker check (not in run.developer)",
        RUN_ROLES_DOC,
        true
    ),
    entry!(
        Deployer,
        "roles/iam.serviceAccountUser",
        RuntimeAccount,
        Always,
        "deploy services that run as the runtime service account",
        SERVICE_IDENTITY_DOC,
        true
    ),
    entry!(
        Deployer,
        "roles/compute.networkAdmin",
        Project,
        NoArmor,
        "create the NEGs, backend services, URL maps, proxies, forwarding rules and address",
        SERVERLESS_LB_DOC,
        false
    ),
    entry!(
        Deployer,
        "roles/compute.securityAdmin",
        Project,
        NoArmor,
        "create the SSL certificates",
        SERVERLESS_LB_DOC,
        false
    ),
    entry!(
        Deployer,
        "roles/compute.networkAdmin",
        Project,
        Armor,
        "create the load balancer, and attach the Cloud Armor policy (setSecurityPolicy)",
        ARMOR_DOC,
        true
    ),
    entry!(
        Deployer,
        "roles/compute.securityAdmin",
        Project,
        Armor,
        "create the Cloud Armor policy and the SSL certificates",
        ARMOR_DOC,
        true
    ),
    entry!(
        Deployer,
        "roles/iap.admin",
        Project,
        Iap,
        "turn on IAP and grant who may sign in",
        IAP_DOC,
        true
    ),
    entry!(
        Deployer,
        "roles/secretmanager.admin",
        EachSecret,
        Secrets,
        "grant the runtime service account read access to the secret",
        SECRETS_DOC,
        false
    ),
    entry!(
        Deployer,
        "roles/monitoring.editor",
        Project,
        Always,
        "create the dashboard, alert policies and uptime checks",
        MONITORING_DOC,
        false
    ),
    entry!(
        Deployer,
        "roles/serviceusage.serviceUsageAdmin",
        Project,
        Always,
        "enable the APIs deploy.sh uses",
        RUN_ROLES_DOC,
        false
    ),
    entry!(
        Deployer,
        "roles/iam.serviceAccountAdmin",
        Project,
        Create,
        "create and delete the runtime and build service accounts",
        IAM_DOC,
        false
    ),
    entry!(
        Deployer,
        "roles/resourcemanager.projectIamAdmin",
        Project,
        Create,
        "grant the build service account its project roles",
        IAM_DOC,
        false
    ),
    entry!(
        Deployer,
        "roles/artifactregistry.repoAdmin",
        Repository,
        CreateAndBuildRepository,
        "grant the build service account push access to the repository",
        BUILD_ACCOUNT_DOC,
        false
    ),
    entry!(
        Deployer,
        "roles/clouddeploy.admin",
        Project,
        CloudDeploy,
        "apply the Cloud Deploy pipeline (clouddeploy/setup.sh)",
        CLOUD_DEPLOY_DOC,
        false
    ),
];

/// A service account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub email: String,
    /// The account ID when multirun creates the account; `None` for one the spec names.
    pub created_id: Option<String>,
}

/// One grant of a spec: an entry with its scope filled in.
#[derive(Debug, Clone)]
pub struct Grant {
    pub entry: &'static Entry,
    pub scope: Scope,
}

/// The identities of one spec.
#[derive(Debug, Clone)]
pub struct Plan {
    /// `None`: the Compute Engine default service account (its email needs the project number).
    pub runtime: Option<Account>,
    /// `None`: Cloud Build's default service account, which multirun does not manage.
    pub build: Option<Account>,
    /// The Cloud Deploy execution service account's email (clouddeploy/setup.sh creates it).
    pub execution: String,
    pub deployers: Vec<String>,
    pub grants: Vec<Grant>,
}

/// A service account ID from the service name and a suffix, cut to 30 characters. Service names
/// start with a letter and hold lowercase letters, digits and hyphens, and the suffixes are
/// long enough for the 6-character minimum.
pub fn account_id(service: &str, suffix: &str) -> String {
    let keep = ACCOUNT_ID_MAX - suffix.len();
    let prefix: String = service.chars().take(keep).collect();
    format!("{}{suffix}", prefix.trim_end_matches('-'))
}

pub fn email(account_id: &str, project: &str) -> String {
    format!("{account_id}@{project}.iam.gserviceaccount.com")
}

fn build_repository(spec: &Spec) -> Option<Repository<'_>> {
    Repository::parse(&spec.build.as_ref()?.repository).ok()
}

/// The identities the spec's settings need; `None` without `identities`.
pub fn plan(spec: &Spec) -> Option<Plan> {
    let identities = spec.identities.as_ref()?;
    let project = spec.project.as_str();
    let service = spec.service.name.as_str();
    let runtime = match (&spec.service.service_account, identities.create) {
        (Some(email), _) => Some(Account {
            email: email.clone(),
            created_id: None,
        }),
        (None, true) => {
            let id = account_id(service, RUNTIME_SUFFIX);
            Some(Account {
                email: email(&id, project),
                created_id: Some(id),
            })
        }
        (None, false) => None,
    };
    let build = identities.create.then(|| {
        let id = account_id(service, BUILD_SUFFIX);
        Account {
            email: email(&id, project),
            created_id: Some(id),
        }
    });
    let mut secrets_used: Vec<String> = Vec::new();
    for reference in spec
        .service
        .secrets
        .env
        .values()
        .chain(spec.service.secrets.files.values())
    {
        if let Some(name) = secrets::parse(&reference.secret) {
            let resource = name.resource();
            if !secrets_used.contains(&resource) {
                secrets_used.push(resource);
            }
        }
    }
    let mut grants = Vec::new();
    for entry in POLICY.iter().filter(|e| e.when.holds(spec)) {
        match entry.scope {
            ScopeKind::Project => grants.push(Grant {
                entry,
                scope: Scope::Project,
            }),
            ScopeKind::RuntimeAccount => grants.push(Grant {
                entry,
                scope: Scope::RuntimeAccount,
            }),
            ScopeKind::ExecutionAccount => grants.push(Grant {
                entry,
                scope: Scope::ExecutionAccount,
            }),
            ScopeKind::EachSecret => grants.extend(secrets_used.iter().map(|s| Grant {
                entry,
                scope: Scope::Secret(s.clone()),
            })),
            ScopeKind::Repository => {
                if let Some(repository) = build_repository(spec) {
                    grants.push(Grant {
                        entry,
                        scope: Scope::Repository {
                            project: repository.project.to_string(),
                            location: repository.location.to_string(),
                            repository: repository.repository.to_string(),
                        },
                    });
                }
            }
        }
    }
    Some(Plan {
        runtime,
        build,
        execution: email(&account_id(service, EXECUTION_SUFFIX), project),
        deployers: identities.deployers.clone(),
        grants,
    })
}

impl Plan {
    /// The grants of one principal.
    pub fn of(&self, principal: Principal) -> impl Iterator<Item = &Grant> {
        self.grants
            .iter()
            .filter(move |g| g.entry.principal == principal)
    }

    /// The summary deploy.sh prints: one line per grant, who gets what on what and why, with
    /// the unconfirmed ones marked.
    pub fn summary(&self) -> Vec<String> {
        let runtime = self.runtime.as_ref().map_or(
            "the Compute Engine default service account".to_string(),
            |a| a.email.clone(),
        );
        let build = self.build.as_ref().map(|a| a.email.clone());
        let deployers = if self.deployers.is_empty() {
            "whoever runs deploy.sh".to_string()
        } else {
            self.deployers.join(", ")
        };
        let mut lines = Vec::new();
        for principal in [Principal::Runtime, Principal::Build, Principal::Deployer] {
            let who = match principal {
                Principal::Runtime => format!("Runtime service account {runtime}"),
                Principal::Build => match &build {
                    Some(email) => format!("Cloud Build service account {email}"),
                    None => continue,
                },
                Principal::Deployer => format!("Deployer ({deployers})"),
            };
            let grants: Vec<&Grant> = self.of(principal).collect();
            if grants.is_empty() {
                lines.push(format!("{who}: no role (none needed to serve requests)"));
                continue;
            }
            lines.push(format!("{who}:"));
            for grant in grants {
                let on = match &grant.scope {
                    Scope::Project => "project".to_string(),
                    Scope::Secret(secret) => format!("secret {secret}"),
                    Scope::RuntimeAccount => format!("service account {runtime}"),
                    Scope::ExecutionAccount => format!("service account {}", self.execution),
                    Scope::Repository {
                        location,
                        repository,
                        ..
                    } => format!("repository {repository} ({location})"),
                };
                let mark = if grant.entry.verified {
                    ""
                } else {
                    " [unverified]"
                };
                lines.push(format!(
                    "  {} on {on}: {}{mark}",
                    grant.entry.role, grant.entry.why
                ));
            }
        }
        lines
    }
}

/// Every role the policy may give `principal` on `scope`, whatever the settings, each once.
pub fn policy_roles(principal: Principal, scope: ScopeKind) -> Vec<&'static str> {
    let mut roles: Vec<&'static str> = Vec::new();
    for entry in POLICY
        .iter()
        .filter(|e| e.principal == principal && e.scope == scope)
    {
        if !roles.contains(&entry.role) {
            roles.push(entry.role);
        }
    }
    roles
}

/// The whole policy as a Markdown table, for `multirun explain identities`.
pub fn policy_table() -> String {
    let mut text = String::from(
        "Roles by identity (the spec's settings pick the rows; [unverified]: not confirmed from a primary source):\n\n| Identity | Role | On | When | For | Source |\n|---|---|---|---|---|---|\n",
    );
    for entry in POLICY {
        text.push_str(&format!(
            "| {} | `{}` | {} | {} | {}{} | {} |\n",
            entry.principal.as_str(),
            entry.role,
            entry.scope.describe(),
            entry.when.describe(),
            entry.why,
            if entry.verified { "" } else { " [unverified]" },
            entry.source,
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(extra: &str) -> Spec {
        let yaml = format!(
            "version: 1\nproject: my-project\nservice:\n  name: my-app\n  image: us-docker.pkg.dev/my-project/apps/my-app:v1\n{extra}regions:\n  - name: us-central1\nloadBalancer:\n  domains: [app.example.com]\n"
        );
        crate::check(&yaml, "t.yaml").spec.expect("spec parses")
    }

    fn roles(plan: &Plan, principal: Principal) -> Vec<(&'static str, Scope)> {
        plan.of(principal)
            .map(|g| (g.entry.role, g.scope.clone()))
            .collect()
    }

    #[test]
    fn account_ids_fit_the_30_character_limit() {
        assert_eq!(account_id("my-app", RUNTIME_SUFFIX), "my-app-runtime");
        assert_eq!(account_id("a", BUILD_SUFFIX), "a-build");
        let long = account_id(&"abcdefghij-".repeat(4), RUNTIME_SUFFIX);
        assert!(long.len() <= ACCOUNT_ID_MAX, "{long}");
        assert!(!long.contains("--"), "{long}");
    }

    #[test]
    fn no_identities_no_plan() {
        assert!(plan(&spec("")).is_none());
    }

    #[test]
    fn runtime_reads_each_secret_once_and_nothing_else() {
        let s = spec("  secrets:\n    env: {A: {secret: db, version: '1'}, B: {secret: db, version: '2'}}\n    files: {/s/k: {secret: projects/123/secrets/key, version: latest}}\nidentities: {create: true}\n");
        let plan = plan(&s).unwrap();
        assert_eq!(
            plan.runtime.as_ref().unwrap().email,
            "my-app-runtime@my-project.iam.gserviceaccount.com"
        );
        assert_eq!(
            roles(&plan, Principal::Runtime),
            vec![
                (
                    "roles/secretmanager.secretAccessor",
                    Scope::Secret("db".into())
                ),
                (
                    "roles/secretmanager.secretAccessor",
                    Scope::Secret("projects/123/secrets/key".into())
                ),
            ]
        );
    }

    #[test]
    fn the_build_account_pushes_only_with_a_build_repository() {
        let without = plan(&spec("identities: {create: true}\n")).unwrap();
        let build_roles: Vec<_> = roles(&without, Principal::Build)
            .into_iter()
            .map(|(r, _)| r)
            .collect();
        assert_eq!(
            build_roles,
            [
                "roles/run.admin",
                "roles/iam.serviceAccountUser",
                "roles/logging.logWriter"
            ]
        );
        let with = plan(&spec(
            "build: {repository: us-docker.pkg.dev/my-project/apps}\nidentities: {create: true}\n",
        ))
        .unwrap();
        assert!(roles(&with, Principal::Build).contains(&(
            "roles/artifactregistry.writer",
            Scope::Repository {
                project: "my-project".into(),
                location: "us".into(),
                repository: "apps".into()
            }
        )));
    }

    #[test]
    fn with_cloud_deploy_the_build_account_creates_releases() {
        let gcloud = plan(&spec("identities: {create: true}\n")).unwrap();
        assert!(!roles(&gcloud, Principal::Build)
            .contains(&("roles/clouddeploy.releaser", Scope::Project)));
        let s = spec("identities: {create: true}\nrollout: {engine: clouddeploy}\n");
        let plan = plan(&s).unwrap();
        assert_eq!(
            plan.execution,
            "my-app-deployer@my-project.iam.gserviceaccount.com"
        );
        let build = roles(&plan, Principal::Build);
        assert!(build.contains(&("roles/clouddeploy.releaser", Scope::Project)));
        assert!(build.contains(&("roles/iam.serviceAccountUser", Scope::ExecutionAccount)));
        assert!(build.contains(&("roles/storage.admin", Scope::Project)));
        assert!(plan.summary().iter().any(
            |l| l.contains("roles/iam.serviceAccountUser on service account my-app-deployer@")
        ));
    }

    #[test]
    fn a_named_runtime_account_is_used_not_created() {
        let s = spec(
            "  serviceAccount: app@my-project.iam.gserviceaccount.com\nidentities: {create: true}\n",
        );
        let plan = plan(&s).unwrap();
        let runtime = plan.runtime.unwrap();
        assert_eq!(runtime.email, "app@my-project.iam.gserviceaccount.com");
        assert_eq!(runtime.created_id, None);
        assert!(plan.build.unwrap().created_id.is_some());
    }

    #[test]
    fn deployer_roles_follow_the_settings() {
        let plain = plan(&spec(
            "identities: {deployers: ['group:ops@example.com']}\n",
        ))
        .unwrap();
        let deployer: Vec<_> = roles(&plain, Principal::Deployer)
            .into_iter()
            .map(|(r, _)| r)
            .collect();
        assert!(deployer.contains(&"roles/run.admin"));
        assert!(!deployer.contains(&"roles/iap.admin"));
        assert!(!deployer.contains(&"roles/iam.serviceAccountAdmin"));
        assert!(plain.build.is_none(), "nothing is created without create");
        assert!(plain.summary().iter().any(|l| l.contains("[unverified]")));
    }

    #[test]
    fn the_policy_table_lists_every_entry() {
        let table = policy_table();
        assert_eq!(
            table.lines().filter(|l| l.starts_with("| ")).count(),
            POLICY.len() + 1
        );
    }
}
