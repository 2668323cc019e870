//! Target `dashboard`: `dashboard.json`, a Cloud Monitoring dashboard for the service in every
//! region and for the load balancer in front of it.
//!
//! - `mosaicLayout` with 48 columns, and an explicit `xPos`, `yPos`, `width` and `height` on
//!   every tile: omitted fields are 0 in proto3 JSON, so tiles without them stack at (0,0) with
//!   a size the API rejects.
//! - Cloud Run charts are filtered to the service and grouped by `resource.label."location"`:
//!   one line per region.
//! - Every query has an aligner valid for its metric's kind and a 60 s alignment period (the
//!   minimum). Latencies and utilizations are DELTA distributions: `ALIGN_DELTA` then a
//!   percentile reducer. `ALIGN_RATE` and `ALIGN_MEAN` only take numbers, and a raw
//!   distribution cannot be drawn as a line.
//! - The load balancer's `response_code_class` label is numeric (`500`); Cloud Run's is `"5xx"`.
//!
//! - An "Alert policies" section has an alert chart per policy of target `monitoring`. A
//!   chart names its policy by resource name, which exists only once the policy is created:
//!   dashboard.json holds the placeholder `@ALERT_POLICY:KEY@` (KEY its `multirun_policy`
//!   label, the placeholder setup.sh replaces in clouddeploy.yaml), and deploy.sh (after
//!   `monitoring/apply.sh`) and Terraform (from `google_monitoring_alert_policy.policy[KEY]`)
//!   write the names in before they create or update the dashboard.
//!
//! The dashboard is computed here (positions included), typed as the API's JSON
//! ([`monitoring`]), and written by the template `dashboard.json.hbs` from `dashboard` in its
//! context, so a team can override the template to reshape or extend it. (Typed rather than
//! built with `serde_json::json!`, which serializes every interpolated value again at each
//! level of nesting: that took the dashboard from 17 µs to about 200 µs.)

mod monitoring;

use crate::render::fingerprint;

use super::{template, Output, Source, Target};
use crate::render::{Model, TemplateContext};
use monitoring::{
    Aggregation, AlertChart, Axis, ChartOptions, Dashboard, DataSet, Filter, Labels, MosaicLayout,
    Ratio, Text, Tile, TimeSeriesQuery, Widget, XyChart,
};

pub const TARGET: Target = Target {
    name: "dashboard",
    description:
        "dashboard.json: Cloud Monitoring dashboard (per-region Cloud Run and load-balancer charts)",
    templates: &[template!("dashboard.json.hbs")],
    plan,
};

/// Grid width of the mosaic layout (Google's sample dashboards use 48).
pub const COLUMNS: u32 = 48;
/// The shortest alignment period the API accepts.
pub const ALIGNMENT_PERIOD: &str = "60s";
pub const CHART_HEIGHT: u32 = 16;
const HEADER_HEIGHT: u32 = 6;
const ALERT_HEIGHT: u32 = 8;
/// Alert charts side by side in a row.
const ALERTS_PER_ROW: usize = 3;
const SECTION_HEIGHT: u32 = 3;

const RUN_RESOURCE: &str = "cloud_run_revision";
const LB_RESOURCE: &str = "https_lb_rule";
pub const GROUP_BY_REGION: &str = "resource.label.\"location\"";

/// The metrics charted, with the kind and value type Cloud Monitoring gives them.
pub const METRICS: &[(&str, &str, &str)] = &[
    ("run.googleapis.com/request_count", "DELTA", "INT64"),
    (
        "run.googleapis.com/request_latencies",
        "DELTA",
        "DISTRIBUTION",
    ),
    (
        "run.googleapis.com/container/instance_count",
        "GAUGE",
        "INT64",
    ),
    (
        "run.googleapis.com/container/cpu/utilizations",
        "DELTA",
        "DISTRIBUTION",
    ),
    (
        "run.googleapis.com/container/memory/utilizations",
        "DELTA",
        "DISTRIBUTION",
    ),
    (
        "loadbalancing.googleapis.com/https/request_count",
        "DELTA",
        "INT64",
    ),
    (
        "loadbalancing.googleapis.com/https/total_latencies",
        "DELTA",
        "DISTRIBUTION",
    ),
];

