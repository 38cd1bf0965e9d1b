//! The review packet: one self-contained file that a review board reads or
//! prints. It is a report of one reporting year, made from the same site
//! model as the pages: a cover with the data version, a summary with status
//! counts (and, in the plan's final year, the whole period), each indicator
//! with its series, status and computation, notes and sources, the changes
//! since the year before in words that say whether they are better or worse,
//! the validation warnings, a methods note and a sign-off block.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::content::{SiteInput, Text};
use crate::diag::Diagnostic;
use crate::i18n::{LANGS, Strings};
use crate::model::indicator::{Step, figure};
use crate::model::{ChangeEntry, SeedInfo, Site};
use crate::status::Direction;

/// Which languages the packet is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    Zh,
    En,
    Both,
}

impl Lang {
    pub fn codes(self) -> &'static [&'static str] {
        match self {
            Lang::Zh => &["zh"],
            Lang::En => &["en"],
            Lang::Both => &["zh", "en"],
        }
    }
    /// The part of the packet's default file name: `zh`, `en`, `zh-en`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
            Lang::Both => "zh-en",
        }
    }
}

/// What makes this packet's data what it is: the inputs' SHA-256, their
/// digest, the plansite version, the commit (in CI).
#[derive(Debug, Serialize)]
pub struct DataVersion {
    pub plansite: String,
    pub commit: Option<String>,
    /// (path, SHA-256) of every input of the year.
    pub inputs: Vec<(String, String)>,
    /// SHA-256 of the `sha256sum` lines of the inputs: one value to quote.
    pub digest: String,
}

/// A value of an indicator's series.
#[derive(Debug, Serialize)]
pub struct Point {
    pub year: i32,
    /// The value with its unit, or why there is none.
    pub display: Text,
    pub reported: bool,
    pub source: Option<Text>,
    pub source_url: Option<String>,
    pub note: Option<Text>,
    pub status: crate::status::Progress,
}

/// The change of a value since the year before.
#[derive(Debug, Serialize)]
pub struct Change {
    /// `up 1.2 percentage points (better)`, per language.
    pub text: Text,
    /// The number once, for bilingual packets: `+1.2`.
    pub amount: String,
    /// `percentage points` / `个百分点`, or the unit.
    pub unit: Text,
    /// `better` / `worse`, when the direction is known and the value moved.
    pub judgement: Option<Text>,
    /// Whether it moved the desired way (None: no direction, or no change).
    pub better: Option<bool>,
}

#[derive(Debug, Serialize)]
pub struct PacketIndicator {
    pub id: String,
    pub name: Text,
    pub group: Option<Text>,
    /// What the indicator measures and who produces it (`content/indicators.yaml`).
    pub metadata: crate::model::breakdown::MetadataView,
    pub unit: Text,
    pub attribute: Option<crate::plan::Attribute>,
    pub baseline: Option<Text>,
    pub baseline_year: Option<i32>,
    pub target: Text,
    pub target_year: i32,
    pub direction: Option<Direction>,
    pub series: Vec<Point>,
    /// This year's value, or why there is none.
    pub value: Text,
    pub reported: bool,
    /// The latest value up to this year (a missing year shows the latest before it).
    pub latest: Option<(i32, Text)>,
    pub change: Option<Change>,
    pub status: crate::status::Progress,
    pub explanation: Text,
    pub steps: Vec<Step>,
    /// This year's note on the value (why a target was missed, a revision).
    pub note: Option<Text>,
    /// For the final year's table: whether the target was achieved.
    pub achieved: bool,
    /// The chart with axes and labels (first language of the packet).
    pub chart: String,
}

#[derive(Debug, Serialize)]
pub struct PacketArea {
    pub short: Text,
    pub status: Option<crate::content::progress::AreaStatus>,
    pub note: Option<Text>,
    pub milestones: Vec<crate::content::progress::Milestone>,
}

#[derive(Debug, Serialize)]
pub struct StatusCount {
    pub key: crate::status::Progress,
    pub count: usize,
}

#[derive(Debug, Serialize)]
pub struct Warning {
    pub severity: &'static str,
    pub code: String,
    pub location: String,
    pub message: String,
}

