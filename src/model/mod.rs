//! The site model: everything the pages show, computed once from the loaded
//! input, immutable afterwards, and passed to templates as typed structs.

pub mod breakdown;
pub mod changelog;
pub mod indicator;

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use serde::Serialize;

use crate::content::glossary::Term;
use crate::content::progress::Milestone;
pub use crate::content::translation::{Note, State as TranslationState};
use crate::content::{SiteInput, Text};
use crate::i18n::Strings;
use crate::plan::{Item, Paragraph, Part, Section, chinese_numeral};
use crate::routes::View;

pub use changelog::{ChangeEntry, YearLog};
pub use indicator::{AreaLink, IndicatorView};

#[derive(Debug, Clone, Serialize)]
pub struct ParaView {
    pub id: String,
    pub zh: String,
    /// The English as translated (a stale one included; `translation` says so).
    pub en: Option<String>,
    /// With translator's notes: the English cut where their marks go (a mark
    /// after each piece that has a `note` number). Empty without notes.
    pub en_pieces: Vec<Piece>,
    /// current | stale | missing
    pub translation: TranslationState,
    /// Translator's notes, shown as footnotes of the English.
    pub notes: Vec<Note>,
    pub lines: [usize; 2],
    /// "plan text, lines …" for each language.
    pub cite: Text,
}

/// The level of a node of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    Part,
    Section,
    Item,
}