/// A string literal in a Monitoring filter.
fn quote(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

fn run_filter(service: &str, metric: &str) -> String {
    format!(
        "metric.type={} resource.type={} resource.label.\"service_name\"={}",
        quote(&format!("run.googleapis.com/{metric}")),
        quote(RUN_RESOURCE),
        quote(service)
    )
}

fn lb_filter(url_map: &str, metric: &str) -> String {
    format!(
        "metric.type={} resource.type={} resource.label.\"url_map_name\"={}",
        quote(&format!("loadbalancing.googleapis.com/https/{metric}")),
        quote(LB_RESOURCE),
        quote(url_map)
    )
}

fn aggregation(aligner: &'static str, reducer: &str, group_by: &[&'static str]) -> Aggregation {
    Aggregation {
        alignment_period: ALIGNMENT_PERIOD,
        per_series_aligner: aligner,
        cross_series_reducer: reducer.to_string(),
        group_by_fields: group_by.to_vec(),
    }
}

fn data_set(query: TimeSeriesQuery, legend: Option<&str>) -> DataSet {
    DataSet {
        time_series_query: query,
        plot_type: "LINE",
        min_alignment_period: ALIGNMENT_PERIOD,
        target_axis: "Y1",
        legend_template: legend.map(str::to_string),
    }
}

fn filter_query(filter: String, aggregation: Aggregation) -> TimeSeriesQuery {
    TimeSeriesQuery::TimeSeriesFilter(Filter {
        filter,
        aggregation,
    })
}

fn chart(title: &str, data_sets: Vec<DataSet>, y_label: &'static str) -> Widget {
    Widget::Chart {
        title: title.to_string(),
        xy_chart: XyChart {
            data_sets,
            chart_options: ChartOptions { mode: "COLOR" },
            y_axis: Axis {
                label: y_label,
                scale: "LINEAR",
            },
        },
    }
}

fn text(content: String) -> Widget {
    Widget::Text {
        text: Text {
            content,
            format: "MARKDOWN",
        },
    }
}

/// Lays widgets out row by row: each row splits the 48 columns evenly.
struct Grid {
    y: u32,
    tiles: Vec<Tile>,
}

impl Grid {
    fn row(&mut self, height: u32, widgets: Vec<Widget>) {
        let count = widgets.len() as u32;
        let width = COLUMNS / count;
        for (i, widget) in widgets.into_iter().enumerate() {
            let x = i as u32 * width;
            // The last tile takes what the division leaves over.
            let w = if i as u32 + 1 == count {
                COLUMNS - x
            } else {
                width
            };
            self.tiles.push(Tile {
                x_pos: x,
                y_pos: self.y,
                width: w,
                height,
                widget,
            });
        }
        self.y += height;
    }
}

