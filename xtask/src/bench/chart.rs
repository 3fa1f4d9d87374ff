//! Draws `docs/bench.png` from the sections' key figures: on the left, each comparison's
//! median speed-up over its peer as a bar on a log scale with its goal marked; on the right,
//! the median times of the scaling section against schema size, log-log, with the line that
//! linear growth would follow.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};
use serde_json::Value;

/// The font the labels are drawn in (Debian's `fonts-dejavu-core`).
const FONT_FILE: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

/// Colours of the bars, the goal marks and the scaling lines.
const BAR: RGBColor = RGBColor(70, 120, 180);
const GOAL: RGBColor = RGBColor(200, 40, 40);
const LINES: [RGBColor; 2] = [RGBColor(70, 120, 180), RGBColor(230, 140, 30)];

/// One bar: a comparison with its median speed-up and goal.
struct Bar {
    label: String,
    speed_up: f64,
    goal: f64,
}

/// One measured time of the scaling section.
struct Point {
    task: String,
    size: f64,
    median_ms: f64,
}

/// Draws the chart of `sections` (each a section's figures, see `Measured`) into `path`.
pub fn draw(sections: &[&Value], path: &Path) -> Result<(), String> {
    let font = std::fs::read(FONT_FILE).map_err(|err| {
        format!(
            "cannot read the chart's font {FONT_FILE} ({err}); on Debian it is in fonts-dejavu-core"
        )
    })?;
    register_font(
        "sans-serif",
        FontStyle::Normal,
        Box::leak(font.into_boxed_slice()),
    )
    .map_err(|_| format!("{FONT_FILE} is not a font plotters can use"))?;

    let bars: Vec<Bar> = sections
        .iter()
        .filter_map(|section| section["figures"].as_array())
        .flatten()
        .filter_map(|figure| {
            Some(Bar {
                label: figure["label"].as_str()?.to_owned(),
                speed_up: figure["speed_up"].as_f64()?,
                goal: figure["goal"].as_f64()?,
            })
        })
        .collect();
    let points: Vec<Point> = sections
        .iter()
        .filter_map(|section| section["points"].as_array())
        .flatten()
        .filter_map(|point| {
            Some(Point {
                task: point["task"].as_str()?.to_owned(),
                size: point["size"].as_f64()?,
                median_ms: point["median_ms"].as_f64()?,
            })
        })
        .collect();

    let root = BitMapBackend::new(path, (1600, 640)).into_drawing_area();
    root.fill(&WHITE).map_err(error)?;
    let (left, right) = root.split_horizontally(1000);
    draw_bars(&left, &bars)?;
    draw_scaling(&right, &points)?;
    root.present().map_err(error)
}

/// The speed-up bars.
fn draw_bars(area: &DrawingArea<BitMapBackend, Shift>, bars: &[Bar]) -> Result<(), String> {
    let largest = bars
        .iter()
        .flat_map(|bar| [bar.speed_up, bar.goal])
        .fold(10.0_f64, f64::max);
    let smallest = bars
        .iter()
        .flat_map(|bar| [bar.speed_up, bar.goal])
        .fold(1.0_f64, f64::min);
    // Bars start at the axis' left edge.
    let left = smallest / 2.0;
    let x_range = left..(largest * 2.0);
    // The first bar on top: segment `n - 1` is the highest.
    let row = |index: usize| bars.len() - 1 - index;
    let labels: Vec<String> = bars.iter().rev().map(|bar| bar.label.clone()).collect();
    let mut chart = ChartBuilder::on(area)
        .caption(
            "Speed-up over each peer (median; red: goal)",
            ("sans-serif", 22),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(400)
        .build_cartesian_2d(
            x_range.log_scale(),
            (0..bars.len().saturating_sub(1)).into_segmented(),
        )
        .map_err(error)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_desc("times faster (log scale)")
        .x_label_formatter(&|x| format!("{x}×"))
        // A label for every bar: plotters shows ten by default and drops the rest.
        .y_labels(bars.len())
        .y_label_formatter(&|y| match y {
            SegmentValue::CenterOf(index) => labels.get(*index).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .label_style(("sans-serif", 15))
        .draw()
        .map_err(error)?;
    chart
        .draw_series(bars.iter().enumerate().map(|(index, bar)| {
            let mut rectangle = Rectangle::new(
                [
                    (left, SegmentValue::Exact(row(index))),
                    (bar.speed_up, SegmentValue::Exact(row(index) + 1)),
                ],
                BAR.filled(),
            );
            rectangle.set_margin(6, 6, 0, 0);
            rectangle
        }))
        .map_err(error)?;
    chart
        .draw_series(bars.iter().enumerate().map(|(index, bar)| {
            PathElement::new(
                [
                    (bar.goal, SegmentValue::Exact(row(index))),
                    (bar.goal, SegmentValue::Exact(row(index) + 1)),
                ],
                GOAL.stroke_width(4),
            )
        }))
        .map_err(error)?;
    chart
        .draw_series(bars.iter().enumerate().map(|(index, bar)| {
            Text::new(
                format!("{:.1}×", bar.speed_up),
                (bar.speed_up * 1.08, SegmentValue::CenterOf(row(index))),
                ("sans-serif", 15),
            )
        }))
        .map_err(error)?;
    Ok(())
}

/// The scaling panel.
fn draw_scaling(area: &DrawingArea<BitMapBackend, Shift>, points: &[Point]) -> Result<(), String> {
    let mut tasks: Vec<&str> = points.iter().map(|point| point.task.as_str()).collect();
    tasks.dedup();
    let (min_ms, max_ms) = points
        .iter()
        .fold((f64::MAX, 1.0_f64), |(low, high), point| {
            (low.min(point.median_ms), high.max(point.median_ms))
        });
    let min_ms = if min_ms == f64::MAX { 1.0 } else { min_ms };
    let mut chart = ChartBuilder::on(area)
        .caption("Time against schema size (log-log)", ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(64)
        .build_cartesian_2d(
            (0.8_f64..130.0).log_scale(),
            ((min_ms / 2.0)..(max_ms * 2.0)).log_scale(),
        )
        .map_err(error)?;
    chart
        .configure_mesh()
        .x_desc("size, × QEMU's QMP schema")
        .y_desc("median wall time (ms)")
        .x_label_formatter(&|x| format!("{x}×"))
        .label_style(("sans-serif", 15))
        .draw()
        .map_err(error)?;
    for (index, task) in tasks.iter().enumerate() {
        let series: Vec<(f64, f64)> = points
            .iter()
            .filter(|point| point.task == *task)
            .map(|point| (point.size, point.median_ms))
            .collect();
        let colour = LINES[index % LINES.len()];
        if let Some(&(size, ms)) = series.first() {
            // What linear growth from the smallest size would give.
            let linear = [1.0, 130.0].map(|x| (x, ms / size * x));
            chart
                .draw_series(LineSeries::new(linear, colour.mix(0.35).stroke_width(1)))
                .map_err(error)?;
        }
        chart
            .draw_series(LineSeries::new(series.clone(), colour.stroke_width(3)))
            .map_err(error)?
            .label(*task)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(3)));
        chart
            .draw_series(
                series
                    .iter()
                    .map(|&point| Circle::new(point, 5, colour.filled())),
            )
            .map_err(error)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font(("sans-serif", 15))
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(error)?;
    Ok(())
}

/// A drawing error as text.
fn error(err: impl std::fmt::Display) -> String {
    format!("cannot draw the chart: {err}")
}
