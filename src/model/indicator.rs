//! Indicator views: values by year, reporting and progress status, and the
//! status's computation in plain words with the numbers used.

use serde::Serialize;

use super::breakdown::{self, BreakdownSeries, Footnote, MetadataView};
use crate::content::progress::SourceRef;
use crate::content::registry::Origin;
use crate::content::{IndicatorDef, ProgressYear, Text};
use crate::i18n::{LANGS, Strings, number};
use crate::plan::{Attribute, Bound, Op};
use crate::routes::View;
use crate::status::{self, Assessment, Direction, Goal, Limits, Note, Path, Progress};

#[derive(Debug, Clone, Serialize)]
pub struct BoundView {
    pub year: i32,
    pub op: Op,
    pub value: Option<f64>,
    pub raw: String,
    /// `≥ 90%` / `90% or more`, or a target in words, per language.
    pub display: Text,
}

/// Whether a year's value is in: reported, missing from a year's file, or
/// not due (the year has no file yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reporting {
    Reported,
    Missing,
    NotDue,
}

impl std::fmt::Display for Reporting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Reporting::Reported => "reported",
            Reporting::Missing => "missing",
            Reporting::NotDue => "not_due",
        })
    }
}

/// Where an indicator's target is in the plan: a row of its table, or a
/// sentence of its prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowOrigin {
    Table,
    Prose,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearValue {
    pub year: i32,
    pub value: Option<f64>,
    pub display: Text,
    pub reporting: Reporting,
    pub missing_reason: Option<Text>,
    pub source: Option<SourceRef>,
    pub note: Option<Text>,
    pub flag: Option<crate::content::progress::Flag>,
    /// Its footnote's number on the indicator's page, when it has a note or flag.
    pub footnote: Option<usize>,
    /// Progress status assessed with the data up to this year.
    pub status: Progress,
}

/// One line of a status's computation: what it is, and its value.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub label: Text,
    pub value: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    pub key: Progress,
    /// R (target path) or d·CAGR (no-target path).
    pub measure: Option<f64>,
    /// The status in a sentence or two, with the numbers used.
    pub explanation: Text,
    /// The computation, step by step (empty when nothing was computed).
    pub steps: Vec<Step>,
    /// Every number behind the status, for the open data.
    #[serde(skip)]
    pub assessment: Assessment,
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaLink {
    pub slug: String,
    /// The area page's folder under a language folder (`routes::View`).
    pub path: String,
    pub short: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    pub id: String,
    /// The indicator page's folder under a language folder (`routes::View`).
    pub path: String,
    pub name: Text,
    pub group: Option<Text>,
    pub unit: Text,
    pub attribute: Option<Attribute>,
    pub baseline: Option<BoundView>,
    pub target: BoundView,
    /// Whether the target is stated in words (the method's no-target path).
    pub target_in_words: bool,
    pub origin: RowOrigin,
    /// The plan's own words: the table row, or the quoted sentence.
    pub plan_words: String,
    pub plan_lines: [usize; 2],
    /// increase | decrease; None when neither the plan nor the registry says.
    pub direction: Option<Direction>,
    /// Whether the plan's baseline already meets the target.
    pub baseline_meets_target: bool,
    pub direction_reason: Option<Text>,
    pub areas: Vec<AreaLink>,
    pub values: Vec<YearValue>,
    /// The values by breakdown dimension; the status is computed on `values` only.
    pub breakdowns: Vec<BreakdownSeries>,
    pub footnotes: Vec<Footnote>,
    pub metadata: MetadataView,
    pub latest: Option<YearValue>,
    pub status: StatusView,
    /// Decimal places of this indicator's figures: those the plan uses, or
    /// more where reported values have more (at most 2).
    pub decimals: usize,
}

/// Decimal places written in a number's text (`58.2` → 1, `90%以上` → 0).
fn decimals_in(raw: &str) -> usize {
    let digits: String = raw
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    digits.split_once('.').map_or(0, |(_, f)| f.len())
}