/// The whole dashboard, as the Monitoring API's JSON.
pub fn dashboard(model: &Model) -> Dashboard {
    let service = model.service.name.as_str();
    let url_map = model.load_balancer.url_map_name.as_str();
    let by_region = [GROUP_BY_REGION];
    let regions: Vec<&str> = model.regions.iter().map(|r| r.name.as_str()).collect();
    let routing = if model.nearest {
        "`nearest` routing: each user reaches the closest healthy region".to_string()
    } else {
        let weights: Vec<String> = model
            .regions
            .iter()
            .map(|r| format!("{} {}", r.name, r.weight))
            .collect();
        format!("`weighted` routing: {}", weights.join(", "))
    };
    let mut grid = Grid {
        y: 0,
        tiles: Vec::new(),
    };

    grid.row(
        HEADER_HEIGHT,
        vec![text(format!(
            "**{service}** on Cloud Run in {} regions ({}) behind one global external Application Load Balancer, with {routing}.\n\n\
             Cloud Run charts draw one line per region (`resource.label.location`); latencies and utilizations are percentiles of DELTA distributions (ALIGN_DELTA, then a percentile reducer). Generated by multirun {}.",
            regions.len(),
            regions.join(", "),
            model.multirun_version
        ))],
    );

    grid.row(
        SECTION_HEIGHT,
        vec![text("### Cloud Run, by region".into())],
    );
    let requests = |extra: &str| Filter {
        filter: format!("{}{extra}", run_filter(service, "request_count")),
        aggregation: aggregation("ALIGN_RATE", "REDUCE_SUM", &by_region),
    };
    grid.row(
        CHART_HEIGHT,
        vec![
            chart(
                "Request rate by region",
                vec![data_set(
                    filter_query(
                        run_filter(service, "request_count"),
                        aggregation("ALIGN_RATE", "REDUCE_SUM", &by_region),
                    ),
                    None,
                )],
                "requests/s",
            ),
            chart(
                "5xx ratio by region",
                vec![data_set(
                    TimeSeriesQuery::TimeSeriesFilterRatio(Ratio {
                        numerator: requests(" metric.label.\"response_code_class\"=\"5xx\""),
                        denominator: requests(""),
                    }),
                    None,
                )],
                "5xx / all requests",
            ),
        ],
    );
    let latency = |percentile: &str| {
        chart(
            &format!("Request latency p{percentile} by region"),
            vec![data_set(
                filter_query(
                    run_filter(service, "request_latencies"),
                    aggregation(
                        "ALIGN_DELTA",
                        &format!("REDUCE_PERCENTILE_{percentile}"),
                        &by_region,
                    ),
                ),
                None,
            )],
            "ms",
        )
    };
    grid.row(
        CHART_HEIGHT,
        vec![latency("50"), latency("95"), latency("99")],
    );
    let utilization = |what: &str, metric: &str| {
        chart(
            &format!("{what} utilization p95 by region"),
            vec![data_set(
                filter_query(
                    run_filter(service, metric),
                    aggregation("ALIGN_DELTA", "REDUCE_PERCENTILE_95", &by_region),
                ),
                None,
            )],
            "utilization",
        )
    };
    grid.row(
        CHART_HEIGHT,
        vec![
            chart(
                "Instances by region",
                vec![data_set(
                    filter_query(
                        run_filter(service, "container/instance_count"),
                        aggregation("ALIGN_MEAN", "REDUCE_SUM", &by_region),
                    ),
                    None,
                )],
                "instances",
            ),
            utilization("CPU", "container/cpu/utilizations"),
            utilization("Memory", "container/memory/utilizations"),
        ],
    );

    grid.row(SECTION_HEIGHT, vec![text("### Load balancer".into())]);
    let lb_latency = |percentile: &str| {
        data_set(
            filter_query(
                lb_filter(url_map, "total_latencies"),
                aggregation(
                    "ALIGN_DELTA",
                    &format!("REDUCE_PERCENTILE_{percentile}"),
                    &[],
                ),
            ),
            Some(&format!("p{percentile}")),
        )
    };
    grid.row(
        CHART_HEIGHT,
        vec![
            chart(
                "Load balancer requests by response code class",
                vec![data_set(
                    filter_query(
                        lb_filter(url_map, "request_count"),
                        aggregation(
                            "ALIGN_RATE",
                            "REDUCE_SUM",
                            &["metric.label.\"response_code_class\""],
                        ),
                    ),
                    None,
                )],
                "requests/s",
            ),
            chart(
                "Load balancer total latency",
                vec![lb_latency("50"), lb_latency("95"), lb_latency("99")],
                "ms",
            ),
        ],
    );

    let policies = super::monitoring::policy_names(model);
    if !policies.is_empty() {
        grid.row(
            SECTION_HEIGHT,
            vec![text("### Alert policies (rollout gates and uptime)".into())],
        );
        for row in policies.chunks(ALERTS_PER_ROW) {
            grid.row(
                ALERT_HEIGHT,
                row.iter()
                    .map(|p| Widget::Alert {
                        title: p.display_name.clone(),
                        alert_chart: AlertChart {
                            name: super::clouddeploy::policy_placeholder(&p.key),
                        },
                    })
                    .collect(),
            );
        }
    }

    Dashboard {
        display_name: model.dashboard_title.clone(),
        mosaic_layout: MosaicLayout {
            columns: COLUMNS,
            tiles: grid.tiles,
        },
        labels: Labels {
            multirun_service: model.service.name.clone(),
            multirun_fingerprint: fingerprint::PLACEHOLDER,
        },
    }
}

fn plan<'a>(model: &Model, base: &TemplateContext<'a>) -> Vec<Output<'a>> {
    let context = base.clone().with("dashboard", &dashboard(model));
    vec![Output {
        path: "dashboard.json".into(),
        source: Source::Template {
            name: "dashboard.json.hbs",
            context,
        },
    }]
}
