//! Plotly figures, built with the plotly crate; pages embed their JSON (binned or summarised
//! data only, never raw rows). Every axis has a title with its unit, titles sit on the left
//! (the chart toolbar is on the right), and threshold lines are labelled.

use plotly::common::{Anchor, Font, Marker, Mode, Title};
use plotly::layout::{
    Annotation, Axis, AxisType, BarMode, Layout, Margin, Shape, ShapeLine, ShapeType,
};
use plotly::{Bar, HeatMap, Plot, Scatter};

fn layout(title: &str, height: usize) -> Layout {
    Layout::new()
        .title(Title::with_text(title).x(0.0).x_anchor(Anchor::Left))
        .height(height)
        .margin(Margin::new().left(70).right(20).top(60).bottom(90))
}

fn axis(title: &str) -> Axis {
    Axis::new().title(Title::with_text(title)).auto_margin(true)
}

fn hline(y: f64, color: &str) -> Shape {
    Shape::new()
        .shape_type(ShapeType::Line)
        .x_ref("paper")
        .x0(0.0)
        .x1(1.0)
        .y0(y)
        .y1(y)
        .line(
            ShapeLine::new()
                .color(color.to_string())
                .dash(plotly::common::DashType::Dash),
        )
}

/// A label at the right end of a horizontal line.
fn line_label(y: f64, text: &str, color: &str) -> Annotation {
    Annotation::new()
        .x_ref("paper")
        .x(1.0)
        .x_anchor(Anchor::Right)
        .y(y)
        .y_anchor(Anchor::Bottom)
        .text(text)
        .show_arrow(false)
        .font(Font::new().color(color.to_string()).size(11))
}

/// Severity colour (the badges' colours, AA contrast with white or dark text).
pub fn severity_color(s: &str) -> &'static str {
    match s {
        "high" | "HIGH" => "#b03a2e",
        "medium" | "MEDIUM" => "#a04000",
        "low" | "LOW" => "#f1c40f",
        _ => "#7f8c8d",
    }
}

/// A line of a trend chart: name, one value per batch (gaps allowed), optional dashed line in
/// its colour (e.g. the baseline).
pub type Series<'a> = (&'a str, Vec<Option<f64>>, Option<f64>);

/// The axes and reference lines of a trend chart.
#[derive(Debug, Clone, Default)]
pub struct Trend<'a> {
    /// Chart title.
    pub title: &'a str,
    /// The y axis title with its unit.
    pub y_title: &'a str,
    /// The x axis title.
    pub x_title: &'a str,
    /// The y range always shown (data outside widens it), e.g. 0.5–1 for AUC.
    pub y_span: Option<(f64, f64)>,
    /// Labelled horizontal lines (value, label), drawn in red.
    pub lines: Vec<(f64, String)>,
    /// Colours in series order (pairs of realized/expected share a hue); default palette when
    /// empty.
    pub colors: Vec<&'a str>,
    /// Dash the series at these positions (e.g. the expected values).
    pub dashed: Vec<usize>,
}

const PALETTE: [&str; 5] = ["#2c3e50", "#2471a3", "#8e44ad", "#117a65", "#a04000"];

/// The y range: the span, widened to hold every value and line, padded by 5%.
fn y_range(t: &Trend<'_>, series: &[Series<'_>]) -> Option<Vec<f64>> {
    let (lo, hi) = t.y_span?;
    let values = series
        .iter()
        .flat_map(|s| s.1.iter().flatten().copied().chain(s.2))
        .chain(t.lines.iter().map(|l| l.0));
    let (lo, hi) = values.fold((lo, hi), |(a, b), v| (a.min(v), b.max(v)));
    let pad = (hi - lo) * 0.05;
    Some(vec![lo - pad, hi + pad])
}

