//! The architecture as a graph, shared by both drawings: nodes with their text lines, grouped
//! by region, and the edges between them. Nothing here depends on a layout.

use std::borrow::Cow;
use std::rc::Rc;

use serde::Serialize;

use crate::render::Model;

/// Domains listed by name in the load balancer's box; the rest are counted.
const MAX_DOMAINS_SHOWN: usize = 3;
/// Longest text line in a box, in characters; longer lines are cut with `…`.
const MAX_LINE_CHARS: usize = 44;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Kind {
    Users,
    LoadBalancer,
    BackendService,
    Neg,
    CloudRun,
}

#[derive(Debug, Clone)]
pub struct Node {
    /// Shared with the edges that join it.
    pub id: Rc<str>,
    pub kind: Kind,
    /// The first line is the node's kind, drawn bold in the SVG.
    pub lines: Vec<String>,
    /// Index of the region the node belongs to.
    pub(super) region: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Edge {
    pub from: Rc<str>,
    pub to: Rc<str>,
    pub label: Option<Cow<'static, str>>,
}

/// The nodes of one region.
pub(super) struct RegionNodes {
    /// The region's title: its name, and its rollout wave when regions roll out in waves.
    pub(super) title: String,
    /// The region's own backend service, under `weighted` routing.
    pub(super) backend: Option<Node>,
    pub(super) neg: Node,
    pub(super) run: Node,
}

impl RegionNodes {
    /// Left to right, as the traffic flows.
    pub(super) fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.backend.iter().chain([&self.neg, &self.run])
    }
}

pub(super) struct Graph {
    pub(super) users: Node,
    pub(super) load_balancer: Node,
    /// The single backend service under `nearest`.
    pub(super) shared_backend: Option<Node>,
    pub(super) regions: Vec<RegionNodes>,
    pub(super) edges: Vec<Edge>,
    /// How a new image rolls out (the steps of each wave, and the gates), when it goes region
    /// by region; empty for a multi-region service, which Cloud Run updates everywhere at once.
    pub(super) rollout: Vec<String>,
}

/// `line`, cut to [`MAX_LINE_CHARS`] with `…`.
pub(super) fn cut(line: String) -> String {
    if line.chars().count() <= MAX_LINE_CHARS {
        line
    } else {
        let mut cut: String = line.chars().take(MAX_LINE_CHARS - 1).collect();
        cut.push('…');
        cut
    }
}

fn node(id: impl Into<Rc<str>>, kind: Kind, lines: Vec<String>, region: Option<usize>) -> Node {
    Node {
        id: id.into(),
        kind,
        lines: lines.into_iter().map(cut).collect(),
        region,
    }
}

/// `prefix` and the number `i`: a per-region node's id.
pub(super) fn numbered(prefix: &str, i: usize) -> String {
    [prefix, itoa::Buffer::new().format(i)].concat()
}

/// What sits on every backend service in front of Cloud Run: Cloud Armor and Cloud CDN.
fn edge_lines(model: &Model) -> Vec<String> {
    let lb = &model.load_balancer;
    let mut lines = Vec::new();
    if let Some(armor) = &lb.armor {
        lines.push(format!("Cloud Armor {}", armor.policy_name));
    }
    if let Some(cdn) = &lb.cdn {
        lines.push(format!("Cloud CDN {}", cdn.cache_mode));
    }
    lines
}

