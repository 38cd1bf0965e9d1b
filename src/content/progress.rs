//! `content/progress/YYYY.yaml`: what was measured and done in one reporting year.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::registry::{AreaDef, IndicatorDef};
use super::text::{Text, resolve};
use super::yaml::{KeyedList, Pos, Spanned, TextRaw, pos};
use crate::diag::{Code, Diagnostic, did_you_mean};

pub const DATA_STATUSES: [&str; 3] = ["illustrative", "provisional", "final"];

/// How a task area stands in a year, as its progress file says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaStatus {
    NotStarted,
    InProgress,
    OnTrack,
    AtRisk,
    Completed,
}

impl AreaStatus {
    pub const ALL: [AreaStatus; 5] = [
        AreaStatus::NotStarted,
        AreaStatus::InProgress,
        AreaStatus::OnTrack,
        AreaStatus::AtRisk,
        AreaStatus::Completed,
    ];

    /// The word in progress files, interface-string keys and CSS classes.
    pub fn key(self) -> &'static str {
        match self {
            AreaStatus::NotStarted => "not_started",
            AreaStatus::InProgress => "in_progress",
            AreaStatus::OnTrack => "on_track",
            AreaStatus::AtRisk => "at_risk",
            AreaStatus::Completed => "completed",
        }
    }

    /// The symbol shown beside the status words (both languages).
    pub fn icon(self) -> &'static str {
        match self {
            AreaStatus::NotStarted => "○",
            AreaStatus::InProgress => "◐",
            AreaStatus::OnTrack => "▲",
            AreaStatus::AtRisk => "⚠",
            AreaStatus::Completed => "✔",
        }
    }

    pub fn from_key(key: &str) -> Option<AreaStatus> {
        AreaStatus::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn keys() -> [&'static str; 5] {
        AreaStatus::ALL.map(AreaStatus::key)
    }
}