/// Lines over batches with dashed baselines and labelled threshold lines.
pub fn metric_trends(batches: &[String], series: &[Series<'_>], t: &Trend<'_>) -> Plot {
    let mut plot = Plot::new();
    let mut shapes = Vec::new();
    let mut notes = Vec::new();
    for (i, (name, values, baseline)) in series.iter().enumerate() {
        let color = t
            .colors
            .get(i)
            .copied()
            .unwrap_or(PALETTE[i % PALETTE.len()]);
        let (x, y): (Vec<String>, Vec<f64>) = batches
            .iter()
            .zip(values)
            .filter_map(|(b, v)| v.map(|v| (b.clone(), v)))
            .unzip();
        let mut line = plotly::common::Line::new().color(color.to_string());
        if t.dashed.contains(&i) {
            line = line.dash(plotly::common::DashType::Dot);
        }
        plot.add_trace(
            Scatter::new(x, y)
                .mode(Mode::LinesMarkers)
                .name(*name)
                .line(line)
                .marker(Marker::new().color(color.to_string())),
        );
        if let Some(b) = baseline {
            shapes.push(hline(*b, color));
        }
    }
    for (y, label) in &t.lines {
        shapes.push(hline(*y, "#b03a2e"));
        notes.push(line_label(*y, label, "#b03a2e"));
    }
    let mut y_axis = axis(t.y_title);
    if let Some(r) = y_range(t, series) {
        y_axis = y_axis.range(r);
    }
    let x_axis = axis(t.x_title).type_(AxisType::Category);
    plot.set_layout(
        layout(t.title, 360)
            .shapes(shapes)
            .annotations(notes)
            .x_axis(x_axis)
            .y_axis(y_axis),
    );
    plot
}

/// PSI per feature, coloured by verdict, with the labelled threshold line.
pub fn psi_bars(features: &[(String, f64, String)], threshold: f64, title: &str) -> Plot {
    let mut plot = Plot::new();
    let names: Vec<String> = features.iter().map(|f| f.0.clone()).collect();
    let values: Vec<f64> = features.iter().map(|f| f.1).collect();
    let colors: Vec<String> = features
        .iter()
        .map(|f| severity_color(&f.2).to_string())
        .collect();
    plot.add_trace(
        Bar::new(names, values)
            .name("PSI")
            .marker(Marker::new().color_array(colors)),
    );
    plot.set_layout(
        layout(title, 400)
            .shapes(vec![hline(threshold, "#b03a2e")])
            .annotations(vec![line_label(
                threshold,
                &format!("drift threshold {threshold}"),
                "#b03a2e",
            )])
            .x_axis(axis("feature"))
            .y_axis(axis("PSI")),
    );
    plot
}

/// Heat map of PSI per feature (rows) and batch (columns).
pub fn psi_heatmap(batches: &[String], features: &[String], z: Vec<Vec<f64>>) -> Plot {
    let mut plot = Plot::new();
    plot.add_trace(
        HeatMap::new(batches.to_vec(), features.to_vec(), z)
            .zmin(0.0)
            .zmax(1.0)
            .color_scale(plotly::common::ColorScale::Palette(
                plotly::common::ColorScalePalette::YlOrRd,
            ))
            .reverse_scale(true),
    );
    plot.set_layout(
        layout("PSI by feature and batch (darker = larger shift)", 560)
            .margin(Margin::new().left(140).right(20).top(60).bottom(70))
            .x_axis(axis("batch").type_(AxisType::Category))
            .y_axis(axis("").type_(AxisType::Category)),
    );
    plot
}

/// Grouped bars of shares per bin: the reference and each batch.
pub fn distribution(labels: &[String], series: &[(String, Vec<f64>)], title: &str) -> Plot {
    let mut plot = Plot::new();
    for (name, values) in series {
        plot.add_trace(Bar::new(labels.to_vec(), values.clone()).name(name.as_str()));
    }
    plot.set_layout(
        layout(title, 400)
            .bar_mode(BarMode::Group)
            .x_axis(axis("value or bin").type_(AxisType::Category))
            .y_axis(axis("share of rows (0–1)")),
    );
    plot
}

/// Overlaid histograms on a shared value axis in the feature's own units: one bar per bin
/// centre, as wide as the bin, each series (name, share per bin, colour) half transparent.
pub fn value_histogram(
    centers: &[f64],
    width: f64,
    series: &[(&str, Vec<f64>, &str)],
    x_title: &str,
    title: &str,
) -> Plot {
    let mut plot = Plot::new();
    for (name, values, color) in series {
        plot.add_trace(
            Bar::new(centers.to_vec(), values.clone())
                .name(*name)
                .width(width)
                .opacity(0.55)
                .marker(Marker::new().color(color.to_string())),
        );
    }
    plot.set_layout(
        layout(title, 360)
            .bar_mode(BarMode::Overlay)
            .bar_gap(0.0)
            .x_axis(axis(x_title))
            .y_axis(axis("share of non-missing values (0–1)")),
    );
    plot
}

/// Stacked bars of alert counts per type, one trace per severity.
pub fn alert_bars(types: &[String], by_severity: &[(&str, Vec<u64>)], title: &str) -> Plot {
    let mut plot = Plot::new();
    for (sev, counts) in by_severity {
        plot.add_trace(
            Bar::new(counts.clone(), types.to_vec())
                .orientation(plotly::common::Orientation::Horizontal)
                .name(*sev)
                .marker(Marker::new().color(severity_color(sev))),
        );
    }
    plot.set_layout(
        layout(title, 380)
            .bar_mode(BarMode::Stack)
            .x_axis(axis("alerts (count)"))
            .y_axis(axis("").auto_margin(true)),
    );
    plot
}

/// Confusion matrix heat map with the count in every cell.
pub fn confusion(tp: u64, fp: u64, tn: u64, fn_: u64, title: &str) -> Plot {
    let mut plot = Plot::new();
    let x = vec![
        "predicted to stay".to_string(),
        "predicted to leave".to_string(),
    ];
    let y = vec!["actually left".to_string(), "actually stayed".to_string()];
    let cells = [[fn_, tp], [tn, fp]];
    let z: Vec<Vec<f64>> = cells
        .iter()
        .map(|row| row.iter().map(|&c| c as f64).collect())
        .collect();
    let max = cells.iter().flatten().copied().max().unwrap_or(0) as f64;
    let mut notes = Vec::new();
    for (r, row) in cells.iter().enumerate() {
        for (c, &count) in row.iter().enumerate() {
            let dark = (count as f64) > max / 2.0;
            notes.push(
                Annotation::new()
                    .x(x[c].clone())
                    .y(y[r].clone())
                    .text(format!("{count} customers"))
                    .show_arrow(false)
                    .font(
                        Font::new()
                            .size(14)
                            .color(if dark { "#ffffff" } else { "#1f2d3d" }),
                    ),
            );
        }
    }
    plot.add_trace(
        HeatMap::new(x, y, z)
            .color_scale(plotly::common::ColorScale::Palette(
                plotly::common::ColorScalePalette::Blues,
            ))
            .reverse_scale(true)
            .show_scale(false),
    );
    plot.set_layout(
        layout(title, 340)
            .annotations(notes)
            .x_axis(axis("model's prediction"))
            .y_axis(axis("what happened").auto_margin(true)),
    );
    plot
}

/// The figure's JSON, safe to embed in a `<script type="application/json">` element.
pub fn embed(plot: &Plot) -> String {
    plot.to_json()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}
