//! A direct renderer for the part of Handlebars the templates use.
//!
//! The handlebars crate's renderer allocates for every path lookup, helper call and `#each`
//! iteration; rendering every catalog region through it took about 5 ms. Here a template is
//! parsed by the handlebars crate itself (so whitespace control and standalone-line stripping
//! stay its own) and, when every construct in it belongs to the subset below, compiled into a
//! small program that walks borrowed JSON. A template outside the subset is rendered by the
//! handlebars crate, and so is any render that meets a case the subset leaves to it (a missing
//! value, which strict mode reports with its own message): the bytes are the same either way,
//! which the tests check for every embedded template.
//!
//! The subset: text and comments; `{{path}}`; `{{helper arg}}` for the escaping helpers and
//! `len`; `{{#each}}`, `{{#if}}` and `{{#unless}}` with `{{else}}`; `(eq a b)` and `(ne a b)`;
//! paths with `this`, `../` and `@first`, `@last`, `@index`, `@key`. No partials, decorators,
//! block params, hash arguments, `@root` or `{{else if}}` chains.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use handlebars::template::{HelperTemplate, Parameter, Template, TemplateElement};
use handlebars::{Path, PathSeg};

use super::context::TemplateContext;
use super::data::Data;
use super::helpers::{self, Format};

/// A template compiled into the subset.
#[derive(Debug)]
pub(crate) struct Program {
    nodes: Vec<Node>,
    /// The length of the last output, to size the next one: growing a 60 KB output from
    /// nothing copied it a dozen times.
    last_len: AtomicUsize,
}

#[derive(Debug)]
enum Node {
    Text(String),
    /// `{{expr}}`: the value as Handlebars writes it (strings as is, null as nothing).
    Value(Expr),
    /// `{{sh path}}` and the other escaping helpers.
    Helper {
        format: Format,
        arg: Expr,
    },
    Each {
        list: Expr,
        body: Vec<Node>,
        otherwise: Vec<Node>,
    },
    If {
        condition: Expr,
        positive: bool,
        body: Vec<Node>,
        otherwise: Vec<Node>,
    },
}

#[derive(Debug)]
enum Expr {
    /// `../` levels, then names from that frame's value.
    Path {
        up: usize,
        names: Vec<String>,
    },
    /// `@first` and friends of the `#each` `up` levels out.
    Local {
        up: usize,
        name: Local,
    },
    Literal(Data),
    Compare {
        equal: bool,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    Len(Box<Expr>),
}

#[derive(Debug, Clone, Copy)]
enum Local {
    First,
    Last,
    Index,
    Key,
}

/// Helpers the handlebars crate registers by default or that the `string_helpers` feature
/// adds: a name-only expression with one of these names is a helper call, not a lookup.
const BUILTIN_HELPERS: &[&str] = &[
    "if",
    "unless",
    "each",
    "with",
    "lookup",
    "raw",
    "log",
    "eq",
    "ne",
    "gt",
    "gte",
    "lt",
    "lte",
    "and",
    "or",
    "not",
    "len",
    "lowerCamelCase",
    "upperCamelCase",
    "snakeCase",
    "kebabCase",
    "shoutySnakeCase",
    "shoutyKebabCase",
    "titleCase",
    "trainCase",
];

/// Compiles a parsed template, or `None` when something in it is outside the subset.
pub(crate) fn compile(template: &Template) -> Option<Program> {
    Some(Program {
        nodes: nodes(template)?,
        last_len: AtomicUsize::new(0),
    })
}

fn nodes(template: &Template) -> Option<Vec<Node>> {
    let mut nodes = Vec::with_capacity(template.elements.len());
    for element in &template.elements {
        match element {
            TemplateElement::RawString(text) => match nodes.last_mut() {
                Some(Node::Text(previous)) => previous.push_str(text),
                _ => nodes.push(Node::Text(text.clone())),
            },
            TemplateElement::Comment(_) => {}
            // The registry escapes nothing (`no_escape`), so `{{{x}}}` and `{{x}}` write the same.
            TemplateElement::Expression(ht) | TemplateElement::HtmlExpression(ht) => {
                nodes.push(expression(ht)?);
            }
            TemplateElement::HelperBlock(ht) => nodes.push(block(ht)?),
            _ => return None,
        }
    }
    Some(nodes)
}

fn plain(ht: &HelperTemplate) -> bool {
    ht.hash.is_empty() && ht.block_param.is_none() && !ht.chain
}

fn helper_name(ht: &HelperTemplate) -> Option<&str> {
    match &ht.name {
        Parameter::Name(name) => Some(name),
        Parameter::Path(Path::Relative((_, raw))) => Some(raw),
        _ => None,
    }
}

fn expression(ht: &HelperTemplate) -> Option<Node> {
    if !plain(ht) || ht.block {
        return None;
    }
    if ht.params.is_empty() {
        // Name only: a lookup, unless the name is a helper's.
        let name = helper_name(ht);
        if name.is_some_and(|n| BUILTIN_HELPERS.contains(&n) || helpers::format(n).is_some()) {
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
            arg: param(arg)?,
        });
    }
    Some(Node::Value(call(name, &ht.params)?))
}

