//! The pages of a render: for each view of `routes::View`, its output path,
//! its template and its context. One method per view; the names every page
//! shares (`p`, `site`, `alternate`, …) are made in one place.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use minijinja::{Value, context};
use serde::Serialize;

use super::environment::method_numbers;
use super::page_context::{Common, PageContext, PageEnv};
use super::schedule::{Context, Job};
use super::{Options, Theme, chart, feeds, markdown, site_value, val};
use crate::i18n::LANGS;
use crate::model::indicator::RowOrigin;
use crate::model::{IndicatorView, ParaView, Site};
use crate::routes::View;

#[derive(Serialize)]
struct Alternate {
    hreflang: &'static str,
    /// For the visible language switch (relative).
    href: String,
    /// For `<link rel="alternate">`: absolute when the site has a base URL.
    link: String,
    self_link: String,
}

/// What every page of one render is made from.
pub(super) struct Views<'a> {
    site: &'a Arc<Site>,
    theme: &'a Theme,
    options: &'a Options,
    values: site_value::Values,
    /// Interface strings per language, as template values.
    strings: BTreeMap<&'static str, Value>,
    css_path: &'a str,
    js_path: &'a str,
    /// The stylesheet itself, inlined in `404.html`, which is served at any depth.
    css: &'a str,
    /// `index.html` in portable builds, else empty.
    ix: &'static str,
    snapshot: Value,
    /// The plan section that holds the table of targets (its id).
    table_section: String,
    /// Each indicator's chart per language, drawn once for its page and its
    /// `chart.svg`, by whichever is rendered first.
    charts: Vec<[OnceLock<String>; 2]>,
}

impl<'a> Views<'a> {
    pub fn new(
        site: &'a Arc<Site>,
        theme: &'a Theme,
        options: &'a Options,
        css_path: &'a str,
        js_path: &'a str,
        css: &'a str,
    ) -> Self {
        let first_row = site.indicators.first().map_or(0, |i| i.plan_lines[0]);
        let table_section = site
            .plan
            .iter()
            .flat_map(|p| &p.children)
            .find(|s| s.lines[0] <= first_row && s.lines[1] >= first_row)
            .map(|s| s.id.clone())
            .unwrap_or_default();
        Views {
            site,
            theme,
            options,
            values: site_value::Values::new(Arc::clone(site)),
            strings: LANGS
                .iter()
                .map(|l| (*l, site_value::string_table(theme.strings.table(l))))
                .collect(),
            css_path,
            js_path,
            css,
            ix: if options.portable { "index.html" } else { "" },
            snapshot: options.snapshot.as_ref().map_or(Value::from(()), val),
            table_section,
            charts: site.indicators.iter().map(|_| Default::default()).collect(),
        }
    }

    /// Indicator `index`'s chart in `lang`.
    pub fn chart(&self, index: usize, lang: &'static str) -> &str {
        let ind = &self.site.indicators[index];
        self.charts[index][usize::from(lang == "en")]
            .get_or_init(|| chart::chart(ind, lang, &self.theme.strings))
    }

