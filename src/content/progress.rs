//! `content/progress/YYYY.yaml`: what was measured and done in one reporting year.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::metadata::Dimension;
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
    /// Values by breakdown dimension: `stage: {小学: 38.2, 初中: 71.0}`.
    #[serde(default)]
    breakdowns: KeyedList<KeyedList<Spanned<f64>>>,
    /// What kind of figure the value is, when not a plain final one.
    #[serde(default)]
    flag: Option<Spanned<String>>,
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
    pub flag: Option<Flag>,
    /// Values by dimension, in the file's order.
    pub breakdowns: Vec<Breakdown>,
}

/// One dimension's values of an indicator in a year.
#[derive(Debug, Clone, Serialize)]
pub struct Breakdown {
    pub dimension: String,
    /// Category key (as in `content/indicators.yaml`) and value.
    pub values: Vec<(String, f64)>,
}

/// What kind of figure a value is, when it is not a plain final one: shown
/// as a footnote in the table and a mark on the chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    Estimate,
    Provisional,
    Revised,
    DefinitionChange,
}

impl Flag {
    const ALL: [Flag; 4] = [
        Flag::Estimate,
        Flag::Provisional,
        Flag::Revised,
        Flag::DefinitionChange,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Flag::Estimate => "estimate",
            Flag::Provisional => "provisional",
            Flag::Revised => "revised",
            Flag::DefinitionChange => "definition_change",
        }
    }
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
    pub dimensions: &'a [Dimension],
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

/// Checks a parsed progress file against the registry; every problem is a
/// diagnostic, and what is sound is kept.
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
    let checker = Checker::new(file, file_year, known);
    checker.header(&raw, diags);
    let summary = raw
        .summary
        .as_ref()
        .map(|s| resolve(&s.value, file, pos(s), "the summary", diags));
    let mut indicators = BTreeMap::new();
    for (key, entry) in &raw.indicators.0 {
        let Some(def) = checker.by_id.get(key.value.as_str()) else {
            diags.push(checker.unknown("indicator", key));
            continue;
        };
        let observation = checker.observation(def, key, entry.as_ref(), diags);
        indicators.insert(key.value.clone(), observation);
    }
    checker.not_reported(&raw, &indicators, diags);
    let mut areas = BTreeMap::new();
    for (key, entry) in &raw.areas.0 {
        if let Some(report) = checker.area(key, entry.as_ref(), diags) {
            areas.insert(key.value.clone(), report);
        }
    }
    let mut changes: Vec<Change> = raw
        .changes
        .iter()
        .map(|c| checker.change(c, diags))
        .collect();
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

/// One progress file's checks, with the registry looked up by id.
struct Checker<'a> {
    file: &'a str,
    file_year: i32,
    known: &'a Known<'a>,
    ids: Vec<&'a str>,
    slugs: Vec<&'a str>,
    // Hashed lookups: large sites have thousands of ids.
    by_id: HashMap<&'a str, &'a IndicatorDef>,
    slug_set: HashSet<&'a str>,
}

impl<'a> Checker<'a> {
    fn new(file: &'a str, file_year: i32, known: &'a Known<'a>) -> Self {
        let slugs: Vec<&str> = known.areas.iter().map(|a| a.slug.as_str()).collect();
        Checker {
            file,
            file_year,
            known,
            ids: known.indicators.iter().map(|i| i.id.as_str()).collect(),
            by_id: known
                .indicators
                .iter()
                .map(|i| (i.id.as_str(), i))
                .collect(),
            slug_set: slugs.iter().copied().collect(),
            slugs,
        }
    }

    fn err(&self, code: Code, at: Pos, msg: String) -> Diagnostic {
        Diagnostic::error(code, self.file, at.line, at.col, msg)
    }

    fn warn(&self, code: Code, at: Pos, msg: String) -> Diagnostic {
        Diagnostic::warning(code, self.file, at.line, at.col, msg)
    }

    fn resolve(&self, raw: &TextRaw, at: Pos, what: &str, diags: &mut Vec<Diagnostic>) -> Text {
        resolve(raw, self.file, at, what, diags)
    }

