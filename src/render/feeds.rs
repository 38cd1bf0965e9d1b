//! Machine-readable outputs: Atom feeds, the sitemap, robots.txt and open data.
//! Nothing here reads the clock: dates come from the data (`as_of`), so two
//! builds of the same input are byte-identical.

use std::io::{self, Write};

use serde::Serialize;

use crate::content::Text;
use crate::i18n::Strings;
use crate::model::{IndicatorView, Site};

/// An absolute URL when the site has a base URL, else the path as given.
pub fn absolute(base_url: &str, path: &str) -> String {
    if base_url.is_empty() {
        return path.to_string();
    }
    format!(
        "{}/{}",
        base_url.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

/// How a feed links and names itself. On the live site with a base URL, links
/// are absolute; elsewhere (no base URL, or an archived snapshot) they are
/// relative to the feed's own address, so they resolve where it is read. Ids
/// are tied to the publisher's domain (`tag:` URIs, RFC 4151) when the live
/// site's base URL is known, else to the plan text's hash.
pub struct FeedBase {
    /// Absolute base of links, when they are absolute.
    links: Option<String>,
    /// `tag:example.org,2021:` or `urn:plansite:plan-<hash>:`.
    id_prefix: String,
    /// `archive/2023/` inside a snapshot: ids differ from the live feed's.
    id_path: String,
    portable: bool,
}

impl FeedBase {
    pub fn new(site: &Site, options: &super::Options) -> FeedBase {
        let live = options
            .snapshot
            .as_ref()
            .map_or(site.base_url.as_str(), |s| s.live_base_url.as_str());
        let host = url::Url::parse(live)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string));
        let id_prefix = match host {
            Some(host) => format!("tag:{host},{}:", site.period.0),
            None => format!(
                "urn:plansite:plan-{}:",
                site.seed.sha256.get(..16).unwrap_or(&site.seed.sha256)
            ),
        };
        // The path of the live site below its host, so that two sites on one host differ.
        let live_path = url::Url::parse(live)
            .ok()
            .map(|u| u.path().trim_start_matches('/').to_string())
            .unwrap_or_default();
        FeedBase {
            links: (options.snapshot.is_none() && !site.base_url.is_empty() && !options.portable)
                .then(|| site.base_url.clone()),
            id_prefix,
            id_path: match &options.snapshot {
                Some(s) => format!("{live_path}archive/{}/", s.name),
                None => live_path,
            },
            portable: options.portable,
        }
    }

    /// A link from the feed `{lang}/changelog/atom.xml` to `page` (`{lang}/changelog/`) and `fragment`.
    fn link(&self, page: &str, fragment: &str) -> String {
        match &self.links {
            Some(base) => format!("{}{fragment}", absolute(base, page)),
            // The feed sits in the page's folder.
            None if self.portable => format!("index.html{fragment}"),
            None => format!("./{fragment}"),
        }
    }

    fn id(&self, path: &str) -> String {
        format!("{}{}{path}", self.id_prefix, self.id_path)
    }
}

fn timestamp(date: &str) -> String {
    format!("{date}T00:00:00Z")
}

/// One year of the changelog as a feed entry.
#[derive(Serialize)]
struct AtomEntry<'a> {
    year: i32,
    id: String,
    updated: String,
    link: String,
    items: Vec<AtomItem<'a>>,
}

#[derive(Serialize)]
struct AtomItem<'a> {
    date: Option<&'a str>,
    text: &'a str,
}

/// The context of `atom.xml`, the changelog feed of one language: one entry
/// per reporting year.
#[derive(Serialize)]
pub struct AtomFeed<'a> {
    html_lang: &'a str,
    site_title: &'a str,
    feed_title: &'a str,
    id: String,
    updated: String,
    self_link: String,
    page_link: String,
    author: &'a str,
    entries: Vec<AtomEntry<'a>>,
}

