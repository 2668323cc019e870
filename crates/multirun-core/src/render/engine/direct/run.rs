//! Rendering a compiled [`Program`] over a [`TemplateContext`], borrowing every value it
//! writes or iterates.

use std::sync::atomic::Ordering;

use super::{Expr, FieldName, Local, Node, Program};
use crate::render::engine::context::TemplateContext;
use crate::render::engine::data::Data;

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
    Root(&'a TemplateContext<'a>),
    Value(&'a Data<'a>),
}

#[derive(Clone, Copy)]
struct Position<'a> {
    index: usize,
    len: usize,
    key: Option<&'a str>,
}

/// A value found or computed while rendering.
enum Found<'a> {
    Borrowed(&'a Data<'a>),
    Owned(Data<'a>),
}

impl<'a> Found<'a> {
    fn value(&self) -> &Data<'a> {
        match self {
            Found::Borrowed(value) => value,
            Found::Owned(value) => value,
        }
    }
}

impl Program {
    pub(crate) fn render(&self, context: &TemplateContext<'_>) -> Result<String, Unsupported> {
        let mut out = String::with_capacity(self.last_len.load(Ordering::Relaxed) + 1024);
        // Deep enough for every embedded template's nesting of `#each`, so it never regrows.
        let mut frames = Vec::with_capacity(8);
        frames.push(Frame {
            this: Scope::Root(context),
            position: None,
        });
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
    let mut iterate =
        |items: &mut dyn ExactSizeIterator<Item = (Option<&'a str>, &'a Data<'a>)>,
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
        Data::Object(fields) if !fields.is_empty() || otherwise.is_empty() => {
            iterate(&mut fields.iter().map(|(k, v)| (Some(*k), v)), frames)
        }
        _ if !otherwise.is_empty() => render_nodes(otherwise, frames, out),
        // Strict mode reports iterating a scalar without `{{else}}`.
        _ => Err(Unsupported),
    }
}

fn evaluate<'a>(expr: &'a Expr, frames: &[Frame<'a>]) -> Result<Found<'a>, Unsupported> {
    match expr {
        Expr::Literal(value) => Ok(Found::Owned(value.data())),
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
                Local::Key => Data::String(position.key.ok_or(Unsupported)?),
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
fn lookup<'a>(scope: Scope<'a>, names: &[FieldName]) -> Option<&'a Data<'a>> {
    let (mut value, rest) = match scope {
        Scope::Value(value) => (value, names),
        // `this` at the root is the merged context, which only the handlebars crate builds.
        Scope::Root(context) => {
            let first = names.first()?;
            let value = match context.entry(&first.text) {
                Some(entry) => entry,
                None => field(context.root(), first)?,
            };
            (value, &names[1..])
        }
    };
    for name in rest {
        value = match value {
            Data::Object(_) => field(value, name)?,
            Data::Array(items) => items.get(name.text.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(value)
}

/// The field `name` of `object`, looked for first where it was last found. Field names are
/// unique in an object (the serializer keeps one of each), so the first match is the match.
fn field<'a>(object: &'a Data<'a>, name: &FieldName) -> Option<&'a Data<'a>> {
    let Data::Object(fields) = object else {
        return None;
    };
    let last = name.last_place.load(Ordering::Relaxed);
    if let Some((key, value)) = fields.get(last) {
        if *key == name.text {
            return Some(value);
        }
    }
    let (place, (_, value)) = fields
        .iter()
        .enumerate()
        .find(|(_, (key, _))| *key == name.text)?;
    name.last_place.store(place, Ordering::Relaxed);
    Some(value)
}