/// Everything the packet template shows.
#[derive(Debug, Serialize)]
pub struct Packet {
    pub year: i32,
    pub langs: &'static [&'static str],
    /// The date the packet was issued (`SOURCE_DATE_EPOCH` when set).
    pub issued: String,
    pub final_year: bool,
    pub title: Text,
    pub plan_title: Text,
    pub publisher: Option<Text>,
    pub source: SeedInfo,
    pub period: (i32, i32),
    pub data_status: String,
    pub as_of: String,
    pub illustrative: bool,
    pub version: DataVersion,
    /// The year's summary, sanitised HTML per language.
    pub summary_html: Option<Text>,
    pub counts: Vec<StatusCount>,
    pub indicators: Vec<PacketIndicator>,
    pub areas: Vec<PacketArea>,
    pub changes: Vec<ChangeEntry>,
    pub warnings: Vec<Warning>,
}

/// What the CLI knows that the content does not.
pub struct Context<'a> {
    pub year: i32,
    pub lang: Lang,
    pub issued: &'a str,
    pub commit: Option<String>,
}

/// Words for a change of `delta` (in the indicator's unit) and whether it is better.
fn change(
    delta: f64,
    direction: Option<Direction>,
    decimals: usize,
    unit: &Text,
    strings: &Strings,
) -> Change {
    let better = match direction {
        _ if delta.abs() < 1e-9 => None,
        Some(Direction::Increase) => Some(delta > 0.0),
        Some(Direction::Decrease) => Some(delta < 0.0),
        None => None,
    };
    let mut text = Text::default();
    let sign = if delta > 1e-9 {
        "+"
    } else if delta < -1e-9 {
        "−"
    } else {
        "±"
    };
    let amount = format!(
        "{sign}{}",
        figure(delta.abs(), decimals, &Text::default(), "en")
    );
    let unit_words = if unit.zh == "%" {
        Text::new(
            strings.get("zh", "points_unit"),
            strings.get("en", "points_unit"),
        )
    } else {
        unit.clone()
    };
    let judgement = better.map(|b| {
        let key = if b { "better" } else { "worse" };
        Text::new(strings.get("zh", key), strings.get("en", key))
    });
    for lang in LANGS {
        let amount = if unit.zh == "%" {
            strings.fill(
                lang,
                "points",
                &[("n", &figure(delta.abs(), decimals, &Text::default(), lang))],
            )
        } else {
            figure(delta.abs(), decimals, unit, lang)
        };
        let key = match delta {
            d if d.abs() < 1e-9 => "change_none",
            d if d > 0.0 => "change_up",
            _ => "change_down",
        };
        let mut s = strings.fill(lang, key, &[("amount", &amount)]);
        let judged = match better {
            Some(true) => strings.get(lang, "change_better"),
            Some(false) => strings.get(lang, "change_worse"),
            None => "",
        };
        s.push_str(judged);
        if lang == "en" {
            text.en = s;
        } else {
            text.zh = s;
        }
    }
    Change {
        text,
        amount,
        unit: unit_words,
        judgement,
        better,
    }
}