/// A value-returning helper call: `len x`, `eq a b`, `ne a b`.
fn call(name: &str, params: &[Parameter]) -> Option<Expr> {
    match (name, params) {
        ("len", [x]) => Some(Expr::Len(Box::new(param(x)?))),
        ("eq" | "ne", [a, b]) => Some(Expr::Compare {
            equal: name == "eq",
            left: Box::new(param(a)?),
            right: Box::new(param(b)?),
        }),
        _ => None,
    }
}

fn block(ht: &HelperTemplate) -> Option<Node> {
    if !plain(ht) {
        return None;
    }
    let [arg] = ht.params.as_slice() else {
        return None;
    };
    let arg = param(arg)?;
    let body = ht.template.as_ref().map_or(Some(Vec::new()), nodes)?;
    let otherwise = ht.inverse.as_ref().map_or(Some(Vec::new()), nodes)?;
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

fn param(parameter: &Parameter) -> Option<Expr> {
    match parameter {
        Parameter::Path(path) => path_expr(path),
        Parameter::Literal(value) => Some(Expr::Literal(Data::from_serialize(value))),
        Parameter::Subexpression(sub) => match sub.as_element() {
            TemplateElement::Expression(ht) if plain(ht) => call(helper_name(ht)?, &ht.params),
            _ => None,
        },
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
                    PathSeg::Named(name) => names.push(name.clone()),
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

/// The render met a case the subset leaves to the handlebars crate.
#[derive(Debug)]
pub(crate) struct Unsupported;

/// One level of `#each` (or the root): the value `this` names, and the loop's position.
struct Frame<'a> {
    this: Scope<'a>,
    position: Option<Position<'a>>,
}

#[derive(Clone, Copy)]
enum Scope<'a> {
    Root(&'a TemplateContext),
    Value(&'a Data),
}

#[derive(Clone, Copy)]
struct Position<'a> {
    index: usize,
    len: usize,
    key: Option<&'a str>,
}

/// A value found or computed while rendering.
enum Found<'a> {
    Borrowed(&'a Data),
    Owned(Data),
}

impl Found<'_> {
    fn value(&self) -> &Data {
        match self {
            Found::Borrowed(value) => value,
            Found::Owned(value) => value,
        }
    }
}

impl Program {
    pub(crate) fn render(&self, context: &TemplateContext) -> Result<String, Unsupported> {
        let mut out = String::with_capacity(self.last_len.load(Ordering::Relaxed) + 1024);
        let mut frames = vec![Frame {
            this: Scope::Root(context),
            position: None,
        }];
        render_nodes(&self.nodes, &mut frames, &mut out)?;
        self.last_len.store(out.len(), Ordering::Relaxed);
        Ok(out)
    }
}

fn render_nodes<'a>(
    nodes: &'a [Node],
    frames: &mut Vec<Frame<'a>>,
    out: &mut String,
) -> Result<(), Unsupported> {
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Value(expr) => evaluate(expr, frames)?.value().write_plain(out),
            Node::Helper { format, arg } => format.write(evaluate(arg, frames)?.value(), out),
            Node::If {
                condition,
                positive,
                body,
                otherwise,
            } => {
                let truthy = evaluate(condition, frames)?.value().is_truthy();
                render_nodes(
                    if truthy == *positive { body } else { otherwise },
                    frames,
                    out,
                )?;
            }
            Node::Each {
                list,
                body,
                otherwise,
            } => render_each(evaluate(list, frames)?, body, otherwise, frames, out)?,
        }
    }
    Ok(())
}

