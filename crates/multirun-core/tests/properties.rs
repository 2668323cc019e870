//! A short, seeded property run (fixed case count): mutated specs never panic the core,
//! whatever renders still parses in its own language, and the direct renderer writes the same
//! bytes as the handlebars crate.
//!
//! JSON, YAML and SVG are parsed here. With `MULTIRUN_RENDER_DUMP=DIR`, the outputs of up to
//! `DUMPED_SPECS` distinct specs are also written to `DIR/property-N/`, where `tests/run.sh`
//! runs the generators' real-tool checks on them (HashiCorp's HCL parser and the provider
//! schema, the Monitoring dashboard types, Mermaid's parser, bash -n and shellcheck).

use std::collections::HashSet;
use std::sync::Mutex;

use multirun_core::render::{render, Engine, RenderOptions, RenderedFile};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use serde::Deserialize;

const REFERENCE: &str = include_str!("../../../examples/nearest.yaml");
/// Every field of the spec, the production settings (runtime, secrets) included.
const KITCHEN_SINK: &str = include_str!("../../../examples/kitchen-sink.yaml");

/// Values chosen to break naive escaping in every output language.
const HOSTILE: &[&str] = &[
    "'", "\"", "$(id)", "`id`", "${x}", "%{y}", "\\", "\n", "a: b", "# c", "{{d}}", "</svg>",
    "-->", "é✓", "\u{0}", "&amp;", "]]>",
];

/// How many distinct specs' outputs a dump holds: enough variety for the real tools, few enough
/// that checking them stays within seconds.
const DUMPED_SPECS: usize = 40;

fn config() -> Config {
    Config {
        cases: 300,
        rng_seed: RngSeed::Fixed(0x6d75_6c74),
        failure_persistence: None,
        ..Config::default()
    }
}

/// Every generated file must still parse as what it claims to be, and be the same through
/// either engine.
fn assert_outputs_parse(spec: &multirun_core::Spec) {
    let files = render(spec, &RenderOptions::default()).expect("a checked spec renders");
    let reference = render(
        spec,
        &RenderOptions {
            engine: Engine::Handlebars,
            ..RenderOptions::default()
        },
    )
    .expect("a checked spec renders");
    assert_eq!(
        files, reference,
        "the direct renderer and the handlebars crate differ"
    );
    dump(&files);
    for file in files {
        if file.path.ends_with(".svg") {
            roxmltree::Document::parse(&file.contents)
                .unwrap_or_else(|e| panic!("{}: {e}", file.path));
        }
        if file.path.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(&file.contents)
                .unwrap_or_else(|e| panic!("{}: {e}", file.path));
        } else if file.path.ends_with(".yaml") {
            // clouddeploy.yaml holds several documents: parse each.
            for document in serde_yaml::Deserializer::from_str(&file.contents) {
                serde_yaml::Value::deserialize(document)
                    .unwrap_or_else(|e| panic!("{}: {e}", file.path));
            }
        }
    }
}