#[derive(Debug, Clone, Serialize)]
pub struct NodeView {
    pub id: String,
    pub kind: NodeKind,
    /// `三、` / `（四）` / `1.` in Chinese; the positional id in English.
    pub marker: Text,
    pub title: Text,
    pub title_translated: bool,
    /// current | stale | missing
    pub title_translation: TranslationState,
    pub lines: [usize; 2],
    /// "plan text, lines …" for each language.
    pub cite: Text,
    pub paragraphs: Vec<ParaView>,
    /// Shared, so that an area's page and the plan hold one copy of a section.
    pub children: Vec<Arc<NodeView>>,
    /// The page of the task area this section is, if any: its folder under a
    /// language folder (`routes::View`).
    pub area_path: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaYear {
    pub year: i32,
    pub status: Option<crate::content::progress::AreaStatus>,
    pub note: Option<Text>,
    pub milestones: Vec<Milestone>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaView {
    pub slug: String,
    /// The area page's folder under a language folder (`routes::View`).
    pub path: String,
    pub short: Text,
    pub node: Arc<NodeView>,
    pub years: Vec<AreaYear>,
    pub latest_status: Option<crate::content::progress::AreaStatus>,
    /// Positions in `Site::indicators`. Templates see the indicators themselves
    /// (`render::site_value` shares one serialised copy of each).
    #[serde(skip)]
    pub indicators: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    pub slug: String,
    /// The page's folder under a language folder (`routes::View`).
    pub path: String,
    pub title: Text,
    /// Sanitised HTML per language.
    pub html: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearSummary {
    pub year: i32,
    pub as_of: String,
    pub data_status: String,
    pub summary: Option<Text>,
}

/// The plan's published text: the official document and the file it was read from.
#[derive(Debug, Clone, Serialize)]
pub struct SeedInfo {
    /// The official document's title (the parsed title unless the config names it).
    pub title: Text,
    pub publisher: Option<Text>,
    pub date: Option<String>,
    /// Where readers can find the official document.
    pub url: Option<String>,
    /// The text file in the site root, and its SHA-256, for archivists.
    pub file: String,
    pub sha256: String,
    pub encoding: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Site {
    /// The site's languages, the default first (the front page's order).
    pub languages: [&'static str; 2],
    pub title: Text,
    pub publisher: Option<Text>,
    pub plan_title: Text,
    pub base_url: String,
    /// The last year whose data is shown.
    pub as_of_year: i32,
    /// Set for `build --as-of YEAR` and archive snapshots.
    pub snapshot_year: Option<i32>,
    pub period: (i32, i32),
    pub baseline_year: i32,
    pub illustrative: bool,
    pub years: Vec<YearSummary>,
    pub latest: Option<YearSummary>,
    pub indicators: Vec<IndicatorView>,
    pub status_counts: Vec<(crate::status::Progress, usize)>,
    /// The indicators by the plan's groups, with counts by status.
    pub indicator_groups: Vec<indicator::IndicatorGroup>,
    pub areas: Vec<AreaView>,
    pub preamble: Vec<ParaView>,
    pub plan: Vec<NodeView>,
    pub table_caption: Option<Text>,
    pub changelog: Vec<YearLog>,
    pub pages: Vec<PageView>,
    pub glossary: Vec<Term>,
    pub seed: SeedInfo,
}

/// A piece of English text, followed by the mark of note `note` if any.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Piece {
    pub text: String,
    pub note: Option<usize>,
}

/// English text cut where the marks of its translator's notes go: each
/// after the first occurrence of its `after` text, or at the end.
pub fn note_pieces(en: &str, notes: &[Note]) -> Vec<Piece> {
    if notes.is_empty() {
        return Vec::new();
    }
    let mut places: Vec<(usize, usize)> = notes
        .iter()
        .map(|n| {
            let at = n
                .after
                .as_deref()
                .and_then(|a| en.find(a).map(|i| i + a.len()))
                .unwrap_or(en.len());
            (at, n.number)
        })
        .collect();
    places.sort_unstable();
    let mut pieces = Vec::with_capacity(places.len() + 1);
    let mut from = 0;
    for (at, number) in places {
        pieces.push(Piece {
            text: en[from..at].to_string(),
            note: Some(number),
        });
        from = at;
    }
    if from < en.len() {
        pieces.push(Piece {
            text: en[from..].to_string(),
            note: None,
        });
    }
    pieces
}

/// What turning plan nodes into views needs: the translation, the interface
/// strings (for citations) and which section is which task area.
struct Views<'a> {
    input: &'a SiteInput,
    strings: &'a Strings,
    area_of_section: HashMap<&'a str, &'a str>,
}

impl<'a> Views<'a> {
    fn new(input: &'a SiteInput, strings: &'a Strings) -> Self {
        Views {
            input,
            strings,
            area_of_section: input
                .areas
                .iter()
                .map(|a| (a.section.as_str(), a.slug.as_str()))
                .collect(),
        }
    }

    /// "plan text, lines 12–14" in both languages.
    fn cite(&self, lines: [usize; 2]) -> Text {
        let (first, last) = (lines[0].to_string(), lines[1].to_string());
        let fill = |lang| {
            self.strings
                .fill(lang, "plan_lines", &[("first", &first), ("last", &last)])
        };
        Text::new(fill("zh"), fill("en"))
    }

    fn paragraphs(&self, list: &[Paragraph]) -> Vec<ParaView> {
        let tr = &self.input.translation;
        list.iter()
            .map(|p| {
                let en = tr.get(&p.id);
                let notes = tr.notes(&p.id);
                ParaView {
                    id: p.id.clone(),
                    zh: p.text.clone(),
                    en: en.map(str::to_string),
                    en_pieces: en.map(|en| note_pieces(en, notes)).unwrap_or_default(),
                    translation: tr.state(&p.id),
                    notes: notes.to_vec(),
                    lines: p.lines,
                    cite: self.cite(p.lines),
                }
            })
            .collect()
    }

    fn titled(&self, id: &str, zh: &str) -> (Text, bool, TranslationState) {
        let state = self.input.translation.state(id);
        match self.input.translation.get(id) {
            Some(en) => (Text::new(zh, en), true, state),
            None => (Text::new(zh, zh), false, state),
        }
    }

    fn item(&self, item: &Item) -> NodeView {
        let (title, translated, title_translation) = self.titled(&item.id, &item.title);
        let zh_marker = match item.kind {
            crate::plan::ItemKind::Numbered => format!("{}.", item.number),
            crate::plan::ItemKind::Parenthesised => format!("（{}）", item.number),
            crate::plan::ItemKind::GoalStream => "——".to_string(),
        };
        NodeView {
            id: item.id.clone(),
            kind: NodeKind::Item,
            marker: Text::new(zh_marker, item.id.clone()),
            title,
            title_translated: translated,
            title_translation,
            lines: item.lines,
            cite: self.cite(item.lines),
            paragraphs: self.paragraphs(&item.paragraphs),
            children: item.items.iter().map(|i| Arc::new(self.item(i))).collect(),
            area_path: None,
        }
    }

    fn section(&self, section: &Section) -> NodeView {
        let (title, translated, title_translation) = self.titled(&section.id, &section.title);
        NodeView {
            id: section.id.clone(),
            kind: NodeKind::Section,
            marker: Text::new(
                format!("（{}）", chinese_numeral(section.number)),
                section.id.clone(),
            ),
            title,
            title_translated: translated,
            title_translation,
            lines: section.lines,
            cite: self.cite(section.lines),
            paragraphs: self.paragraphs(&section.paragraphs),
            children: section
                .items
                .iter()
                .map(|i| Arc::new(self.item(i)))
                .collect(),
            area_path: self
                .area_of_section
                .get(section.id.as_str())
                .map(|slug| View::Area(slug).dir()),
        }
    }

    fn part(&self, part: &Part) -> NodeView {
        let (title, translated, title_translation) = self.titled(&part.id, &part.title);
        NodeView {
            id: part.id.clone(),
            kind: NodeKind::Part,
            marker: Text::new(
                format!("{}、", chinese_numeral(part.number)),
                format!("{}.", part.id),
            ),
            title,
            title_translated: translated,
            title_translation,
            lines: part.lines,
            cite: self.cite(part.lines),
            paragraphs: self.paragraphs(&part.paragraphs),
            children: part
                .sections
                .par_iter()
                .map(|s| Arc::new(self.section(s)))
                .collect(),
            area_path: None,
        }
    }
}

/// The plan's words for an indicator: its table row as printed, or its quote.
fn plan_words(input: &SiteInput, def: &crate::content::IndicatorDef) -> String {
    match &def.origin {
        crate::content::registry::Origin::Table { lines } => input
            .sources
            .get(&input.seed_file)
            .and_then(|s| s.line(lines[0]))
            .map(|l| {
                l.split('\t')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
            .unwrap_or_default(),
        crate::content::registry::Origin::Prose { quote, .. } => quote.clone(),
    }
}

/// Builds the model with the data up to `as_of` (default: the latest progress year).
pub fn build(
    input: &SiteInput,
    strings: &Strings,
    as_of: Option<i32>,
    markdown: &(dyn Fn(&str) -> String + Sync),
) -> Site {
    let period = (input.config.period.start, input.config.period.end);
    let latest_file_year = input.progress.last().map_or(period.0 - 1, |p| p.year);
    let as_of_year = as_of.unwrap_or(latest_file_year);
    let years_in: Vec<&crate::content::ProgressYear> = input
        .progress
        .iter()
        .filter(|p| p.year <= as_of_year)
        .collect();

    let areas_by_slug: HashMap<&str, &crate::content::AreaDef> =
        input.areas.iter().map(|a| (a.slug.as_str(), a)).collect();
    let area_link = |slug: &str| {
        areas_by_slug.get(slug).map(|a| AreaLink {
            slug: a.slug.clone(),
            path: View::Area(&a.slug).dir(),
            short: a.short.clone(),
        })
    };
    let indicators: Vec<IndicatorView> = input
        .registry
        .indicators
        .par_iter()
        .map(|def| {
            indicator::build(indicator::Inputs {
                def,
                years: &years_in,
                period,
                as_of: as_of_year,
                area_links: def.areas.iter().filter_map(|s| area_link(s)).collect(),
                strings,
                plan_words: plan_words(input, def),
                dimensions: &input.registry.dimensions,
            })
        })
        .collect();

    let views = Views::new(input, strings);
    let plan: Vec<NodeView> = input.plan.parts.iter().map(|p| views.part(p)).collect();
    // Lookups by id, built once: large plans have thousands of sections and indicators.
    let sections: HashMap<&str, &Arc<NodeView>> = plan
        .iter()
        .flat_map(|p| &p.children)
        .map(|s| (s.id.as_str(), s))
        .collect();
    let find_section = |id: &str| sections.get(id).map(|s| Arc::clone(s));
    let mut by_area: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, ind) in indicators.iter().enumerate() {
        for link in &ind.areas {
            by_area.entry(link.slug.as_str()).or_default().push(index);
        }
    }
    let areas = input
        .areas
        .par_iter()
        .filter_map(|a| {
            let node = find_section(&a.section)?;
            let years: Vec<AreaYear> = years_in
                .iter()
                .map(|y| {
                    let report = y.areas.get(&a.slug);
                    AreaYear {
                        year: y.year,
                        status: report.map(|r| r.status),
                        note: report.and_then(|r| r.note.clone()),
                        milestones: report.map(|r| r.milestones.clone()).unwrap_or_default(),
                    }
                })
                .collect();
            Some(AreaView {
                slug: a.slug.clone(),
                path: View::Area(&a.slug).dir(),
                short: a.short.clone(),
                node,
                latest_status: years.iter().rev().find_map(|y| y.status),
                years,
                indicators: by_area.get(a.slug.as_str()).cloned().unwrap_or_default(),
            })
        })
        .collect();

    let years: Vec<YearSummary> = years_in
        .iter()
        .map(|y| YearSummary {
            year: y.year,
            as_of: y.as_of.clone(),
            data_status: y.data_status.clone(),
            summary: y.summary.clone(),
        })
        .collect();
    let mut pages: Vec<PageView> = Vec::new();
    for page in &input.pages {
        let html = markdown(&page.body);
        match pages.iter_mut().find(|p| p.slug == page.slug) {
            Some(existing) => {
                if page.lang == "en" {
                    existing.title.en = page.title.clone();
                    existing.html.en = html;
                } else {
                    existing.title.zh = page.title.clone();
                    existing.html.zh = html;
                }
            }
            None => pages.push(PageView {
                path: if page.slug == "about" {
                    View::About.dir()
                } else {
                    View::Page(&page.slug).dir()
                },
                slug: page.slug.clone(),
                title: Text::new(page.title.clone(), page.title.clone()),
                html: Text::new(html.clone(), html),
            }),
        }
    }

    let changelog = changelog::build(&years_in, &indicators, &input.areas, strings, markdown);
    let plan_title = Text::new(
        input.plan.title.clone(),
        input
            .translation
            .get("title")
            .unwrap_or(&input.plan.title)
            .to_string(),
    );
    Site {
        title: Text::new(input.config.title.zh.clone(), input.config.title.en.clone()),
        publisher: input.config.publisher.as_ref().map(Text::from),
        plan_title: plan_title.clone(),
        languages: if input.config.default_language == "en" {
            ["en", "zh"]
        } else {
            ["zh", "en"]
        },
        base_url: input.config.base_url.clone(),
        as_of_year,
        snapshot_year: as_of,
        period,
        baseline_year: input.config.period.baseline_year(),
        illustrative: years_in.iter().any(|y| y.data_status == "illustrative"),
        latest: years.last().cloned(),
        years,
        status_counts: indicator::status_counts(&indicators),
        indicator_groups: indicator::groups(&indicators),
        indicators,
        areas,
        preamble: views.paragraphs(&input.plan.preamble),
        plan,
        table_caption: input.plan.table_caption.as_ref().map(|c| {
            let en = input.translation.get("table").unwrap_or(c);
            Text::new(c.clone(), en)
        }),
        changelog,
        pages,
        glossary: input.glossary.clone(),
        seed: SeedInfo {
            title: input
                .config
                .source_title
                .as_ref()
                .map_or(plan_title, Text::from),
            publisher: input.config.source_publisher.as_ref().map(Text::from),
            date: input.config.source_date.clone(),
            url: input.config.source_url.clone(),
            file: input.seed_file.clone(),
            sha256: input.seed_sha256.clone(),
            encoding: input.seed_encoding.to_string(),
        },
    }
}

/// Every node id with its view, for lookups by templates that cite plan text.
pub fn walk<'a, N: std::borrow::Borrow<NodeView>>(nodes: &'a [N], out: &mut Vec<&'a NodeView>) {
    for n in nodes {
        let n = n.borrow();
        out.push(n);
        walk(&n.children, out);
    }
}

#[cfg(test)]
mod tests {
    use super::{Note, Piece, note_pieces};
    use crate::plan::chinese_numeral;

    #[test]
    fn note_marks_go_after_their_text_or_at_the_end() {
        let note = |number, after: Option<&str>| Note {
            number,
            after: after.map(str::to_string),
            text: "n".into(),
        };
        let piece = |text: &str, note| Piece {
            text: text.into(),
            note,
        };
        assert_eq!(
            note_pieces(
                "Build the “Five Cities” and the rest.",
                &[note(4, None), note(3, Some("“Five Cities”"))]
            ),
            [
                piece("Build the “Five Cities”", Some(3)),
                piece(" and the rest.", Some(4))
            ]
        );
        assert!(note_pieces("No notes.", &[]).is_empty());
    }
    use crate::plan::parse_chinese_numeral;

    #[test]
    fn numerals_round_trip() {
        for (n, s) in [
            (1, "一"),
            (10, "十"),
            (15, "十五"),
            (20, "二十"),
            (23, "二十三"),
            (105, "一百零五"),
            (300, "三百"),
            (3000, "三千"),
            (1994, "一千九百九十四"),
        ] {
            assert_eq!(chinese_numeral(n), s);
        }
        for n in 1..=3000 {
            assert_eq!(parse_chinese_numeral(&chinese_numeral(n)), Some(n), "{n}");
        }
    }
}