/// A value with its unit, with exactly `decimals` places: `88.6%`, `1,050 persons`, `1050人`.
pub fn figure(value: f64, decimals: usize, unit: &Text, lang: &str) -> String {
    let n = fixed_number(value, decimals, lang);
    match (lang, unit.zh.as_str()) {
        (_, "%" | "‰") => format!("{n}{}", unit.zh),
        (_, "") => n,
        ("en", _) => format!("{n} {}", unit.en),
        _ => format!("{n}{}", unit.zh),
    }
}

/// A number with exactly `decimals` places; English groups thousands with commas.
fn fixed_number(value: f64, decimals: usize, lang: &str) -> String {
    let text = crate::fixed::Fixed(value, decimals).to_string();
    let text = if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        text.trim_start_matches('-').to_string()
    } else {
        text
    };
    if lang != "en" {
        return text;
    }
    let (sign, rest) = text
        .strip_prefix('-')
        .map_or(("", text.as_str()), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    if int.len() <= 3 {
        return text;
    }
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A growth rate as a percentage with two places: `3.33%`, `−1.75%`.
fn rate(r: f64, lang: &str) -> String {
    let text = fixed_number(r * 100.0, 2, lang);
    format!("{}%", text.replacen('-', "−", 1))
}

fn bound_display(b: &Bound, unit: &Text, target_en: Option<&str>, strings: &Strings) -> Text {
    let mut t = Text::default();
    for lang in LANGS {
        let s = match (b.op, b.value) {
            (Op::Qualitative, _) | (_, None) => {
                if lang == "zh" {
                    b.raw.clone()
                } else {
                    match (target_en, b.words.as_ref().and_then(|w| w.en.as_deref())) {
                        (Some(en), _) | (None, Some(en)) => en.to_string(),
                        (None, None) => strings
                            .get("en", "target_in_words_untranslated")
                            .to_string(),
                    }
                }
            }
            (op, Some(v)) => {
                let v = crate::i18n::with_unit(v, &unit.zh, &unit.en, lang);
                match op {
                    Op::AtLeast => strings.fill(lang, "bound_at_least", &[("value", &v)]),
                    Op::AtMost => strings.fill(lang, "bound_at_most", &[("value", &v)]),
                    _ => v,
                }
            }
        };
        if lang == "en" { t.en = s } else { t.zh = s }
    }
    t
}

fn bound_view(b: &Bound, unit: &Text, target_en: Option<&str>, strings: &Strings) -> BoundView {
    BoundView {
        year: b.year,
        op: b.op,
        value: b.value,
        raw: b.raw.clone(),
        display: bound_display(b, unit, target_en, strings),
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
    pub dimensions: &'a [crate::content::metadata::Dimension],
}

/// The natural limits of an indicator's values: 0 and 100 for a percentage.
pub fn limits(def: &IndicatorDef) -> Limits {
    match def.bound {
        Some(max) => Limits {
            min: Some(0.0),
            max: Some(max),
        },
        None => Limits::default(),
    }
}

/// The goal an indicator's status is measured against, given its first reported value.
pub fn goal(def: &IndicatorDef, first_value: Option<f64>) -> Goal {
    let base = def
        .baseline
        .as_ref()
        .and_then(|b| b.value.map(|v| (b.year, v)));
    let target = match def.target.op {
        Op::Qualitative => None,
        _ => def.target.value.map(|v| (def.target.year, v)),
    };
    let limits = limits(def);
    let direction = def.direction_override.as_ref().map(|o| o.0).or_else(|| {
        status::direction(
            def.target.op,
            def.target.value,
            def.target.words.as_ref().and_then(|w| w.trend),
            base.map(|b| b.1).or(first_value),
            limits,
        )
    });
    // A target plansite cannot read is assessed only if a direction is given
    // by hand; then by the no-target path.
    let readable = def.target.value.is_some() || def.target.words.is_some();
    Goal {
        base,
        target,
        direction: if readable || def.direction_override.is_some() {
            direction
        } else {
            None
        },
        limits,
    }
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
        dimensions,
    } = inputs;
    let unit = &def.unit;
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
    let goal = goal(def, reported.first().map(|v| v.1));
    let assess_until = |year: i32| -> Assessment {
        let upto: Vec<(i32, f64)> = reported.iter().copied().filter(|v| v.0 <= year).collect();
        status::assess(&goal, &upto)
    };
    let plan_decimals = def
        .baseline
        .iter()
        .chain(std::iter::once(&def.target))
        .map(|b| decimals_in(&b.raw))
        .max()
        .unwrap_or(0);
    let decimals = reported
        .iter()
        .map(|(_, v)| decimals_in(&number(*v, "zh")))
        .fold(plan_decimals, usize::max)
        .min(2);

    let mut values = Vec::new();
    for year in period.0..=period.1 {
        let file = years.iter().find(|y| y.year == year && y.year <= as_of);
        let obs = file.and_then(|f| f.indicators.get(&def.id));
        let value = obs.and_then(|o| o.value);
        let reporting = match (file, value) {
            (None, _) => Reporting::NotDue,
            (Some(_), Some(_)) => Reporting::Reported,
            (Some(_), None) => Reporting::Missing,
        };
        let display = match value {
            Some(v) => Text::new(
                figure(v, decimals, unit, "zh"),
                figure(v, decimals, unit, "en"),
            ),
            None => Text::new(
                strings.get("zh", &format!("reporting_{reporting}")),
                strings.get("en", &format!("reporting_{reporting}")),
            ),
        };
        let status = if file.is_some() {
            assess_until(year).status
        } else {
            Progress::NoData
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
            flag: obs.and_then(|o| o.flag),
            footnote: None,
            status,
        });
    }
    let footnotes = breakdown::footnotes(&mut values);
    let breakdowns = breakdown::series(&def.id, years, &values, dimensions, &|v| {
        Text::new(
            figure(v, decimals, unit, "zh"),
            figure(v, decimals, unit, "en"),
        )
    });
    let metadata = MetadataView {
        given: def.metadata.clone(),
        last_updated: years
            .iter()
            .filter(|y| y.year <= as_of)
            .rev()
            .find(|y| y.indicators.get(&def.id).is_some_and(|o| o.value.is_some()))
            .map(|y| y.as_of.clone()),
    };
    let latest = values.iter().rev().find(|v| v.value.is_some()).cloned();
    let target_en = def.target_en.as_deref();
    let target = bound_view(&def.target, unit, target_en, strings);
    let baseline = def
        .baseline
        .as_ref()
        .map(|b| bound_view(b, unit, None, strings));
    let assessment = assess_until(as_of);
    let status = explain(
        &assessment,
        baseline.as_ref(),
        &target,
        decimals,
        unit,
        strings,
    );
    let (origin, plan_lines) = match &def.origin {
        Origin::Table { lines } => (RowOrigin::Table, *lines),
        Origin::Prose { lines, .. } => (RowOrigin::Prose, *lines),
    };
    IndicatorView {
        id: def.id.clone(),
        path: View::Indicator(&def.id).dir(),
        name: def.name.clone(),
        group: def.group.clone(),
        unit: unit.clone(),
        attribute: def.attribute,
        baseline,
        target_in_words: def.target.op == Op::Qualitative,
        target,
        origin,
        plan_words,
        plan_lines,
        direction: goal.direction,
        baseline_meets_target: match (goal.base, goal.target, goal.direction) {
            (Some((_, b)), Some((_, t)), Some(d)) => status::meets(d, b, t),
            _ => false,
        },
        direction_reason: def.direction_override.as_ref().map(|o| o.1.clone()),
        areas: area_links,
        values,
        breakdowns,
        footnotes,
        metadata,
        latest,
        status,
        decimals,
    }
}