    /// Every page of the site, in both languages.
    pub fn jobs(&'a self, paragraphs: &'a [&'a ParaView]) -> Vec<Job<'a>> {
        let site = self.site;
        let mut jobs = Vec::new();
        for lang in LANGS {
            jobs.push(self.dashboard(lang));
            jobs.push(self.simple(lang, View::Areas, "nav_areas", "nav_areas", "areas.html"));
            jobs.extend((0..site.areas.len()).map(|i| self.area(lang, i)));
            jobs.push(self.simple(
                lang,
                View::Indicators,
                "nav_indicators",
                "nav_indicators",
                "indicators.html",
            ));
            jobs.extend((0..site.indicators.len()).map(|i| self.indicator(lang, i, paragraphs)));
            jobs.push(self.simple(
                lang,
                View::Reporting,
                "reporting_title",
                "nav_indicators",
                "reporting.html",
            ));
            jobs.push(self.simple(
                lang,
                View::Changelog,
                "changelog_title",
                "nav_changelog",
                "changelog.html",
            ));
            jobs.push(self.plan(lang));
            jobs.extend(self.about_and_pages(lang));
            jobs.push(self.methodology(lang));
            jobs.push(self.simple(
                lang,
                View::Search,
                "search_title",
                "nav_search",
                "search.html",
            ));
        }
        jobs.push(self.landing());
        jobs.push(self.not_found());
        jobs
    }

    fn s(&self, lang: &str, key: &str) -> String {
        self.theme.strings.get(lang, key).to_string()
    }

    /// Where "Snapshots" leads: the archive index above a snapshot, or the site's archive/.
    fn archive_href(&self, root: &str) -> String {
        match (&self.options.snapshot, self.options.archive_link) {
            (Some(_), _) => format!("{root}../index.html"),
            (None, true) => format!("{root}archive/{}", self.ix),
            (None, false) => String::new(),
        }
    }

    fn env_for(&self, lang: &'static str, path: &str) -> PageEnv {
        let root = depth_root(path);
        PageEnv::new(
            lang,
            self.strings[lang].clone(),
            self.archive_href(&root),
            root,
            self.ix,
        )
    }

    /// The live site's base URL: also in snapshots, whose pages point to the live page.
    fn live_base(&self) -> &str {
        self.options
            .snapshot
            .as_ref()
            .map_or(self.site.base_url.as_str(), |s| s.live_base_url.as_str())
    }

    /// The page's canonical address: the live page, on the live site and in snapshots.
    fn canonical(&self, path: &str) -> Value {
        let base = self.live_base();
        if base.is_empty() {
            Value::from(())
        } else {
            Value::from(feeds::absolute(base, &link_target(path, false)))
        }
    }

    /// A link to `path`: absolute on a site with a base URL, else relative
    /// from `root`.
    fn link(&self, root: &str, path: &str) -> String {
        let portable = self.options.portable;
        if self.site.base_url.is_empty() || portable {
            format!("{root}{}", link_target(path, portable))
        } else {
            feeds::absolute(&self.site.base_url, &link_target(path, false))
        }
    }

    fn alternate(&self, lang: &'static str, path: &str) -> Alternate {
        let other_lang = if lang == "zh" { "en" } else { "zh" };
        let rest = path.split_once('/').map_or("", |(_, r)| r);
        let other_path = format!("{other_lang}/{rest}");
        let root = depth_root(path);
        Alternate {
            hreflang: if other_lang == "zh" { "zh-Hans" } else { "en" },
            href: format!("{root}{}", link_target(&other_path, self.options.portable)),
            link: self.link(&root, &other_path),
            self_link: self.link(&root, path),
        }
    }

    fn common(
        &self,
        lang: &'static str,
        title: String,
        section: &str,
        env: PageEnv,
        alternate: Option<Alternate>,
        path: &str,
    ) -> Common {
        Common {
            canonical: self.canonical(path),
            snapshot: self.snapshot.clone(),
            site: self.values.site.clone(),
            p: Value::from_object(env),
            title: Value::from(title),
            section: Value::from(section),
            css_path: Value::from(self.css_path),
            js_path: Value::from(self.js_path),
            alternate: alternate.map_or(Value::from(()), val),
            feed_path: Value::from(crate::routes::feed(lang)),
            search_index: Value::from(format!("search/{lang}/index.js")),
        }
    }

    /// A page's context: the common names and its own.
    fn page(
        &self,
        lang: &'static str,
        path: &str,
        title: String,
        section: &str,
        own: Vec<(&'static str, Value)>,
    ) -> Value {
        let common = self.common(
            lang,
            title,
            section,
            self.env_for(lang, path),
            Some(self.alternate(lang, path)),
            path,
        );
        PageContext::value(common, own)
    }

    /// A page whose context is the common names only, titled by an interface string.
    fn simple(
        &self,
        lang: &'static str,
        view: View,
        title_key: &str,
        section: &str,
        template: &'static str,
    ) -> Job<'a> {
        let path = view.file(lang);
        Job {
            ctx: self
                .page(lang, &path, self.s(lang, title_key), section, Vec::new())
                .into(),
            template,
            path,
        }
    }

    fn dashboard(&self, lang: &'static str) -> Job<'a> {
        let summary_html = self
            .site
            .latest
            .as_ref()
            .and_then(|l| l.summary.as_ref())
            .map(|t| markdown::to_safe_html(t.get(lang)))
            .unwrap_or_default();
        let path = View::Dashboard.file(lang);
        Job {
            ctx: self
                .page(
                    lang,
                    &path,
                    self.s(lang, "dashboard_title"),
                    "nav_home",
                    vec![("summary_html", Value::from(summary_html))],
                )
                .into(),
            template: "dashboard.html",
            path,
        }
    }

    /// An area page; its context is made on the rendering thread.
    fn area(&'a self, lang: &'static str, index: usize) -> Job<'a> {
        let area = &self.site.areas[index];
        let path = View::Area(&area.slug).file(lang);
        let page_path = path.clone();
        Job {
            ctx: Context::Deferred(Box::new(move || {
                self.page(
                    lang,
                    &page_path,
                    area.node.title.get(lang).to_string(),
                    "nav_areas",
                    vec![("area", self.values.area(index))],
                )
            })),
            template: "area.html",
            path,
        }
    }

    /// An indicator page; its chart and context are made on the rendering thread.
    fn indicator(
        &'a self,
        lang: &'static str,
        index: usize,
        paragraphs: &'a [&'a ParaView],
    ) -> Job<'a> {
        let ind = &self.site.indicators[index];
        let path = View::Indicator(&ind.id).file(lang);
        let page_path = path.clone();
        Job {
            ctx: Context::Deferred(Box::new(move || {
                let chart = self.chart(index, lang);
                let breakdown_charts: Vec<String> = ind
                    .breakdowns
                    .iter()
                    .map(|dim| chart::breakdown_chart(ind, dim, lang, &self.theme.strings))
                    .collect();
                let plan_anchor = if ind.origin == RowOrigin::Table {
                    format!("n-{}", self.table_section)
                } else {
                    prose_anchor(paragraphs, ind)
                };
                self.page(
                    lang,
                    &page_path,
                    ind.name.get(lang).to_string(),
                    "nav_indicators",
                    vec![
                        ("ind", self.values.indicator(index)),
                        ("chart", Value::from(chart)),
                        ("breakdown_charts", Value::from(breakdown_charts)),
                        ("plan_anchor", Value::from(plan_anchor)),
                    ],
                )
            })),
            template: "indicator.html",
            path,
        }
    }

