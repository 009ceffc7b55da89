//! Coverage charts, drawn at build time as inline SVG with plotters: articles
//! per month on every entity page (tagged and mentioned told apart), and a
//! sparkline per entity on the kind index. Each chart carries `<title>` and
//! `<desc>`; the numbers it plots are also handed to templates for a
//! visually hidden table. Colours come from CSS classes, so charts follow
//! the page's light or dark scheme.
//!
//! The counting is the link stage's (`link/coverage.rs`); the drawing is
//! plotters' job.

use plotters::chart::MeshStyle;
use plotters::prelude::*;

use crate::link::coverage::MonthCount;

/// The grid and labels of every chart with axes: a faint grid, ink axes,
/// and labels of `label` and axis names of `desc` pixels (in the drawing's
/// own units, which the page scales).
fn house_style<'m, 'a, 'b, X, Y, DB>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
    label: u32,
    desc: u32,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged,
    Y: Ranged,
    DB: DrawingBackend,
{
    mesh.bold_line_style(INK.mix(0.15))
        .light_line_style(TRANSPARENT)
        .axis_style(INK)
        .label_style(("sans-serif", label).into_font().color(&INK))
        .axis_desc_style(("sans-serif", desc).into_font().color(&INK))
}

/// Horizontal bars: one per entity, longest first.
pub fn ranking_chart(title: &str, bars: &[(String, usize)]) -> String {
    if bars.is_empty() {
        return String::new();
    }
    let rows = bars.len() as u32;
    let highest = bars.iter().map(|b| b.1).max().unwrap_or(1).max(1) as u32;
    let mut svg = String::new();
    {
        let height = 28 * rows + 50;
        let root = SVGBackend::with_string(&mut svg, (360, height)).into_drawing_area();
        let built = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(36)
            .y_label_area_size(130)
            .build_cartesian_2d(0..highest + 1, (0..rows.saturating_sub(1)).into_segmented());
        let Ok(mut chart) = built else {
            return String::new();
        };
        // Row 0 is at the bottom: the longest bar goes in the top row.
        let row_of = |i: usize| rows - 1 - i as u32;
        let names = |y: &SegmentValue<u32>| match y {
            SegmentValue::CenterOf(row) => bars
                .get((rows - 1 - row) as usize)
                .map(|b| b.0.clone())
                .unwrap_or_default(),
            _ => String::new(),
        };
        let _ = house_style(chart.configure_mesh().disable_y_mesh(), 15, 15)
            .x_desc("Articles")
            .y_label_formatter(&names)
            .y_labels(rows as usize)
            .x_labels(highest.min(6) as usize + 1)
            .draw();
        let rectangles = bars.iter().enumerate().map(|(i, (_, n))| {
            let y0 = SegmentValue::Exact(row_of(i));
            let y1 = SegmentValue::Exact(row_of(i) + 1);
            let mut rectangle = Rectangle::new([(0, y0), (*n as u32, y1)], TAGGED.filled());
            rectangle.set_margin(3, 3, 0, 0);
            rectangle
        });
        let _ = chart.draw_series(rectangles);
        let _ = root.present();
    }
    let description: Vec<String> = bars
        .iter()
        .map(|(name, n)| format!("{name}: {n}"))
        .collect();
    finish(svg, "chart chart--ranking", title, &description.join(", "))
}

/// Sentinel colours plotters draws with, replaced by CSS classes afterwards.
const TAGGED: RGBColor = RGBColor(1, 2, 3);
const MENTIONED: RGBColor = RGBColor(4, 5, 6);
const INK: RGBColor = RGBColor(7, 8, 9);

/// The coverage chart of an entity page: stacked bars per month.
pub fn coverage_chart(name: &str, counts: &[MonthCount]) -> String {
    if counts.is_empty() {
        return String::new();
    }
    let months = counts.len() as u32;
    let highest = counts
        .iter()
        .map(MonthCount::total)
        .max()
        .unwrap_or(1)
        .max(1) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 260)).into_drawing_area();
        let built = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(58)
            .y_label_area_size(54)
            .build_cartesian_2d(
                (0..months.saturating_sub(1)).into_segmented(),
                0..highest + 1,
            );
        let Ok(mut chart) = built else {
            return String::new();
        };
        // Labels big enough to read when a phone shrinks the chart to half
        // its size, so at most six of them.
        let every = (months as usize).div_ceil(6).max(1);
        let labels = |x: &SegmentValue<u32>| match x {
            SegmentValue::CenterOf(i) | SegmentValue::Exact(i) if (*i as usize) % every == 0 => {
                counts
                    .get(*i as usize)
                    .map(MonthCount::label)
                    .unwrap_or_default()
            }
            _ => String::new(),
        };
        let _ = house_style(chart.configure_mesh().disable_x_mesh(), 19, 18)
            .x_desc("Month")
            .y_desc("Articles")
            .x_label_formatter(&labels)
            .x_labels(months as usize)
            .y_labels(highest.min(6) as usize + 1)
            .draw();
        // One stack per month, mentioned on top of tagged, drawn in month
        // order (plotters' Histogram goes through a hash map, and the output
        // must be the same on every build).
        let bar = |i: usize, from: usize, to: usize, colour: RGBColor| {
            let x0 = SegmentValue::Exact(i as u32);
            let x1 = SegmentValue::Exact(i as u32 + 1);
            let mut rectangle =
                Rectangle::new([(x0, from as u32), (x1, to as u32)], colour.filled());
            rectangle.set_margin(0, 0, 3, 3);
            rectangle
        };
        let tagged = counts
            .iter()
            .enumerate()
            .filter(|(_, c)| c.tagged > 0)
            .map(|(i, c)| bar(i, 0, c.tagged, TAGGED));
        let _ = chart.draw_series(tagged);
        let mentioned = counts
            .iter()
            .enumerate()
            .filter(|(_, c)| c.mentioned > 0)
            .map(|(i, c)| bar(i, c.tagged, c.total(), MENTIONED));
        let _ = chart.draw_series(mentioned);
        let _ = root.present();
    }
    let title = format!("Coverage of {name} per month");
    let total: usize = counts.iter().map(MonthCount::total).sum();
    let peak = counts
        .iter()
        .max_by_key(|c| c.total())
        .map(|c| c.label())
        .unwrap_or_default();
    let description = format!(
        "{total} articles from {} to {}, most in {peak}; dark bars: tagged, light bars: mentioned.",
        counts[0].label(),
        counts[counts.len() - 1].label()
    );
    finish(svg, "chart chart--coverage", &title, &description)
}

