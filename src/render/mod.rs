//! Rendering: the site model in, `path → bytes` out. Pure: no file system,
//! no clock. The same function serves `build` (written to disk) and `serve`
//! (kept in memory).

pub mod chart;
mod escape;
pub mod feeds;
mod fields;
pub mod markdown;
mod page_context;
pub mod plan_json;
pub mod search;
pub mod site_value;
pub mod theme;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use minijinja::{Environment, Value, context};
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::content::progress::AreaStatus;
use crate::i18n::LANGS;
use crate::model::Site;
pub use escape::escape_html;
use escape::escape_into;
use page_context::{Common, PageContext, PageEnv};
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

/// Where rendered files go. `render` hands each file over as soon as it is
/// made, from whichever thread made it, so a build to disk never holds the
/// whole site in memory (`output::Staging`), and `serve` keeps it all (`Memory`).
pub trait Sink: Sync {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), String>;

    /// Hands over a file that `write` produces piece by piece, so that a big
    /// file (a search index, the whole plan) need not be whole in memory first.
    /// Returns the file's size.
    fn put_with(&self, path: &str, write: &mut WriteFn) -> Result<usize, String>;
}

/// What [`Sink::put_with`] calls to produce a file.
pub type WriteFn<'a> = dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()> + 'a;

/// The in-memory sink.
#[derive(Default)]
pub struct Memory(Mutex<Files>);

impl Memory {
    pub fn into_files(self) -> Files {
        self.0.into_inner().unwrap_or_else(PoisonError::into_inner)
    }

    /// Each path may be written once: two sources for one path is an error.
    fn insert(&self, path: &str, bytes: Vec<u8>) -> Result<(), String> {
        let mut files = self
            .0
            .lock()
            .map_err(|_| "a rendering thread failed".to_string())?;
        if files.contains_key(path) {
            return Err(format!(
                "two sources write `{path}`; each output path must have one"
            ));
        }
        files.insert(path.to_string(), bytes);
        Ok(())
    }
}

impl Sink for Memory {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), String> {
        self.insert(path, bytes.to_vec())
    }

    /// Keeps the file as made, without copying it.
    fn put_with(&self, path: &str, write: &mut WriteFn) -> Result<usize, String> {
        let mut bytes = Vec::new();
        write(&mut bytes).map_err(|e| format!("{path}: {e}"))?;
        let size = bytes.len();
        self.insert(path, bytes)?;
        Ok(size)
    }
}

/// A sink that keeps only the paths it was given: `check` renders every page
/// to find template errors without holding the site in memory.
#[derive(Default)]
pub struct PathsOnly(Mutex<std::collections::BTreeSet<String>>);

impl PathsOnly {
    fn insert(&self, path: &str) -> Result<(), String> {
        let mut paths = self
            .0
            .lock()
            .map_err(|_| "a rendering thread failed".to_string())?;
        if !paths.insert(path.to_string()) {
            return Err(format!(
                "two sources write `{path}`; each output path must have one"
            ));
        }
        Ok(())
    }
}

impl Sink for PathsOnly {
    fn put(&self, path: &str, _: &[u8]) -> Result<(), String> {
        self.insert(path)
    }

    fn put_with(&self, path: &str, write: &mut WriteFn) -> Result<usize, String> {
        let mut counter = Counter(0);
        write(&mut counter).map_err(|e| format!("{path}: {e}"))?;
        self.insert(path)?;
        Ok(counter.0)
    }
}

/// Counts the bytes written to it.
struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
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

struct Job<'a> {
    path: String,
    template: &'static str,
    ctx: Context<'a>,
}

/// A page's template context. The thousands of area and indicator pages make
/// theirs on the rendering thread, so that building them is parallel too.
enum Context<'a> {
    Ready(Value),
    Deferred(Box<dyn Fn() -> Value + Send + Sync + 'a>),
}

impl From<Value> for Context<'_> {
    fn from(value: Value) -> Self {
        Context::Ready(value)
    }
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

