//! Hand-written inline SVG charts (no charting crate: CJK labels must measure right,
//! and the output must be deterministic). Every chart has a `<title>` and `<desc>`
//! and sits beside a data table; sparklines are decorative.

use std::fmt::Write as _;

use super::escape_html as esc;
use crate::fixed::Fixed;
use crate::i18n::{Strings, number};
use crate::model::IndicatorView;

const W: f64 = 640.0;
const H: f64 = 300.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 44.0;

/// A coordinate to one decimal, as `{:.1}` writes it (see [`Fixed`]).
fn d1(v: f64) -> Fixed {
    Fixed(v, 1)
}

/// Points of the line: the baseline (if any) then reported values.
fn points(ind: &IndicatorView) -> Vec<(i32, f64)> {
    let mut pts: Vec<(i32, f64)> = ind
        .baseline
        .iter()
        .filter_map(|b| b.value.map(|v| (b.year, v)))
        .collect();
    pts.extend(
        ind.values
            .iter()
            .filter_map(|v| v.value.map(|x| (v.year, x))),
    );
    pts
}

fn nice_step(range: f64) -> f64 {
    let raw = range / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let residual = raw / magnitude;
    let nice = if residual > 5.0 {
        10.0
    } else if residual > 2.0 {
        5.0
    } else if residual > 1.0 {
        2.0
    } else {
        1.0
    };
    (nice * magnitude).max(f64::EPSILON)
}

/// An `<svg>` with its title and description, which name it to assistive technology.
fn svg_start(id: &str, title: &str, desc: &str) -> String {
    let mut s = String::with_capacity(4096);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" aria-labelledby="chart-title-{id} chart-desc-{id}"><title id="chart-title-{id}">{}</title><desc id="chart-desc-{id}">{}</desc>"#,
        esc(title),
        esc(desc)
    );
    s
}

/// The horizontal grid lines from `LEFT` to `right`, with their values.
fn grid(
    s: &mut String,
    (lo, hi, step): (f64, f64, f64),
    right: f64,
    y: &dyn Fn(f64) -> f64,
    lang: &str,
) {
    let mut v = lo;
    while v <= hi + step / 2.0 {
        let yy = d1(y(v));
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" x2="{right}" y1="{yy}" y2="{yy}" stroke="#d5dbe1" stroke-width="1"/><text x="{}" y="{}" text-anchor="end" font-size="12" fill="#4f5761">{}</text>"##,
            LEFT - 6.0,
            d1(y(v) + 4.0),
            number(v, lang)
        );
        v += step;
    }
}

/// The years under the x axis.
fn year_labels(s: &mut String, years: std::ops::RangeInclusive<i32>, x: &dyn Fn(i32) -> f64) {
    for year in years {
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="#4f5761">{year}</text>"##,
            d1(x(year)),
            H - BOTTOM + 18.0
        );
    }
}

/// The y axis of values: padded, never below 0 (nor above 100 for a
/// percentage), ending on whole steps. Returns the low end, the high end, the step.
fn y_scale(values: impl Iterator<Item = f64> + Clone, percent: bool) -> (f64, f64, f64) {
    let mut lo = values.clone().fold(f64::INFINITY, f64::min);
    let mut hi = values.fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() || !hi.is_finite() {
        lo = 0.0;
        hi = 1.0;
    }
    let pad = ((hi - lo) * 0.15).max(if hi.abs() > 0.0 { hi.abs() * 0.05 } else { 1.0 });
    lo = (lo - pad).max(0.0);
    hi += pad;
    if percent {
        hi = hi.min(100.0);
    }
    if (hi - lo).abs() < f64::EPSILON {
        hi = lo + 1.0;
    }
    let step = nice_step(hi - lo);
    lo = (lo / step).floor() * step;
    hi = (hi / step).ceil() * step;
    (lo, hi, step)
}