/// A small line of articles per month for the kind index.
pub fn sparkline(name: &str, counts: &[MonthCount]) -> String {
    if counts.len() < 2 {
        return String::new();
    }
    let highest = counts
        .iter()
        .map(MonthCount::total)
        .max()
        .unwrap_or(1)
        .max(1) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (120, 28)).into_drawing_area();
        let built = ChartBuilder::on(&root)
            .margin(2)
            .build_cartesian_2d(0..counts.len() as u32 - 1, 0..highest);
        let Ok(mut chart) = built else {
            return String::new();
        };
        let points = counts
            .iter()
            .enumerate()
            .map(|(i, c)| (i as u32, c.total() as u32));
        let _ = chart.draw_series(LineSeries::new(points, TAGGED.stroke_width(2)));
        let _ = root.present();
    }
    let total: usize = counts.iter().map(MonthCount::total).sum();
    let description = format!(
        "{total} articles from {} to {}",
        counts[0].label(),
        counts[counts.len() - 1].label()
    );
    finish(
        svg,
        "chart chart--spark",
        &format!("Coverage of {name}"),
        &description,
    )
}

/// Makes plotters' SVG fit the page: classes instead of colours, scalable,
/// with an accessible name and description.
fn finish(svg: String, class: &str, title: &str, description: &str) -> String {
    let svg = svg
        .replace("fill=\"#010203\"", "class=\"chart-tagged\"")
        .replace("stroke=\"#010203\"", "class=\"chart-line\"")
        .replace("fill=\"#040506\"", "class=\"chart-mentioned\"")
        .replace("stroke=\"#070809\"", "class=\"chart-ink-stroke\"")
        .replace("fill=\"#070809\"", "class=\"chart-ink\"");
    let Some(open_end) = svg.find('>') else {
        return String::new();
    };
    let open = &svg[..open_end];
    let view_box = open
        .split("viewBox=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("0 0 720 260");
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    format!(
        "<svg class=\"{class}\" viewBox=\"{view_box}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" preserveAspectRatio=\"xMinYMin meet\"><title>{}</title><desc>{}</desc>{}",
        escape(title),
        escape(description),
        &svg[open_end + 1..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::coverage::count_months;
    use crate::link::Relation;

    #[test]
    fn charts_are_accessible_and_styled_by_class() {
        let counts = count_months([(2024, 1, Relation::Tagged), (2024, 3, Relation::Mentioned)]);
        let svg = coverage_chart("Meta <Platforms>", &counts);
        assert!(
            svg.starts_with("<svg class=\"chart chart--coverage\""),
            "{svg}"
        );
        assert!(svg.contains("<title>Coverage of Meta &lt;Platforms&gt; per month</title>"));
        assert!(svg.contains("<desc>2 articles from Jan 2024 to Mar 2024"));
        assert!(svg.contains("class=\"chart-tagged\""));
        assert!(svg.contains("class=\"chart-mentioned\""));
        assert!(!svg.contains("#010203") && !svg.contains("#040506"));
        assert!(
            svg.contains(">Articles<") || svg.contains("Articles"),
            "labelled axis"
        );
        let spark = sparkline("Meta", &counts);
        assert!(spark.contains("class=\"chart-line\""), "{spark}");
    }

    #[test]
    fn one_month_draws_one_bar() {
        let counts = count_months([(2024, 5, Relation::Tagged), (2024, 5, Relation::Tagged)]);
        let svg = coverage_chart("Meta", &counts);
        assert_eq!(svg.matches("class=\"chart-tagged\"").count(), 1, "{svg}");
        assert_eq!(sparkline("Meta", &counts), "", "no line from one point");
    }
}
