//! Server-rendered SVG charts, drawn with `plotters` (its SVG backend: no fonts, no
//! JavaScript). A chart is a picture of a table the page also prints, so it carries
//! `role="img"` and a title; screen readers read the table.

use plotters::prelude::*;

/// One bar: its label and value (None: no figure, drawn as a gap).
pub(crate) struct Bar {
    pub label: String,
    pub value: Option<f64>,
}

const ROW: u32 = 28;
const LABEL_WIDTH: u32 = 150;
const WIDTH: u32 = 640;

/// A horizontal bar chart of `bars`, longest bar at `max` (or the largest value);
/// `format` writes a value beside its bar.
pub(crate) fn bars_svg(title: &str, bars: &[Bar], format: &dyn Fn(f64) -> String) -> String {
    let height = ROW * (bars.len() as u32).max(1) + 8;
    let max = bars
        .iter()
        .filter_map(|b| b.value)
        .fold(0.0f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let text = ("sans-serif", 14).into_font().color(&BLACK);
        let room = f64::from(WIDTH - LABEL_WIDTH - 90);
        for (i, bar) in bars.iter().enumerate() {
            let top = (ROW * i as u32 + 4) as i32;
            let _ = root.draw(&Text::new(bar.label.clone(), (4, top + 5), text.clone()));
            let Some(value) = bar.value else {
                let _ = root.draw(&Text::new("—", (LABEL_WIDTH as i32, top + 5), text.clone()));
                continue;
            };
            let length = ((value / max) * room).round() as i32;
            let left = LABEL_WIDTH as i32;
            let _ = root.draw(&Rectangle::new(
                [
                    (left, top + 2),
                    (left + length.max(1), top + ROW as i32 - 6),
                ],
                RGBColor(0x0b, 0x4f, 0x8a).filled(),
            ));
            let _ = root.draw(&Text::new(
                format(value),
                (left + length + 6, top + 5),
                text.clone(),
            ));
        }
        let _ = root.present();
    }
    // Named for assistive technology; the page's table carries the figures.
    svg.replacen(
        "<svg ",
        &format!(
            "<svg role=\"img\" aria-label=\"{}\" ",
            askama::filters::escape(title, askama::filters::Html)
                .map(|t| t.to_string())
                .unwrap_or_default()
        ),
        1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_drawn_with_their_labels_and_values() {
        let svg = bars_svg(
            "按时办结率",
            &[
                Bar {
                    label: "镇海区".to_owned(),
                    value: Some(0.9),
                },
                Bar {
                    label: "北仑区".to_owned(),
                    value: None,
                },
            ],
            &|v| format!("{:.0}%", v * 100.0),
        );
        assert!(
            svg.starts_with("<svg role=\"img\" aria-label=\"按时办结率\""),
            "{svg}"
        );
        assert!(svg.contains("镇海区") && svg.contains("90%") && svg.contains("<rect"));
        assert!(svg.contains("—"), "a region without a figure is a gap");
    }
}
