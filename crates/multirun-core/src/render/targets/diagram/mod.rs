//! Target `diagram`: `architecture.mmd` (a Mermaid flowchart) and `architecture.svg` (drawn
//! by multirun itself: no JavaScript, no fonts to fetch, layout computed here).
//!
//! Both show users → the global external Application Load Balancer (its IP and domains) →
//! backend service(s) → one serverless NEG per region → Cloud Run in that region. Under
//! `nearest` routing one backend service holds every NEG and its edges read "nearest"; under
//! `weighted` routing each region has its own backend service and the URL map's edges carry
//! the weights.
//!
//! The templates (`architecture.mmd.hbs`, `architecture.svg.hbs`) only lay out what is computed
//! here: `diagram.mermaid` (nodes, region subgraphs, edges) and `diagram.svg` (boxes, text
//! lines, paths and labels, with coordinates). Text reaches them raw and is escaped there with
//! `{{mermaid}}` and `{{xml}}`.
//!
//! - `graph`: the nodes, edges and region groups, from the model;
//! - `mermaid`: the graph as the flowchart's parts;
//! - `svg`: the graph laid out, with `coordinates` for how numbers are rounded and written.

mod coordinates;
mod graph;
mod mermaid;
mod svg;

use serde::Serialize;

use super::{template, Output, Source, Target};
use crate::render::{Model, TemplateContext};
use graph::{graph, Graph};
use mermaid::{mermaid, Mermaid};
pub use svg::text_width;
use svg::{svg, Svg};

pub const TARGET: Target = Target {
    name: "diagram",
    description:
        "architecture.mmd and architecture.svg: users → load balancer → NEGs → Cloud Run per region",
    templates: &[
        template!("architecture.mmd.hbs"),
        template!("architecture.svg.hbs"),
    ],
    plan,
};

/// Both drawings of the graph, under the context key `diagram`.
#[derive(Debug, Clone, Serialize)]
struct Diagram<'a> {
    mermaid: Mermaid<'a>,
    svg: Svg<'a>,
}

fn diagram<'a>(model: &Model, graph: &'a Graph) -> Diagram<'a> {
    Diagram {
        mermaid: mermaid(model, graph),
        svg: svg(model, graph),
    }
}

fn plan<'a>(model: &Model, base: &TemplateContext<'a>) -> Vec<Output<'a>> {
    let graph = graph(model);
    let context = base.clone().with("diagram", &diagram(model, &graph));
    vec![
        Output {
            path: "architecture.mmd".into(),
            source: Source::Template {
                name: "architecture.mmd.hbs",
                context: context.clone(),
            },
        },
        Output {
            path: "architecture.svg".into(),
            source: Source::Template {
                name: "architecture.svg.hbs",
                context,
            },
        },
    ]
}
