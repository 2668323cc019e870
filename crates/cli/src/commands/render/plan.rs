//! Which spec renders to which directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One spec and where it renders to.
#[derive(Debug)]
pub(super) struct Job {
    pub(super) spec: String,
    pub(super) out: PathBuf,
    /// Whether diff headers show the whole path (several specs, `{dir}`/`{name}` in --out)
    /// rather than the path inside --out.
    pub(super) full_labels: bool,
}

/// Resolves each spec's output directory; several specs must not share one.
pub(super) fn plan(specs: &[String], out: &Path) -> Result<Vec<Job>, String> {
    let pattern = out
        .to_str()
        .filter(|s| s.contains("{dir}") || s.contains("{name}"));
    let Some(pattern) = pattern else {
        if specs.len() > 1 {
            return Err(format!(
                "{} specs would all render to {}; put `{{dir}}` or `{{name}}` in --out so that each spec gets its own directory, e.g. --out '{{dir}}/generated/{{name}}'",
                specs.len(),
                out.display()
            ));
        }
        return Ok(vec![Job {
            spec: specs[0].clone(),
            out: out.to_path_buf(),
            full_labels: false,
        }]);
    };
    let mut jobs: Vec<Job> = Vec::new();
    let mut seen: BTreeMap<PathBuf, &str> = BTreeMap::new();
    for spec in specs {
        if spec == "-" {
            return Err("standard input (`-`) has no directory or name for `{dir}`/`{name}` in --out; give the spec as a file".into());
        }
        let out = out_dir_for(pattern, spec);
        if let Some(other) = seen.insert(out.clone(), spec) {
            if other != spec {
                return Err(format!("{other} and {spec} would both render to {}; use `{{name}}` in --out to tell them apart", out.display()));
            }
            continue;
        }
        jobs.push(Job {
            spec: spec.clone(),
            out,
            full_labels: true,
        });
    }
    Ok(jobs)
}

/// Fills `{dir}` (the spec's directory, `.` for none) and `{name}` (its file name less `.yaml`
/// or `.yml`, then less a `.multirun` suffix) in an --out pattern.
fn out_dir_for(pattern: &str, spec: &str) -> PathBuf {
    let path = Path::new(spec);
    let dir = path
        .parent()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| ".".into());
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = file
        .strip_suffix(".yaml")
        .or_else(|| file.strip_suffix(".yml"))
        .unwrap_or(&file);
    let name = stem
        .strip_suffix(".multirun")
        .filter(|n| !n.is_empty())
        .unwrap_or(stem);
    let filled = pattern.replace("{dir}", &dir).replace("{name}", name);
    // `./multirun` reads better as `multirun`, in messages and diff headers alike.
    let cleaned: PathBuf = Path::new(&filled)
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if cleaned.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_patterns_fill_dir_and_name() {
        let cases = [
            (
                "{dir}/generated/{name}",
                "deploy/multirun.yaml",
                "deploy/generated/multirun",
            ),
            (
                "{dir}/generated/{name}",
                "deploy/api.multirun.yaml",
                "deploy/generated/api",
            ),
            (
                "{dir}/generated/{name}",
                "multirun.yml",
                "generated/multirun",
            ),
            ("{dir}/{name}", "a/b/prod.yaml", "a/b/prod"),
            ("{dir}/{name}", "./x/.multirun.yaml", "x/.multirun"),
            ("out/{name}", "specs/eu.multirun.yml", "out/eu"),
            ("{dir}", "spec.yaml", "."),
            ("/abs/{name}", "d/s.yaml", "/abs/s"),
        ];
        for (pattern, spec, expected) in cases {
            assert_eq!(
                out_dir_for(pattern, spec),
                PathBuf::from(expected),
                "{pattern} {spec}"
            );
        }
    }

    #[test]
    fn several_specs_need_distinct_output_directories() {
        let specs = |list: &[&str]| list.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert!(plan(&specs(&["a.yaml", "b.yaml"]), Path::new("out"))
            .unwrap_err()
            .contains("would all render to out"));
        assert!(
            plan(&specs(&["d/a.yaml", "d/b.yaml"]), Path::new("{dir}/gen"))
                .unwrap_err()
                .contains("would both render to d/gen")
        );
        assert!(plan(&specs(&["-"]), Path::new("{dir}/gen")).is_err());
        let jobs = plan(
            &specs(&["d/a.yaml", "e/a.yaml", "d/a.yaml"]),
            Path::new("{dir}/gen"),
        )
        .unwrap();
        assert_eq!(
            jobs.iter().map(|j| j.out.clone()).collect::<Vec<_>>(),
            [PathBuf::from("d/gen"), PathBuf::from("e/gen")]
        );
        let single = plan(&specs(&["a.yaml"]), Path::new("out")).unwrap();
        assert!(!single[0].full_labels && single[0].out == Path::new("out"));
    }
}
