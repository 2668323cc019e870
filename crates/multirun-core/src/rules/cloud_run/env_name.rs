use std::collections::BTreeSet;

use crate::gcp::env::REGION_ENV_VAR;
use crate::rules::{Context, Report};

rule! {
    code: "MR412",
    name: "env-name",
    severity: Error,
    summary: "Environment variables need a non-empty name without `=`, names and values of at most 32768 characters, and at most 1000 variables per region.",
    check: check,
}

/// Longest name, in characters, and longest value, in bytes.
pub const MAX_NAME_CHARS: usize = 32768;
pub const MAX_VALUE_BYTES: usize = 32768;
/// Most variables in one container.
pub const MAX_VARIABLES: usize = 1000;

fn check(cx: &Context, report: &mut Report) {
    for entry in super::env_entries(cx.spec) {
        let (name, place) = (entry.name, entry.place());
        if name.is_empty() {
            report
                .at_key(
                    &RULE,
                    entry.pointer.clone(),
                    format!("an environment variable in {place} has an empty name"),
                )
                .help("give the variable a name, such as `LOG_LEVEL`");
            continue;
        }
        if let Some((seen_as, _)) = name.split_once('=') {
            report.at_key(&RULE, entry.pointer.clone(), format!("environment variable name `{name}` in {place} contains `=`")).help(format!(
                "rename it without `=`: the environment stores `NAME=value`, so the container would read a variable named `{}`",
                crate::text::quote::clip(seen_as)
            ));
        }
        if name.contains('\0') {
            report
                .at_key(
                    &RULE,
                    entry.pointer.clone(),
                    format!(
                        "environment variable name {name:?} in {place} contains a NUL character"
                    ),
                )
                .help("remove the NUL: environment strings end at the first NUL");
        }
        let chars = name.chars().count();
        if chars > MAX_NAME_CHARS {
            report
                .at_key(
                    &RULE,
                    entry.pointer.clone(),
                    format!("an environment variable name in {place} is {chars} characters long; Cloud Run allows {MAX_NAME_CHARS}"),
                )
                .help("use a short name and put the data in the value (or in a mounted secret)");
        }
        if entry.value.contains('\0') {
            report
                .at(&RULE, entry.pointer.clone(), format!("the value of `{name}` in {place} contains a NUL character"))
                .help("remove the NUL: environment strings end at the first NUL, so the container would see the value cut short");
        }
        let bytes = entry.value.len();
        if bytes > MAX_VALUE_BYTES {
            report
                .at(&RULE, entry.pointer.clone(), format!("the value of `{name}` in {place} is {bytes} bytes; Cloud Run allows {MAX_VALUE_BYTES}"))
                .help("put large configuration in a mounted secret or a file in the image, and pass its path in the variable");
        }
    }
    count(cx, report);
}

/// At most 1000 variables per container: `service.env` merged with each region's `env`, plus
/// the `CLOUD_RUN_REGION` multirun adds.
fn count(cx: &Context, report: &mut Report) {
    let spec = cx.spec;
    let mut service_reported = false;
    for (i, region) in spec.regions.iter().enumerate() {
        let names: BTreeSet<&str> = spec
            .service
            .env
            .keys()
            .chain(region.env.keys())
            .map(String::as_str)
            .chain([REGION_ENV_VAR])
            .collect();
        let total = names.len();
        if total <= MAX_VARIABLES {
            continue;
        }
        let message = format!(
            "region `{}` gets {total} environment variables (service and region `env` plus `{REGION_ENV_VAR}`); Cloud Run allows {MAX_VARIABLES}",
            region.name
        );
        let help = format!("remove at least {} variables, or group related settings into one variable (for example as JSON)", total - MAX_VARIABLES);
        if !region.env.is_empty() {
            report
                .at_key(&RULE, format!("/regions/{i}/env"), message)
                .help(help);
        } else if !service_reported {
            service_reported = true;
            report.at_key(&RULE, "/service/env", message).help(help);
        }
    }
}

#[cfg(test)]
mod tests {
    fn spec_with_env(service_vars: usize, region_vars: usize) -> String {
        let mut yaml = String::from(
            "version: 1\nproject: my-project\nservice:\n  name: my-app\n  image: us-docker.pkg.dev/my-project/apps/my-app:v1.0.0\n  minInstances: 1\n  env:\n",
        );
        for i in 0..service_vars {
            yaml.push_str(&format!("    VAR_{i}: x\n"));
        }
        yaml.push_str("regions:\n  - name: us-central1\n");
        if region_vars > 0 {
            yaml.push_str("    env:\n");
            for i in 0..region_vars {
                yaml.push_str(&format!("      REGION_VAR_{i}: x\n"));
            }
        }
        yaml.push_str("  - name: europe-west1\nloadBalancer:\n  domains: [app.example.com]\n");
        yaml
    }

    fn mr412(yaml: &str) -> Vec<crate::Diagnostic> {
        crate::check(yaml, "spec.yaml")
            .diagnostics
            .into_iter()
            .filter(|d| d.code == "MR412")
            .collect()
    }

    #[test]
    fn counts_service_and_region_variables_plus_the_region_variable() {
        // 999 + CLOUD_RUN_REGION = 1000: allowed.
        assert!(mr412(&spec_with_env(999, 0)).is_empty());
        // 1000 + CLOUD_RUN_REGION: one finding at service.env, not one per region.
        let found = mr412(&spec_with_env(1000, 0));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].path, "/service/env");
        assert!(
            found[0].message.contains("1001 environment variables"),
            "{}",
            found[0].message
        );
        // 990 + 10 in one region + CLOUD_RUN_REGION: that region only.
        let found = mr412(&spec_with_env(990, 10));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].path, "/regions/0/env");
    }

    #[test]
    fn long_values_are_measured_in_bytes() {
        let long = "é".repeat(16385); // 32770 bytes, 16385 characters
        let yaml = spec_with_env(0, 0).replace("  env:\n", &format!("  env:\n    BIG: {long}\n"));
        let found = mr412(&yaml);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].message.contains("32770 bytes"));
    }
}
