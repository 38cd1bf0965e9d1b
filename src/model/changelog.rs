//! The changelog: per year, what the data says changed since the year before
//! (values first reported or changed, progress-status transitions, area-status
//! changes, milestones completed), merged with the editors' entries.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::indicator::IndicatorView;
use crate::content::{AreaDef, ProgressYear, Text};
use crate::i18n::{LANGS, Strings};

/// What a changelog entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A change the year's file writes in words.
    Editorial,
    FirstReported,
    Value,
    Status,
    AreaStatus,
    Milestone,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangeEntry {
    pub date: Option<String>,
    pub kind: ChangeKind,
    pub text: Text,
    pub indicator: Option<String>,
    pub area: Option<String>,
    /// The pages the entry is about, by name: its indicator, then its area.
    pub links: Vec<PageLink>,
}

/// A link to a page of the site, named as the page is.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// The page's folder under a language folder (`routes::View`).
    pub path: String,
    pub name: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearLog {
    pub year: i32,
    pub as_of: String,
    /// The year's summary from its progress file, as sanitised HTML.
    pub summary_html: Option<Text>,
    /// How many entries of each kind the year has (kinds with none left out).
    pub counts: Vec<KindCount>,
    pub entries: Vec<ChangeEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KindCount {
    pub kind: ChangeKind,
    pub count: usize,
}

impl ChangeKind {
    const ALL: [ChangeKind; 6] = [
        ChangeKind::Editorial,
        ChangeKind::FirstReported,
        ChangeKind::Value,
        ChangeKind::Status,
        ChangeKind::AreaStatus,
        ChangeKind::Milestone,
    ];
}

/// The pages an entry names, as links named after them.
fn links(
    entry: &ChangeEntry,
    indicators: &HashMap<&str, &IndicatorView>,
    areas: &HashMap<&str, &AreaDef>,
) -> Vec<PageLink> {
    let indicator = entry.indicator.as_deref().and_then(|id| {
        indicators.get(id).map(|i| PageLink {
            path: i.path.clone(),
            name: i.name.clone(),
        })
    });
    let area = entry.area.as_deref().and_then(|slug| {
        areas.get(slug).map(|a| PageLink {
            path: crate::routes::View::Area(&a.slug).dir(),
            name: a.short.clone(),
        })
    });
    indicator.into_iter().chain(area).collect()
}

fn text(strings: &Strings, key: &str, args: &dyn Fn(&str) -> Vec<(&'static str, String)>) -> Text {
    let mut t = Text::default();
    for lang in LANGS {
        let owned = args(lang);
        let pairs: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let s = strings.fill(lang, key, &pairs);
        if lang == "en" { t.en = s } else { t.zh = s }
    }
    t
}

pub fn build(
    years: &[&ProgressYear],
    indicators: &[IndicatorView],
    areas: &[AreaDef],
    strings: &Strings,
    markdown: &(dyn Fn(&str) -> String + Sync),
) -> Vec<YearLog> {
    let indicator_by_id: HashMap<&str, &IndicatorView> =
        indicators.iter().map(|i| (i.id.as_str(), i)).collect();
    let area_by_slug: HashMap<&str, &AreaDef> =
        areas.iter().map(|a| (a.slug.as_str(), a)).collect();
    // Each year compares with the one before it only: the years are built in parallel.
    let mut logs: Vec<YearLog> = years
        .par_iter()
        .enumerate()
        .map(|(index, year)| {
            let previous = index.checked_sub(1).map(|i| &years[i]);
            let mut entries: Vec<ChangeEntry> = year
                .changes
                .iter()
                .map(|c| ChangeEntry {
                    date: Some(c.date.clone()),
                    kind: ChangeKind::Editorial,
                    text: c.text.clone(),
                    indicator: c.indicator.clone(),
                    area: c.area.clone(),
                    links: Vec::new(),
                })
                .collect();
            for ind in indicators {
                let this = ind.values.iter().find(|v| v.year == year.year);
                let Some(this) = this else { continue };
                let earlier_value = ind
                    .values
                    .iter()
                    .filter(|v| v.year < year.year)
                    .rev()
                    .find(|v| v.value.is_some());
                let name = |lang: &str| ind.name.get(lang).to_string();
                if this.value.is_some() {
                    match earlier_value {
                        None => entries.push(ChangeEntry {
                            date: None,
                            kind: ChangeKind::FirstReported,
                            text: text(strings, "change_first_reported", &|l| {
                                vec![
                                    ("name", name(l)),
                                    ("value", this.display.get(l).to_string()),
                                ]
                            }),
                            indicator: Some(ind.id.clone()),
                            area: None,
                            links: Vec::new(),
                        }),
                        Some(before) if before.value != this.value => entries.push(ChangeEntry {
                            date: None,
                            kind: ChangeKind::Value,
                            text: text(strings, "change_value", &|l| {
                                vec![
                                    ("name", name(l)),
                                    (
                                        "from",
                                        format!("{} ({})", before.display.get(l), before.year),
                                    ),
                                    ("to", this.display.get(l).to_string()),
                                ]
                            }),
                            indicator: Some(ind.id.clone()),
                            area: None,
                            links: Vec::new(),
                        }),
                        Some(_) => {}
                    }
                }
                if let Some(prev) =
                    previous.and_then(|p| ind.values.iter().find(|v| v.year == p.year))
                    && prev.status != this.status
                {
                    entries.push(ChangeEntry {
                        date: None,
                        kind: ChangeKind::Status,
                        text: text(strings, "change_status", &|l| {
                            vec![
                                ("name", name(l)),
                                (
                                    "from",
                                    strings
                                        .get(l, &format!("status_{}", prev.status))
                                        .to_string(),
                                ),
                                (
                                    "to",
                                    strings
                                        .get(l, &format!("status_{}", this.status))
                                        .to_string(),
                                ),
                            ]
                        }),
                        indicator: Some(ind.id.clone()),
                        area: None,
                        links: Vec::new(),
                    });
                }
            }
            for area in areas {
                let now = year.areas.get(&area.slug);
                let before = previous.and_then(|p| p.areas.get(&area.slug));
                if let (Some(now), Some(before)) = (now, before)
                    && now.status != before.status
                {
                    entries.push(ChangeEntry {
                        date: None,
                        kind: ChangeKind::AreaStatus,
                        text: text(strings, "change_area_status", &|l| {
                            vec![
                                ("name", area.short.get(l).to_string()),
                                (
                                    "from",
                                    strings
                                        .get(l, &format!("area_status_{}", before.status))
                                        .to_string(),
                                ),
                                (
                                    "to",
                                    strings
                                        .get(l, &format!("area_status_{}", now.status))
                                        .to_string(),
                                ),
                            ]
                        }),
                        indicator: None,
                        area: Some(area.slug.clone()),
                        links: Vec::new(),
                    });
                }
                if let Some(now) = now {
                    for m in now.milestones.iter().filter(|m| m.done) {
                        let done_before = before.is_some_and(|b| {
                            b.milestones
                                .iter()
                                .any(|x| x.done && x.text.zh == m.text.zh)
                        });
                        if !done_before {
                            entries.push(ChangeEntry {
                                date: m.date.clone(),
                                kind: ChangeKind::Milestone,
                                text: text(strings, "change_milestone", &|l| {
                                    vec![
                                        ("area", area.short.get(l).to_string()),
                                        ("text", m.text.get(l).to_string()),
                                    ]
                                }),
                                indicator: None,
                                area: Some(area.slug.clone()),
                                links: Vec::new(),
                            });
                        }
                    }
                }
            }
            // Dated entries newest first, then the undated comparisons in their generated order.
            entries.sort_by(|a, b| b.date.cmp(&a.date));
            for entry in &mut entries {
                entry.links = links(entry, &indicator_by_id, &area_by_slug);
            }
            let counts = ChangeKind::ALL
                .iter()
                .map(|kind| KindCount {
                    kind: *kind,
                    count: entries.iter().filter(|e| e.kind == *kind).count(),
                })
                .filter(|c| c.count > 0)
                .collect();
            YearLog {
                year: year.year,
                as_of: year.as_of.clone(),
                summary_html: year
                    .summary
                    .as_ref()
                    .map(|t| Text::new(markdown(&t.zh), markdown(&t.en))),
                counts,
                entries,
            }
        })
        .collect();
    logs.reverse();
    logs
}