    fn plan(&self, lang: &'static str) -> Job<'a> {
        let path = View::Plan.file(lang);
        Job {
            ctx: self
                .page(
                    lang,
                    &path,
                    self.s(lang, "plan_title"),
                    "nav_plan",
                    vec![("table_section", Value::from(self.table_section.as_str()))],
                )
                .into(),
            template: "plan.html",
            path,
        }
    }

    /// The about page (the generated one, with `content/pages/about.*.md`)
    /// and every other free page.
    fn about_and_pages(&self, lang: &'static str) -> Vec<Job<'a>> {
        let pages = &self.site.pages;
        let about = pages.iter().find(|p| p.slug == "about");
        let others: Vec<&crate::model::PageView> =
            pages.iter().filter(|p| p.slug != "about").collect();
        let path = View::About.file(lang);
        let mut jobs = vec![Job {
            ctx: self
                .page(
                    lang,
                    &path,
                    self.s(lang, "about_title"),
                    "nav_about",
                    vec![("page", val(about)), ("other_pages", val(&others))],
                )
                .into(),
            template: "about.html",
            path,
        }];
        for other in others {
            let path = View::Page(&other.slug).file(lang);
            jobs.push(Job {
                ctx: self
                    .page(
                        lang,
                        &path,
                        other.title.get(lang).to_string(),
                        "",
                        vec![("page", val(other))],
                    )
                    .into(),
                template: "page.html",
                path,
            });
        }
        jobs
    }

    fn methodology(&self, lang: &'static str) -> Job<'a> {
        let path = View::Methodology.file(lang);
        Job {
            ctx: self
                .page(
                    lang,
                    &path,
                    self.s(lang, "methodology_title"),
                    "nav_about",
                    vec![("method", method_numbers())],
                )
                .into(),
            template: "methodology.html",
            path,
        }
    }

    /// The root `index.html`: a bilingual landing page that leads to either edition.
    fn landing(&self) -> Job<'a> {
        let strings_both =
            context! { zh => self.strings["zh"].clone(), en => self.strings["en"].clone() };
        let landing_link = |lang: &str| self.link("", &View::Dashboard.file(lang));
        let path = "index.html";
        Job {
            ctx: context! {
                site => self.values.site.clone(),
                p => Value::from_object(self.env_for("zh", path)),
                css_path => self.css_path,
                strings => strings_both,
                canonical => self.canonical(path),
                snapshot => self.snapshot.clone(),
                links => context! { zh_abs => landing_link("zh"), en_abs => landing_link("en") },
            }
            .into(),
            template: "landing.html",
            path: path.into(),
        }
    }

    /// `404.html` is served from any depth: it links from the site's base
    /// path when it has one.
    fn not_found(&self) -> Job<'a> {
        let site = self.site;
        let root = if site.base_url.is_empty() || self.options.portable {
            String::new()
        } else {
            format!("{}/", site.base_url.trim_end_matches('/'))
        };
        let env = PageEnv::new(
            "zh",
            self.strings["zh"].clone(),
            self.archive_href(&root),
            root,
            self.ix,
        );
        Job {
            ctx: PageContext::value(
                self.common(
                    "zh",
                    self.s("zh", "not_found_title"),
                    "",
                    env,
                    None,
                    "404.html",
                ),
                vec![
                    ("strings_en", self.strings["en"].clone()),
                    ("inline_css", Value::from_safe_string(self.css.to_string())),
                ],
            )
            .into(),
            template: "404.html",
            path: "404.html".into(),
        }
    }
}

/// `../` repeated up to the site root from `path`.
pub(super) fn depth_root(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// `zh/areas/x/index.html` → `zh/areas/x/` (or the file itself when portable).
pub(super) fn link_target(path: &str, portable: bool) -> String {
    if portable {
        path.to_string()
    } else {
        path.strip_suffix("index.html").unwrap_or(path).to_string()
    }
}

/// The first plan paragraph that holds an indicator's quoted words.
fn prose_anchor(paragraphs: &[&ParaView], ind: &IndicatorView) -> String {
    paragraphs
        .iter()
        .find(|p| p.zh.contains(&ind.plan_words))
        .map(|p| format!("p-{}", p.id))
        .unwrap_or_default()
}
