//! Rendering: the site model in, `path → bytes` out. Pure: no file system,
//! no clock. The same function serves `build` (written to disk) and `serve`
//! (kept in memory).

pub mod chart;
mod environment;
mod escape;
pub mod feeds;
mod fields;
pub mod markdown;
mod page_context;
pub mod plan_json;
mod schedule;
pub mod search;
mod sink;
pub mod site_value;
pub mod theme;

use std::collections::BTreeMap;
use std::sync::Arc;

use minijinja::{Value, context};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::i18n::LANGS;
use crate::model::Site;
pub use environment::environment;
use environment::method_numbers;
pub use escape::escape_html;
use page_context::{Common, PageContext, PageEnv};
pub use schedule::render_bounded;
use schedule::{Context, FileMaker, Job, render_job};
pub use sink::{Memory, PathsOnly, Sink, WriteFn};
pub use theme::Theme;

/// The rendered site: relative path → file contents.
pub type Files = BTreeMap<String, Vec<u8>>;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Links end in `index.html`, so pages work when opened from disk.
    pub portable: bool,
    /// Inserted before `</body>` of every HTML page (the live-reload hook of `serve`).
    pub inject: Option<String>,
    /// Whether pages link to `archive/` (the site has snapshots).
    pub archive_link: bool,
    /// Set when rendering an archived snapshot (`plansite archive`).
    pub snapshot: Option<SnapshotOptions>,
}

/// What a snapshot says about itself, and where the live site is.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SnapshotOptions {
    /// Its folder under `archive/`: `2023`, `2023-r2`.
    pub name: String,
    pub year: i32,
    pub revision: u32,
    /// Why this revision replaced the one before (revisions 2 and later).
    pub reason: Option<String>,
    /// The live site's base URL (canonical links, feed ids); may be empty.
    pub live_base_url: String,
}

#[derive(Debug)]
pub struct RenderError(pub String);

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a render reports besides the files it handed to the sink.
pub struct Summary {
    pub pages: usize,
    pub search_index_bytes: BTreeMap<String, usize>,
}

#[derive(Serialize)]
struct Alternate {
    hreflang: &'static str,
    /// For the visible language switch (relative).
    href: String,
    /// For `<link rel="alternate">`: absolute when the site has a base URL.
    link: String,
    self_link: String,
}

/// Any serialisable value as a template value.
pub fn val<T: Serialize>(value: T) -> Value {
    Value::from(minijinja::value::Serde(value))
}

fn hash8(bytes: &[u8]) -> String {
    crate::hex::hex(&Sha256::digest(bytes)[..4])
}

pub fn minify(css: &str) -> Result<String, RenderError> {
    use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};
    let mut sheet = StyleSheet::parse(css, ParserOptions::default())
        .map_err(|e| RenderError(format!("site.css: {e}")))?;
    sheet
        .minify(MinifyOptions::default())
        .map_err(|e| RenderError(format!("site.css: {e}")))?;
    let out = sheet
        .to_css(PrinterOptions {
            minify: true,
            ..PrinterOptions::default()
        })
        .map_err(|e| RenderError(format!("site.css: {e}")))?;
    Ok(out.code)
}