/// Writes `files` under `MULTIRUN_RENDER_DUMP` when that is set, for the first `DUMPED_SPECS`
/// distinct renders (by their deploy script and dashboard title, which the mutations change).
fn dump(files: &[RenderedFile]) {
    static SEEN: Mutex<Option<HashSet<String>>> = Mutex::new(None);
    let Some(dir) = std::env::var_os("MULTIRUN_RENDER_DUMP") else {
        return;
    };
    let key: String = files
        .iter()
        .filter(|f| f.path == "deploy.sh" || f.path == "dashboard.json")
        .map(|f| f.contents.as_str())
        .collect();
    let mut seen = SEEN.lock().unwrap();
    let seen = seen.get_or_insert_with(HashSet::new);
    if seen.len() >= DUMPED_SPECS || !seen.insert(key) {
        return;
    }
    let case = std::path::Path::new(&dir).join(format!("property-{}", seen.len()));
    for file in files {
        let target = case.join(&file.path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, &file.contents).unwrap();
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_edits_never_panic(cut in 0usize..REFERENCE.len(), insert in "\\PC{0,12}") {
        let mut source = REFERENCE.to_string();
        let at = (0..=cut).rev().find(|i| source.is_char_boundary(*i)).unwrap_or(0);
        source.insert_str(at, &insert);
        let checked = multirun_core::check(&source, "mutated.yaml");
        if let (Some(spec), false) = (checked.spec.as_ref(), checked.has_errors()) {
            assert_outputs_parse(spec);
        }
    }

    #[test]
    fn arbitrary_edits_of_every_field_never_panic(cut in 0usize..KITCHEN_SINK.len(), insert in "\\PC{0,12}") {
        let mut source = KITCHEN_SINK.to_string();
        let at = (0..=cut).rev().find(|i| source.is_char_boundary(*i)).unwrap_or(0);
        source.insert_str(at, &insert);
        let checked = multirun_core::check(&source, "mutated.yaml");
        if let (Some(spec), false) = (checked.spec.as_ref(), checked.has_errors()) {
            assert_outputs_parse(spec);
        }
    }

    /// The runtime, secret, VPC and GPU settings in their combinations, with hostile secret
    /// keys and paths: never a panic, and what renders parses.
    #[test]
    fn production_settings_combine(
        cpu in proptest::sample::select(&["0.5", "1", "2"][..]),
        always in any::<bool>(),
        boost in any::<bool>(),
        environment in proptest::sample::select(&["", "gen1", "gen2"][..]),
        affinity in any::<bool>(),
        secret in proptest::sample::select(&["db-password", "projects/123456789012/secrets/x_y", "projects/p/secrets/x", "a b"][..]),
        version in proptest::sample::select(&["1", "latest", "\"0\"", "a:b", "7"][..]),
        file in proptest::sample::select(HOSTILE),
        directory in proptest::sample::select(&["/secrets", "/etc/app", "", "/"][..]),
        var in proptest::sample::select(&["API_KEY", "LOG_LEVEL", "CLOUD_RUN_REGION"][..]),
        vpc in proptest::sample::select(&[
            "",
            "  vpc: {network: my-vpc}\n",
            "  vpc: {network: my-vpc, subnet: run-egress, networkTags: [a, \"$(id)\"], egress: all-traffic}\n",
            "  vpc: {subnet: projects/p/regions/us-central1/subnetworks/s}\n",
            "  vpc: {connector: run-connector}\n",
            "  vpc: {connector: run-connector, network: n}\n",
        ][..]),
        gpu in proptest::sample::select(&["", "  gpu: {type: nvidia-l4}\n", "  gpu: {count: 2, zonalRedundancy: false}\n"][..]),
    ) {
        let mut service = format!(
            "  cpu: {cpu}\n  concurrency: 1\n  cpuAlwaysAllocated: {always}\n  startupCpuBoost: {boost}\n  sessionAffinity: {affinity}\n"
        );
        if !environment.is_empty() {
            service.push_str(&format!("  executionEnvironment: {environment}\n"));
        }
        let path = serde_json::to_string(&format!("{directory}/{file}")).unwrap();
        service.push_str(&format!(
            "  secrets:\n    env:\n      {var}: {{secret: {secret:?}, version: {version}}}\n    files:\n      {path}: {{secret: {secret:?}, version: {version}}}\n      /secrets/other: {{secret: db-password, version: latest}}\n"
        ));
        service.push_str(vpc);
        service.push_str(gpu);
        let source = REFERENCE.replace("  cpu: 1\n", &service);
        let checked = multirun_core::check(&source, "combined.yaml");
        if let (Some(spec), false) = (checked.spec.as_ref(), checked.has_errors()) {
            assert_outputs_parse(spec);
        }
    }

    /// Identity-Aware Proxy on the service, on the load balancer or on both, public or not,
    /// under either routing, with hostile members: never a panic, and what renders parses.
    #[test]
    fn iap_settings_combine(
        member in proptest::sample::select(HOSTILE),
        kind in proptest::sample::select(&["user:", "group:", "domain:", "serviceAccount:", ""][..]),
        on_service in any::<bool>(),
        on_load_balancer in any::<bool>(),
        public in any::<bool>(),
        weighted in any::<bool>(),
    ) {
        let members = serde_json::to_string(&[format!("{kind}{member}"), "group:admins@example.com".to_string()]).unwrap();
        let iap = format!("  iap: {{members: {members}}}\n");
        let mut source = REFERENCE.replace("  public: true\n", &format!("  public: {public}\n{}", if on_service { iap.as_str() } else { "" }));
        if on_load_balancer {
            source = source.replace("loadBalancer:\n", &format!("loadBalancer:\n{iap}"));
        }
        if weighted {
            source = source.replace("routing: nearest", "routing: weighted");
        }
        let checked = multirun_core::check(&source, "iap.yaml");
        if let (Some(spec), false) = (checked.spec.as_ref(), checked.has_errors()) {
            assert_outputs_parse(spec);
        }
    }

    /// `identities` in its combinations (accounts created or named, deployers, secrets, a build
    /// repository), with hostile deployers and runtime accounts: never a panic, and what renders
    /// parses.
    #[test]
    fn identities_settings_combine(
        create in any::<bool>(),
        member in proptest::sample::select(HOSTILE),
        kind in proptest::sample::select(&["user:", "group:", "principal:", ""][..]),
        account in proptest::sample::select(&["", "app-runtime@my-project.iam.gserviceaccount.com", "$(id)@x.iam.gserviceaccount.com", "a\"b"][..]),
        secrets in any::<bool>(),
        build in any::<bool>(),
        name in proptest::sample::select(&["my-app", "a", "a-very-long-service-name-that-is-cut-down-to-fit"][..]),
    ) {
        let deployers = serde_json::to_string(&[format!("{kind}{member}"), "group:ops@example.com".to_string()]).unwrap();
        let mut service = format!("  name: {name}\n");
        if !account.is_empty() {
            service.push_str(&format!("  serviceAccount: {}\n", serde_json::to_string(account).unwrap()));
        }
        if secrets {
            service.push_str("  secrets:\n    env: {DB: {secret: db-password, version: 3}}\n    files: {/s/k: {secret: projects/123/secrets/k, version: latest}}\n");
        }
        let mut source = REFERENCE.replace("  name: my-app\n", &service);
        source.push_str(&format!("identities: {{create: {create}, deployers: {deployers}}}\n"));
        if !build {
            source = source.replace("build:\n  repository: us-docker.pkg.dev/my-project/apps\n", "");
        }
        let checked = multirun_core::check(&source, "identities.yaml");
        if let (Some(spec), false) = (checked.spec.as_ref(), checked.has_errors()) {
            assert_outputs_parse(spec);
        }
    }

    /// Cloud Armor and Cloud CDN in their combinations, with hostile expressions, descriptions
    /// and IP ranges: never a panic, and what renders parses.
    #[test]
    fn armor_and_cdn_settings_combine(
        policy in proptest::sample::select(&["", "    policy: shared-waf\n"][..]),
        default_action in proptest::sample::select(&["allow", "deny-403", "deny-404", "deny-502"][..]),
        adaptive in any::<bool>(),
        priority in proptest::sample::select(&[0u64, 1000, 2147483646, 2147483647, 4294967295][..]),
        action in proptest::sample::select(&["allow", "deny-403", "throttle", "rate-based-ban"][..]),
        matcher in proptest::sample::select(&["waf: sqli-v33-stable", "waf: nope", "expression: EXPR", "srcIpRanges: [EXPR]", ""][..]),
        sensitivity in proptest::sample::select(&["", "sensitivity: 0", "sensitivity: 4"][..]),
        rate in proptest::sample::select(&["", "rateLimit: {count: 10, intervalSec: 60}", "rateLimit: {count: 1, intervalSec: 1, exceedAction: deny-502, enforceOnKey: xff-ip, banDurationSec: 30}"][..]),
        text in proptest::sample::select(HOSTILE),
        mode in proptest::sample::select(&["CACHE_ALL_STATIC", "USE_ORIGIN_HEADERS", "FORCE_CACHE_ALL"][..]),
        ttls in proptest::sample::select(&["", "defaultTtl: 0", "maxTtl: 31622400", "clientTtl: 31622401, defaultTtl: 10"][..]),
        negative in any::<bool>(),
    ) {
        let text = serde_json::to_string(text).unwrap();
        let rule = [format!("priority: {priority}"), format!("action: {action}"), format!("description: {text}"), matcher.replace("EXPR", &text), sensitivity.to_string(), rate.to_string()]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        let ttls = if ttls.is_empty() { String::new() } else { format!(", {ttls}") };
        let edge = format!(
            "loadBalancer:\n  armor:\n{policy}    defaultAction: {default_action}\n    adaptiveProtection: {adaptive}\n    rules:\n      - {{{rule}}}\n  cdn: {{cacheMode: {mode}, negativeCaching: {negative}{ttls}}}\n"
        );
        let source = REFERENCE.replace("loadBalancer:\n", &edge);
        let checked = multirun_core::check(&source, "edge.yaml");
        if let (Some(spec), false) = (checked.spec.as_ref(), checked.has_errors()) {
            assert_outputs_parse(spec);
        }
    }

    /// The certificate choices (classic, Certificate Manager, existing certificates or map) with
    /// wildcards, duplicates and hostile names: never a panic, and what renders parses.
    #[test]
    fn certificate_settings_combine(
        kind in proptest::sample::select(&["", "    type: classic\n", "    type: certificate-manager\n"][..]),
        existing in proptest::sample::select(&["", "    sslCertificates: [NAME]\n", "    certificateMap: NAME\n", "    sslCertificates: [a, NAME]\n    certificateMap: NAME\n"][..]),
        name in proptest::sample::select(HOSTILE),
        domains in proptest::sample::select(&["[app.example.com]", "[example.com, \"*.example.com\", app.example.org]", "[\"*.example.com\", \"*.example.com\", \"a.*.com\", \"*\"]"][..]),
    ) {
        let name = serde_json::to_string(name).unwrap();
        let certificates = format!("{kind}{}", existing.replace("NAME", &name));
        let block = if certificates.is_empty() { String::new() } else { format!("  certificates:\n{certificates}") };
        let source = REFERENCE.replace("loadBalancer:\n", &format!("loadBalancer:\n{block}"))
            .replace("domains: [app.example.com, www.example.com]", &format!("domains: {domains}"));
        let wanted = format!("domains: {domains}");
        prop_assert!(source.contains(&wanted));
        let checked = multirun_core::check(&source, "certificates.yaml");
        if let (Some(spec), false) = (checked.spec.as_ref(), checked.has_errors()) {
            assert_outputs_parse(spec);
        }
    }

    #[test]
    fn hostile_free_text_stays_contained(
        title in proptest::sample::select(HOSTILE),
        env_value in proptest::sample::select(HOSTILE),
        label in proptest::sample::select(HOSTILE),
        suffix in "\\PC{0,8}",
    ) {
        let source = format!(
            "{REFERENCE}monitoring:\n  dashboard:\n    title: {}\n",
            serde_json::to_string(&format!("{title}{suffix}")).unwrap()
        )
        .replace("LOG_LEVEL: info", &format!("LOG_LEVEL: {}", serde_json::to_string(&format!("{env_value}{suffix}")).unwrap()))
        .replace("team: platform", &format!("team: {}", serde_json::to_string(label).unwrap()));
        let checked = multirun_core::check(&source, "hostile.yaml");
        if let (Some(spec), false) = (checked.spec.as_ref(), checked.has_errors()) {
            assert_outputs_parse(spec);
        }
    }
}