/// The template environment of a theme: every template loaded, HTML escaping
/// for `.html`, the badge symbols as globals, and a fuel limit for a site's
/// own templates.
pub fn environment(theme: &Theme) -> Result<Environment<'static>, RenderError> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    // A name or field a template reads that the context lacks is an error, not
    // an empty string: a theme that misspells a field fails its build.
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    // HTML-escape `& < > " '` only: minijinja's default also escapes `/`, which
    // bloats every relative link (`..&#x2f;..&#x2f;`) for no safety gain.
    env.set_formatter(|out, state, value| {
        if *state.auto_escape() == minijinja::AutoEscape::Html
            && !value.is_safe()
            && !value.is_undefined()
            && !value.is_none()
        {
            let owned;
            let text = match value.as_str() {
                Some(s) => s,
                None => {
                    owned = value.to_string();
                    &owned
                }
            };
            return escape_into(text, true, |part| {
                out.write_str(part).map_err(minijinja::Error::from)
            });
        }
        minijinja::escape_formatter(out, state, value)
    });
    // Fuel bounds the work a template may do, so that a runaway loop in a
    // site's own template is an error, not a hang. The embedded templates'
    // work is linear in the content, and counting fuel is ~4 % of a build's
    // instructions, so it is counted only for templates a site brings.
    if !theme.has_default_templates() {
        env.set_fuel(Some(TEMPLATE_FUEL));
    }
    // Symbols of the status badges (language-neutral; the words are in the i18n strings).
    env.add_global("status_icons", val(BTreeMap::from(status_icons())));
    env.add_global(
        "area_icons",
        val(BTreeMap::from(AreaStatus::ALL.map(|s| (s.key(), s.icon())))),
    );
    // The main navigation: interface-string key and path under the language folder.
    env.add_global(
        "nav",
        val([
            ("nav_home", ""),
            ("nav_areas", "areas/"),
            ("nav_indicators", "indicators/"),
            ("nav_changelog", "changelog/"),
            ("nav_plan", "plan/"),
            ("nav_about", "about/"),
            ("nav_search", "search/"),
        ]),
    );
    for (name, source) in &theme.templates {
        env.add_template_owned(name.clone(), source.clone())
            .map_err(|e| RenderError(format!("template {name}: {e}")))?;
    }
    // The badge macros rendered once per language and key (see macros.html):
    // a 10,000-page site shows ~80,000 badges of ~30 kinds.
    let status_keys = status_icons().map(|(key, _)| Some(key));
    let area_keys = AreaStatus::ALL.map(|s| Some(s.key()));
    let mut status_badges = BTreeMap::new();
    let mut area_badges = BTreeMap::new();
    for lang in LANGS {
        let p = context! { lang => lang, s => site_value::string_table(theme.strings.table(lang)) };
        status_badges.insert(lang, badges(&env, "status_badge", &p, &status_keys)?);
        area_badges.insert(
            lang,
            badges(
                &env,
                "area_badge",
                &p,
                &[area_keys.as_slice(), &[None]].concat(),
            )?,
        );
    }
    env.add_global("status_badges", Value::from(status_badges));
    env.add_global("area_badges", Value::from(area_badges));
    Ok(env)
}

/// The fuel of one page rendered with a site's own templates. With fuel
/// counted, the default templates render every page of a 10,000-page site
/// within it, the plan page included.
const TEMPLATE_FUEL: u64 = 50_000_000;

/// The method's numbers, for the methodology page (`method`).
fn method_numbers() -> Value {
    use crate::status as st;
    context! {
        on_track => st::ON_TRACK,
        acceleration => st::ACCELERATION,
        no_target_on_track => st::NO_TARGET_ON_TRACK * 100.0,
        no_target_acceleration => st::NO_TARGET_ACCELERATION * 100.0,
        exponent => st::SCALE_EXPONENT,
        zero => st::ZERO_REPLACEMENT,
    }
}

/// Each progress status's key and symbol.
fn status_icons() -> [(&'static str, &'static str); 7] {
    crate::status::Progress::ALL.map(|p| (p.key(), p.icon()))
}