/// The status in words, and its computation step by step, in both languages.
fn explain(
    a: &Assessment,
    baseline: Option<&BoundView>,
    target: &BoundView,
    decimals: usize,
    unit: &Text,
    strings: &Strings,
) -> StatusView {
    let mut explanation = Text::default();
    let mut steps: Vec<Step> = Vec::new();
    let both = |f: &dyn Fn(&str) -> String| Text::new(f("zh"), f("en"));
    let label = |key: &str| Text::new(strings.get("zh", key), strings.get("en", key));
    // The plan's baseline is shown as precisely as the plan writes it, as on
    // the rest of the page; reported values at the indicator's precision.
    let base_decimals = |year: i32, v: f64| {
        baseline
            .filter(|b| b.year == year && b.value == Some(v))
            .map_or(decimals, |b| decimals_in(&b.raw))
    };
    for lang in LANGS {
        let fig = |v: f64| figure(v, decimals, unit, lang);
        let (base_year, base) = a.base.map_or((String::new(), String::new()), |(y, v)| {
            (y.to_string(), figure(v, base_decimals(y, v), unit, lang))
        });
        let (year, value) = a.latest.map_or((String::new(), String::new()), |(y, v)| {
            (y.to_string(), fig(v))
        });
        let args = [
            ("base_year", base_year.as_str()),
            ("base", base.as_str()),
            ("year", year.as_str()),
            ("value", value.as_str()),
            ("target", target.display.get(lang)),
            ("target_year", &target.year.to_string()),
            (
                "observed",
                &a.observed.map(|r| rate(r, lang)).unwrap_or_default(),
            ),
            (
                "required",
                &a.required.map(|r| rate(r, lang)).unwrap_or_default(),
            ),
            (
                "growth",
                &a.measure.map(|r| rate(r, lang)).unwrap_or_default(),
            ),
            (
                "ratio",
                &a.measure
                    .map(|r| fixed_number(r, 2, lang))
                    .unwrap_or_default(),
            ),
            (
                "high",
                &a.thresholds.map(|t| rate(t[0], lang)).unwrap_or_default(),
            ),
            (
                "med",
                &a.thresholds.map(|t| rate(t[1], lang)).unwrap_or_default(),
            ),
            (
                "scale",
                &a.scale
                    .map(|c| fixed_number(c, 2, lang))
                    .unwrap_or_default(),
            ),
        ];
        let fill = |key: &str| strings.fill(lang, key, &args);
        let mut s = match (a.status, a.path, a.note) {
            (Progress::Achieved, _, _) => fill("explain_achieved"),
            (_, Some(Path::Target), Some(Note::TargetEqualsBase)) => {
                fill("explain_target_equals_base")
            }
            (_, Some(Path::Target), _) => {
                let verdict = match a.status {
                    Progress::Deteriorating => fill("explain_target_away"),
                    status => fill(&format!("explain_target_{}", status.key())),
                };
                format!("{} {verdict}", fill("explain_target_rates"))
            }
            (_, Some(Path::NoTarget), _) => {
                let mut s = fill("explain_no_target");
                if a.scale.is_some() {
                    s.push_str(&fill("explain_scaled"));
                }
                s.push(' ');
                s.push_str(&fill(&format!("explain_no_target_{}", a.status.key())));
                s
            }
            (_, None, Some(note)) => fill(&format!("explain_note_{}", note_key(note))),
            (_, None, None) => fill("explain_note_no_values"),
        };
        if a.zero_replaced {
            s.push(' ');
            s.push_str(&fill("explain_zero_replaced"));
        }
        if lang == "en" {
            explanation.en = s;
        } else {
            explanation.zh = s;
        }
    }
    // The computation, when there was one.
    if let Some((y, v)) = a.base {
        steps.push(Step {
            label: both(&|l| strings.fill(l, "step_base", &[("year", &y.to_string())])),
            value: both(&|l| figure(v, base_decimals(y, v), unit, l)),
        });
    }
    if let Some((y, v)) = a.latest {
        steps.push(Step {
            label: both(&|l| strings.fill(l, "step_latest", &[("year", &y.to_string())])),
            value: both(&|l| figure(v, decimals, unit, l)),
        });
    }
    if a.path.is_some() || a.status == Progress::Achieved {
        steps.push(Step {
            label: label("step_target"),
            value: target.display.clone(),
        });
    }
    if let Some(d) = a.direction {
        steps.push(Step {
            label: label("step_direction"),
            value: label(&format!("step_direction_{}", d.key())),
        });
    }
    if let Some(o) = a.observed {
        steps.push(Step {
            label: label("step_observed"),
            value: both(&|l| rate(o, l)),
        });
    }
    if let Some(r) = a.required {
        steps.push(Step {
            label: label("step_required"),
            value: both(&|l| rate(r, l)),
        });
    }
    match (a.path, a.measure) {
        (Some(Path::Target), Some(r)) => steps.push(Step {
            label: label("step_ratio"),
            value: if r < 0.0 {
                label("step_ratio_away")
            } else {
                both(&|l| fixed_number(r, 2, l))
            },
        }),
        (Some(Path::NoTarget), Some(g)) => steps.push(Step {
            label: label("step_growth"),
            value: both(&|l| rate(g, l)),
        }),
        _ => {}
    }
    if let Some(c) = a.scale {
        steps.push(Step {
            label: label("step_scale"),
            value: both(&|l| fixed_number(c, 2, l)),
        });
    }
    if a.path.is_some() {
        steps.push(Step {
            label: label("step_result"),
            value: label(&format!("status_{}", a.status.key())),
        });
    }
    StatusView {
        key: a.status,
        measure: a.measure,
        explanation,
        steps,
        assessment: *a,
    }
}