    fn unknown(&self, kind: &str, key: &Spanned<String>) -> Diagnostic {
        let (code, list) = if kind == "area" {
            (Code::UnknownArea, &self.slugs)
        } else {
            (Code::UnknownIndicator, &self.ids)
        };
        let d = self
            .err(code, pos(key), format!("unknown {kind} `{}`", key.value))
            .width(key.value.chars().count());
        match did_you_mean(&key.value, list.iter().copied()) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help(format!("known {kind}s are listed in content/{kind}s.yaml")),
        }
    }

    /// A word that is not one of `allowed`, with the nearest as a suggestion.
    fn not_one_of(
        &self,
        code: Code,
        what: &str,
        word: &Spanned<String>,
        allowed: &[&str],
    ) -> Diagnostic {
        let d = self
            .err(code, pos(word), format!("unknown {what} `{}`", word.value))
            .width(word.value.chars().count());
        let list = allowed.join(", ");
        match did_you_mean(&word.value, allowed.iter().copied()) {
            Some(s) => d.help(format!("did you mean `{s}`? allowed: {list}")),
            None => d.help(format!("allowed: {list}")),
        }
    }

    /// `year`, `as_of` and `data_status`.
    fn header(&self, raw: &ProgressRaw, diags: &mut Vec<Diagnostic>) {
        let file_year = self.file_year;
        let year_at = pos(&raw.year);
        if i32::try_from(raw.year.value).unwrap_or(i32::MIN) != file_year {
            diags.push(
                self.err(
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
        let period = self.known.period;
        if !(period.0..=period.1).contains(&file_year) {
            diags.push(
                self.err(
                    Code::YearOutsidePeriod,
                    year_at,
                    format!(
                        "{file_year} is outside the plan period {}–{}",
                        period.0, period.1
                    ),
                )
                .help("progress files cover the years of the plan period"),
            );
        }
        let as_of_at = pos(&raw.as_of);
        match raw.as_of.value.parse::<jiff::civil::Date>() {
            Err(_) => diags.push(
                self.err(
                    Code::BadDate,
                    as_of_at,
                    format!("`as_of: {}` is not a date", raw.as_of.value),
                )
                .help("write dates as YYYY-MM-DD, e.g. 2023-12-31"),
            ),
            // Data cannot be "as of" a day before its year began; a year later is odd but possible.
            Ok(date) if i32::from(date.year()) < file_year => diags.push(
                self.err(Code::AsOfBeforeYear, as_of_at, format!("`as_of: {}` is before the reporting year {file_year}", raw.as_of.value))
                    .help(format!("the data of {file_year} is as of a day in {file_year} or later, usually {file_year}-12-31")),
            ),
            Ok(date) if i32::from(date.year()) > file_year + 1 => diags.push(self.warn(
                Code::AsOfLate,
                as_of_at,
                format!(
                    "`as_of: {}` is more than a year after {file_year}",
                    raw.as_of.value
                ),
            )),
            Ok(_) => {}
        }
        if !DATA_STATUSES.contains(&raw.data_status.value.as_str()) {
            diags.push(
                self.err(
                    Code::BadDataStatus,
                    pos(&raw.data_status),
                    format!("unknown data status `{}`", raw.data_status.value),
                )
                .width(raw.data_status.value.chars().count())
                .help(format!("one of: {}", DATA_STATUSES.join(", "))),
            );
        }
    }

    /// Whether `value` can be a value of `def`: finite, not negative, within
    /// its bound; a count of persons should be whole. `subject` names what
    /// it is the value of (`` `id` ``).
    fn value_ok(
        &self,
        def: &IndicatorDef,
        value: &Spanned<f64>,
        subject: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> bool {
        let at = pos(value);
        let v = value.value;
        if !v.is_finite() {
            diags.push(self.err(
                Code::BadValue,
                at,
                format!("value of {subject} is not a finite number"),
            ));
            return false;
        }
        if v < 0.0 {
            diags.push(
                self.err(
                    Code::ImpossibleValue,
                    at,
                    format!("value {v} of {subject} is negative"),
                )
                .help("rates, shares and counts cannot be negative"),
            );
            return false;
        }
        if def.bound.is_some_and(|b| v > b) {
            diags.push(
                self.err(
                    Code::ImpossibleValue,
                    at,
                    format!("value {v} of {subject} is over 100 %"),
                )
                .help("a percentage lies between 0 and 100; write 88.6 for 88.6 %"),
            );
            return false;
        }
        if def.unit.zh == "人" && v.fract() != 0.0 {
            diags.push(self.warn(
                Code::FractionalCount,
                at,
                format!("{subject} counts persons but {v} is not whole"),
            ));
        }
        true
    }

    /// One indicator's entry: its value, source, reason, note, flag and breakdowns.
    fn observation(
        &self,
        def: &IndicatorDef,
        key: &Spanned<String>,
        entry: Option<&ObservationRaw>,
        diags: &mut Vec<Diagnostic>,
    ) -> Observation {
        // `id:` with nothing under it reads as an entry with no fields (and is warned about below).
        let empty = ObservationRaw::default();
        let entry = entry.unwrap_or(&empty);
        if let Some(v) = &entry.value {
            self.value_ok(def, v, &format!("`{}`", key.value), diags);
            if entry.source.is_none() {
                diags.push(
                    self.warn(Code::MissingSource, pos(v), format!("the {} value of `{}` has no source", self.file_year, key.value))
                        .help("add `source: {zh: \"…\", en: \"…\", url: \"https://…\"}`: readers and reviewers must be able to follow every figure (an error under --strict)"),
                );
            }
        }
        let value = entry.value.as_ref().map(|v| v.value);
        let missing_reason = entry
            .missing_reason
            .as_ref()
            .map(|m| self.resolve(&m.value, pos(m), "the missing reason", diags));
        if value.is_none() && missing_reason.is_none() {
            diags.push(
                self.warn(Code::MissingReason, pos(key), format!("`{}` has no value and no missing_reason", key.value))
                    .help("give `value: …`, or `value: null` with `missing_reason: {zh: …, en: …}` saying why"),
            );
        }
        let source = entry.source.as_ref().map(|s| self.source(s, diags));
        let note = entry
            .note
            .as_ref()
            .map(|n| self.resolve(&n.value, pos(n), "the note", diags));
        let flag = entry.flag.as_ref().and_then(|f| self.flag(f, diags));
        let breakdowns = entry
            .breakdowns
            .0
            .iter()
            .filter_map(|(dim, values)| self.breakdown(def, dim, values, diags))
            .collect();
        Observation {
            value,
            missing_reason,
            source,
            note,
            flag,
            breakdowns,
        }
    }

    fn source(&self, s: &Spanned<SourceRaw>, diags: &mut Vec<Diagnostic>) -> SourceRef {
        let url = s.value.url.as_ref().and_then(|u| {
            let trimmed = u.value.trim();
            let lower = trimmed.to_ascii_lowercase();
            if lower.starts_with("https://") || lower.starts_with("http://") {
                Some(trimmed.to_string())
            } else {
                diags.push(
                    self.err(
                        Code::BadUrl,
                        pos(u),
                        format!("source url `{}` is not an http(s) address", u.value),
                    )
                    .help("links must start with https:// or http://"),
                );
                None
            }
        });
        SourceRef {
            text: self.resolve(
                &bilingual(&s.value.zh, &s.value.en),
                pos(s),
                "the source",
                diags,
            ),
            url: url.filter(|u| u.starts_with("http")),
        }
    }

    fn flag(&self, flag: &Spanned<String>, diags: &mut Vec<Diagnostic>) -> Option<Flag> {
        let found = Flag::ALL.into_iter().find(|f| f.key() == flag.value);
        if found.is_none() {
            let keys = Flag::ALL.map(Flag::key);
            diags.push(self.not_one_of(Code::BadFlag, "flag", flag, &keys));
        }
        found
    }

    /// One dimension's values; unknown dimensions and categories are errors.
    fn breakdown(
        &self,
        def: &IndicatorDef,
        dim: &Spanned<String>,
        values: &KeyedList<Spanned<f64>>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Breakdown> {
        let dimensions = self.known.dimensions;
        let Some(dimension) = dimensions.iter().find(|d| d.id == dim.value) else {
            let d = self
                .err(
                    Code::BadDimension,
                    pos(dim),
                    format!("unknown breakdown dimension `{}`", dim.value),
                )
                .width(dim.value.chars().count());
            diags.push(
                match did_you_mean(&dim.value, dimensions.iter().map(|d| d.id.as_str())) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help(
                        "declare it under `dimensions:` in content/indicators.yaml, with its categories",
                    ),
                },
            );
            return None;
        };
        let mut kept = Vec::new();
        for (category, value) in &values.0 {
            if dimension.category(&category.value).is_none() {
                let keys: Vec<&str> = dimension
                    .categories
                    .iter()
                    .map(|c| c.key.as_str())
                    .collect();
                diags.push(
                    self.err(
                        Code::BadDimension,
                        pos(category),
                        format!(
                            "`{}` is not a category of dimension `{}`",
                            category.value, dimension.id
                        ),
                    )
                    .width(category.value.chars().count())
                    .help(format!("its categories are: {}", keys.join("、"))),
                );
                continue;
            }
            let subject = format!("`{}` ({})", def.id, category.value);
            if self.value_ok(def, value, &subject, diags) {
                kept.push((category.value.clone(), value.value));
            }
        }
        Some(Breakdown {
            dimension: dimension.id.clone(),
            values: kept,
        })
    }

    /// Every indicator of the registry the file does not list.
    fn not_reported(
        &self,
        raw: &ProgressRaw,
        listed: &BTreeMap<String, Observation>,
        diags: &mut Vec<Diagnostic>,
    ) {
        // The nearest meaningful line for what is missing: the `indicators:` key
        // (the line above its first entry), else the year.
        let list_line = raw
            .indicators
            .0
            .first()
            .map_or(pos(&raw.year).line, |(k, _)| {
                pos(k).line.saturating_sub(1).max(1)
            });
        for def in self.known.indicators {
            if !listed.contains_key(&def.id) {
                diags.push(
                    Diagnostic::warning(
                        Code::NotReported,
                        self.file,
                        list_line,
                        1,
                        format!(
                            "indicator `{}` is not listed for {}",
                            def.id, self.file_year
                        ),
                    )
                    .help(format!(
                        "add `{}:` with a value, or `value: null` and a missing_reason",
                        def.id
                    )),
                );
            }
        }
    }

    /// One area's report; `None` when its slug or status is unusable.
    fn area(
        &self,
        key: &Spanned<String>,
        entry: Option<&AreaReportRaw>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<AreaReport> {
        if !self.slug_set.contains(key.value.as_str()) {
            diags.push(self.unknown("area", key));
            return None;
        }
        let Some(status) = entry.and_then(|e| e.status.as_ref()) else {
            diags.push(
                self.err(
                    Code::MissingStatus,
                    pos(key),
                    format!("area `{}` has no status", key.value),
                )
                .help(format!(
                    "add `status:` — one of: {}",
                    AreaStatus::keys().join(", ")
                )),
            );
            return None;
        };
        let Some(status_value) = AreaStatus::from_key(&status.value) else {
            let allowed = AreaStatus::keys();
            diags.push(self.not_one_of(Code::BadStatus, "area status", status, &allowed));
            return None;
        };
        let entry = entry?;
        let note = entry
            .note
            .as_ref()
            .map(|n| self.resolve(&n.value, pos(n), "the note", diags));
        let milestones = entry
            .milestones
            .iter()
            .map(|m| {
                let date = m.value.date.as_ref().map(|d| {
                    self.date(d, diags);
                    d.value.clone()
                });
                Milestone {
                    text: self.resolve(
                        &bilingual(&m.value.zh, &m.value.en),
                        pos(m),
                        "the milestone",
                        diags,
                    ),
                    done: m.value.done,
                    date,
                }
            })
            .collect();
        Some(AreaReport {
            status: status_value,
            note,
            milestones,
        })
    }

    /// A date written in an entry; an error when it is not one.
    fn date(&self, d: &Spanned<String>, diags: &mut Vec<Diagnostic>) -> bool {
        let ok = date_ok(&d.value);
        if !ok {
            diags.push(
                self.err(
                    Code::BadDate,
                    pos(d),
                    format!("`{}` is not a date", d.value),
                )
                .help("write dates as YYYY-MM-DD"),
            );
        }
        ok
    }

    /// An editors' changelog entry; unknown areas and indicators are errors
    /// and left out of the entry.
    fn change(&self, change: &Spanned<ChangeRaw>, diags: &mut Vec<Diagnostic>) -> Change {
        let c = &change.value;
        if self.date(&c.date, diags) && !c.date.value.starts_with(&self.file_year.to_string()) {
            diags.push(self.warn(
                Code::DateOutsideYear,
                pos(&c.date),
                format!(
                    "change dated {} is filed under {}",
                    c.date.value, self.file_year
                ),
            ));
        }
        let area = c.area.as_ref().filter(|a| {
            let known = self.slug_set.contains(a.value.as_str());
            if !known {
                diags.push(self.unknown("area", a));
            }
            known
        });
        let indicator = c.indicator.as_ref().filter(|i| {
            let known = self.by_id.contains_key(i.value.as_str());
            if !known {
                diags.push(self.unknown("indicator", i));
            }
            known
        });
        Change {
            date: c.date.value.clone(),
            area: area.map(|a| a.value.clone()),
            indicator: indicator.map(|i| i.value.clone()),
            text: self.resolve(&bilingual(&c.zh, &c.en), pos(change), "the change", diags),
        }
    }
}