pub fn chart(ind: &IndicatorView, lang: &str, strings: &Strings) -> String {
    let pts = points(ind);
    let target = ind.target.value;
    let first_year = pts
        .first()
        .map_or(ind.target.year - 5, |p| p.0)
        .min(ind.values.first().map_or(i32::MAX, |v| v.year));
    let last_year = ind
        .target
        .year
        .max(pts.last().map_or(ind.target.year, |p| p.0));
    let (lo, hi, step) = y_scale(pts.iter().map(|p| p.1).chain(target), ind.unit.zh == "%");
    let x = |year: i32| {
        LEFT + (W - LEFT - RIGHT) * f64::from(year - first_year)
            / f64::from((last_year - first_year).max(1))
    };
    let y = |v: f64| TOP + (H - TOP - BOTTOM) * (1.0 - (v - lo) / (hi - lo));

    let name = ind.name.get(lang);
    let id = &ind.id;
    let title = strings.fill(lang, "chart_title", &[("name", name)]);
    let base = ind
        .baseline
        .as_ref()
        .map_or_else(|| "–".to_string(), |b| b.display.get(lang).to_string());
    let target_year = ind.target.year.to_string();
    // What is drawn: the target line for a numeric target, the path to it
    // when the baseline does not already meet it. The text says only that.
    let draws_path = target.is_some() && !pts.is_empty() && !ind.baseline_meets_target;
    let desc = strings.fill(
        lang,
        match (target, draws_path) {
            (None, _) => "chart_desc_words",
            (Some(_), false) => "chart_desc_no_path",
            (Some(_), true) => "chart_desc",
        },
        &[
            ("base", &base),
            ("target", ind.target.display.get(lang)),
            ("target_year", &target_year),
        ],
    );
    let desc = if ind.footnotes.is_empty() {
        desc
    } else {
        format!("{desc} {}", strings.get(lang, "chart_desc_footnotes"))
    };
    let mut s = svg_start(id, &title, &desc);
    grid(&mut s, (lo, hi, step), W - RIGHT, &y, lang);
    year_labels(&mut s, first_year..=last_year, &x);
    // Target line and the straight path to it.
    if let Some(t) = target {
        let ty = y(t);
        let ty1 = d1(ty);
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" x2="{}" y1="{ty1}" y2="{ty1}" stroke="#8a1c1c" stroke-width="2" stroke-dasharray="8 4"/><text x="{}" y="{}" font-size="12" fill="#8a1c1c">{} {}</text>"##,
            W - RIGHT,
            // At the left end: the path to the target meets the line at the right.
            LEFT + 6.0,
            d1(ty - 6.0),
            esc(strings.get(lang, "chart_legend_target")),
            esc(ind.target.display.get(lang))
        );
        if let Some(&(by, bv)) = pts.first()
            && !ind.baseline_meets_target
        {
            let _ = write!(
                s,
                r##"<line x1="{}" y1="{}" x2="{}" y2="{ty1}" stroke="#6b7480" stroke-width="1.5" stroke-dasharray="3 4"/>"##,
                d1(x(by)),
                d1(y(bv)),
                d1(x(ind.target.year))
            );
        }
    }
    // Reported values.
    if !pts.is_empty() {
        let path: Vec<String> = pts
            .iter()
            .map(|&(yr, val)| format!("{},{}", d1(x(yr)), d1(y(val))))
            .collect();
        let _ = write!(
            s,
            r##"<polyline points="{}" fill="none" stroke="#0b4f9c" stroke-width="2.5"/>"##,
            path.join(" ")
        );
        for &(yr, val) in &pts {
            let _ = write!(
                s,
                r##"<circle cx="{}" cy="{}" r="4" fill="#0b4f9c"/>"##,
                d1(x(yr)),
                d1(y(val))
            );
        }
        // Values with a footnote: ringed and numbered, as the table numbers them.
        for v in &ind.values {
            if let (Some(n), Some(val)) = (v.footnote, v.value) {
                let _ = write!(
                    s,
                    r##"<circle cx="{}" cy="{}" r="7.5" fill="none" stroke="#8a4b00" stroke-width="1.5"/><text x="{}" y="{}" font-size="11" fill="#8a4b00">{n}</text>"##,
                    d1(x(v.year)),
                    d1(y(val)),
                    d1(x(v.year) + 9.0),
                    d1(y(val) + 15.0),
                );
            }
        }
        if let Some(&(yr, val)) = pts.last() {
            let _ = write!(
                s,
                r##"<text x="{}" y="{}" text-anchor="middle" font-size="12" font-weight="bold" fill="#1b1f24">{}</text>"##,
                d1(x(yr)),
                d1(y(val) - 9.0),
                number(val, lang)
            );
        }
    }
    // Legend: one entry for each kind of line drawn.
    let ly = H - 10.0;
    let mut entries = vec![(
        r##"stroke="#0b4f9c" stroke-width="2.5""##,
        "chart_legend_values",
    )];
    if draws_path {
        entries.push((
            r##"stroke="#6b7480" stroke-width="1.5" stroke-dasharray="3 4""##,
            "chart_legend_path",
        ));
    }
    if target.is_some() {
        entries.push((
            r##"stroke="#8a1c1c" stroke-width="2" stroke-dasharray="8 4""##,
            "chart_legend_target",
        ));
    }
    s.push_str(r##"<g font-size="12" fill="#1b1f24">"##);
    for (i, (stroke, key)) in entries.into_iter().enumerate() {
        // Room for the longest label before each entry ("path to target").
        let x0 = LEFT + [0.0, 150.0, 330.0][i.min(2)];
        let _ = write!(
            s,
            r##"<line x1="{}" x2="{}" y1="{ly}" y2="{ly}" {stroke}/><text x="{}" y="{}">{}</text>"##,
            x0,
            x0 + 24.0,
            x0 + 30.0,
            ly + 4.0,
            esc(strings.get(lang, key)),
        );
    }
    s.push_str("</g>");
    s.push_str("</svg>");
    s
}

