//! Writes a new rule's files under a repository root.

use std::fs;
use std::path::Path;

/// Each area module, its code range digit and its name in the doc pages' "Area" column.
const AREAS: &[(&str, char, &str)] = &[
    ("traffic", '1', "traffic"),
    ("regions", '2', "regions"),
    ("health", '3', "health check"),
    ("cloud_run", '4', "Cloud Run service"),
    ("naming", '5', "derived resource names"),
    ("load_balancer", '6', "load balancer"),
    ("image", '7', "image and build"),
    ("rollout", '8', "rollout"),
    // Secrets are Cloud Run service settings; the ten digits left them no range of their own.
    ("secrets", '4', "secrets"),
    ("network", '9', "VPC network"),
    // Cloud Armor and CDN sit on the load balancer's backend services; they start at MR620.
    ("edge", '6', "Cloud Armor and CDN"),
    // Identity-Aware Proxy sits on the load balancer or on Cloud Run; the load balancer's range.
    ("iap", '6', "IAP"),
];

const BASE_SPEC: &str = "version: 1
project: my-project
service:
  name: my-app
  image: us-docker.pkg.dev/my-project/apps/my-app:v1.0.0
  minInstances: 1
regions:
  - name: us-central1
  - name: europe-west1
loadBalancer:
  domains: [app.example.com]
";

pub struct Created {
    pub code: String,
    /// Paths relative to the root.
    pub files: Vec<String>,
}

