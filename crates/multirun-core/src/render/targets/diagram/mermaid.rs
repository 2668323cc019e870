//! The graph as a Mermaid flowchart's parts, which `architecture.mmd.hbs` writes out: a shape
//! per node kind, one subgraph per region. The parts borrow the graph's text.

use serde::Serialize;

use super::graph::{Edge, Graph, Kind, Node};
use crate::render::Model;

#[derive(Debug, Clone, Serialize)]
pub struct MermaidNode<'a> {
    pub id: &'a str,
    /// Shape delimiters around the quoted label: `(["` … `"])` is a stadium, and so on.
    pub open: &'static str,
    pub close: &'static str,
    pub lines: &'a [String],
}

#[derive(Debug, Clone, Serialize)]
pub struct MermaidGroup<'a> {
    pub id: String,
    pub title: &'a str,
    pub nodes: Vec<MermaidNode<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Mermaid<'a> {
    pub heading: String,
    pub nodes: Vec<MermaidNode<'a>>,
    pub groups: Vec<MermaidGroup<'a>>,
    pub edges: &'a [Edge],
}

fn mermaid_node(node: &Node) -> MermaidNode<'_> {
    let (open, close) = match node.kind {
        Kind::Users => ("([", "])"),
        Kind::LoadBalancer => ("[", "]"),
        Kind::BackendService => ("[[", "]]"),
        Kind::Neg => ("[/", "/]"),
        Kind::CloudRun => ("(", ")"),
    };
    MermaidNode {
        id: &node.id,
        open,
        close,
        lines: &node.lines,
    }
}

pub(super) fn mermaid<'a>(model: &Model, graph: &'a Graph) -> Mermaid<'a> {
    // The title holds no spec text: Mermaid reads `%%{...}%%` directives anywhere, even in front
    // matter, and entity codes do not apply there.
    let heading = format!(
        "Cloud Run in {} regions behind one global external Application Load Balancer ({} routing)",
        model.regions.len(),
        model.routing
    );
    let mut nodes = vec![
        mermaid_node(&graph.users),
        mermaid_node(&graph.load_balancer),
    ];
    nodes.extend(graph.shared_backend.iter().map(mermaid_node));
    if !graph.rollout.is_empty() {
        // A flag shape, unconnected: a note on how changes reach the regions.
        nodes.push(MermaidNode {
            id: "rollout",
            open: ">",
            close: "]",
            lines: &graph.rollout,
        });
    }
    let groups = graph
        .regions
        .iter()
        .enumerate()
        .map(|(i, region)| MermaidGroup {
            id: super::graph::numbered("region", i),
            title: &region.title,
            nodes: region.nodes().map(mermaid_node).collect(),
        })
        .collect();
    Mermaid {
        heading,
        nodes,
        groups,
        edges: &graph.edges,
    }
}