pub(super) fn graph(model: &Model) -> Graph {
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
    // The classic Google-managed certificate is the default, and goes unsaid.
    if lb.certificate_manager.enabled {
        lb_lines.push(format!(
            "Certificate Manager map {}",
            lb.certificate_manager.map_name
        ));
    } else if !lb.generates_classic_certificate {
        lb_lines.push(format!(
            "SSL certificates {}",
            lb.ssl_certificates.join(", ")
        ));
    }
    if lb.https_redirect {
        lb_lines.push("HTTP :80 redirects to HTTPS".to_string());
    }
    let users = node("users", Kind::Users, vec!["Users".into()], None);
    let load_balancer = node("lb", Kind::LoadBalancer, lb_lines, None);
    let mut edges = vec![Edge {
        from: users.id.clone(),
        to: load_balancer.id.clone(),
        label: Some(Cow::Borrowed("HTTPS")),
    }];
    let shared_backend = model.nearest.then(|| {
        node(
            "backend",
            Kind::BackendService,
            [
                vec![
                    "Backend service".into(),
                    lb.backend_service_name.clone(),
                    "outlier detection".into(),
                ],
                edge_lines(model),
            ]
            .concat(),
            None,
        )
    });
    if let Some(backend) = &shared_backend {
        edges.push(Edge {
            from: load_balancer.id.clone(),
            to: backend.id.clone(),
            label: None,
        });
    }
    let mut regions = Vec::new();
    for (i, region) in model.regions.iter().enumerate() {
        let neg = node(
            numbered("neg", i),
            Kind::Neg,
            vec!["Serverless NEG".into(), region.neg_name.clone()],
            Some(i),
        );
        let run = node(
            numbered("run", i),
            Kind::CloudRun,
            vec![
                "Cloud Run".into(),
                [&model.service.name, " · ", &region.name].concat(),
                [
                    itoa::Buffer::new().format(region.min_instances),
                    "–",
                    itoa::Buffer::new().format(region.max_instances),
                    " instances",
                ]
                .concat(),
            ],
            Some(i),
        );
        let backend = (!model.nearest).then(|| {
            node(
                numbered("backend", i),
                Kind::BackendService,
                [
                    vec![
                        "Backend service".into(),
                        region.backend_service_name.clone(),
                    ],
                    edge_lines(model),
                ]
                .concat(),
                Some(i),
            )
        });
        match &backend {
            Some(backend) => {
                edges.push(Edge {
                    from: load_balancer.id.clone(),
                    to: backend.id.clone(),
                    label: Some(Cow::Owned(
                        ["weight ", itoa::Buffer::new().format(region.weight)].concat(),
                    )),
                });
                edges.push(Edge {
                    from: backend.id.clone(),
                    to: neg.id.clone(),
                    label: None,
                });
            }
            None => edges.push(Edge {
                from: shared_backend
                    .as_ref()
                    .map_or_else(|| "backend".into(), |shared| shared.id.clone()),
                to: neg.id.clone(),
                label: Some(Cow::Borrowed("nearest")),
            }),
        }
        edges.push(Edge {
            from: neg.id.clone(),
            to: run.id.clone(),
            label: None,
        });
        let title = match wave_of(model, &region.name) {
            Some(wave) => [
                &region.name,
                " · wave ",
                itoa::Buffer::new().format(wave),
                " of ",
                itoa::Buffer::new().format(model.rollout.waves.len()),
            ]
            .concat(),
            None => region.name.clone(),
        };
        regions.push(RegionNodes {
            title: cut(title),
            backend,
            neg,
            run,
        });
    }
    Graph {
        users,
        load_balancer,
        shared_backend,
        regions,
        edges,
        rollout: rollout_lines(model),
    }
}

/// The rollout wave (1-based) of a region, when the service rolls out region by region.
fn wave_of(model: &Model, region: &str) -> Option<usize> {
    if model.multi_region.is_some() {
        return None;
    }
    model
        .rollout
        .waves
        .iter()
        .find(|wave| wave.regions.iter().any(|r| r == region))
        .map(|wave| wave.number)
}

/// The rollout's steps and gates, a short line each (a Mermaid note; the SVG joins them into
/// two lines): the first three say how a new image moves, the rest what stops it. None for a
/// multi-region service.
pub(super) const ROLLOUT_MOVES: usize = 3;

fn rollout_lines(model: &Model) -> Vec<String> {
    if model.multi_region.is_some() {
        return Vec::new();
    }
    let rollout = &model.rollout;
    let mut steps: Vec<String> = rollout.canary.iter().map(|p| format!("{p}%")).collect();
    steps.push("100%".into());
    let mut gates = format!("Gates: 5xx ratio ≤ {}", rollout.max_error_ratio);
    if rollout.max_latency_p99_ms > 0 {
        gates.push_str(&format!(", p99 ≤ {} ms", rollout.max_latency_p99_ms));
    }
    let waves = rollout.waves.len();
    vec![
        format!(
            "Rollout: {waves} wave{}, by {}",
            if waves == 1 { "" } else { "s" },
            if rollout.engine == "clouddeploy" {
                "Cloud Deploy"
            } else {
                "rollout.sh"
            },
        ),
        format!("each wave {}", steps.join(" → ")),
        format!("{} min bake per step", rollout.bake_minutes),
        gates,
        format!("at least {} requests per window", rollout.min_requests),
        "a failed gate stops and rolls back".into(),
    ]
}