impl std::fmt::Display for AreaStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProgressRaw {
    year: Spanned<i64>,
    as_of: Spanned<String>,
    data_status: Spanned<String>,
    #[serde(default)]
    summary: Option<Spanned<TextRaw>>,
    #[serde(default)]
    indicators: KeyedList<Option<ObservationRaw>>,
    #[serde(default)]
    areas: KeyedList<Option<AreaReportRaw>>,
    #[serde(default)]
    changes: Vec<Spanned<ChangeRaw>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ObservationRaw {
    #[serde(default)]
    value: Option<Spanned<f64>>,
    #[serde(default)]
    missing_reason: Option<Spanned<TextRaw>>,
    #[serde(default)]
    source: Option<Spanned<SourceRaw>>,
    #[serde(default)]
    note: Option<Spanned<TextRaw>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceRaw {
    zh: Option<String>,
    en: Option<String>,
    #[serde(default)]
    url: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AreaReportRaw {
    #[serde(default)]
    status: Option<Spanned<String>>,
    #[serde(default)]
    note: Option<Spanned<TextRaw>>,
    #[serde(default)]
    milestones: Vec<Spanned<MilestoneRaw>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MilestoneRaw {
    zh: Option<String>,
    en: Option<String>,
    #[serde(default)]
    done: bool,
    #[serde(default)]
    date: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangeRaw {
    date: Spanned<String>,
    #[serde(default)]
    area: Option<Spanned<String>>,
    #[serde(default)]
    indicator: Option<Spanned<String>>,
    zh: Option<String>,
    en: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceRef {
    pub text: Text,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Observation {
    pub value: Option<f64>,
    pub missing_reason: Option<Text>,
    pub source: Option<SourceRef>,
    pub note: Option<Text>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Milestone {
    pub text: Text,
    pub done: bool,
    pub date: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaReport {
    pub status: AreaStatus,
    pub note: Option<Text>,
    pub milestones: Vec<Milestone>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub date: String,
    pub area: Option<String>,
    pub indicator: Option<String>,
    pub text: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProgressYear {
    pub year: i32,
    pub file: String,
    pub as_of: String,
    pub data_status: String,
    pub summary: Option<Text>,
    pub indicators: BTreeMap<String, Observation>,
    pub areas: BTreeMap<String, AreaReport>,
    pub changes: Vec<Change>,
}

/// What a progress file is checked against.
pub struct Known<'a> {
    pub indicators: &'a [IndicatorDef],
    pub areas: &'a [AreaDef],
    pub period: (i32, i32),
}

fn date_ok(text: &str) -> bool {
    text.parse::<jiff::civil::Date>().is_ok()
}

fn bilingual(zh: &Option<String>, en: &Option<String>) -> TextRaw {
    TextRaw {
        zh: zh.clone(),
        en: en.clone(),
    }
}

/// Loads one progress file; `file_year` comes from its name (`2023.yaml`).
/// A progress file parsed, not yet checked against the registry.
pub struct Parsed(Result<ProgressRaw, Diagnostic>);

pub fn parse(file: &str, text: &str) -> Parsed {
    Parsed(super::yaml::parse(file, text))
}

/// Parses and checks one progress file.
pub fn load(
    file: &str,
    file_year: i32,
    text: &str,
    known: &Known,
    diags: &mut Vec<Diagnostic>,
) -> Option<ProgressYear> {
    check(file, file_year, parse(file, text), known, diags)
}

pub fn check(
    file: &str,
    file_year: i32,
    parsed: Parsed,
    known: &Known,
    diags: &mut Vec<Diagnostic>,
) -> Option<ProgressYear> {
    let raw: ProgressRaw = match parsed.0 {
        Ok(r) => r,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let err =
        |code: Code, at: Pos, msg: String| Diagnostic::error(code, file, at.line, at.col, msg);
    let year_at = pos(&raw.year);
    let year = i32::try_from(raw.year.value).unwrap_or(i32::MIN);
    if year != file_year {
        diags.push(
            err(
                Code::YearMismatch,
                year_at,
                format!(
                    "`year: {}` does not match the file name {file_year}.yaml",
                    raw.year.value
                ),
            )
            .help(format!("set `year: {file_year}` or rename the file")),
        );
    }
    if !(known.period.0..=known.period.1).contains(&file_year) {
        diags.push(
            err(
                Code::YearOutsidePeriod,
                year_at,
                format!(
                    "{file_year} is outside the plan period {}–{}",
                    known.period.0, known.period.1
                ),
            )
            .help("progress files cover the years of the plan period"),
        );
    }
    if !date_ok(&raw.as_of.value) {
        diags.push(
            err(
                Code::BadDate,
                pos(&raw.as_of),
                format!("`as_of: {}` is not a date", raw.as_of.value),
            )
            .help("write dates as YYYY-MM-DD, e.g. 2023-12-31"),
        );
    } else if let Ok(date) = raw.as_of.value.parse::<jiff::civil::Date>() {
        // Data cannot be "as of" a day before its year began; a year later is odd but possible.
        let as_of_year = i32::from(date.year());
        if as_of_year < file_year {
            diags.push(
                err(Code::AsOfBeforeYear, pos(&raw.as_of), format!("`as_of: {}` is before the reporting year {file_year}", raw.as_of.value))
                    .help(format!("the data of {file_year} is as of a day in {file_year} or later, usually {file_year}-12-31")),
            );
        } else if as_of_year > file_year + 1 {
            diags.push(Diagnostic::warning(
                Code::AsOfLate,
                file,
                pos(&raw.as_of).line,
                pos(&raw.as_of).col,
                format!(
                    "`as_of: {}` is more than a year after {file_year}",
                    raw.as_of.value
                ),
            ));
        }
    }
    if !DATA_STATUSES.contains(&raw.data_status.value.as_str()) {
        let at = pos(&raw.data_status);
        diags.push(
            err(
                Code::BadDataStatus,
                at,
                format!("unknown data status `{}`", raw.data_status.value),
            )
            .width(raw.data_status.value.chars().count())
            .help(format!("one of: {}", DATA_STATUSES.join(", "))),
        );
    }
    let summary = raw
        .summary
        .as_ref()
        .map(|s| resolve(&s.value, file, pos(s), "the summary", diags));

    let ids: Vec<&str> = known.indicators.iter().map(|i| i.id.as_str()).collect();
    let slugs: Vec<&str> = known.areas.iter().map(|a| a.slug.as_str()).collect();
    // Hashed lookups: large sites have thousands of ids.
    let by_id: HashMap<&str, &IndicatorDef> = known
        .indicators
        .iter()
        .map(|i| (i.id.as_str(), i))
        .collect();
    let slug_set: HashSet<&str> = slugs.iter().copied().collect();
    let unknown = |kind: &str, key: &Spanned<String>, list: &[&str]| {
        let at = pos(key);
        let code = if kind == "area" {
            Code::UnknownArea
        } else {
            Code::UnknownIndicator
        };
        let d = err(code, at, format!("unknown {kind} `{}`", key.value))
            .width(key.value.chars().count());
        match did_you_mean(&key.value, list.iter().copied()) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help(format!("known {kind}s are listed in content/{kind}s.yaml")),
        }
    };

    let mut indicators = BTreeMap::new();
    for (key, entry) in &raw.indicators.0 {
        let Some(def) = by_id.get(key.value.as_str()) else {
            diags.push(unknown("indicator", key, &ids));
            continue;
        };
        let at = pos(key);
        // `id:` with nothing under it reads as an entry with no fields (and is warned about below).
        let empty = ObservationRaw::default();
        let entry = entry.as_ref().unwrap_or(&empty);
        let value = entry.value.as_ref().map(|v| v.value);
        if let (Some(v), None) = (&entry.value, &entry.source) {
            let vat = pos(v);
            diags.push(
                Diagnostic::warning(
                    Code::MissingSource,
                    file,
                    vat.line,
                    vat.col,
                    format!("the {} value of `{}` has no source", raw.year.value, key.value),
                )
                .help("add `source: {zh: \"…\", en: \"…\", url: \"https://…\"}`: readers and reviewers must be able to follow every figure (an error under --strict)"),
            );
        }
        if let Some(v) = &entry.value {
            let vat = pos(v);
            if !v.value.is_finite() {
                diags.push(err(
                    Code::BadValue,
                    vat,
                    format!("value of `{}` is not a finite number", key.value),
                ));
            } else if v.value < 0.0 {
                diags.push(
                    err(
                        Code::ImpossibleValue,
                        vat,
                        format!("value {} of `{}` is negative", v.value, key.value),
                    )
                    .help("rates, shares and counts cannot be negative"),
                );
            } else if def.bound.is_some_and(|b| v.value > b) {
                diags.push(
                    err(
                        Code::ImpossibleValue,
                        vat,
                        format!("value {} of `{}` is over 100 %", v.value, key.value),
                    )
                    .help("a percentage lies between 0 and 100; write 88.6 for 88.6 %"),
                );
            } else if def.unit.zh == "人" && v.value.fract() != 0.0 {
                diags.push(Diagnostic::warning(
                    Code::FractionalCount,
                    file,
                    vat.line,
                    vat.col,
                    format!(
                        "`{}` counts persons but {} is not whole",
                        key.value, v.value
                    ),
                ));
            }
        }
        let missing_reason = entry
            .missing_reason
            .as_ref()
            .map(|m| resolve(&m.value, file, pos(m), "the missing reason", diags));
        if value.is_none() && missing_reason.is_none() {
            diags.push(
                Diagnostic::warning(
                    Code::MissingReason,
                    file,
                    at.line,
                    at.col,
                    format!("`{}` has no value and no missing_reason", key.value),
                )
                .help("give `value: …`, or `value: null` with `missing_reason: {zh: …, en: …}` saying why"),
            );
        }
        let source = entry.source.as_ref().map(|s| {
            let url = s.value.url.as_ref().map(|u| {
                let lower = u.value.trim().to_ascii_lowercase();
                if !(lower.starts_with("https://") || lower.starts_with("http://")) {
                    let uat = pos(u);
                    diags.push(
                        err(
                            Code::BadUrl,
                            uat,
                            format!("source url `{}` is not an http(s) address", u.value),
                        )
                        .help("links must start with https:// or http://"),
                    );
                }
                u.value.trim().to_string()
            });
            SourceRef {
                text: resolve(
                    &bilingual(&s.value.zh, &s.value.en),
                    file,
                    pos(s),
                    "the source",
                    diags,
                ),
                url: url.filter(|u| u.starts_with("http")),
            }
        });
        let note = entry
            .note
            .as_ref()
            .map(|n| resolve(&n.value, file, pos(n), "the note", diags));
        indicators.insert(
            key.value.clone(),
            Observation {
                value,
                missing_reason,
                source,
                note,
            },
        );
    }
    // The nearest meaningful line for what is missing: the `indicators:` key
    // (the line above its first entry), else the year.
    let list_line = raw
        .indicators
        .0
        .first()
        .map_or(year_at.line, |(k, _)| pos(k).line.saturating_sub(1).max(1));
    for def in known.indicators {
        if !indicators.contains_key(&def.id) {
            diags.push(
                Diagnostic::warning(
                    Code::NotReported,
                    file,
                    list_line,
                    1,
                    format!("indicator `{}` is not listed for {file_year}", def.id),
                )
                .help(format!(
                    "add `{}:` with a value, or `value: null` and a missing_reason",
                    def.id
                )),
            );
        }
    }

    let mut areas = BTreeMap::new();
    for (key, entry) in &raw.areas.0 {
        if !slug_set.contains(key.value.as_str()) {
            diags.push(unknown("area", key, &slugs));
            continue;
        }
        let at = pos(key);
        let missing = || {
            err(
                Code::MissingStatus,
                at,
                format!("area `{}` has no status", key.value),
            )
            .help(format!(
                "add `status:` — one of: {}",
                AreaStatus::keys().join(", ")
            ))
        };
        let Some(entry) = entry else {
            diags.push(missing());
            continue;
        };
        let status = match &entry.status {
            Some(s) => match AreaStatus::from_key(&s.value) {
                Some(status) => status,
                None => {
                    let allowed = AreaStatus::keys();
                    let d = err(
                        Code::BadStatus,
                        pos(s),
                        format!("unknown area status `{}`", s.value),
                    )
                    .width(s.value.chars().count());
                    diags.push(match did_you_mean(&s.value, allowed) {
                        Some(x) => d.help(format!(
                            "did you mean `{x}`? allowed: {}",
                            allowed.join(", ")
                        )),
                        None => d.help(format!("allowed: {}", allowed.join(", "))),
                    });
                    continue;
                }
            },
            None => {
                diags.push(missing());
                continue;
            }
        };
        let note = entry
            .note
            .as_ref()
            .map(|n| resolve(&n.value, file, pos(n), "the note", diags));
        let milestones = entry
            .milestones
            .iter()
            .map(|m| {
                let date = m.value.date.as_ref().map(|d| {
                    if !date_ok(&d.value) {
                        diags.push(
                            err(
                                Code::BadDate,
                                pos(d),
                                format!("`{}` is not a date", d.value),
                            )
                            .help("write dates as YYYY-MM-DD"),
                        );
                    }
                    d.value.clone()
                });
                Milestone {
                    text: resolve(
                        &bilingual(&m.value.zh, &m.value.en),
                        file,
                        pos(m),
                        "the milestone",
                        diags,
                    ),
                    done: m.value.done,
                    date,
                }
            })
            .collect();
        areas.insert(
            key.value.clone(),
            AreaReport {
                status,
                note,
                milestones,
            },
        );
    }

    let mut changes = Vec::new();
    for change in &raw.changes {
        let c = &change.value;
        let at = pos(change);
        if !date_ok(&c.date.value) {
            diags.push(
                err(
                    Code::BadDate,
                    pos(&c.date),
                    format!("`{}` is not a date", c.date.value),
                )
                .help("write dates as YYYY-MM-DD"),
            );
        } else if !c.date.value.starts_with(&file_year.to_string()) {
            diags.push(Diagnostic::warning(
                Code::DateOutsideYear,
                file,
                pos(&c.date).line,
                pos(&c.date).col,
                format!("change dated {} is filed under {file_year}", c.date.value),
            ));
        }
        if let Some(a) = &c.area
            && !slug_set.contains(a.value.as_str())
        {
            diags.push(unknown("area", a, &slugs));
        }
        if let Some(i) = &c.indicator
            && !by_id.contains_key(i.value.as_str())
        {
            diags.push(unknown("indicator", i, &ids));
        }
        changes.push(Change {
            date: c.date.value.clone(),
            area: c
                .area
                .as_ref()
                .map(|a| a.value.clone())
                .filter(|a| slug_set.contains(a.as_str())),
            indicator: c
                .indicator
                .as_ref()
                .map(|i| i.value.clone())
                .filter(|i| by_id.contains_key(i.as_str())),
            text: resolve(&bilingual(&c.zh, &c.en), file, at, "the change", diags),
        });
    }
    changes.sort_by(|a, b| b.date.cmp(&a.date));

    Some(ProgressYear {
        year: file_year,
        file: file.to_string(),
        as_of: raw.as_of.value.clone(),
        data_status: raw.data_status.value.clone(),
        summary,
        indicators,
        areas,
        changes,
    })
}