fn render_each<'a>(
    list: Found<'a>,
    body: &'a [Node],
    otherwise: &'a [Node],
    frames: &mut Vec<Frame<'a>>,
    out: &mut String,
) -> Result<(), Unsupported> {
    // A computed list (`#each (helper ...)`) has no place to borrow its items from.
    let Found::Borrowed(list) = list else {
        return Err(Unsupported);
    };
    let mut iterate = |items: &mut dyn ExactSizeIterator<Item = (Option<&'a str>, &'a Data)>,
                       frames: &mut Vec<Frame<'a>>| {
        let len = items.len();
        for (index, (key, item)) in items.enumerate() {
            frames.push(Frame {
                this: Scope::Value(item),
                position: Some(Position { index, len, key }),
            });
            let rendered = render_nodes(body, frames, out);
            frames.pop();
            rendered?;
        }
        Ok(())
    };
    match list {
        Data::Array(items) if !items.is_empty() || otherwise.is_empty() => {
            iterate(&mut items.iter().map(|item| (None, item)), frames)
        }
        Data::Object(fields) if !fields.is_empty() || otherwise.is_empty() => iterate(
            &mut fields.iter().map(|(k, v)| (Some(k.as_ref()), v)),
            frames,
        ),
        _ if !otherwise.is_empty() => render_nodes(otherwise, frames, out),
        // Strict mode reports iterating a scalar without `{{else}}`.
        _ => Err(Unsupported),
    }
}

