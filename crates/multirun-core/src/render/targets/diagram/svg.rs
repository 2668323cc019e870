//! The graph laid out for `architecture.svg.hbs`: boxes in columns (users, load balancer,
//! backend services, NEGs, Cloud Run), one band per region, edges as path data with their
//! labels. Text is measured by estimate: no font metrics are available here.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Serialize;

use super::coordinates::{push_rounded, r, Px};
use super::graph::{Graph, Kind, Node, ROLLOUT_MOVES};
use crate::render::Model;

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
pub struct SvgText<'a> {
    pub x: Px,
    pub y: Px,
    pub text: Cow<'a, str>,
    pub bold: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct SvgBox<'a> {
    pub id: &'a str,
    pub kind: Kind,
    pub x: Px,
    pub y: Px,
    pub width: Px,
    pub height: Px,
    pub fill: &'static str,
    pub stroke: &'static str,
    pub lines: Vec<SvgText<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SvgLabel<'a> {
    pub x: Px,
    pub y: Px,
    pub width: Px,
    pub height: Px,
    pub text: SvgText<'a>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SvgEdge<'a> {
    /// Path data: a cubic curve from the source's right side to the target's left side.
    pub d: String,
    pub label: Option<SvgLabel<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SvgBand<'a> {
    pub x: Px,
    pub y: Px,
    pub width: Px,
    pub height: Px,
    pub label: SvgText<'a>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Svg<'a> {
    pub width: Px,
    pub height: Px,
    pub font_size: Px,
    pub title: SvgText<'a>,
    pub subtitle: SvgText<'a>,
    /// Lines under the subtitle: how a new image rolls out.
    pub notes: Vec<SvgText<'a>>,
    pub bands: Vec<SvgBand<'a>>,
    pub edges: Vec<SvgEdge<'a>>,
    pub boxes: Vec<SvgBox<'a>>,
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

fn place(node: &Node, x: f64, y: f64, width: f64) -> SvgBox<'_> {
    let height = box_height(node);
    let (fill, stroke) = colors(node.kind);
    // Baselines: the text block is centred vertically in the box.
    let first = y + BOX_PADDING / 2.0 + LINE_HEIGHT / 2.0 + FONT_SIZE * 0.35;
    let lines = node
        .lines
        .iter()
        .enumerate()
        .map(|(i, text)| SvgText {
            x: Px(r(x + width / 2.0)),
            y: Px(r(first + i as f64 * LINE_HEIGHT)),
            text: Cow::Borrowed(text),
            bold: i == 0 && node.lines.len() > 1,
        })
        .collect();
    SvgBox {
        id: &node.id,
        kind: node.kind,
        x: Px(r(x)),
        y: Px(r(y)),
        width: Px(width),
        height: Px(height),
        fill,
        stroke,
        lines,
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

pub(super) fn svg<'a>(model: &Model, graph: &'a Graph) -> Svg<'a> {
    let region_count = graph.regions.len();
    // The rollout note in two lines: how a new image moves, and what stops it.
    let (moves, stops) = graph
        .rollout
        .split_at(ROLLOUT_MOVES.min(graph.rollout.len()));
    let note_lines: Vec<String> = [moves, stops]
        .iter()
        .filter(|part| !part.is_empty())
        .map(|part| part.join(" · "))
        .collect();
    // The drawing starts below the title, the subtitle and the notes.
    let top = TOP + note_lines.len() as f64 * LINE_HEIGHT;
    let weighted = graph.shared_backend.is_none();
    // Columns, left to right; per-region columns hold one box per region.
    let backends: Vec<&Node> = graph
        .regions
        .iter()
        .filter_map(|region| region.backend.as_ref())
        .collect();
    let negs: Vec<&Node> = graph.regions.iter().map(|region| &region.neg).collect();
    let runs: Vec<&Node> = graph.regions.iter().map(|region| &region.run).collect();
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
        .flat_map(super::graph::RegionNodes::nodes)
        .map(box_height)
        .fold(0.0, f64::max);
    let band_h = BAND_LABEL + row_box_h + BAND_PADDING;
    let pitch = band_h + BAND_GAP;
    let bands_h = region_count as f64 * pitch - BAND_GAP;
    let lb_h = box_height(&graph.load_balancer);
    let content_h = bands_h.max(lb_h);
    let bands_top = top + (content_h - bands_h) / 2.0;
    let centre = top + content_h / 2.0;

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
    for (i, region) in graph.regions.iter().enumerate() {
        let band_y = bands_top + i as f64 * pitch;
        bands.push(SvgBand {
            x: Px(r(band_x)),
            y: Px(r(band_y)),
            width: Px(r(band_w)),
            height: Px(r(band_h)),
            label: SvgText {
                x: Px(r(band_x + 10.0)),
                y: Px(r(band_y + 15.0)),
                text: Cow::Borrowed(&region.title),
                bold: true,
            },
        });
        let row_centre = band_y + BAND_LABEL + row_box_h / 2.0;
        for (node, x, w) in region
            .backend
            .iter()
            .map(|b| (b, backend_x, backend_w))
            .chain([(&region.neg, neg_x, neg_w), (&region.run, run_x, run_w)])
        {
            debug_assert_eq!(node.region, Some(i));
            boxes.push(place(node, x, row_centre - box_height(node) / 2.0, w));
        }
    }

    // By id: a linear search per edge made laying out every catalog region quadratic.
    let by_id: HashMap<&str, &SvgBox> = boxes.iter().map(|b| (b.id, b)).collect();
    let find = |id: &str| *by_id.get(id).expect("every edge joins drawn boxes");
    let edges = graph
        .edges
        .iter()
        .map(|edge| {
            let (from, to) = (find(&edge.from), find(&edge.to));
            let p0 = (from.x.0 + from.width.0, from.y.0 + from.height.0 / 2.0);
            let p3 = (to.x.0, to.y.0 + to.height.0 / 2.0);
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
                    x: Px(r(x - width / 2.0)),
                    y: Px(r(p3.1 - height / 2.0)),
                    width: Px(width),
                    height: Px(height),
                    text: SvgText {
                        x: Px(r(x)),
                        y: Px(r(p3.1 + FONT_SIZE * 0.35)),
                        text: Cow::Borrowed(text),
                        bold: false,
                    },
                }
            });
            SvgEdge { d, label }
        })
        .collect();

    let widest_note = note_lines
        .iter()
        .map(|line| text_width(line, false))
        .fold(0.0, f64::max);
    let notes: Vec<SvgText> = note_lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| SvgText {
            x: Px(MARGIN),
            y: Px(68.0 + i as f64 * LINE_HEIGHT),
            text: Cow::Owned(line),
            bold: false,
        })
        .collect();
    let width = (run_x + run_w + BAND_PADDING + MARGIN)
        .max(MARGIN + widest_note + MARGIN)
        .ceil();
    let height = (top + content_h + MARGIN + 8.0).ceil();
    Svg {
        width: Px(width),
        height: Px(height),
        font_size: Px(FONT_SIZE),
        title: SvgText {
            x: Px(MARGIN),
            y: Px(32.0),
            text: Cow::Owned(heading(model)),
            bold: true,
        },
        subtitle: SvgText {
            x: Px(MARGIN),
            y: Px(52.0),
            text: Cow::Owned(format!(
                "project {} · generated by multirun {} · edit the spec, not this file",
                model.project, model.multirun_version
            )),
            bold: false,
        },
        notes,
        bands,
        edges,
        boxes,
    }
}
