//! Compiling the handlebars crate's parsed template tree into a [`Program`]. This is the only
//! code that reads that tree (`handlebars::template`): the tests at the end fail, saying what to
//! do, when an upgrade of the crate changes a shape matched here.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::AtomicUsize;
use std::sync::OnceLock;

use handlebars::template::{HelperTemplate, Parameter, Template, TemplateElement};
use handlebars::{Handlebars, Path, PathSeg, RenderErrorReason};

use super::{Expr, FieldName, Literal, Local, Node, Program};
use crate::render::engine::helpers;

/// Compiles the templates of one registry, which it asks which names are helpers.
pub(crate) struct Compiler<'r> {
    registry: &'r Handlebars<'static>,
    /// The registry's answers so far, by name: templates use the same few names many times.
    helper_names: RefCell<HashMap<String, bool>>,
}

impl<'r> Compiler<'r> {
    pub(crate) fn new(registry: &'r Handlebars<'static>) -> Self {
        Compiler {
            registry,
            helper_names: RefCell::new(HashMap::new()),
        }
    }

    /// Compiles a parsed template, given as the pieces it was parsed in (one for a template
    /// parsed whole), or `None` when something in it is outside the subset.
    pub(crate) fn compile(&self, pieces: &[&Template]) -> Option<Program> {
        let mut nodes = Vec::new();
        for piece in pieces {
            self.push_nodes(piece, &mut nodes)?;
        }
        Some(Program {
            nodes,
            last_len: AtomicUsize::new(0),
        })
    }

    /// Whether the registry calls `{{name}}` a helper rather than looking `name` up. The
    /// handlebars crate keeps its helper table to itself (`has_helper` is crate-private), so
    /// the registry is asked by a call: the subexpression `(name)`, which the grammar accepts
    /// for every path (`{{name x}}` only for identifiers), fails with `HelperNotFound` exactly
    /// when no helper has that name. A `helperMissing` hook would make every name a helper
    /// here, which is safe: helper calls are left to the crate.
    fn is_helper(&self, name: &str) -> bool {
        if let Some(&known) = self.helper_names.borrow().get(name) {
            return known;
        }
        let probe = self
            .registry
            .render_template(&format!("{{{{#if ({name})}}}}{{{{/if}}}}"), &());
        let helper = !matches!(
            probe.as_ref().map_err(handlebars::RenderError::reason),
            Err(RenderErrorReason::HelperNotFound(missing)) if missing == name
        );
        self.helper_names
            .borrow_mut()
            .insert(name.to_string(), helper);
        helper
    }

    fn nodes(&self, template: &Template) -> Option<Vec<Node>> {
        let mut nodes = Vec::with_capacity(template.elements.len());
        self.push_nodes(template, &mut nodes)?;
        Some(nodes)
    }

    /// Appends the template's nodes, its leading text joined to a text node before it.
    fn push_nodes(&self, template: &Template, nodes: &mut Vec<Node>) -> Option<()> {
        for element in &template.elements {
            match element {
                TemplateElement::RawString(text) => match nodes.last_mut() {
                    Some(Node::Text(previous)) => previous.push_str(text),
                    _ => nodes.push(Node::Text(text.clone())),
                },
                TemplateElement::Comment(_) => {}
                // The registry escapes nothing (`no_escape`), so `{{{x}}}` and `{{x}}` write the same.
                TemplateElement::Expression(ht) | TemplateElement::HtmlExpression(ht) => {
                    nodes.push(self.expression(ht)?);
                }
                TemplateElement::HelperBlock(ht) => nodes.push(self.block(ht)?),
                _ => return None,
            }
        }
        Some(())
    }

