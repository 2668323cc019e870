//! The output targets. Each target lists its embedded templates and plans its files: which
//! template renders to which path with which context.

use super::{Model, TemplateContext};

pub mod cloudbuild;
pub mod clouddeploy;
pub mod dashboard;
pub mod deploy;
pub mod diagram;
pub mod monitoring;
pub mod rollout;
pub mod terraform;

pub struct Target {
    /// The name used by `render --target`.
    pub name: &'static str,
    pub description: &'static str,
    /// (template name, embedded source); names are paths under `templates/`.
    pub templates: &'static [(&'static str, &'static str)],
    /// The files for a model; `base` is the model as template context, shared by every target.
    pub plan: for<'a> fn(model: &Model, base: &TemplateContext<'a>) -> Vec<Output<'a>>,
}

pub struct Output<'a> {
    pub path: String,
    pub source: Source<'a>,
}

pub enum Source<'a> {
    Template {
        name: &'static str,
        context: TemplateContext<'a>,
    },
    /// Generated directly in Rust (for outputs a template would only obscure).
    Text(String),
}

/// Embeds `templates/<name>`.
#[allow(unused_macros)] // until every target embeds templates
macro_rules! template {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../templates/",
                $name
            )),
        )
    };
}
#[allow(unused_imports)]
pub(crate) use template;

pub static TARGETS: &[Target] = &[
    deploy::TARGET,
    terraform::TARGET,
    cloudbuild::TARGET,
    clouddeploy::TARGET,
    dashboard::TARGET,
    monitoring::TARGET,
    rollout::TARGET,
    diagram::TARGET,
];