fn evaluate<'a>(expr: &'a Expr, frames: &[Frame<'a>]) -> Result<Found<'a>, Unsupported> {
    match expr {
        Expr::Literal(value) => Ok(Found::Borrowed(value)),
        Expr::Path { up, names } => {
            let frame = frames
                .len()
                .checked_sub(up + 1)
                .map(|i| &frames[i])
                .ok_or(Unsupported)?;
            lookup(frame.this, names)
                .map(Found::Borrowed)
                .ok_or(Unsupported)
        }
        Expr::Local { up, name } => {
            let frame = frames
                .len()
                .checked_sub(up + 1)
                .map(|i| &frames[i])
                .ok_or(Unsupported)?;
            let position = frame.position.ok_or(Unsupported)?;
            Ok(Found::Owned(match name {
                Local::First => Data::Bool(position.index == 0),
                Local::Last => Data::Bool(position.index + 1 == position.len),
                Local::Index => Data::Number(position.index.into()),
                Local::Key => Data::String(position.key.ok_or(Unsupported)?.to_string()),
            }))
        }
        Expr::Compare { equal, left, right } => {
            let (left, right) = (evaluate(left, frames)?, evaluate(right, frames)?);
            // JSON objects compare without regard to key order, `Data` objects with it.
            if [left.value(), right.value()]
                .iter()
                .any(|v| matches!(v, Data::Array(_) | Data::Object(_)))
            {
                return Err(Unsupported);
            }
            Ok(Found::Owned(Data::Bool(
                (left.value() == right.value()) == *equal,
            )))
        }
        Expr::Len(x) => Ok(Found::Owned(Data::Number(
            match evaluate(x, frames)?.value() {
                Data::Array(items) => items.len(),
                Data::Object(fields) => fields.len(),
                Data::String(s) => s.len(),
                _ => 0,
            }
            .into(),
        ))),
    }
}

/// Follows `names` from `scope`; `None` when a step is missing (strict mode's error).
fn lookup<'a>(scope: Scope<'a>, names: &[String]) -> Option<&'a Data> {
    let (mut value, rest) = match scope {
        Scope::Value(value) => (value, names),
        // `this` at the root is the merged context, which only the handlebars crate builds.
        Scope::Root(context) => (context.get(names.first()?)?, &names[1..]),
    };
    for name in rest {
        value = match value {
            Data::Object(_) => value.get(name)?,
            Data::Array(items) => items.get(name.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use handlebars::Handlebars;
    use serde_json::{json, Value};

    use super::*;

    fn registry(source: &str) -> Handlebars<'static> {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        registry.register_escape_fn(handlebars::no_escape);
        helpers::register(&mut registry);
        registry.register_template_string("t", source).unwrap();
        registry
    }

    /// Renders `source` both ways; `None` from the direct side means it declined.
    fn both(source: &str, data: &Value) -> (Option<String>, Result<String, String>) {
        let registry = registry(source);
        let context = TemplateContext::new(&Arc::new(Data::from_serialize(data)));
        let direct = compile(registry.get_template("t").unwrap())
            .and_then(|program| program.render(&context).ok());
        let reference = registry.render("t", data).map_err(|e| e.to_string());
        (direct, reference)
    }

    #[track_caller]
    fn same(source: &str, data: Value) -> String {
        let (direct, reference) = both(source, &data);
        let reference = reference.expect("the reference renders");
        assert_eq!(direct.as_deref(), Some(reference.as_str()), "{source}");
        reference
    }

    fn data() -> Value {
        json!({
            "name": "app", "n": 0, "x": 1.5, "yes": true, "no": false, "none": null, "empty": "", "list": [],
            "regions": [{"name": "a", "env": [{"k": "K1", "v": "1"}]}, {"name": "b", "env": []}, {"name": "c", "env": [{"k": "K2", "v": "x y"}]}],
            "labels": {"team": "web", "tier": "1"},
            "nested": {"deep": {"value": "v"}, "items": [1, 2]},
        })
    }

    #[test]
    fn values_write_as_handlebars_writes_them() {
        let out = same("{{name}}|{{n}}|{{x}}|{{yes}}|{{none}}|{{empty}}|{{nested.items}}|{{nested}}|{{nested.deep.value}}|{{{name}}}", data());
        assert_eq!(out, "app|0|1.5|true|||[1, 2]|[object]|v|app");
        same("{{nested.items.1}} {{regions.2.name}}", data());
    }

    #[test]
    fn loops_and_locals_match() {
        same("{{#each regions}}{{#unless @first}}, {{/unless}}{{@index}}:{{name}}{{#if @last}}.{{/if}}{{/each}}", data());
        same("{{#each regions}}{{#each env}}{{../name}}/{{../../name}}/{{k}}={{v}}@{{@index}}{{@../index}} {{/each}}{{/each}}", data());
        same(
            "{{#each labels}}{{@key}}={{this}} first={{@first}} last={{@last}};{{/each}}",
            data(),
        );
        same("{{#each list}}x{{else}}none{{/each}}|{{#each none}}x{{else}}null{{/each}}|{{#each list}}x{{/each}}", data());
        same("{{#each nested.items}}{{this}}{{sh this}}{{/each}}", data());
    }

    #[test]
    fn conditions_match() {
        same("{{#if name}}a{{else}}b{{/if}}{{#if n}}c{{else}}d{{/if}}{{#if x}}e{{/if}}{{#if empty}}f{{else}}g{{/if}}{{#if list}}h{{else}}i{{/if}}", data());
        same("{{#unless no}}a{{/unless}}{{#unless yes}}b{{else}}c{{/unless}}{{#if none}}d{{else}}e{{/if}}{{#if labels}}f{{/if}}", data());
        same(
            r#"{{#if (eq name "app")}}a{{/if}}{{#if (ne name "app")}}b{{else}}c{{/if}}{{eq n 0}} {{len regions}} {{len labels}} {{len name}}"#,
            data(),
        );
    }

    #[test]
    fn helpers_and_whitespace_control_match() {
        same(
            "{{sh name}} {{hcl nested.deep.value}} {{yaml empty}} {{json nested}} {{json_pretty labels}} {{xml name}} {{mermaid name}} {{cloudbuild name}}",
            data(),
        );
        same("a\n{{#each regions}}\n  - {{name}}\n{{/each}}\nb {{~ name ~}} c\n{{! comment }}\n{{!-- long --}}\nd", data());
    }

    #[test]
    fn cases_outside_the_subset_are_left_to_handlebars() {
        let declined = |source: &str| {
            let (direct, _) = both(source, &data());
            assert_eq!(direct, None, "{source}");
        };
        // Missing values: strict mode's error is Handlebars' to word.
        declined("{{missing}}");
        declined("{{sh nested.nothing}}");
        declined("{{#if missing}}x{{/if}}");
        declined("{{#each missing}}x{{/each}}");
        declined("{{@index}}");
        declined("{{../name}}");
        // Constructs the subset doesn't have.
        declined("{{> partial}}");
        declined("{{#with nested}}{{deep.value}}{{/with}}");
        declined("{{#each regions as |r|}}{{r.name}}{{/each}}");
        declined("{{@root.name}}");
        declined("{{lookup regions 0}}");
        declined("{{#if yes}}a{{else if no}}b{{/if}}");
        declined("{{#if n includeZero=true}}a{{/if}}");
        declined("{{#each name}}x{{/each}}");
        declined("{{sh}}");
        declined("{{len}}");
        declined("{{this}}");
    }

    #[test]
    fn a_declined_render_reports_handlebars_error() {
        let (_, reference) = both("{{missing}}", &data());
        assert!(reference.unwrap_err().contains("missing"));
    }

    #[test]
    fn the_model_entries_resolve_through_the_context() {
        let registry =
            registry("{{deploy.file}} {{name}} {{#each regions}}{{../deploy.file}}{{/each}}");
        let data = |value: Value| Arc::new(Data::from_serialize(&value));
        let context = TemplateContext::new(&data(json!({"name": "m", "regions": [1, 2]})))
            .with("deploy", &data(json!({"file": "f"})));
        let program = compile(registry.get_template("t").unwrap()).unwrap();
        assert_eq!(program.render(&context).unwrap(), "f m ff");
        assert_eq!(registry.render("t", &context.to_json()).unwrap(), "f m ff");
    }
}