/// The packet of `ctx.year`, from the site model as it stood at its end.
pub fn build(
    input: &SiteInput,
    site: &Site,
    strings: &Strings,
    chart: &dyn Fn(&crate::model::IndicatorView, &str) -> String,
    ctx: &Context,
) -> Packet {
    let year = ctx.year;
    let progress = input.progress.iter().find(|p| p.year == year);
    let inputs: Vec<(String, String)> = crate::archive::inputs_for(input, year)
        .into_iter()
        .collect();
    let lines: String = inputs.iter().map(|(p, h)| format!("{h}  {p}\n")).collect();
    let first_lang = ctx.lang.codes()[0];
    let indicators = site
        .indicators
        .iter()
        .map(|ind| {
            let this = ind.values.iter().find(|v| v.year == year);
            let before = ind.values.iter().find(|v| v.year == year - 1);
            let change = match (this.and_then(|v| v.value), before.and_then(|v| v.value)) {
                (Some(a), Some(b)) => Some(change(
                    a - b,
                    ind.direction,
                    ind.decimals,
                    &ind.unit,
                    strings,
                )),
                _ => None,
            };
            PacketIndicator {
                id: ind.id.clone(),
                name: ind.name.clone(),
                group: ind.group.clone(),
                metadata: ind.metadata.clone(),
                unit: ind.unit.clone(),
                attribute: ind.attribute,
                baseline: ind.baseline.as_ref().map(|b| b.display.clone()),
                baseline_year: ind.baseline.as_ref().map(|b| b.year),
                target: ind.target.display.clone(),
                target_year: ind.target.year,
                direction: ind.direction,
                series: ind
                    .values
                    .iter()
                    .filter(|v| {
                        v.year <= year && v.reporting != crate::model::indicator::Reporting::NotDue
                    })
                    .map(|v| Point {
                        year: v.year,
                        display: match &v.missing_reason {
                            Some(reason) if v.value.is_none() => Text::new(
                                format!("{}：{}", v.display.zh, reason.zh),
                                format!("{}: {}", v.display.en, reason.en),
                            ),
                            _ => v.display.clone(),
                        },
                        reported: v.value.is_some(),
                        source: v.source.as_ref().map(|s| s.text.clone()),
                        source_url: v.source.as_ref().and_then(|s| s.url.clone()),
                        note: v.note.clone(),
                        status: v.status,
                    })
                    .collect(),
                value: this.map_or_else(
                    || {
                        Text::new(
                            strings.get("zh", "reporting_not_due"),
                            strings.get("en", "reporting_not_due"),
                        )
                    },
                    |v| v.display.clone(),
                ),
                reported: this.is_some_and(|v| v.value.is_some()),
                latest: ind.latest.as_ref().map(|l| (l.year, l.display.clone())),
                change,
                status: ind.status.key,
                explanation: ind.status.explanation.clone(),
                steps: ind.status.steps.clone(),
                note: this.and_then(|v| v.note.clone()),
                achieved: ind.status.key == crate::status::Progress::Achieved,
                chart: chart(ind, first_lang),
            }
        })
        .collect();
    Packet {
        year,
        langs: ctx.lang.codes(),
        issued: ctx.issued.to_string(),
        final_year: year == site.period.1,
        title: site.title.clone(),
        plan_title: site.plan_title.clone(),
        publisher: site.publisher.clone(),
        source: site.seed.clone(),
        period: site.period,
        data_status: progress.map(|p| p.data_status.clone()).unwrap_or_default(),
        as_of: progress.map(|p| p.as_of.clone()).unwrap_or_default(),
        illustrative: progress.is_some_and(|p| p.data_status == "illustrative"),
        version: DataVersion {
            plansite: env!("CARGO_PKG_VERSION").to_string(),
            commit: ctx.commit.clone(),
            digest: crate::hex::hex(&Sha256::digest(lines.as_bytes())),
            inputs,
        },
        summary_html: progress.and_then(|p| p.summary.as_ref()).map(|s| {
            Text::new(
                crate::render::markdown::to_safe_html(&s.zh),
                crate::render::markdown::to_safe_html(&s.en),
            )
        }),
        counts: site
            .status_counts
            .iter()
            .map(|(key, count)| StatusCount {
                key: *key,
                count: *count,
            })
            .collect(),
        indicators,
        areas: site
            .areas
            .iter()
            .map(|a| {
                let y = a.years.iter().find(|y| y.year == year);
                PacketArea {
                    short: a.short.clone(),
                    status: y.and_then(|y| y.status),
                    note: y.and_then(|y| y.note.clone()),
                    milestones: y.map(|y| y.milestones.clone()).unwrap_or_default(),
                }
            })
            .collect(),
        changes: site
            .changelog
            .iter()
            .find(|l| l.year == year)
            .map(|l| l.entries.clone())
            .unwrap_or_default(),
        warnings: input.diagnostics.iter().map(warning).collect(),
    }
}

fn warning(d: &Diagnostic) -> Warning {
    Warning {
        severity: if d.is_error() { "error" } else { "warning" },
        code: d.code.as_str().to_string(),
        location: if d.line > 0 {
            format!("{}:{}:{}", d.file, d.line, d.column.max(1))
        } else {
            d.file.clone()
        },
        message: d.message.clone(),
    }
}