fn depth_root(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// `zh/areas/x/index.html` → `zh/areas/x/` (or the file itself when portable).
fn link_target(path: &str, portable: bool) -> String {
    if portable {
        path.to_string()
    } else {
        path.strip_suffix("index.html").unwrap_or(path).to_string()
    }
}

pub fn render(
    site: &Arc<Site>,
    theme: &Theme,
    options: &Options,
    sink: &dyn Sink,
) -> Result<Summary, RenderError> {
    let env = environment(theme)?;
    // A site's own templates are bounded in output and memory, as in steps.
    let bounded = !theme.has_default_templates();
    let css = minify(&theme.css)?;
    let css_path = format!("assets/site.{}.css", hash8(css.as_bytes()));
    let js_path = format!("assets/search.{}.js", hash8(theme.js.as_bytes()));
    let ix = if options.portable { "index.html" } else { "" };
    let values = site_value::Values::new(Arc::clone(site));
    let site_value = values.site.clone();
    let strings_value: BTreeMap<&str, Value> = LANGS
        .iter()
        .map(|l| (*l, site_value::string_table(theme.strings.table(l))))
        .collect();

    // Where "Snapshots" leads: the archive index above a snapshot, or the site's archive/.
    let archive_href = |root: &str| match (&options.snapshot, options.archive_link) {
        (Some(_), _) => format!("{root}../index.html"),
        (None, true) => format!("{root}archive/{ix}"),
        (None, false) => String::new(),
    };
    let env_for = |lang: &'static str, path: &str| {
        let root = depth_root(path);
        PageEnv::new(
            lang,
            strings_value[lang].clone(),
            archive_href(&root),
            root,
            ix,
        )
    };
    // The page's canonical address: the live page, on the live site and in snapshots.
    let live_base = options
        .snapshot
        .as_ref()
        .map_or(site.base_url.as_str(), |s| s.live_base_url.as_str());
    let canonical = |path: &str| -> Value {
        if live_base.is_empty() {
            Value::from(())
        } else {
            Value::from(feeds::absolute(live_base, &link_target(path, false)))
        }
    };
    let snapshot_value = options.snapshot.as_ref().map_or(Value::from(()), val);
    let other = |lang: &str| if lang == "zh" { "en" } else { "zh" };
    let alternate = |lang: &'static str, path: &str| -> Alternate {
        let other_lang = other(lang);
        let rest = path.split_once('/').map_or("", |(_, r)| r);
        let other_path = format!("{other_lang}/{rest}");
        let root = depth_root(path);
        Alternate {
            hreflang: if other_lang == "zh" { "zh-Hans" } else { "en" },
            href: format!("{root}{}", link_target(&other_path, options.portable)),
            link: if site.base_url.is_empty() || options.portable {
                format!("{root}{}", link_target(&other_path, options.portable))
            } else {
                feeds::absolute(&site.base_url, &link_target(&other_path, false))
            },
            self_link: if site.base_url.is_empty() || options.portable {
                format!("{root}{}", link_target(path, options.portable))
            } else {
                feeds::absolute(&site.base_url, &link_target(path, false))
            },
        }
    };
    let common_with = |lang: &'static str,
                       title: String,
                       section: &str,
                       env: PageEnv,
                       alt: Option<Alternate>,
                       path: &str| {
        Common {
            canonical: canonical(path),
            snapshot: snapshot_value.clone(),
            site: site_value.clone(),
            p: Value::from_object(env),
            title: Value::from(title),
            section: Value::from(section),
            css_path: Value::from(css_path.as_str()),
            js_path: Value::from(js_path.as_str()),
            alternate: alt.map_or(Value::from(()), val),
            feed_path: Value::from(format!("{lang}/changelog/atom.xml")),
            search_index: Value::from(format!("search/{lang}.js")),
        }
    };
    // A page: the common names and its own.
    let page = |lang: &'static str,
                path: &str,
                title: String,
                section: &str,
                own: Vec<(&'static str, Value)>| {
        let common = common_with(
            lang,
            title,
            section,
            env_for(lang, path),
            Some(alternate(lang, path)),
            path,
        );
        PageContext::value(common, own)
    };
    let s = |lang: &str, key: &str| theme.strings.get(lang, key).to_string();

    // The table of targets, shown inside the section that holds it on the plan page.
    let mut nodes = Vec::new();
    crate::model::walk(&site.plan, &mut nodes);
    let paragraphs: Vec<&crate::model::ParaView> =
        nodes.iter().flat_map(|n| &n.paragraphs).collect();
    let table_section = site
        .plan
        .iter()
        .flat_map(|p| &p.children)
        .find(|s| {
            s.lines[0] <= site.indicators.first().map_or(0, |i| i.plan_lines[0])
                && s.lines[1] >= site.indicators.first().map_or(0, |i| i.plan_lines[0])
        })
        .map(|s| s.id.clone())
        .unwrap_or_default();

    let mut jobs: Vec<Job> = Vec::new();
    for lang in LANGS {
        let summary_html = site
            .latest
            .as_ref()
            .and_then(|l| l.summary.as_ref())
            .map(|t| markdown::to_safe_html(t.get(lang)))
            .unwrap_or_default();
        let path = format!("{lang}/index.html");
        jobs.push(Job {
            ctx: page(
                lang,
                &path,
                s(lang, "dashboard_title"),
                "nav_home",
                vec![("summary_html", Value::from(summary_html))],
            )
            .into(),
            template: "dashboard.html",
            path,
        });
        let path = format!("{lang}/areas/index.html");
        jobs.push(Job {
            ctx: page(lang, &path, s(lang, "nav_areas"), "nav_areas", Vec::new()).into(),
            template: "areas.html",
            path,
        });
        for (index, area) in site.areas.iter().enumerate() {
            let path = format!("{lang}/areas/{}/index.html", area.slug);
            let values = &values;
            let page_path = path.clone();
            jobs.push(Job {
                ctx: Context::Deferred(Box::new(move || {
                    let title = area.node.title.get(lang).to_string();
                    page(
                        lang,
                        &page_path,
                        title,
                        "nav_areas",
                        vec![("area", values.area(index))],
                    )
                })),
                template: "area.html",
                path,
            });
        }
        let path = format!("{lang}/indicators/index.html");
        jobs.push(Job {
            ctx: page(
                lang,
                &path,
                s(lang, "nav_indicators"),
                "nav_indicators",
                Vec::new(),
            )
            .into(),
            template: "indicators.html",
            path,
        });
        for (index, ind) in site.indicators.iter().enumerate() {
            let path = format!("{lang}/indicators/{}/index.html", ind.id);
            let values = &values;
            let page_path = path.clone();
            let table_section = &table_section;
            let paragraphs = &paragraphs;
            jobs.push(Job {
                ctx: Context::Deferred(Box::new(move || {
                    let chart = chart::chart(ind, lang, &theme.strings);
                    let plan_anchor = if ind.origin == crate::model::indicator::RowOrigin::Table {
                        format!("n-{table_section}")
                    } else {
                        prose_anchor(paragraphs, ind)
                    };
                    page(
                        lang,
                        &page_path,
                        ind.name.get(lang).to_string(),
                        "nav_indicators",
                        vec![
                            ("ind", values.indicator(index)),
                            ("chart", Value::from(chart)),
                            ("plan_anchor", Value::from(plan_anchor)),
                        ],
                    )
                })),
                template: "indicator.html",
                path,
            });
        }
        let path = format!("{lang}/changelog/index.html");
        jobs.push(Job {
            ctx: page(
                lang,
                &path,
                s(lang, "changelog_title"),
                "nav_changelog",
                Vec::new(),
            )
            .into(),
            template: "changelog.html",
            path,
        });
        let path = format!("{lang}/plan/index.html");
        jobs.push(Job {
            ctx: page(
                lang,
                &path,
                s(lang, "plan_title"),
                "nav_plan",
                vec![("table_section", Value::from(table_section.as_str()))],
            )
            .into(),
            template: "plan.html",
            path,
        });
        let about = site.pages.iter().find(|p| p.slug == "about");
        let others: Vec<&crate::model::PageView> =
            site.pages.iter().filter(|p| p.slug != "about").collect();
        let path = format!("{lang}/about/index.html");
        jobs.push(Job {
            ctx: page(
                lang,
                &path,
                s(lang, "about_title"),
                "nav_about",
                vec![("page", val(about)), ("other_pages", val(&others))],
            )
            .into(),
            template: "about.html",
            path,
        });
        for other in others {
            let path = format!("{lang}/{}/index.html", other.slug);
            jobs.push(Job {
                ctx: page(
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
        let path = format!("{lang}/methodology/index.html");
        jobs.push(Job {
            ctx: page(
                lang,
                &path,
                s(lang, "methodology_title"),
                "nav_about",
                vec![("method", method_numbers())],
            )
            .into(),
            template: "methodology.html",
            path,
        });
        let path = format!("{lang}/search/index.html");
        jobs.push(Job {
            ctx: page(
                lang,
                &path,
                s(lang, "search_title"),
                "nav_search",
                Vec::new(),
            )
            .into(),
            template: "search.html",
            path,
        });
    }
    let strings_both =
        context! { zh => strings_value["zh"].clone(), en => strings_value["en"].clone() };
    let feed = feeds::FeedBase::new(site, options);
    let landing_link = |lang: &str| {
        let page = format!("{lang}/index.html");
        if site.base_url.is_empty() || options.portable {
            link_target(&page, options.portable)
        } else {
            feeds::absolute(&site.base_url, &link_target(&page, false))
        }
    };
    let landing_env = |path: &str| Value::from_object(env_for("zh", path));
    jobs.push(Job {
        ctx: context! {
            site => site_value.clone(), p => landing_env("index.html"), css_path => css_path.clone(), strings => strings_both.clone(),
            canonical => canonical("index.html"), snapshot => snapshot_value.clone(),
            links => context! { zh_abs => landing_link("zh"), en_abs => landing_link("en") },
        }
        .into(),
        template: "landing.html",
        path: "index.html".into(),
    });
    // 404 is served from any depth: link from the site's base path when it has one.
    let not_found_root = if site.base_url.is_empty() || options.portable {
        String::new()
    } else {
        format!("{}/", site.base_url.trim_end_matches('/'))
    };
    let not_found_env = PageEnv::new(
        "zh",
        strings_value["zh"].clone(),
        archive_href(&not_found_root),
        not_found_root,
        ix,
    );
    jobs.push(Job {
        ctx: PageContext::value(
            common_with(
                "zh",
                s("zh", "not_found_title"),
                "",
                not_found_env,
                None,
                "404.html",
            ),
            vec![("strings_en", strings_value["en"].clone())],
        )
        .into(),
        template: "404.html",
        path: "404.html".into(),
    });

    // Everything else is made in parallel with the pages; the big files first,
    // so that no thread is left with one long job at the end.
    let mut html_paths: Vec<String> = jobs
        .iter()
        .filter(|j| j.path != "404.html" && !j.path.starts_with("archive/"))
        .map(|j| j.path.clone())
        .collect();
    let pages = html_paths.len() + 2;
    html_paths.sort();
    let mut files: Vec<(String, FileMaker)> = vec![
        (
            "data/indicators.json".into(),
            Box::new(|w| feeds::write_indicators_json(site, None, w)),
        ),
        (
            "data/indicators.csv".into(),
            Box::new(|w| feeds::write_indicators_csv(site, None, w)),
        ),
        (
            "zh/changelog/atom.xml".into(),
            Box::new(|w| w.write_all(feeds::atom(site, "zh", &theme.strings, &feed).as_bytes())),
        ),
        (
            "en/changelog/atom.xml".into(),
            Box::new(|w| w.write_all(feeds::atom(site, "en", &theme.strings, &feed).as_bytes())),
        ),
        (css_path.clone(), Box::new(|w| w.write_all(css.as_bytes()))),
        (
            js_path.clone(),
            Box::new(|w| w.write_all(theme.js.as_bytes())),
        ),
        (
            "favicon.svg".into(),
            Box::new(|w| w.write_all(theme.favicon.as_bytes())),
        ),
    ];
    // Each indicator's own data, as Open SDG offers it beside its chart.
    for ind in &site.indicators {
        let id = ind.id.as_str();
        files.push((
            format!("data/indicators/{id}.csv"),
            Box::new(move |w| feeds::write_indicators_csv(site, Some(id), w)),
        ));
        files.push((
            format!("data/indicators/{id}.json"),
            Box::new(move |w| feeds::write_indicators_json(site, Some(id), w)),
        ));
    }
    // A snapshot is not for search engines: no sitemap, no robots.txt (and
    // `noindex` on its pages). The live site lists its pages only at absolute
    // addresses, as the sitemaps protocol requires.
    if options.snapshot.is_none() {
        if !site.base_url.is_empty() {
            files.push((
                "sitemap.xml".into(),
                Box::new(|w| {
                    template_file(
                        &env,
                        "sitemap.xml",
                        feeds::sitemap_context(site, &html_paths),
                        w,
                    )
                }),
            ));
        }
        files.push((
            "robots.txt".into(),
            Box::new(|w| template_file(&env, "robots.txt", feeds::robots_context(site), w)),
        ));
    }
    let search_index_bytes = schedule::run(&env, jobs, files, site, options, sink, bounded)?;
    Ok(Summary {
        pages,
        search_index_bytes,
    })
}

/// A snapshot as the archive index lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveEntry {
    pub name: String,
    pub year: i32,
    pub revision: u32,
    pub reason: Option<String>,
    /// The revision that replaced this one, if any.
    pub superseded_by: Option<String>,
    pub built_at: String,
    pub generator: String,
    pub data_status: String,
    pub as_of: String,
    pub files: usize,
    pub wacz: bool,
    pub bag: bool,
}

/// `archive/index.html` with its own stylesheet and icon, rendered as the root
/// of the archive folder, which must stand alone when copied elsewhere.
pub fn archive_index(
    site: &Arc<Site>,
    theme: &Theme,
    entries: &[ArchiveEntry],
) -> Result<Files, RenderError> {
    let env = environment(theme)?;
    let css = minify(&theme.css)?;
    let css_path = format!("assets/site.{}.css", hash8(css.as_bytes()));
    let strings = |lang| site_value::string_table(theme.strings.table(lang));
    let ctx = context! {
        site => site_value::site_value(Arc::clone(site)),
        p => Value::from_object(PageEnv::new("zh", strings("zh"), String::new(), String::new(), "index.html")),
        css_path => css_path.clone(),
        strings => context! { zh => strings("zh"), en => strings("en") },
        snapshots => val(entries),
    };
    let job = Job {
        path: "index.html".into(),
        template: "archive.html",
        ctx: ctx.into(),
    };
    let mut page = Vec::new();
    render_job(&env, &job, &mut page, !theme.has_default_templates())?;
    Ok(Files::from([
        ("index.html".to_string(), page),
        (css_path, css.into_bytes()),
        (
            "favicon.svg".to_string(),
            theme.favicon.clone().into_bytes(),
        ),
    ]))
}

/// A file of the site made from a template of the theme (`sitemap.xml`,
/// `robots.txt`), so that a theme can change it.
fn template_file(
    env: &minijinja::Environment<'static>,
    name: &str,
    ctx: Value,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let text = env
        .get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|e| std::io::Error::other(format!("{name}: {e:#}")))?;
    out.write_all(text.as_bytes())
}

/// The first plan paragraph that holds an indicator's quoted words.
fn prose_anchor(
    paragraphs: &[&crate::model::ParaView],
    ind: &crate::model::IndicatorView,
) -> String {
    paragraphs
        .iter()
        .find(|p| p.zh.contains(&ind.plan_words))
        .map(|p| format!("p-{}", p.id))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_output_escapes_the_five_special_characters_and_nothing_else() {
        let theme = Theme::embedded();
        let mut env = environment(&theme).expect("environment");
        env.add_template("t.html", "{{ v }}|{{ safe }}|{{ n }}")
            .expect("template");
        let out = env
            .get_template("t.html")
            .and_then(|t| {
                t.render(minijinja::context! {
                    v => "<a href=\"../x/\">Tom's & 近视?</a>~",
                    safe => Value::from_safe_string("<b>".into()),
                    n => 3.5,
                })
            })
            .expect("renders");
        assert_eq!(
            out,
            "&lt;a href=&quot;../x/&quot;&gt;Tom&#39;s &amp; 近视?&lt;/a&gt;~|<b>|3.5"
        );
    }
}
