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

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Arc;

use serde::Serialize;

use super::{template, Output, Source, Target};
use crate::render::data::object;
use crate::render::{Data, Model, TemplateContext};

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

/// Domains listed by name in the load balancer's box; the rest are counted.
const MAX_DOMAINS_SHOWN: usize = 3;
/// Longest text line in a box, in characters; longer lines are cut with `…`.
const MAX_LINE_CHARS: usize = 44;

// ---------------------------------------------------------------------------------------------
// The graph, shared by both outputs.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Kind {
    Users,
    LoadBalancer,
    BackendService,
    Neg,
    CloudRun,
}

#[derive(Debug, Clone, Serialize)]
pub struct Node {
    pub id: String,
    pub kind: Kind,
    /// The first line is the node's kind, drawn bold in the SVG.
    pub lines: Vec<String>,
    /// Index of the region the node belongs to.
    #[serde(skip)]
    region: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub label: Option<String>,
}

struct Graph {
    users: Node,
    load_balancer: Node,
    /// The single backend service under `nearest`.
    shared_backend: Option<Node>,
    /// Per region: (backend service under `weighted`, NEG, Cloud Run).
    regions: Vec<(String, Option<Node>, Node, Node)>,
    edges: Vec<Edge>,
}

fn cut(line: String) -> String {
    if line.chars().count() <= MAX_LINE_CHARS {
        line
    } else {
        let mut cut: String = line.chars().take(MAX_LINE_CHARS - 1).collect();
        cut.push('…');
        cut
    }
}

fn node(id: impl Into<String>, kind: Kind, lines: Vec<String>, region: Option<usize>) -> Node {
    Node {
        id: id.into(),
        kind,
        lines: lines.into_iter().map(cut).collect(),
        region,
    }
}

fn graph(model: &Model) -> Graph {
    let lb = &model.load_balancer;
    let mut lb_lines = vec![
        "Global external Application Load Balancer".to_string(),
        format!("IP {} · EXTERNAL_MANAGED", lb.address_name),
        format!("URL map {}", lb.url_map_name),
    ];
    for domain in lb.domains.iter().take(MAX_DOMAINS_SHOWN) {
        lb_lines.push(format!("https://{domain}"));
    }
    if lb.domains.len() > MAX_DOMAINS_SHOWN {
        lb_lines.push(format!(
            "+{} more domains",
            lb.domains.len() - MAX_DOMAINS_SHOWN
        ));
    }
    if lb.https_redirect {
        lb_lines.push("HTTP :80 redirects to HTTPS".to_string());
    }
    let users = node("users", Kind::Users, vec!["Users".into()], None);
    let load_balancer = node("lb", Kind::LoadBalancer, lb_lines, None);
    let mut edges = vec![Edge {
        from: "users".into(),
        to: "lb".into(),
        label: Some("HTTPS".into()),
    }];
    let shared_backend = model.nearest.then(|| {
        node(
            "backend",
            Kind::BackendService,
            vec![
                "Backend service".into(),
                lb.backend_service_name.clone(),
                "outlier detection".into(),
            ],
            None,
        )
    });
    if shared_backend.is_some() {
        edges.push(Edge {
            from: "lb".into(),
            to: "backend".into(),
            label: None,
        });
    }
    let mut regions = Vec::new();
    for (i, region) in model.regions.iter().enumerate() {
        let neg = node(
            format!("neg{i}"),
            Kind::Neg,
            vec!["Serverless NEG".into(), region.neg_name.clone()],
            Some(i),
        );
        let run = node(
            format!("run{i}"),
            Kind::CloudRun,
            vec![
                "Cloud Run".into(),
                format!("{} · {}", model.service.name, region.name),
                format!(
                    "{}–{} instances",
                    region.min_instances, region.max_instances
                ),
            ],
            Some(i),
        );
        let backend = (!model.nearest).then(|| {
            node(
                format!("backend{i}"),
                Kind::BackendService,
                vec![
                    "Backend service".into(),
                    region.backend_service_name.clone(),
                ],
                Some(i),
            )
        });
        match &backend {
            Some(backend) => {
                edges.push(Edge {
                    from: "lb".into(),
                    to: backend.id.clone(),
                    label: Some(format!("weight {}", region.weight)),
                });
                edges.push(Edge {
                    from: backend.id.clone(),
                    to: neg.id.clone(),
                    label: None,
                });
            }
            None => edges.push(Edge {
                from: "backend".into(),
                to: neg.id.clone(),
                label: Some("nearest".into()),
            }),
        }
        edges.push(Edge {
            from: neg.id.clone(),
            to: run.id.clone(),
            label: None,
        });
        regions.push((region.name.clone(), backend, neg, run));
    }
    Graph {
        users,
        load_balancer,
        shared_backend,
        regions,
        edges,
    }
}