    fn expression(&self, ht: &HelperTemplate) -> Option<Node> {
        if !plain(ht) || ht.block {
            return None;
        }
        if ht.params.is_empty() {
            // Name only: a lookup, unless the name is a helper's.
            if helper_name(ht).is_some_and(|name| self.is_helper(name)) {
                return None;
            }
            return match &ht.name {
                Parameter::Path(path) => Some(Node::Value(path_expr(path)?)),
                _ => None,
            };
        }
        let name = helper_name(ht)?;
        if let Some(format) = helpers::format(name) {
            let [arg] = ht.params.as_slice() else {
                return None;
            };
            return Some(Node::Helper {
                format,
                arg: self.param(arg)?,
            });
        }
        Some(Node::Value(self.call(name, &ht.params)?))
    }

    /// A value-returning helper call: `len x`, `eq a b`, `ne a b`.
    fn call(&self, name: &str, params: &[Parameter]) -> Option<Expr> {
        match (name, params) {
            ("len", [x]) => Some(Expr::Len(Box::new(self.param(x)?))),
            ("eq" | "ne", [a, b]) => Some(Expr::Compare {
                equal: name == "eq",
                left: Box::new(self.param(a)?),
                right: Box::new(self.param(b)?),
            }),
            _ => None,
        }
    }

    fn block(&self, ht: &HelperTemplate) -> Option<Node> {
        if !plain(ht) {
            return None;
        }
        let [arg] = ht.params.as_slice() else {
            return None;
        };
        let arg = self.param(arg)?;
        let body = ht
            .template
            .as_ref()
            .map_or(Some(Vec::new()), |t| self.nodes(t))?;
        let otherwise = ht
            .inverse
            .as_ref()
            .map_or(Some(Vec::new()), |t| self.nodes(t))?;
        match helper_name(ht)? {
            "each" => Some(Node::Each {
                list: arg,
                body,
                otherwise,
            }),
            "if" => Some(Node::If {
                condition: arg,
                positive: true,
                body,
                otherwise,
            }),
            "unless" => Some(Node::If {
                condition: arg,
                positive: false,
                body,
                otherwise,
            }),
            _ => None,
        }
    }

    fn param(&self, parameter: &Parameter) -> Option<Expr> {
        match parameter {
            Parameter::Path(path) => path_expr(path),
            Parameter::Literal(value) => Literal::from_json(value).map(Expr::Literal),
            Parameter::Subexpression(sub) => match sub.as_element() {
                TemplateElement::Expression(ht) if plain(ht) => {
                    self.call(helper_name(ht)?, &ht.params)
                }
                _ => None,
            },
            _ => None,
        }
    }
}

fn plain(ht: &HelperTemplate) -> bool {
    ht.hash.is_empty() && ht.block_param.is_none() && !ht.chain
}

/// The name the handlebars crate looks a helper up by: a path's text as written.
fn helper_name(ht: &HelperTemplate) -> Option<&str> {
    match &ht.name {
        Parameter::Name(name) => Some(name),
        Parameter::Path(Path::Relative((_, raw)) | Path::Local((_, _, raw))) => Some(raw),
        _ => None,
    }
}

fn path_expr(path: &Path) -> Option<Expr> {
    match path {
        Path::Local((up, name, _)) => {
            let name = match name.as_str() {
                "first" => Local::First,
                "last" => Local::Last,
                "index" => Local::Index,
                "key" => Local::Key,
                _ => return None,
            };
            Some(Expr::Local { up: *up, name })
        }
        Path::Relative((segments, _)) => {
            let parent = parent_segment();
            let mut up = 0;
            let mut names = Vec::with_capacity(segments.len());
            for segment in segments {
                match segment {
                    PathSeg::Named(name) => names.push(FieldName::new(name.clone())),
                    // `../` only before the names; `@root` and the rest are left to Handlebars.
                    ruled if names.is_empty() && Some(ruled) == parent => up += 1,
                    _ => return None,
                }
            }
            Some(Expr::Path { up, names })
        }
    }
}