/// How each category's line is drawn: color, dash pattern and marker differ
/// together, so that no line is told from another by color alone.
const SERIES_STYLES: [(&str, &str, Marker); 6] = [
    ("#0b4f9c", "", Marker::Circle),
    ("#8a4b00", "8 4", Marker::Square),
    ("#1b6e3a", "2 3", Marker::Triangle),
    ("#6a1b9a", "10 3 2 3", Marker::Diamond),
    ("#8a1c1c", "4 4", Marker::Circle),
    ("#333333", "1 3", Marker::Square),
];

#[derive(Clone, Copy)]
enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
}

fn marker(s: &mut String, kind: Marker, cx: f64, cy: f64, color: &str) {
    let _ = match kind {
        Marker::Circle => write!(
            s,
            r#"<circle cx="{}" cy="{}" r="4" fill="{color}"/>"#,
            d1(cx),
            d1(cy)
        ),
        Marker::Square => write!(
            s,
            r#"<rect x="{}" y="{}" width="8" height="8" fill="{color}"/>"#,
            d1(cx - 4.0),
            d1(cy - 4.0)
        ),
        Marker::Triangle => write!(
            s,
            r#"<path d="M{} {}L{} {}L{} {}Z" fill="{color}"/>"#,
            d1(cx),
            d1(cy - 5.0),
            d1(cx + 5.0),
            d1(cy + 4.0),
            d1(cx - 5.0),
            d1(cy + 4.0)
        ),
        Marker::Diamond => write!(
            s,
            r#"<path d="M{} {}L{} {}L{} {}L{} {}Z" fill="{color}"/>"#,
            d1(cx),
            d1(cy - 5.0),
            d1(cx + 5.0),
            d1(cy),
            d1(cx),
            d1(cy + 5.0),
            d1(cx - 5.0),
            d1(cy)
        ),
    };
}