// ---------------------------------------------------------------------------------------------
// Mermaid.

#[derive(Debug, Clone, Serialize)]
pub struct MermaidNode {
    pub id: String,
    /// Shape delimiters around the quoted label: `(["` … `"])` is a stadium, and so on.
    pub open: &'static str,
    pub close: &'static str,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MermaidGroup {
    pub id: String,
    pub title: String,
    pub nodes: Vec<MermaidNode>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Mermaid {
    pub heading: String,
    pub nodes: Vec<MermaidNode>,
    pub groups: Vec<MermaidGroup>,
    pub edges: Vec<Edge>,
}

fn mermaid_node(node: &Node) -> MermaidNode {
    let (open, close) = match node.kind {
        Kind::Users => ("([", "])"),
        Kind::LoadBalancer => ("[", "]"),
        Kind::BackendService => ("[[", "]]"),
        Kind::Neg => ("[/", "/]"),
        Kind::CloudRun => ("(", ")"),
    };
    MermaidNode {
        id: node.id.clone(),
        open,
        close,
        lines: node.lines.clone(),
    }
}

fn mermaid(model: &Model, graph: &Graph) -> Mermaid {
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
    let groups = graph
        .regions
        .iter()
        .enumerate()
        .map(|(i, (name, backend, neg, run))| MermaidGroup {
            id: format!("region{i}"),
            title: name.clone(),
            nodes: backend.iter().chain([neg, run]).map(mermaid_node).collect(),
        })
        .collect();
    Mermaid {
        heading,
        nodes,
        groups,
        edges: graph.edges.clone(),
    }
}

fn heading(model: &Model) -> String {
    format!(
        "{}: {} routing across {} regions",
        model.service.name,
        model.routing,
        model.regions.len()
    )
}

// ---------------------------------------------------------------------------------------------
// SVG layout.

const MARGIN: f64 = 24.0;
const TOP: f64 = 76.0;
const LINE_HEIGHT: f64 = 16.0;
const BOX_PADDING: f64 = 14.0;
const MIN_BOX_WIDTH: f64 = 120.0;
/// Region bands: a label strip above the boxes.
const BAND_LABEL: f64 = 22.0;
const BAND_PADDING: f64 = 8.0;
const BAND_GAP: f64 = 14.0;
const GAP: f64 = 56.0;
const LABELLED_GAP: f64 = 150.0;
/// Space between an edge label and the box the edge enters (clear of the region band).
const LABEL_CLEARANCE: f64 = 14.0;
const FONT_SIZE: f64 = 12.0;

#[derive(Debug, Clone, Serialize)]
pub struct SvgText {
    pub x: f64,
    pub y: f64,
    pub text: String,
    pub bold: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct SvgBox {
    pub id: String,
    pub kind: Kind,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub fill: &'static str,
    pub stroke: &'static str,
    pub lines: Vec<SvgText>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SvgLabel {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub text: SvgText,
}

#[derive(Debug, Clone, Serialize)]
pub struct SvgEdge {
    /// Path data: a cubic curve from the source's right side to the target's left side.
    pub d: String,
    pub label: Option<SvgLabel>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SvgBand {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub label: SvgText,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Svg {
    pub width: f64,
    pub height: f64,
    pub font_size: f64,
    pub title: SvgText,
    pub subtitle: SvgText,
    pub bands: Vec<SvgBand>,
    pub edges: Vec<SvgEdge>,
    pub boxes: Vec<SvgBox>,
}

/// Rounds to a tenth of a pixel, so the output is short and the same on every platform.
fn r(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// Writes `r(value)` as `{}` would (`12`, `12.5`, `-0.5`), from its whole number of tenths:
/// formatting floats the general way was a tenth of the time spent laying out a large diagram.
fn push_rounded(out: &mut String, value: f64) {
    let tenths = (value * 10.0).round();
    if tenths == 0.0 && value.is_sign_negative() || tenths.is_nan() || tenths.abs() >= 1e15 {
        // -0 and huge values: rare enough for the general path.
        write!(out, "{}", r(value)).expect("writing to a String succeeds");
        return;
    }
    let tenths = tenths as i64;
    if tenths < 0 {
        out.push('-');
    }
    let (whole, tenth) = (tenths.unsigned_abs() / 10, tenths.unsigned_abs() % 10);
    write!(out, "{whole}").expect("writing to a String succeeds");
    if tenth != 0 {
        out.push('.');
        out.push(char::from(b'0' + tenth as u8));
    }
}

/// A generous estimate of a text's width at 12 px in a sans-serif font (no font metrics are
/// available, and text must not overflow its box): wide (CJK, emoji) characters count double.
pub fn text_width(text: &str, bold: bool) -> f64 {
    let width: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '|' | '!' | '\'' | ' ' => 4.0,
            'm' | 'w' | 'M' | 'W' | '@' => 10.5,
            c if c.is_ascii_uppercase() => 8.5,
            c if (c as u32) >= 0x1100 && !matches!(c as u32, 0x2000..=0x2BFF) => 13.0,
            _ => 7.0,
        })
        .sum();
    if bold {
        width * 1.08
    } else {
        width
    }
}

fn colors(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::Users => ("#f1f3f4", "#5f6368"),
        Kind::LoadBalancer => ("#e8f0fe", "#1a73e8"),
        Kind::BackendService => ("#f3e8fd", "#9334e6"),
        Kind::Neg => ("#fef7e0", "#e37400"),
        Kind::CloudRun => ("#e6f4ea", "#188038"),
    }
}

fn box_height(node: &Node) -> f64 {
    node.lines.len() as f64 * LINE_HEIGHT + BOX_PADDING
}

fn column_width(nodes: &[&Node]) -> f64 {
    nodes
        .iter()
        .flat_map(|n| {
            n.lines
                .iter()
                .enumerate()
                .map(|(i, l)| text_width(l, i == 0))
        })
        .fold(MIN_BOX_WIDTH, |a, b| a.max(b + 2.0 * BOX_PADDING))
        .ceil()
}

fn place(node: &Node, x: f64, y: f64, width: f64) -> SvgBox {
    let height = box_height(node);
    let (fill, stroke) = colors(node.kind);
    // Baselines: the text block is centred vertically in the box.
    let first = y + BOX_PADDING / 2.0 + LINE_HEIGHT / 2.0 + FONT_SIZE * 0.35;
    let lines = node
        .lines
        .iter()
        .enumerate()
        .map(|(i, text)| SvgText {
            x: r(x + width / 2.0),
            y: r(first + i as f64 * LINE_HEIGHT),
            text: text.clone(),
            bold: i == 0 && node.lines.len() > 1,
        })
        .collect();
    SvgBox {
        id: node.id.clone(),
        kind: node.kind,
        x: r(x),
        y: r(y),
        width,
        height,
        fill,
        stroke,
        lines,
    }
}

fn svg(model: &Model, graph: &Graph) -> Svg {
    let region_count = graph.regions.len();
    let weighted = graph.shared_backend.is_none();
    // Columns, left to right; per-region columns hold one box per region.
    let backends: Vec<&Node> = graph
        .regions
        .iter()
        .filter_map(|(_, b, _, _)| b.as_ref())
        .collect();
    let negs: Vec<&Node> = graph.regions.iter().map(|(_, _, n, _)| n).collect();
    let runs: Vec<&Node> = graph.regions.iter().map(|(_, _, _, r)| r).collect();
    let users_w = column_width(&[&graph.users]);
    let lb_w = column_width(&[&graph.load_balancer]);
    let backend_w = match &graph.shared_backend {
        Some(b) => column_width(&[b]),
        None => column_width(&backends),
    };
    let neg_w = column_width(&negs);
    let run_w = column_width(&runs);

    let users_x = MARGIN;
    let lb_x = users_x + users_w + LABELLED_GAP;
    let backend_x = lb_x + lb_w + if weighted { LABELLED_GAP } else { GAP };
    let neg_x = backend_x + backend_w + if weighted { GAP } else { LABELLED_GAP };
    let run_x = neg_x + neg_w + GAP;
    let band_x = if weighted { backend_x } else { neg_x } - BAND_PADDING;
    let band_w = run_x + run_w + BAND_PADDING - band_x;

    // Rows: one band per region; single boxes are centred on the bands.
    let row_box_h = graph
        .regions
        .iter()
        .flat_map(|(_, b, n, r)| b.iter().chain([n, r]))
        .map(box_height)
        .fold(0.0, f64::max);
    let band_h = BAND_LABEL + row_box_h + BAND_PADDING;
    let pitch = band_h + BAND_GAP;
    let bands_h = region_count as f64 * pitch - BAND_GAP;
    let lb_h = box_height(&graph.load_balancer);
    let content_h = bands_h.max(lb_h);
    let bands_top = TOP + (content_h - bands_h) / 2.0;
    let centre = TOP + content_h / 2.0;

    let mut boxes = vec![
        place(
            &graph.users,
            users_x,
            centre - box_height(&graph.users) / 2.0,
            users_w,
        ),
        place(&graph.load_balancer, lb_x, centre - lb_h / 2.0, lb_w),
    ];
    if let Some(backend) = &graph.shared_backend {
        boxes.push(place(
            backend,
            backend_x,
            centre - box_height(backend) / 2.0,
            backend_w,
        ));
    }
    let mut bands = Vec::new();
    for (i, (name, backend, neg, run)) in graph.regions.iter().enumerate() {
        let band_y = bands_top + i as f64 * pitch;
        bands.push(SvgBand {
            x: r(band_x),
            y: r(band_y),
            width: r(band_w),
            height: r(band_h),
            label: SvgText {
                x: r(band_x + 10.0),
                y: r(band_y + 15.0),
                text: cut(name.clone()),
                bold: true,
            },
        });
        let row_centre = band_y + BAND_LABEL + row_box_h / 2.0;
        for (node, x, w) in backend
            .iter()
            .map(|b| (b, backend_x, backend_w))
            .chain([(neg, neg_x, neg_w), (run, run_x, run_w)])
        {
            debug_assert_eq!(node.region, Some(i));
            boxes.push(place(node, x, row_centre - box_height(node) / 2.0, w));
        }
    }

    // By id: a linear search per edge made laying out every catalog region quadratic.
    let by_id: HashMap<&str, &SvgBox> = boxes.iter().map(|b| (b.id.as_str(), b)).collect();
    let find = |id: &str| *by_id.get(id).expect("every edge joins drawn boxes");
    let edges = graph
        .edges
        .iter()
        .map(|edge| {
            let (from, to) = (find(&edge.from), find(&edge.to));
            let p0 = (from.x + from.width, from.y + from.height / 2.0);
            let p3 = (to.x, to.y + to.height / 2.0);
            let label_width = edge
                .label
                .as_ref()
                .map(|text| (text_width(text, false) + 10.0).ceil());
            // A labelled edge ends in a straight run into its target and its label sits on that
            // run, so a label is never ambiguous where edges fan out.
            let straight = label_width.map_or(0.0, |w| w + LABEL_CLEARANCE + 8.0);
            let q = (p3.0 - straight, p3.1);
            let mx = (p0.0 + q.0) / 2.0;
            let mut d = String::with_capacity(64);
            let points: &[(&str, f64)] = &[
                ("M ", p0.0),
                (" ", p0.1),
                (" C ", mx),
                (" ", p0.1),
                (" ", mx),
                (" ", q.1),
                (" ", q.0),
                (" ", q.1),
            ];
            let line: &[(&str, f64)] = if straight > 0.0 {
                &[(" L ", p3.0), (" ", p3.1)]
            } else {
                &[]
            };
            for (separator, value) in points.iter().chain(line) {
                d.push_str(separator);
                push_rounded(&mut d, *value);
            }
            let label = edge.label.as_ref().zip(label_width).map(|(text, width)| {
                let height = 16.0;
                let x = p3.0 - LABEL_CLEARANCE - width / 2.0;
                SvgLabel {
                    x: r(x - width / 2.0),
                    y: r(p3.1 - height / 2.0),
                    width,
                    height,
                    text: SvgText {
                        x: r(x),
                        y: r(p3.1 + FONT_SIZE * 0.35),
                        text: text.clone(),
                        bold: false,
                    },
                }
            });
            SvgEdge { d, label }
        })
        .collect();

    let width = (run_x + run_w + BAND_PADDING + MARGIN).ceil();
    let height = (TOP + content_h + MARGIN + 8.0).ceil();
    Svg {
        width,
        height,
        font_size: FONT_SIZE,
        title: SvgText {
            x: MARGIN,
            y: 32.0,
            text: heading(model),
            bold: true,
        },
        subtitle: SvgText {
            x: MARGIN,
            y: 52.0,
            text: format!(
                "project {} · generated by multirun {} · edit the spec, not this file",
                model.project, model.multirun_version
            ),
            bold: false,
        },
        bands,
        edges,
        boxes,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Diagram {
    pub mermaid: Mermaid,
    pub svg: Svg,
}

pub fn diagram(model: &Model) -> Diagram {
    let graph = graph(model);
    Diagram {
        mermaid: mermaid(model, &graph),
        svg: svg(model, &graph),
    }
}

// ---------------------------------------------------------------------------------------------
// As template data: by hand rather than through `Serialize`, which would copy every string (the
// names are the serialized field names, which the templates read; a test compares the two).

/// A coordinate: whole numbers without a fraction (`120`, not `120.0`), for shorter SVG.
fn number(value: f64) -> Data {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        Data::Number((value as i64).into())
    } else {
        serde_json::Number::from_f64(value).map_or(Data::Null, Data::Number)
    }
}

impl From<Kind> for Data {
    fn from(kind: Kind) -> Data {
        let name = match kind {
            Kind::Users => "users",
            Kind::LoadBalancer => "loadBalancer",
            Kind::BackendService => "backendService",
            Kind::Neg => "neg",
            Kind::CloudRun => "cloudRun",
        };
        name.into()
    }
}

impl From<Edge> for Data {
    fn from(e: Edge) -> Data {
        object([
            ("from", e.from.into()),
            ("to", e.to.into()),
            ("label", e.label.into()),
        ])
    }
}

impl From<MermaidNode> for Data {
    fn from(n: MermaidNode) -> Data {
        object([
            ("id", n.id.into()),
            ("open", n.open.into()),
            ("close", n.close.into()),
            ("lines", n.lines.into()),
        ])
    }
}

impl From<MermaidGroup> for Data {
    fn from(g: MermaidGroup) -> Data {
        object([
            ("id", g.id.into()),
            ("title", g.title.into()),
            ("nodes", g.nodes.into()),
        ])
    }
}

impl From<Mermaid> for Data {
    fn from(m: Mermaid) -> Data {
        object([
            ("heading", m.heading.into()),
            ("nodes", m.nodes.into()),
            ("groups", m.groups.into()),
            ("edges", m.edges.into()),
        ])
    }
}

impl From<SvgText> for Data {
    fn from(t: SvgText) -> Data {
        object([
            ("x", number(t.x)),
            ("y", number(t.y)),
            ("text", t.text.into()),
            ("bold", t.bold.into()),
        ])
    }
}

impl From<SvgBox> for Data {
    fn from(b: SvgBox) -> Data {
        object([
            ("id", b.id.into()),
            ("kind", b.kind.into()),
            ("x", number(b.x)),
            ("y", number(b.y)),
            ("width", number(b.width)),
            ("height", number(b.height)),
            ("fill", b.fill.into()),
            ("stroke", b.stroke.into()),
            ("lines", b.lines.into()),
        ])
    }
}

impl From<SvgLabel> for Data {
    fn from(l: SvgLabel) -> Data {
        object([
            ("x", number(l.x)),
            ("y", number(l.y)),
            ("width", number(l.width)),
            ("height", number(l.height)),
            ("text", l.text.into()),
        ])
    }
}

impl From<SvgEdge> for Data {
    fn from(e: SvgEdge) -> Data {
        object([("d", e.d.into()), ("label", e.label.into())])
    }
}

impl From<SvgBand> for Data {
    fn from(b: SvgBand) -> Data {
        object([
            ("x", number(b.x)),
            ("y", number(b.y)),
            ("width", number(b.width)),
            ("height", number(b.height)),
            ("label", b.label.into()),
        ])
    }
}

impl From<Svg> for Data {
    fn from(s: Svg) -> Data {
        object([
            ("width", number(s.width)),
            ("height", number(s.height)),
            ("fontSize", number(s.font_size)),
            ("title", s.title.into()),
            ("subtitle", s.subtitle.into()),
            ("bands", s.bands.into()),
            ("edges", s.edges.into()),
            ("boxes", s.boxes.into()),
        ])
    }
}

impl From<Diagram> for Data {
    fn from(d: Diagram) -> Data {
        object([("mermaid", d.mermaid.into()), ("svg", d.svg.into())])
    }
}

fn plan(model: &Model, base: &TemplateContext) -> Vec<Output> {
    let context = base
        .clone()
        .with("diagram", &Arc::new(Data::from(diagram(model))));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes whole numbers without a fraction (`120`, not `120.0`), for shorter SVG.
    fn whole_numbers(value: &mut Data) {
        match value {
            Data::Number(n) => {
                if let Some(f) = n
                    .as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 1e15 && !n.is_i64() && !n.is_u64())
                {
                    *value = Data::Number((f as i64).into());
                }
            }
            Data::Array(items) => items.iter_mut().for_each(whole_numbers),
            Data::Object(fields) => fields.iter_mut().for_each(|(_, v)| whole_numbers(v)),
            _ => {}
        }
    }

    #[test]
    fn the_diagram_moves_into_data_as_it_serializes() {
        for example in [
            include_str!("../../../../../examples/weighted.yaml"),
            include_str!("../../../../../examples/nearest.yaml"),
        ] {
            let spec = crate::check(example, "example.yaml").spec.unwrap();
            let diagram = diagram(&Model::new(&spec));
            let mut serialized = Data::from_serialize(&diagram);
            whole_numbers(&mut serialized);
            assert!(serialized == Data::from(diagram));
        }
    }

    #[test]
    fn rounded_numbers_write_as_display_writes_them() {
        let mut values = vec![
            0.0,
            -0.0,
            0.04,
            -0.04,
            0.05,
            12.0,
            12.34,
            12.35,
            -12.35,
            99.95,
            1e14,
            123456.789,
            f64::NAN,
            f64::INFINITY,
        ];
        values.extend((-3000..3000).map(|i| f64::from(i) * 0.037));
        for value in values {
            let mut out = String::new();
            push_rounded(&mut out, value);
            assert_eq!(out, r(value).to_string(), "{value}");
        }
    }
}
