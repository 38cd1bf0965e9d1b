//! `content/indicators.yaml` and `content/areas.yaml`: which table rows and
//! prose targets are tracked, under which ids, in which task areas. Values never
//! come from here: baselines and targets are read from the parsed plan.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::text::{Text, resolve};
use super::yaml::{KeyedList, Pos, Spanned, TextRaw, pos};
use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::plan::{Attribute, Bound, Op, Plan, parse_bound};
use crate::status::Direction;

pub const INDICATORS_FILE: &str = "content/indicators.yaml";
pub const AREAS_FILE: &str = "content/areas.yaml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorsFile {
    /// English names of the table's group labels.
    #[serde(default)]
    groups: KeyedList<String>,
    /// English names of units (`人: persons`).
    #[serde(default)]
    units: KeyedList<String>,
    /// Breakdown dimensions that progress files may report values by.
    #[serde(default)]
    dimensions: KeyedList<super::metadata::DimensionRaw>,
    indicators: Vec<Spanned<IndicatorRaw>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorRaw {
    id: Spanned<String>,
    /// The table row (its name without the unit) this id tracks.
    #[serde(default)]
    row: Option<Spanned<String>>,
    /// For a target stated in the plan's prose: the verbatim sentence.
    #[serde(default)]
    quote: Option<Spanned<String>>,
    /// Chinese name (prose indicators; table rows take the plan's name).
    #[serde(default)]
    zh: Option<String>,
    en: String,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    areas: Vec<Spanned<String>>,
    #[serde(default)]
    direction: Option<Spanned<DirectionOverrideRaw>>,
    /// Whether values are bounded by 100 (default: unit `%`).
    #[serde(default)]
    bounded: Option<bool>,
    /// The English of a target stated in words, where plansite does not know the phrase.
    #[serde(default)]
    target_en: Option<String>,
    #[serde(default)]
    metadata: Option<Spanned<super::metadata::MetadataRaw>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DirectionOverrideRaw {
    value: Spanned<String>,
    reason: TextRaw,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// A row of the plan's indicator table.
    Table { lines: [usize; 2] },
    /// A target quoted from the plan's prose.
    Prose {
        quote: String,
        paragraph: String,
        lines: [usize; 2],
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorDef {
    pub id: String,
    pub name: Text,
    pub group: Option<Text>,
    pub unit: Text,
    pub baseline: Option<Bound>,
    pub target: Bound,
    pub attribute: Option<Attribute>,
    pub origin: Origin,
    pub areas: Vec<String>,
    pub direction_override: Option<(Direction, Text)>,
    pub bound: Option<f64>,
    /// The English of a target in words, given in the registry.
    pub target_en: Option<String>,
    pub metadata: super::metadata::Metadata,
    /// Line and column of its entry in `content/indicators.yaml`.
    #[serde(skip)]
    pub position: (usize, usize),
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaDef {
    pub slug: String,
    pub short: Text,
    /// The plan section this area is.
    pub section: String,
    /// Line and column of its entry in `content/areas.yaml`.
    #[serde(skip)]
    pub position: (usize, usize),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AreasFile {
    areas: Vec<Spanned<AreaRaw>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AreaRaw {
    slug: Spanned<String>,
    zh: String,
    en: String,
}

/// Ids and slugs become folder names: lowercase ASCII letters, digits and hyphens.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 80
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

fn check_id(
    kind: &str,
    id: &Spanned<String>,
    file: &str,
    seen: &mut BTreeSet<String>,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let at = pos(id);
    if !valid_id(&id.value) {
        diags.push(
            Diagnostic::error(Code::BadId, file, at.line, at.col, format!("{kind} `{}` is not a valid id", id.value))
                .width(id.value.chars().count())
                .help("ids are lowercase ASCII letters, digits and hyphens (they become URLs), e.g. `myopia-rate`"),
        );
        return false;
    }
    if let Some(why) = crate::routes::unusable_name(&id.value) {
        diags.push(
            Diagnostic::error(
                Code::RouteConflict,
                file,
                at.line,
                at.col,
                format!("{kind} {why}"),
            )
            .width(id.value.chars().count())
            .help("choose another id: it becomes a folder of the site"),
        );
        return false;
    }
    if !seen.insert(id.value.clone()) {
        diags.push(
            Diagnostic::error(
                Code::DuplicateId,
                file,
                at.line,
                at.col,
                format!("{kind} `{}` is declared twice", id.value),
            )
            .width(id.value.len()),
        );
        return false;
    }
    true
}

/// `content/areas.yaml` parsed, not yet checked against the plan (parsing
/// runs in parallel with the other files; see `content::load`).
pub struct AreasParsed(Result<AreasFile, Diagnostic>);

pub fn parse_areas(text: &str) -> AreasParsed {
    AreasParsed(super::yaml::parse(AREAS_FILE, text))
}

pub fn load_areas(
    parsed: AreasParsed,
    plan: &Plan,
    task_part: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<AreaDef> {
    let file: AreasFile = match parsed.0 {
        Ok(f) => f,
        Err(d) => {
            diags.push(d);
            return Vec::new();
        }
    };
    let Some(part) = plan.task_part(task_part) else {
        diags.push(
            Diagnostic::error(Code::NoTaskPart, AREAS_FILE, 1, 1, "the plan has no part that names the tasks (主要任务 / 重点任务)")
                .help("set `task_part = \"…\"` in plansite.toml to the title of the part whose sections are the task areas"),
        );
        return Vec::new();
    };
    if file.areas.len() != part.sections.len() {
        let at = file.areas.first().map_or(Pos { line: 1, col: 1 }, pos);
        diags.push(
            Diagnostic::error(
                Code::AreaCount,
                AREAS_FILE,
                at.line,
                at.col,
                format!(
                    "{} areas are declared but part {} ({}) has {} sections",
                    file.areas.len(),
                    part.id,
                    part.title,
                    part.sections.len()
                ),
            )
            .help("declare one area per section of the task part, in plan order"),
        );
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (area, section) in file.areas.iter().zip(&part.sections) {
        if area.value.en.contains(TO_TRANSLATE) {
            diags.push(placeholder(
                AREAS_FILE,
                pos(&area.value.slug),
                &area.value.en,
            ));
        }
        if check_id("area", &area.value.slug, AREAS_FILE, &mut seen, diags) {
            out.push(AreaDef {
                slug: area.value.slug.value.clone(),
                short: Text::new(area.value.zh.trim(), area.value.en.trim()),
                section: section.id.clone(),
                position: {
                    let p = pos(&area.value.slug);
                    (p.line, p.col)
                },
            });
        }
    }
    out
}

/// What `init` writes where English is still to be written; `check` warns
/// about every one left (an error under `--strict`).
pub const TO_TRANSLATE: &str = "(to translate)";

fn placeholder(file: &str, at: Pos, value: &str) -> Diagnostic {
    Diagnostic::warning(
        Code::Placeholder,
        file,
        at.line,
        at.col,
        format!("`{value}` is a placeholder left by `plansite init`"),
    )
    .help("write the English here (the English pages show it)")
}

/// Groups and units of the plan's table that English pages would show in
/// Chinese, and placeholders left in the English names of groups and units.
fn english_gaps(file: &IndicatorsFile, plan: &Plan, diags: &mut Vec<Diagnostic>) {
    for (key, en) in file.groups.0.iter().chain(&file.units.0) {
        if en.contains(TO_TRANSLATE) {
            diags.push(placeholder(INDICATORS_FILE, pos(key), en));
        }
    }
    let chinese = |s: &str| s.chars().any(crate::plan::is_cjk);
    let mut reported = BTreeSet::new();
    for row in &plan.indicators {
        for (kind, value, named) in [
            ("unit", &row.unit, &file.units),
            ("group", &row.group, &file.groups),
        ] {
            let has_english = named.0.iter().any(|(k, _)| k.value == *value);
            if chinese(value) && !has_english && reported.insert((kind, value.as_str())) {
                diags.push(
                    Diagnostic::warning(
                        Code::MissingLanguage,
                        INDICATORS_FILE,
                        0,
                        0,
                        format!("the {kind} `{value}` of the plan's table has no English name"),
                    )
                    .help(format!(
                        "add it under `{kind}s:` (`{value}: …`); English pages show it in Chinese until then"
                    )),
                );
            }
        }
    }
}

pub struct Registry {
    pub indicators: Vec<IndicatorDef>,
    pub group_names: Vec<(String, String)>,
    pub dimensions: Vec<super::metadata::Dimension>,
}

/// `content/indicators.yaml` parsed, not yet checked.
pub struct IndicatorsParsed(Result<IndicatorsFile, Diagnostic>);

pub fn parse_indicators(text: &str) -> IndicatorsParsed {
    IndicatorsParsed(super::yaml::parse(INDICATORS_FILE, text))
}

/// Warns where the status of an indicator cannot be measured from what the
/// plan says: a target it cannot read, words that do not say which way to
/// move (both not assessable unless a direction is given), and words with no
/// English rendering.
fn check_target(def: &IndicatorDef, file: &str, diags: &mut Vec<Diagnostic>) {
    if def.target.op != Op::Qualitative {
        return;
    }
    let (line, col) = def.position;
    let seed_lines = match &def.origin {
        Origin::Table { lines } | Origin::Prose { lines, .. } => lines[0],
    };
    let warn = |code: Code, message: String, help: &str| {
        Diagnostic::warning(code, file, line, col, message).help(help.to_string())
    };
    match &def.target.words {
        None if def.direction_override.is_none() => diags.push(warn(
            Code::TargetUnreadable,
            format!(
                "indicator `{}`: the plan's target `{}` (plan line {seed_lines}) is neither a number nor words plansite reads; its status is “not assessable”",
                def.id, def.target.raw
            ),
            "if the target says which way the value should move, add `direction: {value: increase|decrease, reason: {zh: …, en: …}}`",
        )),
        Some(words) if words.trend.is_none_or(|t| t == crate::plan::qualitative::Trend::Steady)
            && def.direction_override.is_none() =>
        {
            diags.push(warn(
                Code::TargetDirection,
                format!(
                    "indicator `{}`: the target `{}` does not say whether the value should rise or fall; its status is “not assessable”",
                    def.id, def.target.raw
                ),
                "add `direction: {value: increase|decrease, reason: {zh: …, en: …}}` to say which way is better",
            ));
        }
        _ => {}
    }
    let has_en =
        def.target_en.is_some() || def.target.words.as_ref().is_some_and(|w| w.en.is_some());
    if !has_en {
        diags.push(warn(
            Code::MissingLanguage,
            format!(
                "indicator `{}`: the target in words `{}` has no English",
                def.id, def.target.raw
            ),
            "add `target_en: \"…\"` with its English",
        ));
    }
}

pub fn load_indicators(
    parsed: IndicatorsParsed,
    plan: &Plan,
    seed_file: &str,
    areas: &[AreaDef],
    period_end: i32,
    diags: &mut Vec<Diagnostic>,
) -> Registry {
    let f = INDICATORS_FILE;
    let file: IndicatorsFile = match parsed.0 {
        Ok(x) => x,
        Err(d) => {
            diags.push(d);
            return Registry {
                indicators: Vec::new(),
                group_names: Vec::new(),
                dimensions: Vec::new(),
            };
        }
    };
    let group_names: Vec<(String, String)> = file
        .groups
        .0
        .iter()
        .map(|(k, v)| (k.value.clone(), v.clone()))
        .collect();
    let unit_en = |unit: &str| -> String {
        file.units
            .0
            .iter()
            .find(|(k, _)| k.value == unit)
            .map_or_else(|| unit.to_string(), |(_, v)| v.clone())
    };
    let group_en = |group: &str| {
        group_names
            .iter()
            .find(|(k, _)| k == group)
            .map(|(_, v)| v.clone())
    };
    english_gaps(&file, plan, diags);
    let dimensions = super::metadata::dimensions(&file.dimensions, f, diags);
    let area_slugs: Vec<&str> = areas.iter().map(|a| a.slug.as_str()).collect();
    let slug_set: HashSet<&str> = area_slugs.iter().copied().collect();
    let rows_by_name: HashMap<&str, &crate::plan::Indicator> = plan
        .indicators
        .iter()
        .map(|i| (i.name.as_str(), i))
        .collect();
    // Only quoted indicators need the plan's text (4 MB on a large plan).
    let full_text = std::cell::OnceCell::new();
    let paragraphs = std::cell::OnceCell::new();
    let mut seen = BTreeSet::new();
    let mut rows_used = BTreeSet::new();
    let mut out = Vec::new();
    for spanned in &file.indicators {
        let raw = &spanned.value;
        let at = pos(spanned);
        if raw.en.contains(TO_TRANSLATE) {
            diags.push(placeholder(f, at, &raw.en));
        }
        if !check_id("indicator", &raw.id, f, &mut seen, diags) {
            continue;
        }
        for area in &raw.areas {
            if !slug_set.contains(area.value.as_str()) {
                let p = pos(area);
                let mut d = Diagnostic::error(
                    Code::UnknownArea,
                    f,
                    p.line,
                    p.col,
                    format!("unknown area `{}`", area.value),
                )
                .width(area.value.chars().count());
                if let Some(s) = did_you_mean(&area.value, area_slugs.iter().copied()) {
                    d = d.help(format!("did you mean `{s}`?"));
                } else {
                    d = d.help(format!("areas are declared in {AREAS_FILE}"));
                }
                diags.push(d);
            }
        }
        let direction_override = raw.direction.as_ref().and_then(|d| {
            let value = &d.value.value;
            let direction = match value.value.as_str() {
                "increase" => Direction::Increase,
                "decrease" => Direction::Decrease,
                other => {
                    let p = pos(value);
                    diags.push(
                        Diagnostic::error(
                            Code::BadDirection,
                            f,
                            p.line,
                            p.col,
                            format!("unknown direction `{other}`"),
                        )
                        .help("one of: increase (higher is better), decrease (lower is better)"),
                    );
                    return None;
                }
            };
            let reason = resolve(
                &d.value.reason,
                f,
                pos(d),
                "the direction override's reason",
                diags,
            );
            if reason.zh.is_empty() {
                let p = pos(d);
                diags.push(
                    Diagnostic::error(
                        Code::OverrideReason,
                        f,
                        p.line,
                        p.col,
                        "a direction override needs a written reason",
                    )
                    .help("add `reason: {zh: \"…\", en: \"…\"}`"),
                );
            }
            Some((direction, reason))
        });
        let areas_of: Vec<String> = raw
            .areas
            .iter()
            .map(|a| a.value.clone())
            .filter(|a| slug_set.contains(a.as_str()))
            .collect();
        let metadata =
            super::metadata::metadata(raw.metadata.as_ref(), &raw.id.value, f, at, diags);
        let def = match (&raw.row, &raw.quote) {
            (Some(row), None) => {
                let Some(ind) = rows_by_name.get(row.value.trim()).copied() else {
                    let p = pos(row);
                    let names: Vec<&str> =
                        plan.indicators.iter().map(|i| i.name.as_str()).collect();
                    let mut d = Diagnostic::error(
                        Code::UnknownRow,
                        f,
                        p.line,
                        p.col,
                        format!("the plan's indicator table has no row `{}`", row.value),
                    )
                    .width(row.value.chars().count());
                    d = match did_you_mean(&row.value, names.iter().copied()) {
                        Some(s) => d.help(format!("did you mean `{s}`?")),
                        None => d.help(format!("the table's rows are: {}", names.join("、"))),
                    };
                    diags.push(d);
                    continue;
                };
                rows_used.insert(ind.name.clone());
                let bounded = raw.bounded.unwrap_or(ind.unit == "%");
                IndicatorDef {
                    id: raw.id.value.clone(),
                    name: Text::new(ind.name.clone(), raw.en.trim()),
                    group: (!ind.group.is_empty()).then(|| {
                        Text::new(
                            ind.group.clone(),
                            group_en(&ind.group).unwrap_or_else(|| ind.group.clone()),
                        )
                    }),
                    unit: Text::new(ind.unit.clone(), unit_en(&ind.unit)),
                    baseline: Some(ind.baseline.clone()),
                    target: ind.target.clone(),
                    attribute: ind.attribute,
                    origin: Origin::Table { lines: ind.lines },
                    areas: areas_of,
                    direction_override,
                    bound: bounded.then_some(100.0),
                    target_en: raw.target_en.clone(),
                    metadata,
                    position: (at.line, at.col),
                }
            }
            (None, Some(quote)) => {
                let q = quote.value.trim();
                let p = pos(quote);
                if q.is_empty() || !full_text.get_or_init(|| plan.full_text()).contains(q) {
                    diags.push(
                        Diagnostic::error(Code::QuoteNotFound, f, p.line, p.col, format!("the quote `{q}` is not in the plan text"))
                            .width(q.chars().count())
                            .help("quote the plan verbatim (same characters and punctuation, e.g. full-width ％ vs %); `plansite plan` prints the text"),
                    );
                    continue;
                }
                let target = parse_bound(q, period_end);
                if target.value.is_none() && target.words.is_none() {
                    diags.push(Diagnostic::error(Code::QuoteNoNumber, f, p.line, p.col, "the quote states no number to use as the target").help("quote the sentence part that holds the target figure, e.g. `合格率达到95%以上`"));
                    continue;
                }
                let Some(zh) = raw.zh.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
                    diags.push(Diagnostic::error(
                        Code::MissingField,
                        f,
                        at.line,
                        at.col,
                        "a prose indicator needs its Chinese name in `zh`",
                    ));
                    continue;
                };
                let paragraph = paragraphs
                    .get_or_init(|| plan.paragraphs())
                    .iter()
                    .find(|para| para.text.contains(q));
                let unit = raw.unit.clone().unwrap_or_default();
                let bounded = raw.bounded.unwrap_or(unit == "%");
                IndicatorDef {
                    id: raw.id.value.clone(),
                    name: Text::new(zh, raw.en.trim()),
                    group: None,
                    unit: Text::new(unit.clone(), unit_en(&unit)),
                    baseline: None,
                    target: Bound {
                        op: if target.value.is_some() && (q.contains("左右") || q.contains('约'))
                        {
                            Op::Exact
                        } else {
                            target.op
                        },
                        ..target
                    },
                    attribute: None,
                    origin: Origin::Prose {
                        quote: q.to_string(),
                        paragraph: paragraph.map(|p| p.id.clone()).unwrap_or_default(),
                        lines: paragraph.map_or([0, 0], |p| p.lines),
                    },
                    areas: areas_of,
                    direction_override,
                    bound: bounded.then_some(100.0),
                    target_en: raw.target_en.clone(),
                    metadata,
                    position: (at.line, at.col),
                }
            }
            _ => {
                diags.push(
                    Diagnostic::error(Code::IndicatorOrigin, f, at.line, at.col, format!("indicator `{}` needs exactly one of `row` (a table row) or `quote` (a sentence of the plan)", raw.id.value))
                        .help("`row: 学前三年毛入园率` tracks a table row; `quote: …达到95%以上` a target from the prose"),
                );
                continue;
            }
        };
        check_target(&def, f, diags);
        out.push(def);
    }
    for ind in &plan.indicators {
        if !rows_used.contains(&ind.name) {
            diags.push(
                Diagnostic::warning(
                    Code::UntrackedRow,
                    seed_file,
                    ind.lines[0],
                    1,
                    format!(
                        "the plan's table row `{}` has no indicator id in {f}",
                        ind.name
                    ),
                )
                .help(format!(
                    "add `- {{id: …, row: {}, en: …, areas: […]}}` to track it",
                    ind.name
                )),
            );
        }
    }
    Registry {
        indicators: out,
        group_names,
        dimensions,
    }
}