fn note_key(note: Note) -> &'static str {
    match note {
        Note::NoValues => "no_values",
        Note::OneValue => "one_value",
        Note::NoDirection => "no_direction",
        Note::MixedSigns => "mixed_signs",
        Note::TargetYear => "target_year",
        Note::TargetEqualsBase => "target_equals_base",
    }
}

/// Counts of indicators per progress status, in the order of [`Progress::ALL`].
pub fn status_counts(indicators: &[IndicatorView]) -> Vec<(Progress, usize)> {
    Progress::ALL
        .iter()
        .map(|p| (*p, indicators.iter().filter(|i| i.status.key == *p).count()))
        .filter(|c| c.1 > 0)
        .collect()
}

/// The indicators in the plan's own groups (普及程度, 结构优化 …), in the
/// order they first appear; indicators without a group come last, together.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorGroup {
    pub name: Option<Text>,
    /// `group-1`, `group-2` …: the group's anchor on the indicators page.
    pub anchor: String,
    /// Positions in `Site::indicators`.
    pub indicators: Vec<usize>,
    pub status_counts: Vec<(Progress, usize)>,
}

pub fn groups(indicators: &[IndicatorView]) -> Vec<IndicatorGroup> {
    let mut names: Vec<Option<&Text>> = Vec::new();
    for ind in indicators {
        if ind.group.is_some() && !names.contains(&ind.group.as_ref()) {
            names.push(ind.group.as_ref());
        }
    }
    if indicators.iter().any(|i| i.group.is_none()) {
        names.push(None);
    }
    names
        .into_iter()
        .enumerate()
        .map(|(n, name)| {
            let members: Vec<usize> = (0..indicators.len())
                .filter(|&i| indicators[i].group.as_ref() == name)
                .collect();
            IndicatorGroup {
                name: name.cloned(),
                anchor: format!("group-{}", n + 1),
                status_counts: Progress::ALL
                    .iter()
                    .map(|p| {
                        (
                            *p,
                            members
                                .iter()
                                .filter(|&&i| indicators[i].status.key == *p)
                                .count(),
                        )
                    })
                    .filter(|c| c.1 > 0)
                    .collect(),
                indicators: members,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_keep_their_places_and_group_thousands_in_english() {
        let pct = Text::new("%", "%");
        let persons = Text::new("人", "persons");
        assert_eq!(figure(99.0, 1, &pct, "en"), "99.0%");
        assert_eq!(figure(57.65, 1, &pct, "zh"), "57.6%");
        assert_eq!(figure(1050.0, 0, &persons, "en"), "1,050 persons");
        assert_eq!(figure(1050.0, 0, &persons, "zh"), "1050人");
        assert_eq!(
            figure(1_234_567.5, 1, &persons, "en"),
            "1,234,567.5 persons"
        );
        assert_eq!(rate(-0.017_48, "en"), "−1.75%");
        assert_eq!(rate(0.0333, "zh"), "3.33%");
        assert_eq!(fixed_number(-0.001, 2, "en"), "0.00");
        assert_eq!(decimals_in("58.2"), 1);
        assert_eq!(decimals_in("90%以上"), 0);
        assert_eq!(decimals_in(">85"), 0);
    }
}
