//! The parts of a Cloud Monitoring dashboard (the `projects.dashboards` resource's JSON) that
//! the dashboard uses, field for field and in the API's order.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    pub display_name: String,
    pub mosaic_layout: MosaicLayout,
    pub labels: Labels,
}

/// How deploy.sh and teardown.sh find the dashboard whatever its title, and tell whether it
/// must be updated (the render stamps the fingerprint: a hash of the file).
#[derive(Debug, Clone, Serialize)]
pub struct Labels {
    pub multirun_service: String,
    pub multirun_fingerprint: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct MosaicLayout {
    pub columns: u32,
    pub tiles: Vec<Tile>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tile {
    pub x_pos: u32,
    pub y_pos: u32,
    pub width: u32,
    pub height: u32,
    pub widget: Widget,
}

/// A widget: the API tells them apart by which field is set.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Widget {
    Text {
        text: Text,
    },
    #[serde(rename_all = "camelCase")]
    Chart {
        title: String,
        xy_chart: XyChart,
    },
    /// An alert policy's incidents and its condition's chart.
    #[serde(rename_all = "camelCase")]
    Alert {
        title: String,
        alert_chart: AlertChart,
    },
}

/// `AlertChart.name`: the policy's resource name, `projects/P/alertPolicies/ID`. In
/// dashboard.json it is a placeholder that deploy.sh and Terraform replace (see the dashboard
/// module).
#[derive(Debug, Clone, Serialize)]
pub struct AlertChart {
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Text {
    pub content: String,
    pub format: &'static str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct XyChart {
    pub data_sets: Vec<DataSet>,
    pub chart_options: ChartOptions,
    pub y_axis: Axis,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChartOptions {
    pub mode: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Axis {
    pub label: &'static str,
    pub scale: &'static str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DataSet {
    pub time_series_query: TimeSeriesQuery,
    pub plot_type: &'static str,
    pub min_alignment_period: &'static str,
    pub target_axis: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legend_template: Option<String>,
}

/// `{"timeSeriesFilter": ...}` or `{"timeSeriesFilterRatio": ...}`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TimeSeriesQuery {
    TimeSeriesFilter(Filter),
    TimeSeriesFilterRatio(Ratio),
}

#[derive(Debug, Clone, Serialize)]
pub struct Filter {
    pub filter: String,
    pub aggregation: Aggregation,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ratio {
    pub numerator: Filter,
    pub denominator: Filter,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Aggregation {
    pub alignment_period: &'static str,
    pub per_series_aligner: &'static str,
    pub cross_series_reducer: String,
    pub group_by_fields: Vec<&'static str>,
}