pub fn new_rule(
    root: &Path,
    area: &str,
    name: &str,
    severity: &str,
    summary: &str,
) -> Result<Created, String> {
    let &(_, digit, area_name) = AREAS
        .iter()
        .find(|(module, _, _)| *module == area)
        .ok_or_else(|| format!("unknown area `{area}`"))?;
    let valid_name = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-');
    if !valid_name {
        return Err(format!("`{name}` is not a kebab-case name"));
    }
    let severity_variant = match severity {
        "error" => "Error",
        "warning" => "Warning",
        "info" => "Info",
        _ => return Err(format!("unknown severity `{severity}`")),
    };
    if summary.contains('"') || summary.contains('\n') {
        return Err("the summary is one line without double quotes".into());
    }
    let docs = root.join("docs/rules");
    let code = next_code(&docs, digit, name)?;
    let module = name.replace('-', "_");
    let area_dir = root.join("crates/multirun-core/src/rules").join(area);
    let rule_file = area_dir.join(format!("{module}.rs"));
    if rule_file.exists() {
        return Err(format!("{} exists already", rule_file.display()));
    }
    register(&area_dir.join("mod.rs"), &module)?;
    let mut files = Vec::new();
    let mut write = |relative: String, contents: String| -> Result<(), String> {
        let path = root.join(&relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        fs::write(&path, contents).map_err(|e| format!("{}: {e}", path.display()))?;
        files.push(relative);
        Ok(())
    };
    write(
        format!("crates/multirun-core/src/rules/{area}/{module}.rs"),
        rule_source(&code, name, severity_variant, summary),
    )?;
    write(
        format!("docs/rules/{code}-{name}.md"),
        doc_page(&code, name, severity, area_name),
    )?;
    let fixtures = format!("tests/fixtures/rules/{code}-{name}");
    write(format!("{fixtures}/invalid.yaml"), BASE_SPEC.to_string())?;
    write(format!("{fixtures}/valid.yaml"), BASE_SPEC.to_string())?;
    files.push(format!(
        "crates/multirun-core/src/rules/{area}/mod.rs (registered)"
    ));
    Ok(Created { code, files })
}

/// The next free code in the area: one past the highest with a doc page (codes are
/// permanent, so a removed rule's page stays and its code is never reused).
fn next_code(docs: &Path, digit: char, name: &str) -> Result<String, String> {
    let prefix = format!("MR{digit}");
    let mut highest = 0;
    for entry in fs::read_dir(docs).map_err(|e| format!("{}: {e}", docs.display()))? {
        let file = entry.map_err(|e| e.to_string())?.file_name();
        let file = file.to_string_lossy();
        if file.strip_suffix(".md").and_then(|f| f.get(6..)) == Some(name) {
            return Err(format!("a rule named `{name}` exists already: {file}"));
        }
        if let Some(number) = file
            .strip_prefix(&prefix)
            .and_then(|rest| rest.get(..2))
            .and_then(|n| n.parse::<u32>().ok())
        {
            highest = highest.max(number);
        }
    }
    if highest >= 99 {
        return Err(format!("area {prefix}xx is full"));
    }
    Ok(format!("{prefix}{:02}", highest + 1))
}

/// Adds `module` at the end of the area's `area!` list.
fn register(area_mod: &Path, module: &str) -> Result<(), String> {
    let source =
        fs::read_to_string(area_mod).map_err(|e| format!("{}: {e}", area_mod.display()))?;
    let start = source
        .find("area! {")
        .ok_or_else(|| format!("{}: no `area!` list", area_mod.display()))?;
    let end = start
        + source[start..]
            .find("\n}")
            .ok_or_else(|| format!("{}: unterminated `area!` list", area_mod.display()))?;
    let updated = format!("{}\n    {module},{}", &source[..end], &source[end..]);
    fs::write(area_mod, updated).map_err(|e| format!("{}: {e}", area_mod.display()))
}

fn rule_source(code: &str, name: &str, severity: &str, summary: &str) -> String {
    format!(
        r#"use crate::rules::{{Context, Report}};

rule! {{
    code: "{code}",
    name: "{name}",
    severity: {severity},
    summary: "{summary}",
    check: check,
}}

fn check(cx: &Context, report: &mut Report) {{
    // TODO: the check. Report at the offending value, with help that says what to do:
    // report.at(&RULE, "/service/port", "message").help("what to do");
    let _ = (cx, report);
}}
"#
    )
}

fn doc_page(code: &str, name: &str, severity: &str, area: &str) -> String {
    format!(
        "# {code}: {name}

| Code | Name | Default severity | Area |
|---|---|---|---|
| {code} | `{name}` | {severity} | {area} |

## What it checks

TODO

## Why

TODO

## Google Cloud fact

TODO, with its source.

Sources: TODO

## Example

```yaml invalid
{BASE_SPEC}```

## Use instead

```yaml valid
{BASE_SPEC}```
"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A throwaway repository root with the traffic area and two of its pages.
    fn fake_root() -> std::path::PathBuf {
        let root = std::env::temp_dir().join(format!("xtask-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("docs/rules")).unwrap();
        fs::create_dir_all(root.join("crates/multirun-core/src/rules/traffic")).unwrap();
        fs::write(root.join("docs/rules/MR101-weight-missing.md"), "").unwrap();
        fs::write(root.join("docs/rules/MR105-weighted-no-failover.md"), "").unwrap();
        fs::write(root.join("docs/rules/MR201-unknown-region.md"), "").unwrap();
        fs::write(
            root.join("crates/multirun-core/src/rules/traffic/mod.rs"),
            "//! MR1xx\n\narea! {\n    \"traffic\":\n    weight_missing,\n}\n",
        )
        .unwrap();
        root
    }

    #[test]
    fn scaffolds_the_next_code_with_module_doc_and_fixtures() {
        let root = fake_root();
        let created = new_rule(
            &root,
            "traffic",
            "weight-too-small",
            "warning",
            "A summary.",
        )
        .unwrap();
        assert_eq!(created.code, "MR106");
        let area =
            fs::read_to_string(root.join("crates/multirun-core/src/rules/traffic/mod.rs")).unwrap();
        assert!(
            area.contains("    weight_missing,\n    weight_too_small,\n}"),
            "{area}"
        );
        let rule = fs::read_to_string(
            root.join("crates/multirun-core/src/rules/traffic/weight_too_small.rs"),
        )
        .unwrap();
        assert!(rule.contains("code: \"MR106\"") && rule.contains("severity: Warning"));
        let doc = fs::read_to_string(root.join("docs/rules/MR106-weight-too-small.md")).unwrap();
        assert!(doc.contains("| MR106 | `weight-too-small` | warning | traffic |"));
        for fixture in ["invalid", "valid"] {
            assert!(root
                .join(format!(
                    "tests/fixtures/rules/MR106-weight-too-small/{fixture}.yaml"
                ))
                .exists());
        }
        assert!(new_rule(&root, "traffic", "weight-too-small", "error", "x").is_err());
        assert!(new_rule(&root, "nowhere", "x", "error", "x").is_err());
        assert!(new_rule(&root, "traffic", "Bad_Name", "error", "x").is_err());
        fs::remove_dir_all(&root).unwrap();
    }
}