/// `key → HTML` of one badge macro of `macros.html` (`None` is stored as `"none"`).
fn badges(
    env: &Environment<'static>,
    name: &str,
    p: &Value,
    keys: &[Option<&str>],
) -> Result<BTreeMap<String, Value>, RenderError> {
    let source = format!("{{% import \"macros.html\" as m %}}{{{{ m.{name}(key, p) }}}}");
    let template = env
        .template_from_str(&source)
        .map_err(|e| RenderError(format!("macros.html {name}: {e}")))?;
    keys.iter()
        .map(|key| {
            let html = template
                .render(context! { key => key, p => p.clone() })
                .map_err(|e| RenderError(format!("macros.html {name}: {e:#}")))?;
            Ok((
                key.unwrap_or("none").to_string(),
                Value::from_safe_string(html),
            ))
        })
        .collect()
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
                vec![
                    (
                        "table_html",
                        Value::from(table_html(site, lang, &theme.strings)),
                    ),
                    ("table_section", Value::from(table_section.as_str())),
                ],
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
            Box::new(|w| feeds::write_indicators_json(site, w)),
        ),
        (
            "data/indicators.csv".into(),
            Box::new(|w| feeds::write_indicators_csv(site, w)),
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
    // A snapshot is not for search engines: no sitemap, no robots.txt (and
    // `noindex` on its pages). The live site lists its pages only at absolute
    // addresses, as the sitemaps protocol requires.
    if options.snapshot.is_none() {
        if !site.base_url.is_empty() {
            files.push((
                "sitemap.xml".into(),
                Box::new(|w| w.write_all(feeds::sitemap(site, &html_paths).as_bytes())),
            ));
        }
        files.push((
            "robots.txt".into(),
            Box::new(|w| w.write_all(feeds::robots(site).as_bytes())),
        ));
    }
    // Pages holding the whole plan or every indicator take longest.
    jobs.sort_by_key(|j| !is_big(j.template));
    let mut work: Vec<Work> = LANGS.iter().map(|lang| Work::Search(lang)).collect();
    work.extend(files.into_iter().map(|(path, make)| Work::File(path, make)));
    work.extend(jobs.into_iter().map(Work::Page));
    let search_index_bytes = Mutex::new(BTreeMap::new());
    // Each thread renders into one buffer that it keeps for a run of pages:
    // pages are written out from it, so no page is allocated (or regrown) on
    // its own. The big files (megabytes each at 10,000 pages) are written as
    // they are made instead. Runs are short (`with_max_len`): rayon cannot
    // split a run once a thread has started it, and with long runs one thread
    // was left rendering alone for the last ~0.15 s of a 10,000-page build.
    work.par_iter().with_max_len(WORK_RUN).try_for_each_init(
        || Vec::with_capacity(PAGE_BUFFER),
        |buf: &mut Vec<u8>, w| match w {
            Work::Page(job) if is_big(job.template) && options.inject.is_none() => {
                stream_page(&env, job, sink, bounded)
            }
            Work::Page(job) => {
                buf.clear();
                render_job(&env, job, &mut *buf, bounded)?;
                inject(options, buf);
                sink.put(&job.path, buf).map_err(RenderError)?;
                // After a big page start again small, rather than hold it to the end.
                if buf.capacity() > BIG_BUFFER {
                    *buf = Vec::with_capacity(PAGE_BUFFER);
                }
                Ok(())
            }
            Work::File(path, make) => sink
                .put_with(path, &mut |out| make(out))
                .map(drop)
                .map_err(RenderError),
            Work::Search(lang) => {
                let bytes = sink
                    .put_with(&format!("search/{lang}.js"), &mut |out| {
                        search::write_js(site, lang, out)
                    })
                    .map_err(RenderError)?;
                if let Ok(mut sizes) = search_index_bytes.lock() {
                    sizes.insert((*lang).to_string(), bytes);
                }
                Ok(())
            }
        },
    )?;
    Ok(Summary {
        pages,
        search_index_bytes: search_index_bytes
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner),
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

/// Pages that hold the whole plan or every indicator: they take longest, and
/// they are written out as they are rendered.
fn is_big(template: &str) -> bool {
    matches!(
        template,
        "plan.html" | "changelog.html" | "dashboard.html" | "indicators.html" | "areas.html"
    )
}

/// Work items a thread takes at a time (and keeps one buffer for).
const WORK_RUN: usize = 8;
/// A rendering thread's output buffer: most pages fit in it.
const PAGE_BUFFER: usize = 64 * 1024;
/// A buffer grown past this by one big file is not kept for the next.
const BIG_BUFFER: usize = 1024 * 1024;

type FileMaker<'a> = Box<dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()> + Send + Sync + 'a>;

/// One unit of rendering work.
enum Work<'a> {
    Page(Job<'a>),
    File(String, FileMaker<'a>),
    Search(&'static str),
}

fn render_job(
    env: &Environment<'static>,
    job: &Job,
    out: impl std::io::Write,
    bounded: bool,
) -> Result<(), RenderError> {
    let template = env
        .get_template(job.template)
        .map_err(|e| RenderError(format!("{}: {e}", job.template)))?;
    let ctx = match &job.ctx {
        Context::Ready(ctx) => ctx.clone(),
        Context::Deferred(make) => make(),
    };
    let failed = |e: minijinja::Error| {
        RenderError(format!(
            "rendering {} with {}: {e:#}",
            job.path, job.template
        ))
    };
    if !bounded {
        return template
            .render_captured_to(&ctx, out)
            .map(drop)
            .map_err(failed);
    }
    render_bounded(
        job.template,
        &job.path,
        |out| template.render_captured_to(&ctx, out).map(drop),
        out,
    )
}

/// The most one page rendered with a site's own templates may write.
pub const PAGE_OUTPUT_LIMIT: usize = 64 * 1024 * 1024;

/// Renders with a site's own template under the page limits: at most
/// [`PAGE_OUTPUT_LIMIT`] bytes of output and `memory::PAGE_BUDGET` of memory.
pub fn render_bounded(
    template: &'static str,
    path: &str,
    render: impl FnOnce(&mut dyn std::io::Write) -> Result<(), minijinja::Error>,
    out: impl std::io::Write,
) -> Result<(), RenderError> {
    let mut limited = Limited {
        inner: out,
        left: PAGE_OUTPUT_LIMIT,
        exceeded: false,
    };
    crate::memory::arm(template, crate::memory::PAGE_BUDGET);
    let result = render(&mut limited);
    crate::memory::disarm();
    if limited.exceeded {
        return Err(RenderError(format!(
            "rendering {path} with {template}: the page grew past {} MB, the most one page may have; look for a runaway loop in the template",
            PAGE_OUTPUT_LIMIT / (1024 * 1024)
        )));
    }
    result.map_err(|e| RenderError(format!("rendering {path} with {template}: {e:#}")))
}

/// A writer that takes at most `left` more bytes.
struct Limited<W> {
    inner: W,
    left: usize,
    exceeded: bool,
}

impl<W: std::io::Write> std::io::Write for Limited<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.len() > self.left {
            self.exceeded = true;
            return Err(std::io::Error::other("the page is too large"));
        }
        let n = self.inner.write(buf)?;
        self.left -= n;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Renders a page straight into its file. A template error is reported as
/// such, not as the write error the sink sees.
fn stream_page(
    env: &Environment<'static>,
    job: &Job,
    sink: &dyn Sink,
    bounded: bool,
) -> Result<(), RenderError> {
    let mut failure = None;
    sink.put_with(&job.path, &mut |out| {
        render_job(env, job, out, bounded).map_err(|e| {
            let message = e.0.clone();
            failure = Some(e);
            std::io::Error::other(message)
        })
    })
    .map(drop)
    .map_err(|e| failure.take().unwrap_or(RenderError(e)))
}

/// Puts `serve`'s live-reload script before `</body>`.
fn inject(options: &Options, page: &mut Vec<u8>) {
    if let Some(inject) = &options.inject
        && let Some(at) = page.windows(7).rposition(|w| w == b"</body>")
    {
        page.splice(at..at, inject.bytes());
    }
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

/// The plan's table of targets, as an HTML table in one language.
fn table_html(site: &Site, lang: &str, strings: &crate::i18n::Strings) -> String {
    use std::fmt::Write as _;
    let esc = escape_html;
    let rows: Vec<&crate::model::IndicatorView> = site
        .indicators
        .iter()
        .filter(|i| i.origin == crate::model::indicator::RowOrigin::Table)
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    let caption = site.table_caption.as_ref().map_or_else(
        || strings.get(lang, "table_heading").to_string(),
        |c| c.get(lang).to_string(),
    );
    let mut s = String::new();
    let _ = write!(
        s,
        "<table class=\"data\" id=\"targets\"><caption>{}</caption><thead><tr>",
        esc(&caption)
    );
    let base_year = rows[0]
        .baseline
        .as_ref()
        .map_or(site.baseline_year, |b| b.year);
    for h in [
        strings.get(lang, "group"),
        strings.get(lang, "indicators_heading"),
        &format!("{base_year}"),
        &format!("{}", rows[0].target.year),
        strings.get(lang, "attribute"),
    ] {
        let _ = write!(s, "<th scope=\"col\">{}</th>", esc(h));
    }
    s.push_str("</tr></thead><tbody>");
    for ind in rows {
        let group = ind.group.as_ref().map_or("", |g| g.get(lang));
        let _ = write!(
            s,
            "<tr><td>{}</td><th scope=\"row\">{}{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(group),
            esc(ind.name.get(lang)),
            if ind.unit.zh.is_empty() {
                String::new()
            } else {
                format!(" ({})", esc(ind.unit.get(lang)))
            },
            ind.baseline.as_ref().map_or(String::new(), |b| esc(&b.raw)),
            esc(&ind.target.raw),
            ind.attribute.map_or(String::new(), |a| esc(
                strings.get(lang, &format!("attribute_{a}"))
            )),
        );
    }
    s.push_str("</tbody></table>");
    s
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
