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
mod views;

use std::collections::BTreeMap;
use std::sync::Arc;

use minijinja::{Value, context};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::i18n::LANGS;
use crate::model::Site;
pub use environment::environment;
pub use escape::escape_html;
use page_context::PageEnv;
pub use schedule::render_bounded;
use schedule::{FileMaker, Job, render_job};
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
    let views = views::Views::new(site, theme, options, &css_path, &js_path, &css);
    let mut nodes = Vec::new();
    crate::model::walk(&site.plan, &mut nodes);
    let paragraphs: Vec<&crate::model::ParaView> =
        nodes.iter().flat_map(|n| &n.paragraphs).collect();
    let jobs = views.jobs(&paragraphs);
    let feed = feeds::FeedBase::new(site, options);

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
            Box::new(|w| feeds::write_indicators_json(site, &site.indicators, w)),
        ),
        (
            "data/indicators.csv".into(),
            Box::new(|w| feeds::write_indicators_csv(site, &site.indicators, w)),
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
    for lang in LANGS {
        let (env, feed) = (&env, &feed);
        files.push((
            crate::routes::feed(lang),
            Box::new(move |w| {
                template_file(
                    env,
                    "atom.xml",
                    val(feeds::atom_context(site, lang, &theme.strings, feed)),
                    w,
                )
            }),
        ));
    }
    // Each indicator's chart as a file of its own, beside its page.
    for lang in LANGS {
        for (index, ind) in site.indicators.iter().enumerate() {
            let views = &views;
            files.push((
                crate::routes::indicator_chart(&ind.id, lang),
                Box::new(move |w| w.write_all(views.chart(index, lang).as_bytes())),
            ));
        }
    }
    // Each indicator's own data, as Open SDG offers it beside its chart.
    for ind in &site.indicators {
        let id = ind.id.as_str();
        files.push((
            crate::routes::indicator_data(id, "csv"),
            Box::new(move |w| feeds::write_indicators_csv(site, std::slice::from_ref(ind), w)),
        ));
        files.push((
            crate::routes::indicator_data(id, "json"),
            Box::new(move |w| feeds::write_indicators_json(site, std::slice::from_ref(ind), w)),
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
    let ctx = minijinja::context! {
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
