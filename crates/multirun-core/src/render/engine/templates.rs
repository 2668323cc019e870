//! A set of named templates, parsed once by the handlebars crate and compiled for the direct
//! renderer where they can be, and rendering one of them over a [`TemplateContext`].

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use handlebars::template::Template;
use handlebars::Handlebars;

use super::context::TemplateContext;
use super::direct::{Compiler, Program};
use super::helpers;
use super::segments::pieces;

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
    /// Every `(name, source)`, for the handlebars crate's registry.
    sources: Vec<(String, String)>,
    /// The handlebars crate's registry holding every template, built when first needed: for
    /// the crate's engine, and for a render the direct renderer leaves to it. Parsing a whole
    /// template costs far more than compiling it in pieces (see [`segments`](super::segments)),
    /// and a render that stays in the subset never needs it.
    registry: OnceLock<Result<Handlebars<'static>, TemplateError>>,
    /// The templates inside the direct renderer's subset, by name.
    compiled: HashMap<String, Program>,
}

impl Templates {
    /// Parses every `(name, source)`.
    pub(crate) fn new<'a>(
        sources: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Templates, TemplateError> {
        let sources: Vec<(String, String)> = sources
            .into_iter()
            .map(|(name, source)| (name.to_string(), source.to_string()))
            .collect();
        let helpers = registry([])?;
        let compiler = Compiler::new(&helpers);
        let mut compiled = HashMap::new();
        for (name, source) in &sources {
            let whole;
            let program = match parse_in_pieces(source) {
                Some(parsed) => compiler.compile(&parsed.iter().collect::<Vec<_>>()),
                // A piece that fails to parse: the whole template is parsed, for the crate's
                // own error (with the template's name and position), or for its whole tree.
                None => {
                    whole = registry([(name.as_str(), source.as_str())])?;
                    compiler.compile(&[whole.get_template(name).expect("just registered")])
                }
            };
            if let Some(program) = program {
                compiled.insert(name.clone(), program);
            }
        }
        Ok(Templates {
            sources,
            registry: OnceLock::new(),
            compiled,
        })
    }

    /// The handlebars crate's registry with every template.
    fn registry(&self) -> Result<&Handlebars<'static>, TemplateError> {
        self.registry
            .get_or_init(|| {
                registry(
                    self.sources
                        .iter()
                        .map(|(name, source)| (name.as_str(), source.as_str())),
                )
            })
            .as_ref()
            .map_err(Clone::clone)
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
        self.registry()?
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

/// `source` parsed piece by piece, or `None` when a piece does not parse on its own.
fn parse_in_pieces(source: &str) -> Option<Vec<Template>> {
    pieces(source)
        .into_iter()
        .map(|piece| Template::compile(piece).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pieces of every embedded template compile into the program its whole parse does, and
    /// the big ones are cut.
    #[test]
    fn embedded_templates_compile_the_same_in_pieces() {
        let helpers = registry([]).unwrap();
        let compiler = Compiler::new(&helpers);
        let mut cut = 0;
        for (name, source) in crate::render::embedded_templates() {
            let whole = registry([(name, source)]).unwrap();
            let whole = compiler.compile(&[whole.get_template(name).unwrap()]);
            let parsed = parse_in_pieces(source)
                .unwrap_or_else(|| panic!("{name}: a piece does not parse on its own"));
            let in_pieces = compiler.compile(&parsed.iter().collect::<Vec<_>>());
            assert_eq!(
                format!("{in_pieces:?}"),
                format!("{whole:?}"),
                "{name}: pieces compile differently"
            );
            assert!(whole.is_some(), "{name} is in the direct renderer's subset");
            if source.len() > 8 * 1024 {
                assert!(parsed.len() > 2, "{name} is cut into pieces");
            }
            cut += usize::from(parsed.len() > 1);
        }
        assert!(cut > 0);
    }

    /// A syntax error in an override is the crate's, with the template's name and position.
    #[test]
    fn a_piece_that_fails_reports_the_whole_templates_error() {
        let body = "x\n".repeat(3000);
        let source = format!("{body}{{{{#if a}}}}\n{{{{/each}}}}\n{body}");
        let error = Templates::new([("t.hbs", source.as_str())]).err().unwrap();
        assert_eq!(error.template, "t.hbs");
        assert!(error.message.contains("3001"), "{}", error.message);
    }
}
