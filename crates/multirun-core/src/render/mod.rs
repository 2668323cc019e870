//! Generators: the checked spec → every output file, through Handlebars templates in
//! `templates/` (embedded; overridable by name). Rendering is pure and deterministic: the same
//! spec gives the same bytes in the CLI and in the browser.

mod engine;
pub mod escape;
pub(crate) mod fingerprint;
pub mod model;
pub mod targets;

use std::cell::Cell;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;

pub use engine::{Arena, Engine, TemplateContext};
use engine::{TemplateError, Templates};
pub use model::Model;
pub use targets::{Output, Target, TARGETS};

use crate::spec::Spec;

/// One generated file; `path` is relative to the output directory and uses `/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenderedFile {
    pub path: String,
    pub contents: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderError {
    UnknownTarget(String),
    /// A template failed to parse or render (most often a user override).
    Template {
        template: String,
        message: String,
    },
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenderError::UnknownTarget(name) => {
                let known: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
                write!(
                    f,
                    "unknown target `{name}`; targets are: {}",
                    known.join(", ")
                )
            }
            RenderError::Template { template, message } => {
                write!(f, "template `{template}`: {message}")
            }
        }
    }
}

impl std::error::Error for RenderError {}

impl From<TemplateError> for RenderError {
    fn from(error: TemplateError) -> Self {
        RenderError::Template {
            template: error.template,
            message: error.message,
        }
    }
}

/// What to render: target names (empty = all) and template overrides by template name
/// (`deploy.sh.hbs` → source text).
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub targets: Vec<String>,
    /// Render exactly the named `targets`, without the targets their files read (which the CLI
    /// writes alongside, so that an output directory is complete). For a caller that renders
    /// one target's files first and the others later, such as the playground.
    pub exact_targets: bool,
    pub template_overrides: BTreeMap<String, String>,
    pub engine: Engine,
}

/// Every embedded template, by name (its path under `templates/`).
pub fn embedded_templates() -> impl Iterator<Item = (&'static str, &'static str)> {
    TARGETS.iter().flat_map(|t| t.templates.iter().copied())
}

/// Renders `spec` (which must have passed `check` without errors) into files sorted by path.
pub fn render(spec: &Spec, options: &RenderOptions) -> Result<Vec<RenderedFile>, RenderError> {
    Ok(render_tagged(spec, options)?
        .into_iter()
        .map(|(_, file)| file)
        .collect())
}

