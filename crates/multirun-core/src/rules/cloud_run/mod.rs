//! MR4xx: the Cloud Run service (name, project, CPU and memory, concurrency, timeout,
//! instance bounds, port, environment variables).

use super::Context;
use crate::spec::{Region, Spec};
use crate::text::quote::join_and;
use crate::yaml::escape_pointer_segment;

area! {
    "Cloud Run service":
    service_name,
    project_id,
    cpu_value,
    memory_value,
    cpu_memory_mismatch,
    fractional_cpu_concurrency,
    concurrency_range,
    request_timeout_range,
    instance_bounds,
    port_range,
    reserved_env_name,
    env_name,
    env_overrides_region_variable,
    env_google_prefix,
    ingress_blocks_load_balancer,
    fractional_cpu_always_allocated,
    second_generation_fractional_cpu,
    second_generation_memory,
    gpu_region,
    gpu_minimum_resources,
    gpu_billing,
    gpu_count,
    gpu_zonal_redundancy_off,
    gpu_quota,
    deployer_member,
}

/// Whether `pointer` is written in the spec (rather than left to its default).
fn is_set(cx: &Context, pointer: &str) -> bool {
    cx.tree.locate(pointer).1 == 0
}

/// One environment variable as written in the spec: in `service.env` or in a region's `env`.
struct EnvEntry<'a> {
    /// JSON Pointer to the variable (`/service/env/NAME`, `/regions/1/env/NAME`).
    pointer: String,
    name: &'a str,
    value: &'a str,
    /// The region whose `env` holds it; `None` for `service.env`.
    region: Option<&'a Region>,
}

impl EnvEntry<'_> {
    /// Where the variable is written, for messages: `service.env` or `the env of region `x``.
    fn place(&self) -> String {
        match self.region {
            None => "`service.env`".to_string(),
            Some(region) => format!("the `env` of region `{}`", region.name),
        }
    }
}

/// Every environment variable in the spec: `service.env` first, then each region's `env`.
fn env_entries(spec: &Spec) -> Vec<EnvEntry<'_>> {
    let service = spec.service.env.iter().map(|(name, value)| EnvEntry {
        pointer: format!("/service/env/{}", escape_pointer_segment(name)),
        name,
        value,
        region: None,
    });
    let regions = spec.regions.iter().enumerate().flat_map(|(i, region)| {
        region.env.iter().map(move |(name, value)| EnvEntry {
            pointer: format!("/regions/{i}/env/{}", escape_pointer_segment(name)),
            name,
            value,
            region: Some(region),
        })
    });
    service.chain(regions).collect()
}

/// What keeps `name` from matching `[a-z]([-a-z0-9]*[a-z0-9])?` within `max_len` characters,
/// as phrases that follow "it" (`starts with a digit`, `contains `_``...). Empty when valid.
fn name_problems(name: &str, max_len: usize) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(first) = name.chars().next() else {
        return vec!["is empty".to_string()];
    };
    if !first.is_ascii_lowercase() && !first.is_ascii_uppercase() {
        problems.push(format!(
            "starts with `{first}` instead of a lowercase letter"
        ));
    }
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        problems.push("has uppercase letters".to_string());
    }
    // The first few distinct characters outside the allowed set (a bounded list: a hostile name
    // can hold thousands of distinct characters).
    const SHOWN: usize = 5;
    let mut others: Vec<char> = Vec::new();
    let mut more = false;
    for c in name
        .chars()
        .filter(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
    {
        if others.contains(&c) {
            continue;
        }
        if others.len() == SHOWN {
            more = true;
            break;
        }
        others.push(c);
    }
    if !others.is_empty() {
        let mut shown: Vec<String> = others
            .iter()
            .map(|c| {
                if c.is_whitespace() || c.is_control() {
                    format!("{c:?}")
                } else {
                    format!("`{c}`")
                }
            })
            .collect();
        if more {
            shown.push("other characters".to_string());
        }
        problems.push(format!("contains {}", join_and(&shown)));
    }
    if name.ends_with('-') {
        problems.push("ends with a hyphen".to_string());
    }
    let len = name.chars().count();
    if len > max_len {
        problems.push(format!(
            "is {len} characters long, over the limit of {max_len}"
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::name_problems;

    #[test]
    fn name_problems_read_as_phrases() {
        assert!(name_problems("my-app-2", 49).is_empty());
        assert_eq!(name_problems("", 49), ["is empty"]);
        assert_eq!(
            name_problems("-app", 49),
            ["starts with `-` instead of a lowercase letter"]
        );
        assert_eq!(
            name_problems("My App", 49),
            ["has uppercase letters", "contains ' '"]
        );
        assert_eq!(name_problems("app.v2_x", 49), ["contains `.` and `_`"]);
        assert_eq!(
            name_problems("app-", 3),
            [
                "ends with a hyphen",
                "is 4 characters long, over the limit of 3"
            ]
        );
        assert_eq!(
            name_problems("a!@#$%^&*", 49),
            ["contains `!`, `@`, `#`, `$`, `%` and other characters"]
        );
    }

    /// Every MR4xx finding on a hostile spec stays short and arrives quickly.
    #[test]
    fn huge_values_give_short_findings() {
        let huge = "9".repeat(200_000);
        // YAML caps implicit keys at 1024 characters.
        let key = "K".repeat(400);
        let distinct: String = ('\u{100}'..'\u{2000}').collect();
        let source = format!(
            "version: 1\nproject: \"{huge}\"\nservice:\n  name: \"{distinct}\"\n  image: us-docker.pkg.dev/my-project/apps/my-app:v1.0.0\n  memory: \"{huge}mb\"\n  env:\n    \"{key}={key}\": x\n    CLOUD_RUN_REGION: \"{huge}\"\n  minInstances: 1\nregions:\n  - name: us-central1\n  - name: europe-west1\nloadBalancer:\n  domains: [app.example.com]\n"
        );
        crate::rules::tests::assert_short_findings(
            &source,
            "MR4",
            &["MR401", "MR402", "MR404", "MR412", "MR413"],
            1_000,
        );
    }
}
