//! The informational commands: explain, rules, regions, schema, init.

use std::path::Path;

use multirun_core::{catalog, documents, rules};

use super::{error, print};
use crate::args::ListFormat;
use crate::exit;

pub fn explain(rule: &str) -> i32 {
    match rules::find(rule) {
        Some(rule) => {
            print(rule.doc);
            exit::CLEAN
        }
        None => match documents::field_doc(rule) {
            // Not a rule: a spec field's documentation (`multirun explain rollout.canary`).
            Some(doc) => {
                print(&doc);
                exit::CLEAN
            }
            None => {
                error(format!(
                    "no rule or spec field `{rule}`; `multirun rules` lists the rules, and fields are dotted paths such as `rollout.canary`"
                ));
                exit::FAILURE
            }
        },
    }
}

pub fn rules(format: ListFormat) -> i32 {
    match format {
        ListFormat::Json => {
            print(&documents::to_pretty(&documents::rules_document()));
        }
        ListFormat::Text => {
            let mut text = String::new();
            for r in rules::all() {
                text.push_str(&format!(
                    "{}  {:<34} {:<8} {}\n",
                    r.code,
                    r.name,
                    r.severity.as_str(),
                    r.summary
                ));
            }
            print(&text);
        }
    }
    exit::CLEAN
}

pub fn regions(format: ListFormat) -> i32 {
    let catalog = catalog::catalog();
    match format {
        ListFormat::Json => print(&documents::to_pretty(&documents::regions_document())),
        ListFormat::Text => {
            let mut text = format!(
                "Cloud Run regions (checked {} against {})\n\n",
                catalog.checked, catalog.source
            );
            text.push_str(&format!(
                "{:<26} {:<18} {:<15} {:<5} {}\n",
                "REGION", "LOCATION", "CONTINENT", "TIER", "LOW CO2"
            ));
            for r in &catalog.regions {
                text.push_str(&format!(
                    "{:<26} {:<18} {:<15} {:<5} {}\n",
                    r.name,
                    r.location,
                    r.continent,
                    r.tier,
                    if r.low_co2 { "yes" } else { "" }
                ));
            }
            text.push_str("\nA region newer than this list: set `uncatalogued: true` on it in the spec. Live list: gcloud run regions list\n");
            print(&text);
        }
    }
    exit::CLEAN
}

pub fn schema() -> i32 {
    print(multirun_core::SCHEMA_JSON);
    exit::CLEAN
}

const SCHEMA_URL: &str =
    "https://raw.githubusercontent.com/multirun/multirun/main/schemas/multirun.schema.json";

const STARTER: &str = r#"version: 1
project: my-project
service:
  name: my-app
  image: us-docker.pkg.dev/my-project/apps/my-app:v1.0.0
  port: 8080
  minInstances: 1
  maxInstances: 10
  public: true
regions:
  - name: us-central1
  - name: europe-west1
traffic:
  routing: nearest   # nearest (closest region, automatic failover) | weighted (fixed split)
loadBalancer:
  domains: [app.example.com]
healthCheck:
  path: /health
build:
  repository: us-docker.pkg.dev/my-project/apps
"#;

pub fn starter_spec() -> String {
    format!("# yaml-language-server: $schema={SCHEMA_URL}\n# Reference: `multirun explain <CODE>` for any diagnostic; README for every field.\n{STARTER}")
}

pub fn init(path: &Path, force: bool) -> i32 {
    if path.exists() && !force {
        error(format!(
            "{} already exists; use --force to overwrite it",
            path.display()
        ));
        return exit::FAILURE;
    }
    let text = starter_spec();
    if let Err(e) = crate::fs::write_all_atomically(&[(path.to_path_buf(), text.as_str(), false)]) {
        error(format!("cannot write {}: {e}", path.display()));
        return exit::FAILURE;
    }
    eprintln!(
        "wrote {}; check it with `multirun validate {}`",
        path.display(),
        path.display()
    );
    exit::CLEAN
}