/// Like [`render`], each file with the target that produced it: the same files in the same
/// order. The playground uses the tag to render the target of the file on screen first.
pub fn render_tagged(
    spec: &Spec,
    options: &RenderOptions,
) -> Result<Vec<(&'static Target, RenderedFile)>, RenderError> {
    let mut files: Vec<(&'static Target, RenderedFile)> = render_by_target(spec, options)?
        .into_iter()
        .flat_map(|(target, files)| files.into_iter().map(move |file| (target, file)))
        .collect();
    files.sort_by(|(_, a), (_, b)| a.path.cmp(&b.path));
    Ok(files)
}

/// Like [`render`], with the files grouped by the target that produced them: every selected
/// target (the named ones plus those they require) in `TARGETS` order, even one that produced
/// no file, each with its files sorted by path. The CLI uses this to tell which of the files
/// in an output directory a render with other `--target`s is responsible for.
pub fn render_by_target(
    spec: &Spec,
    options: &RenderOptions,
) -> Result<Vec<(&'static Target, Vec<RenderedFile>)>, RenderError> {
    let selected = select_targets(&options.targets, options.exact_targets)?;
    // Parsing every template costs far more than rendering them (tens of milliseconds in the
    // browser), so the embedded set is parsed once per process; overrides get their own.
    static EMBEDDED: OnceLock<Result<Templates, RenderError>> = OnceLock::new();
    let with_overrides;
    let templates = if options.template_overrides.is_empty() {
        EMBEDDED
            .get_or_init(|| templates(&BTreeMap::new()))
            .as_ref()
            .map_err(Clone::clone)?
    } else {
        with_overrides = templates(&options.template_overrides)?;
        &with_overrides
    };
    // Every context of a render lives in one arena, freed at once. The last render's arena is
    // emptied and used again, its memory already mapped and likely still in cache: with a
    // fresh one per render, a render of every region took a fifth more CPU (best of 8 runs).
    thread_local! {
        static SPARE_ARENA: Cell<Option<Arena>> = const { Cell::new(None) };
    }
    let mut arena = SPARE_ARENA.take().unwrap_or_default();
    arena.reset();
    let grouped = render_targets(spec, &selected, templates, options.engine, &arena);
    SPARE_ARENA.set(Some(arena));
    grouped
}

/// The files of each of `selected`, with template data in `arena`.
fn render_targets(
    spec: &Spec,
    selected: &[&'static Target],
    templates: &Templates,
    engine: Engine,
    arena: &Arena,
) -> Result<Vec<(&'static Target, Vec<RenderedFile>)>, RenderError> {
    let model = Model::new(spec);
    let base = TemplateContext::new(arena, &model);
    let mut grouped = Vec::new();
    for &target in selected {
        let mut files = Vec::new();
        for output in (target.plan)(&model, &base) {
            let contents = match output.source {
                targets::Source::Template { name, context } => {
                    templates.render(name, &context, engine)?
                }
                targets::Source::Text(text) => text,
            };
            files.push(RenderedFile {
                path: output.path,
                contents: fingerprint::stamp(contents),
            });
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        grouped.push((target, files));
    }
    Ok(grouped)
}

/// Targets whose files read another target's output: deploy.sh and the Terraform dashboard
/// resource both load `dashboard.json`, and Terraform, deploy.sh and clouddeploy/setup.sh
/// apply the files under `monitoring/`.
const REQUIRES: &[(&str, &str)] = &[
    ("deploy", "dashboard"),
    ("deploy", "monitoring"),
    ("clouddeploy", "monitoring"),
    ("terraform", "dashboard"),
    ("terraform", "monitoring"),
];

/// The named targets (all when none are named) plus, unless `exact`, what they require, in
/// `TARGETS` order.
fn select_targets(names: &[String], exact: bool) -> Result<Vec<&'static Target>, RenderError> {
    if let Some(unknown) = names.iter().find(|n| !TARGETS.iter().any(|t| &t.name == n)) {
        return Err(RenderError::UnknownTarget(unknown.clone()));
    }
    let wanted = |name: &str| {
        names.is_empty()
            || names.iter().any(|n| n == name)
            || !exact
                && REQUIRES
                    .iter()
                    .any(|(needs, needed)| *needed == name && names.iter().any(|n| n == needs))
    };
    Ok(TARGETS.iter().filter(|t| wanted(t.name)).collect())
}

/// The embedded templates, with `overrides` (by name) in place of their sources.
fn templates(overrides: &BTreeMap<String, String>) -> Result<Templates, RenderError> {
    let templates = Templates::new(
        embedded_templates()
            .map(|(name, source)| (name, overrides.get(name).map_or(source, String::as_str))),
    )?;
    if let Some(unknown) = overrides
        .keys()
        .find(|k| !embedded_templates().any(|(name, _)| name == k.as_str()))
    {
        return Err(RenderError::Template {
            template: unknown.clone(),
            message:
                "no embedded template has this name; `multirun render --list-templates` lists them"
                    .into(),
        });
    }
    Ok(templates)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(selected: &[&Target]) -> Vec<&'static str> {
        selected.iter().map(|t| t.name).collect()
    }

    #[test]
    fn every_embedded_template_renders_directly() {
        let templates = templates(&BTreeMap::new()).unwrap();
        let mut rendered = std::collections::BTreeSet::new();
        for example in [
            include_str!("../../../../examples/weighted.yaml"),
            include_str!("../../../../examples/nearest.yaml"),
            // The only example with a generated Cloud Armor policy (gcloud/security-policy.yaml).
            include_str!("../../../../examples/production.yaml"),
            // The certificate modes: generated Certificate Manager, existing SSL certificates, an
            // existing certificate map.
            include_str!("../../../../tests/fixtures/render/certificate-manager/spec.yaml"),
            include_str!("../../../../tests/fixtures/render/certificates-existing/spec.yaml"),
            include_str!("../../../../tests/fixtures/render/certificate-map-existing/spec.yaml"),
        ] {
            let spec = crate::check(example, "example.yaml").spec.unwrap();
            let model = Model::new(&spec);
            let arena = Arena::new();
            let base = TemplateContext::new(&arena, &model);
            for output in TARGETS.iter().flat_map(|t| (t.plan)(&model, &base)) {
                if let targets::Source::Template { name, context } = output.source {
                    if let Err(why) = templates.renders_directly(name, &context) {
                        panic!("{name} {why}");
                    }
                    rendered.insert(name);
                }
            }
        }
        let embedded: std::collections::BTreeSet<_> =
            embedded_templates().map(|(name, _)| name).collect();
        assert_eq!(
            rendered, embedded,
            "the examples render every embedded template"
        );
    }

    #[test]
    fn targets_bring_the_files_they_read() {
        assert_eq!(
            names(&select_targets(&["terraform".into()], false).unwrap()),
            ["terraform", "dashboard", "monitoring"]
        );
        assert_eq!(
            names(&select_targets(&["diagram".into()], false).unwrap()),
            ["diagram"]
        );
        assert_eq!(select_targets(&[], false).unwrap().len(), TARGETS.len());
        assert!(
            matches!(select_targets(&["helm".into()], false), Err(RenderError::UnknownTarget(name)) if name == "helm")
        );
    }

    #[test]
    fn exact_targets_leave_out_the_files_they_read() {
        assert_eq!(
            names(&select_targets(&["terraform".into()], true).unwrap()),
            ["terraform"]
        );
        assert_eq!(
            names(&select_targets(&["deploy".into(), "dashboard".into()], true).unwrap()),
            ["deploy", "dashboard"]
        );
        assert_eq!(select_targets(&[], true).unwrap().len(), TARGETS.len());
    }

    /// What the playground relies on: one target rendered exactly, then every other, tagged
    /// by target, gives the files of one full render, in the same order once sorted by path.
    #[test]
    fn one_target_then_the_rest_is_the_full_render() {
        let spec = crate::check(
            include_str!("../../../../examples/production.yaml"),
            "example.yaml",
        )
        .spec
        .unwrap();
        let full = render(&spec, &RenderOptions::default()).unwrap();
        for first in TARGETS {
            let exact = |targets: Vec<String>| {
                render_tagged(
                    &spec,
                    &RenderOptions {
                        targets,
                        exact_targets: true,
                        ..RenderOptions::default()
                    },
                )
                .unwrap()
            };
            let visible = exact(vec![first.name.to_string()]);
            assert!(visible.iter().all(|(t, _)| t.name == first.name));
            let rest = exact(
                TARGETS
                    .iter()
                    .filter(|t| t.name != first.name)
                    .map(|t| t.name.to_string())
                    .collect(),
            );
            assert!(rest.iter().all(|(t, _)| t.name != first.name));
            let mut merged: Vec<RenderedFile> =
                visible.into_iter().chain(rest).map(|(_, f)| f).collect();
            merged.sort_by(|a, b| a.path.cmp(&b.path));
            assert_eq!(merged, full, "{} first, then the rest", first.name);
        }
    }
}
