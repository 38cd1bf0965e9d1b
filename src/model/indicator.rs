//! Indicator views: values by year, reporting and progress status, explanations.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::content::progress::SourceRef;
use crate::content::registry::Origin;
use crate::content::{IndicatorDef, ProgressYear, Text};
use crate::i18n::{LANGS, Strings, with_unit};
use crate::plan::{Attribute, Bound, Op};
use crate::status::{self, Assessment, Goal, Progress};

#[derive(Debug, Clone, Serialize)]
pub struct BoundView {
    pub year: i32,
    pub op: Op,
    pub value: Option<f64>,
    pub raw: String,
    /// `≥ 90%` / `90% or more`, per language.
    pub display: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearValue {
    pub year: i32,
    pub value: Option<f64>,
    pub display: Text,
    /// reported | missing | not_due
    pub reporting: &'static str,
    pub missing_reason: Option<Text>,
    pub source: Option<SourceRef>,
    pub note: Option<Text>,
    /// Progress status assessed with the data up to this year.
    pub status: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    pub key: &'static str,
    pub ratio: Option<f64>,
    pub explanation: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaLink {
    pub slug: String,
    pub short: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    pub id: String,
    pub name: Text,
    pub group: Option<Text>,
    pub unit: Text,
    pub attribute: Option<&'static str>,
    pub baseline: Option<BoundView>,
    pub target: BoundView,
    /// `table` or `prose`.
    pub origin: &'static str,
    /// The plan's own words: the table row, or the quoted sentence.
    pub plan_words: String,
    pub plan_lines: [usize; 2],
    pub direction: &'static str,
    pub direction_reason: Option<Text>,
    pub areas: Vec<AreaLink>,
    pub values: Vec<YearValue>,
    pub latest: Option<YearValue>,
    pub status: StatusView,
    pub linear: bool,
    /// Decorative inline SVG for cards.
    pub sparkline: String,
}

fn bound_display(b: &Bound, unit: &Text, strings: &Strings) -> Text {
    let mut t = Text::default();
    for lang in LANGS {
        let v = b
            .value
            .map_or_else(|| b.raw.clone(), |v| with_unit(v, &unit.zh, &unit.en, lang));
        let s = match b.op {
            Op::AtLeast => strings.fill(lang, "bound_at_least", &[("value", &v)]),
            Op::AtMost => strings.fill(lang, "bound_at_most", &[("value", &v)]),
            Op::Exact => v,
        };
        if lang == "en" { t.en = s } else { t.zh = s }
    }
    t
}

fn bound_view(b: &Bound, unit: &Text, strings: &Strings) -> BoundView {
    BoundView {
        year: b.year,
        op: b.op,
        value: b.value,
        raw: b.raw.clone(),
        display: bound_display(b, unit, strings),
    }
}

pub struct Inputs<'a> {
    pub def: &'a IndicatorDef,
    pub years: &'a [&'a ProgressYear],
    pub period: (i32, i32),
    pub as_of: i32,
    pub area_links: Vec<AreaLink>,
    pub strings: &'a Strings,
    pub plan_words: String,
}