/// The segment the handlebars crate parses `../` into (its grammar's rule type is private),
/// parsed once rather than for every path compiled.
fn parent_segment() -> Option<&'static PathSeg> {
    static PARENT: OnceLock<Option<PathSeg>> = OnceLock::new();
    PARENT
        .get_or_init(|| match Path::parse("../x").ok()? {
            Path::Relative((segments, _)) => segments.into_iter().next(),
            Path::Local(_) => None,
        })
        .as_ref()
}

/// Guards the pin of the handlebars crate (`~6.4` in Cargo.toml): compiling depends on the
/// shape of the crate's parsed templates and on how it names `../` and its helpers, none of
/// which semver covers. When a test here fails after an upgrade, the tree changed: update the
/// matching in this file (then these tests) or keep the pin. Until then every template would
/// silently fall back to the crate's renderer, several times slower.
#[cfg(test)]
mod handlebars_internals {
    use serde_json::json;

    use super::*;
    use crate::render::engine::context::TemplateContext;
    use crate::render::engine::data::Arena;
    use crate::render::engine::templates::registry;

    const WHAT_TO_DO: &str =
        "the handlebars crate's parsed template tree changed (was it upgraded \
        past the `~6.4` pin in crates/multirun-core/Cargo.toml?): update \
        render/engine/direct/compile.rs to the new tree, or keep the pin";

    /// One template with every construct `Compiler` matches.
    const EVERY_CONSTRUCT: &str = "\
{{! a comment }}{{!-- a long comment --}}
{{name}} {{{name}}} {{this.name}} {{nested.deep}} {{list.1}} {{sh name}} {{json nested}}
{{#each regions}}
  {{@index}}{{#if @first}} first{{/if}}{{#unless @last}},{{/unless}} {{name}} of {{../name}}
  {{#each env}}{{@key}}={{this}} in {{../name}} of {{../../name}}; {{/each}}
{{else}}
  none
{{/each}}
{{#if (eq name \"app\")}}eq{{else}}not eq{{/if}} {{#if (ne n 0)}}ne{{/if}} {{len regions}}
{{#unless no}}unless{{/unless}} {{eq n 0}} {{sh \"literal\"}}
a {{~ name ~}} b
";

    fn data() -> serde_json::Value {
        json!({
            "name": "app", "n": 0, "no": false, "list": ["a", "b"],
            "nested": {"deep": "d"},
            "regions": [
                {"name": "r1", "env": {"A": "1", "B": "2"}},
                {"name": "r2", "env": {}},
            ],
        })
    }

    #[test]
    fn every_construct_compiles_and_renders_as_the_crate_renders_it() {
        let registry = registry([("t", EVERY_CONSTRUCT)]).unwrap();
        let template = registry.get_template("t").unwrap();
        let program = Compiler::new(&registry)
            .compile(&[template])
            .unwrap_or_else(|| panic!("the template was not compiled: {WHAT_TO_DO}"));
        let direct = program
            .render(&TemplateContext::new(&Arena::new(), &data()))
            .unwrap_or_else(|_| panic!("the direct render fell back: {WHAT_TO_DO}"));
        let reference = registry.render("t", &data()).unwrap();
        assert!(
            direct == reference,
            "the engines differ ({WHAT_TO_DO}):\n{direct}\n---\n{reference}"
        );
    }

    #[test]
    fn the_parent_segment_is_found() {
        assert!(
            parent_segment().is_some(),
            "`../` no longer parses into a leading segment: {WHAT_TO_DO}"
        );
    }

    #[test]
    fn the_registry_tells_helpers_from_lookups() {
        let registry = registry([]).unwrap();
        let compiler = Compiler::new(&registry);
        for helper in ["if", "each", "eq", "len", "lookup", "sh", "json_pretty"] {
            assert!(compiler.is_helper(helper), "`{helper}`: {WHAT_TO_DO}");
        }
        for lookup in ["name", "this", "a.b", "../x", "@index", "[a b]"] {
            assert!(!compiler.is_helper(lookup), "`{lookup}`: {WHAT_TO_DO}");
        }
    }
}
