//! A set of named templates, parsed once by the handlebars crate and compiled for the direct
//! renderer where they can be, and rendering one of them over a [`TemplateContext`].

use std::collections::HashMap;
use std::fmt;

use handlebars::Handlebars;

use super::context::TemplateContext;
use super::direct::{Compiler, Program};
use super::helpers;

/// How templates are rendered. Both give the same bytes; tests render with both and compare.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Engine {
    /// The direct renderer where the template allows it, else the handlebars crate.
    #[default]
    Direct,
    /// Every template through the handlebars crate's own renderer.
    Handlebars,
}

/// A template failed to parse or render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub template: String,
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "template `{}`: {}", self.template, self.message)
    }
}

impl std::error::Error for TemplateError {}

pub(crate) struct Templates {
    handlebars: Handlebars<'static>,
    /// The templates inside the direct renderer's subset, by name.
    compiled: HashMap<String, Program>,
}

impl Templates {
    /// Parses every `(name, source)`.
    pub(crate) fn new<'a>(
        sources: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Templates, TemplateError> {
        let handlebars = registry(sources)?;
        let compiler = Compiler::new(&handlebars);
        let compiled = handlebars
            .get_templates()
            .iter()
            .filter_map(|(name, template)| Some((name.clone(), compiler.compile(template)?)))
            .collect();
        Ok(Templates {
            handlebars,
            compiled,
        })
    }

    /// Renders the template `name` over `context`. The direct engine falls back to the
    /// handlebars crate for a template outside its subset and for a render that leaves it
    /// (then the crate's errors are the ones reported).
    pub(crate) fn render(
        &self,
        name: &str,
        context: &TemplateContext,
        engine: Engine,
    ) -> Result<String, TemplateError> {
        if engine == Engine::Direct {
            if let Some(Ok(text)) = self.compiled.get(name).map(|p| p.render(context)) {
                return Ok(text);
            }
        }
        self.handlebars
            .render_with_context(name, &handlebars::Context::from(context.to_json()))
            .map_err(|e| TemplateError {
                template: name.to_string(),
                message: describe(&e),
            })
    }

    /// Whether the template `name` renders `context` without falling back to the handlebars
    /// crate (`Err` says why not), for the test that keeps the embedded templates inside the
    /// direct renderer's subset.
    #[cfg(test)]
    pub(crate) fn renders_directly(
        &self,
        name: &str,
        context: &TemplateContext,
    ) -> Result<(), &'static str> {
        let program = self
            .compiled
            .get(name)
            .ok_or("uses Handlebars beyond the direct renderer's subset")?;
        match program.render(context) {
            Ok(_) => Ok(()),
            Err(_) => Err("fell back to the handlebars crate"),
        }
    }
}

/// The handlebars crate's message, except for a missing variable, which it words as
/// `Failed to access variable in strict mode Some("path")`.
fn describe(error: &handlebars::RenderError) -> String {
    match error.reason() {
        handlebars::RenderErrorReason::MissingVariable(Some(path)) => {
            let at = match (error.line_no, error.column_no) {
                (Some(line), Some(column)) => format!("line {line}, column {column}: "),
                _ => String::new(),
            };
            format!("{at}`{path}` is not in the template's data (templates run in strict mode)")
        }
        _ => error.to_string(),
    }
}

/// The handlebars crate's registry holding `sources`, set up as every template expects.
pub(super) fn registry<'a>(
    sources: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Handlebars<'static>, TemplateError> {
    let mut registry = Handlebars::new();
    registry.set_strict_mode(true);
    // Outputs are shell, HCL, YAML and JSON, not HTML: every value is escaped by the helper
    // for its language instead.
    registry.register_escape_fn(handlebars::no_escape);
    helpers::register(&mut registry);
    for (name, source) in sources {
        registry
            .register_template_string(name, source)
            .map_err(|e| TemplateError {
                template: name.to_string(),
                message: e.to_string(),
            })?;
    }
    Ok(registry)
}