pub fn build(inputs: Inputs) -> IndicatorView {
    let Inputs {
        def,
        years,
        period,
        as_of,
        area_links,
        strings,
        plan_words,
    } = inputs;
    let unit = &def.unit;
    let goal = Goal {
        baseline: def
            .baseline
            .as_ref()
            .and_then(|b| b.value.map(|v| (b.year, v))),
        target: (def.target.year, def.target.value.unwrap_or(0.0)),
        op: def.target.op,
        bound: def.bound,
    };
    let reported: Vec<(i32, f64)> = years
        .iter()
        .filter(|y| y.year <= as_of)
        .filter_map(|y| {
            y.indicators
                .get(&def.id)
                .and_then(|o| o.value)
                .map(|v| (y.year, v))
        })
        .collect();
    let direction = def.direction_override.as_ref().map_or_else(
        || status::direction(&goal, reported.first().map(|v| v.1)),
        |o| o.0,
    );
    let assess_until = |year: i32| -> Assessment {
        let upto: Vec<(i32, f64)> = reported.iter().copied().filter(|v| v.0 <= year).collect();
        status::assess(&goal, direction, &upto)
    };

    let mut values = Vec::new();
    for year in period.0..=period.1 {
        let file = years.iter().find(|y| y.year == year && y.year <= as_of);
        let obs = file.and_then(|f| f.indicators.get(&def.id));
        let value = obs.and_then(|o| o.value);
        let reporting = match (file, value) {
            (None, _) => "not_due",
            (Some(_), Some(_)) => "reported",
            (Some(_), None) => "missing",
        };
        let display = match value {
            Some(v) => Text::new(
                with_unit(v, &unit.zh, &unit.en, "zh"),
                with_unit(v, &unit.zh, &unit.en, "en"),
            ),
            None => Text::new(
                strings.get("zh", &format!("reporting_{reporting}")),
                strings.get("en", &format!("reporting_{reporting}")),
            ),
        };
        let status = if file.is_some() {
            assess_until(year).status.key()
        } else {
            Progress::NoData.key()
        };
        values.push(YearValue {
            year,
            value,
            display,
            reporting,
            missing_reason: obs.and_then(|o| o.missing_reason.clone()).or_else(|| {
                (file.is_some() && obs.is_none()).then(|| {
                    Text::new(
                        strings.get("zh", "not_listed"),
                        strings.get("en", "not_listed"),
                    )
                })
            }),
            source: obs.and_then(|o| o.source.clone()),
            note: obs.and_then(|o| o.note.clone()),
            status,
        });
    }
    let latest = values.iter().rev().find(|v| v.value.is_some()).cloned();
    let assessment = assess_until(as_of);
    let first_year = reported.first().map(|v| v.0);
    let status = explain(
        &assessment,
        def,
        &goal,
        first_year,
        latest.as_ref(),
        unit,
        strings,
    );
    let (origin, plan_lines) = match &def.origin {
        Origin::Table { lines } => ("table", *lines),
        Origin::Prose { lines, .. } => ("prose", *lines),
    };
    let mut view = IndicatorView {
        id: def.id.clone(),
        name: def.name.clone(),
        group: def.group.clone(),
        unit: unit.clone(),
        attribute: def.attribute.map(|a| match a {
            Attribute::Anticipatory => "anticipatory",
            Attribute::Binding => "binding",
        }),
        baseline: def.baseline.as_ref().map(|b| bound_view(b, unit, strings)),
        target: bound_view(&def.target, unit, strings),
        origin,
        plan_words,
        plan_lines,
        direction: direction.key(),
        direction_reason: def.direction_override.as_ref().map(|o| o.1.clone()),
        areas: area_links,
        values,
        latest,
        status,
        linear: assessment.linear,
        sparkline: String::new(),
    };
    view.sparkline = crate::render::chart::sparkline(&view);
    view
}

fn explain(
    a: &Assessment,
    def: &IndicatorDef,
    goal: &Goal,
    first_year: Option<i32>,
    latest: Option<&YearValue>,
    unit: &Text,
    strings: &Strings,
) -> StatusView {
    let mut explanation = Text::default();
    for lang in LANGS {
        let ratio = a
            .ratio
            .map(|r| format!("{}%", crate::i18n::number(r * 100.0, lang)))
            .unwrap_or_default();
        let target = bound_display(&def.target, unit, strings);
        // Without a published baseline the first reported year is the base.
        let base_year = goal
            .baseline
            .map(|b| b.0)
            .or(first_year)
            .map(|y| y.to_string())
            .unwrap_or_default();
        let (year, value) = latest.map_or((String::new(), String::new()), |l| {
            (l.year.to_string(), l.display.get(lang).to_string())
        });
        let mut s = strings.fill(
            lang,
            &format!("explain_{}", a.status.key()),
            &[
                ("ratio", &ratio),
                ("target", target.get(lang)),
                ("base_year", &base_year),
                ("year", &year),
                ("value", &value),
            ],
        );
        if a.linear && a.ratio.is_some() {
            s.push_str(strings.get(lang, "explain_linear"));
        }
        if lang == "en" {
            explanation.en = s
        } else {
            explanation.zh = s
        }
    }
    StatusView {
        key: a.status.key(),
        ratio: a.ratio,
        explanation,
    }
}

/// Counts of indicators per progress status, in the order of [`Progress::ALL`].
pub fn status_counts(indicators: &[IndicatorView]) -> Vec<(&'static str, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for i in indicators {
        *counts.entry(i.status.key).or_default() += 1;
    }
    Progress::ALL
        .iter()
        .map(|p| (p.key(), counts.get(p.key()).copied().unwrap_or(0)))
        .filter(|c| c.1 > 0)
        .collect()
}
