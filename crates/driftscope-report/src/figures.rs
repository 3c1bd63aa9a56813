//! Plotly figures, built with the plotly crate; pages embed their JSON (binned or summarised
//! data only, never raw rows).

use plotly::common::{Marker, Mode, Title};
use plotly::layout::{Axis, AxisType, BarMode, Layout, Margin, Shape, ShapeLine, ShapeType};
use plotly::{Bar, HeatMap, Plot, Scatter};

fn layout(title: &str, height: usize) -> Layout {
    Layout::new()
        .title(Title::with_text(title))
        .height(height)
        .margin(Margin::new().left(60).right(20).top(50).bottom(80))
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

/// Severity colour.
pub fn severity_color(s: &str) -> &'static str {
    match s {
        "high" | "HIGH" => "#c0392b",
        "medium" | "MEDIUM" => "#e67e22",
        "low" | "LOW" => "#f1c40f",
        _ => "#27ae60",
    }
}

/// A line of a trend chart: name, one value per batch (gaps allowed), optional baseline.
pub type Series<'a> = (&'a str, Vec<Option<f64>>, Option<f64>);

/// Metric lines over batches with dashed baseline lines.
pub fn metric_trends(batches: &[String], series: &[Series<'_>], title: &str) -> Plot {
    let mut plot = Plot::new();
    let palette = ["#2c3e50", "#2980b9", "#8e44ad", "#16a085", "#d35400"];
    let mut shapes = Vec::new();
    for (i, (name, values, baseline)) in series.iter().enumerate() {
        let color = palette[i % palette.len()];
        let (x, y): (Vec<String>, Vec<f64>) = batches
            .iter()
            .zip(values)
            .filter_map(|(b, v)| v.map(|v| (b.clone(), v)))
            .unzip();
        plot.add_trace(
            Scatter::new(x, y)
                .mode(Mode::LinesMarkers)
                .name(*name)
                .marker(Marker::new().color(color)),
        );
        if let Some(b) = baseline {
            shapes.push(hline(*b, color));
        }
    }
    plot.set_layout(
        layout(title, 360)
            .shapes(shapes)
            .y_axis(Axis::new().title(Title::with_text("value"))),
    );
    plot
}

/// Rates in % by batch size (sizes as categories), with an optional dashed target line.
pub fn rates_by_size(sizes: &[String], series: &[Series<'_>], title: &str) -> Plot {
    let mut plot = metric_trends(sizes, series, title);
    let mut shapes = Vec::new();
    if let Some(b) = series.iter().find_map(|s| s.2) {
        shapes.push(hline(b, "#c0392b"));
    }
    plot.set_layout(
        layout(title, 360)
            .shapes(shapes)
            .x_axis(
                Axis::new()
                    .type_(AxisType::Category)
                    .title(Title::with_text("batch rows")),
            )
            .y_axis(Axis::new().title(Title::with_text("% of feature-batches"))),
    );
    plot
}

/// PSI per feature, coloured by verdict, with the threshold line.
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
    plot.set_layout(layout(title, 380).shapes(vec![hline(threshold, "#c0392b")]));
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
        layout("PSI by feature and batch", 520)
            .margin(Margin::new().left(140).right(20).top(50).bottom(60)),
    );
    plot
}

/// Grouped bars of proportions per bin: the reference and each batch.
pub fn distribution(labels: &[String], series: &[(String, Vec<f64>)], title: &str) -> Plot {
    let mut plot = Plot::new();
    for (name, values) in series {
        plot.add_trace(Bar::new(labels.to_vec(), values.clone()).name(name.as_str()));
    }
    plot.set_layout(
        layout(title, 380)
            .bar_mode(BarMode::Group)
            .y_axis(Axis::new().title(Title::with_text("share of rows"))),
    );
    plot
}

/// Stacked bars of alert counts per type, one trace per severity.
pub fn alert_bars(types: &[String], by_severity: &[(&str, Vec<u64>)], title: &str) -> Plot {
    let mut plot = Plot::new();
    for (sev, counts) in by_severity {
        plot.add_trace(
            Bar::new(types.to_vec(), counts.clone())
                .name(*sev)
                .marker(Marker::new().color(severity_color(sev))),
        );
    }
    plot.set_layout(layout(title, 340).bar_mode(BarMode::Stack));
    plot
}

/// Confusion matrix heat map.
pub fn confusion(tp: u64, fp: u64, tn: u64, fn_: u64, title: &str) -> Plot {
    let mut plot = Plot::new();
    let x = vec!["predicted no".to_string(), "predicted yes".to_string()];
    let y = vec!["actual yes".to_string(), "actual no".to_string()];
    let z = vec![vec![fn_ as f64, tp as f64], vec![tn as f64, fp as f64]];
    plot.add_trace(
        HeatMap::new(x, y, z)
            .color_scale(plotly::common::ColorScale::Palette(
                plotly::common::ColorScalePalette::Blues,
            ))
            .reverse_scale(true)
            .show_scale(false),
    );
    plot.set_layout(layout(title, 320));
    plot
}

/// The figure's JSON, safe to embed in a `<script type="application/json">` element.
pub fn embed(plot: &Plot) -> String {
    plot.to_json()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}