/// The chart of one breakdown dimension: a line per category, named at its
/// end. The target is the headline's, so it is not drawn here.
pub fn breakdown_chart(
    ind: &IndicatorView,
    dim: &crate::model::breakdown::BreakdownSeries,
    lang: &str,
    strings: &Strings,
) -> String {
    const LABELS: f64 = 150.0;
    let series: Vec<Vec<(i32, f64)>> = dim
        .categories
        .iter()
        .map(|c| {
            c.values
                .iter()
                .filter_map(|v| v.value.map(|x| (v.year, x)))
                .collect()
        })
        .collect();
    let all = series.iter().flatten();
    let first_year = all.clone().map(|p| p.0).min().unwrap_or(ind.target.year);
    let last_year = all.clone().map(|p| p.0).max().unwrap_or(ind.target.year);
    let (lo, hi, step) = y_scale(all.map(|p| p.1), ind.unit.zh == "%");
    let right = W - LABELS;
    let x = |year: i32| {
        LEFT + 12.0
            + (right - LEFT - 24.0) * f64::from(year - first_year)
                / f64::from((last_year - first_year).max(1))
    };
    let y = |v: f64| TOP + (H - TOP - BOTTOM) * (1.0 - (v - lo) / (hi - lo));
    let name = ind.name.get(lang);
    let dim_name = dim.name.get(lang);
    let id = format!("{}-{}", ind.id, dim.id);
    let categories: Vec<&str> = dim.categories.iter().map(|c| c.name.get(lang)).collect();
    let list = categories.join(strings.get(lang, "list_separator"));
    let title = strings.fill(
        lang,
        "chart_breakdown_title",
        &[("name", name), ("dimension", dim_name)],
    );
    let desc = strings.fill(
        lang,
        "chart_breakdown_desc",
        &[("dimension", dim_name), ("categories", &list)],
    );
    let mut s = svg_start(&id, &title, &desc);
    grid(&mut s, (lo, hi, step), right, &y, lang);
    year_labels(&mut s, first_year..=last_year, &x);
    // Names at the lines' ends, pushed apart where they would overlap.
    let mut labels: Vec<(f64, usize)> = series
        .iter()
        .enumerate()
        .filter_map(|(i, pts)| pts.last().map(|p| (y(p.1), i)))
        .collect();
    labels.sort_by(|a, b| a.0.total_cmp(&b.0));
    for i in 1..labels.len() {
        if labels[i].0 - labels[i - 1].0 < 14.0 {
            labels[i].0 = labels[i - 1].0 + 14.0;
        }
    }
    for (i, pts) in series.iter().enumerate() {
        let (color, dash, kind) = SERIES_STYLES[i % SERIES_STYLES.len()];
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(r#" stroke-dasharray="{dash}""#)
        };
        let path: Vec<String> = pts
            .iter()
            .map(|&(yr, val)| format!("{},{}", d1(x(yr)), d1(y(val))))
            .collect();
        let _ = write!(
            s,
            r#"<polyline points="{}" fill="none" stroke="{color}" stroke-width="2.5"{dash}/>"#,
            path.join(" ")
        );
        for &(yr, val) in pts {
            marker(&mut s, kind, x(yr), y(val), color);
        }
        if let (Some(&(yr, val)), Some(&(ly, _))) =
            (pts.last(), labels.iter().find(|(_, j)| *j == i))
        {
            let _ = write!(
                s,
                r#"<text x="{}" y="{}" font-size="12" fill="{color}">{} {}</text>"#,
                d1(x(yr) + 10.0),
                d1(ly + 4.0),
                esc(categories[i]),
                number(val, lang)
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// A small decorative trend line for cards (the numbers are in the card's text).
pub fn sparkline(ind: &IndicatorView) -> String {
    let pts = points(ind);
    if pts.len() < 2 {
        return String::new();
    }
    let (w, h) = (120.0, 32.0);
    let lo = pts
        .iter()
        .map(|p| p.1)
        .chain(ind.target.value)
        .fold(f64::INFINITY, f64::min);
    let hi = pts
        .iter()
        .map(|p| p.1)
        .chain(ind.target.value)
        .fold(f64::NEG_INFINITY, f64::max);
    let span = if (hi - lo).abs() < f64::EPSILON {
        1.0
    } else {
        hi - lo
    };
    let (y0, y1) = (pts[0].0, pts[pts.len() - 1].0.max(ind.target.year));
    let x = |yr: i32| 2.0 + (w - 4.0) * f64::from(yr - y0) / f64::from((y1 - y0).max(1));
    let y = |v: f64| 2.0 + (h - 4.0) * (1.0 - (v - lo) / span);
    let line: Vec<String> = pts
        .iter()
        .map(|&(yr, v)| format!("{},{}", d1(x(yr)), d1(y(v))))
        .collect();
    let mut s = format!(
        r#"<svg class="sparkline" viewBox="0 0 {w} {h}" preserveAspectRatio="none" aria-hidden="true" focusable="false">"#
    );
    if let Some(t) = ind.target.value {
        let _ = write!(
            s,
            r##"<line x1="0" x2="{w}" y1="{}" y2="{}" stroke="#8a1c1c" stroke-dasharray="4 3" stroke-width="1"/>"##,
            d1(y(t)),
            d1(y(t))
        );
    }
    let _ = write!(
        s,
        r##"<polyline points="{}" fill="none" stroke="#0b4f9c" stroke-width="2"/></svg>"##,
        line.join(" ")
    );
    s
}
