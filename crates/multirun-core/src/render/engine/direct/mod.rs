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
//!
//! [`compile`] is the only code that reads the handlebars crate's parsed template tree
//! (`handlebars::template`), whose shape is not covered by semver: Cargo.toml pins the crate's
//! minor version, and `compile`'s tests fail with what to do when an upgrade changes it.
//! [`run`] renders a compiled program over a [`TemplateContext`](super::TemplateContext).

mod compile;
mod run;
#[cfg(test)]
mod tests;

use std::sync::atomic::AtomicUsize;

use super::data::Data;
use super::helpers::Format;

pub(crate) use compile::Compiler;

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
        names: Vec<FieldName>,
    },
    /// `@first` and friends of the `#each` `up` levels out.
    Local {
        up: usize,
        name: Local,
    },
    Literal(Literal),
    Compare {
        equal: bool,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    Len(Box<Expr>),
}

/// One step of a path: a field's name, and the place in its object where the last render found
/// it. The same template reads objects of the same shape every time, so the place is nearly
/// always right, and a lookup skips comparing the names before it: a scan of a 30-field object
/// by name was a tenth of a render's instructions.
#[derive(Debug)]
struct FieldName {
    text: String,
    last_place: AtomicUsize,
}

impl FieldName {
    fn new(text: String) -> Self {
        FieldName {
            text,
            last_place: AtomicUsize::new(0),
        }
    }
}

/// A literal argument (`(eq region "us-central1")`): a scalar; a list or object literal is
/// left to the handlebars crate.
#[derive(Debug)]
enum Literal {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
}

impl Literal {
    fn from_json(value: &serde_json::Value) -> Option<Literal> {
        use serde_json::Value;
        Some(match value {
            Value::Null => Literal::Null,
            Value::Bool(b) => Literal::Bool(*b),
            Value::Number(n) => Literal::Number(n.clone()),
            Value::String(s) => Literal::String(s.clone()),
            Value::Array(_) | Value::Object(_) => return None,
        })
    }

    fn data(&self) -> Data<'_> {
        match self {
            Literal::Null => Data::Null,
            Literal::Bool(b) => Data::Bool(*b),
            Literal::Number(n) => Data::Number(n.clone()),
            Literal::String(s) => Data::String(s),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Local {
    First,
    Last,
    Index,
    Key,
}