pub fn atom_context<'a>(
    site: &'a Site,
    lang: &str,
    strings: &'a Strings,
    base: &FeedBase,
) -> AtomFeed<'a> {
    let page_path = crate::routes::View::Changelog.link(lang);
    AtomFeed {
        html_lang: strings.get(lang, "html_lang"),
        site_title: site.title.get(lang),
        feed_title: strings.get(lang, "changelog_title"),
        id: base.id(&page_path),
        updated: site.changelog.first().map_or_else(
            || format!("{}-12-31T00:00:00Z", site.as_of_year),
            |l| timestamp(&l.as_of),
        ),
        self_link: match &base.links {
            Some(b) => absolute(b, &crate::routes::feed(lang)),
            None => "atom.xml".to_string(),
        },
        page_link: base.link(&page_path, ""),
        author: site
            .publisher
            .as_ref()
            .map_or_else(|| site.title.get(lang), |p| p.get(lang)),
        entries: site
            .changelog
            .iter()
            .map(|log| AtomEntry {
                year: log.year,
                id: base.id(&format!("{page_path}y{}", log.year)),
                updated: timestamp(&log.as_of),
                link: base.link(&page_path, &format!("#y{}", log.year)),
                items: log
                    .entries
                    .iter()
                    .map(|e| AtomItem {
                        date: e.date.as_deref(),
                        text: e.text.get(lang),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The context of `sitemap.xml`: every page's absolute address, and the
/// date of the latest data.
pub fn sitemap_context(site: &Site, html_paths: &[String]) -> minijinja::Value {
    let locs: Vec<String> = html_paths
        .iter()
        .map(|path| {
            absolute(
                &site.base_url,
                path.strip_suffix("index.html").unwrap_or(path),
            )
        })
        .collect();
    minijinja::context! {
        locs => locs,
        lastmod => site.latest.as_ref().map(|l| l.as_of.clone()),
    }
}

/// The context of `robots.txt`: the sitemap's address, when the site has one.
pub fn robots_context(site: &Site) -> minijinja::Value {
    minijinja::context! {
        sitemap => (!site.base_url.is_empty()).then(|| absolute(&site.base_url, "sitemap.xml")),
    }
}

#[derive(Serialize)]
struct ValueOut<'a> {
    year: i32,
    value: Option<f64>,
    reporting: crate::model::indicator::Reporting,
    source: Option<&'a Text>,
    source_url: Option<&'a str>,
    missing_reason: Option<&'a Text>,
    flag: Option<crate::content::progress::Flag>,
    note: Option<&'a Text>,
}

#[derive(Serialize)]
struct IndicatorOut<'a> {
    id: &'a str,
    name: &'a Text,
    unit: &'a Text,
    group: Option<&'a Text>,
    attribute: Option<crate::plan::Attribute>,
    direction: Option<crate::status::Direction>,
    baseline_meets_target: bool,
    target_in_words: bool,
    baseline: Option<&'a crate::model::indicator::BoundView>,
    target: &'a crate::model::indicator::BoundView,
    areas: Vec<&'a str>,
    values: Vec<ValueOut<'a>>,
    status: std::collections::BTreeMap<String, crate::status::Progress>,
    latest_status: crate::status::Progress,
    /// The numbers behind `latest_status`, named as in the method.
    assessment: &'a crate::status::Assessment,
    plan_lines: [usize; 2],
    metadata: &'a crate::model::breakdown::MetadataView,
    /// Values by breakdown dimension (the status is the headline's).
    breakdowns: &'a [crate::model::breakdown::BreakdownSeries],
}

#[derive(Serialize)]
struct DataOut<'a> {
    title: &'a Text,
    plan: &'a Text,
    /// The official document the plan's text and targets come from.
    source: &'a crate::model::SeedInfo,
    as_of_year: i32,
    illustrative: bool,
    data_status: Vec<(i32, &'a str)>,
    indicators: Vec<IndicatorOut<'a>>,
}

/// `data/indicators.json`.
/// With one indicator of `site` in `indicators`, that indicator's file
/// (`data/indicators/ID.json`).
pub fn write_indicators_json(
    site: &Site,
    indicators: &[IndicatorView],
    w: &mut dyn Write,
) -> io::Result<()> {
    let out = DataOut {
        title: &site.title,
        plan: &site.plan_title,
        source: &site.seed,
        as_of_year: site.as_of_year,
        illustrative: site.illustrative,
        data_status: site
            .years
            .iter()
            .map(|y| (y.year, y.data_status.as_str()))
            .collect(),
        indicators: indicators
            .iter()
            .map(|i| IndicatorOut {
                id: &i.id,
                name: &i.name,
                unit: &i.unit,
                group: i.group.as_ref(),
                attribute: i.attribute,
                direction: i.direction,
                baseline_meets_target: i.baseline_meets_target,
                target_in_words: i.target_in_words,
                baseline: i.baseline.as_ref(),
                target: &i.target,
                areas: i.areas.iter().map(|a| a.slug.as_str()).collect(),
                values: i
                    .values
                    .iter()
                    .filter(|v| v.reporting != crate::model::indicator::Reporting::NotDue)
                    .map(|v| ValueOut {
                        year: v.year,
                        value: v.value,
                        reporting: v.reporting,
                        source: v.source.as_ref().map(|s| &s.text),
                        source_url: v.source.as_ref().and_then(|s| s.url.as_deref()),
                        missing_reason: v.missing_reason.as_ref(),
                        flag: v.flag,
                        note: v.note.as_ref(),
                    })
                    .collect(),
                status: i
                    .values
                    .iter()
                    .filter(|v| v.reporting != crate::model::indicator::Reporting::NotDue)
                    .map(|v| (v.year.to_string(), v.status))
                    .collect(),
                latest_status: i.status.key,
                assessment: &i.status.assessment,
                plan_lines: i.plan_lines,
                metadata: &i.metadata,
                breakdowns: &i.breakdowns,
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *w, &out)?;
    w.write_all(b"\n")
}

/// A text cell as a spreadsheet may safely open it: a cell that starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return would be run as a formula,
/// so it gets a leading `'`, as OWASP recommends ("CSV Injection"). Numbers
/// are written by plansite itself and are never text cells.
pub fn csv_text(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// `data/indicators.csv`, with a BOM so that spreadsheet programs read the
/// Chinese as UTF-8.
/// With one indicator of `site` in `indicators`, that indicator's rows
/// (`data/indicators/ID.csv`).
pub fn write_indicators_csv(
    site: &Site,
    indicators: &[IndicatorView],
    out: &mut dyn Write,
) -> io::Result<()> {
    out.write_all(&[0xEF, 0xBB, 0xBF])?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "id",
        "name_zh",
        "name_en",
        "unit_zh",
        "unit_en",
        "baseline_year",
        "baseline",
        "target_year",
        "target_op",
        "target",
        "year",
        "value",
        "reporting",
        "status",
        "source_zh",
        "source_en",
        "data_status",
        "dimension",
        "category_zh",
        "category_en",
        "flag",
        "note_zh",
        "note_en",
    ])?;
    let data_status = |year: i32| {
        site.years
            .iter()
            .find(|y| y.year == year)
            .map_or("", |y| y.data_status.as_str())
    };
    let num = |x: Option<f64>| x.map(|x| crate::i18n::number(x, "zh")).unwrap_or_default();
    for i in indicators {
        // The cells naming the indicator, the same on each of its rows.
        let name = [
            csv_text(&i.name.zh),
            csv_text(&i.name.en),
            csv_text(&i.unit.zh),
            csv_text(&i.unit.en),
        ];
        let [name_zh, name_en, unit_zh, unit_en] = name.each_ref().map(|n| &**n);
        let target_year = i.target.year.to_string();
        for v in i
            .values
            .iter()
            .filter(|v| v.reporting != crate::model::indicator::Reporting::NotDue)
        {
            let data_status = data_status(v.year);
            w.write_record([
                i.id.as_str(),
                name_zh,
                name_en,
                unit_zh,
                unit_en,
                &i.baseline
                    .as_ref()
                    .map(|b| b.year.to_string())
                    .unwrap_or_default(),
                &num(i.baseline.as_ref().and_then(|b| b.value)),
                &target_year,
                match i.target.op {
                    crate::plan::Op::AtLeast => "at_least",
                    crate::plan::Op::AtMost => "at_most",
                    crate::plan::Op::Exact => "exact",
                    crate::plan::Op::Qualitative => "qualitative",
                },
                &num(i.target.value),
                &v.year.to_string(),
                &num(v.value),
                &v.reporting.to_string(),
                v.status.key(),
                &csv_text(v.source.as_ref().map_or("", |s| s.text.zh.as_str())),
                &csv_text(v.source.as_ref().map_or("", |s| s.text.en.as_str())),
                data_status,
                "",
                "",
                "",
                v.flag.map_or("", crate::content::progress::Flag::key),
                &csv_text(v.note.as_ref().map_or("", |n| n.zh.as_str())),
                &csv_text(v.note.as_ref().map_or("", |n| n.en.as_str())),
            ])?;
        }
        // Then one row per breakdown value, as Open SDG's tidy data has them.
        for dim in &i.breakdowns {
            for c in &dim.categories {
                for cv in c.values.iter().filter(|cv| cv.value.is_some()) {
                    let v = i.values.iter().find(|v| v.year == cv.year);
                    let data_status = data_status(cv.year);
                    let source = v.and_then(|v| v.source.as_ref());
                    w.write_record([
                        i.id.as_str(),
                        name_zh,
                        name_en,
                        unit_zh,
                        unit_en,
                        "",
                        "",
                        &target_year,
                        "",
                        "",
                        &cv.year.to_string(),
                        &num(cv.value),
                        "reported",
                        "",
                        &csv_text(source.map_or("", |s| s.text.zh.as_str())),
                        &csv_text(source.map_or("", |s| s.text.en.as_str())),
                        data_status,
                        &dim.id,
                        &csv_text(&c.name.zh),
                        &csv_text(&c.name.en),
                        "",
                        "",
                        "",
                    ])?;
                }
            }
        }
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_other_text_is_not() {
        for cell in ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"] {
            assert_eq!(csv_text(cell), format!("'{cell}"));
        }
        for cell in ["近视率", "Myopia rate", "", "1=1"] {
            assert_eq!(csv_text(cell), cell);
        }
    }
}
