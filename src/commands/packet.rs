//! `plansite packet --year YEAR`: a one-file review packet for a pull request
//! or for print. Writes nothing and exits 1 when the content has errors.

use std::path::{Path, PathBuf};

use minijinja::{Value, context};
use serde::Serialize;

use crate::content::Text;
use crate::model::IndicatorView;
use crate::model::indicator::YearValue;
use crate::pipeline;
use crate::render::site_value::string_table;
use crate::render::val;

use super::build::{load_or_report, theme_or_report};
use super::{EXIT_CONTENT, EXIT_OK, EXIT_USAGE};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    Zh,
    En,
    Both,
}

#[derive(Serialize)]
struct Row<'a> {
    ind: &'a IndicatorView,
    value: Option<&'a YearValue>,
    value_missing: Option<&'a Text>,
    delta: Option<f64>,
    delta_text: String,
    sparkline: String,
}

/// Marks a file as a packet plansite wrote: `packet -o` replaces only such a
/// file (or any non-input file with `--force`).
pub const PACKET_MARKER: &str = "<meta name=\"generator\" content=\"plansite packet\">";

/// The packet's default file name: one per year and language, so that runs
/// for different languages do not replace each other's packets.
pub fn default_name(year: i32, lang: Lang) -> String {
    let lang = match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
        Lang::Both => "zh-en",
    };
    format!("plansite-packet-{year}-{lang}.html")
}

/// The rendered packet with its marker (a theme's own packet.html may lack it).
fn marked(html: String) -> String {
    if html.contains(PACKET_MARKER) {
        return html;
    }
    match html.find("<head>") {
        Some(at) => {
            let at = at + "<head>".len();
            format!("{}{PACKET_MARKER}{}", &html[..at], &html[at..])
        }
        None => format!("{PACKET_MARKER}\n{html}"),
    }
}

pub fn run(root: &Path, year: i32, lang: Lang, out: Option<PathBuf>, force: bool) -> i32 {
    let input = match load_or_report(root) {
        Ok(i) => i,
        Err(code) => return code,
    };
    let Some(progress) = input.progress.iter().find(|p| p.year == year) else {
        eprintln!(
            "error[packet]: there is no progress file for {year} (content/progress/{year}.yaml)"
        );
        return EXIT_USAGE;
    };
    let theme = match theme_or_report(&input) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let site = pipeline::model(&input, &theme, Some(year));
    let rows: Vec<Row> = site
        .indicators
        .iter()
        .map(|ind| {
            let this = ind.values.iter().find(|v| v.year == year);
            let before = ind.values.iter().find(|v| v.year == year - 1);
            let delta = match (this.and_then(|v| v.value), before.and_then(|v| v.value)) {
                (Some(a), Some(b)) => Some(a - b),
                _ => None,
            };
            Row {
                sparkline: crate::render::chart::sparkline(ind),
                ind,
                value: this.filter(|v| v.value.is_some()),
                value_missing: this.and_then(|v| v.missing_reason.as_ref()),
                delta,
                delta_text: delta
                    .map(|d| {
                        format!(
                            "{}{}",
                            if d > 0.0 { "+" } else { "" },
                            crate::i18n::number(d, "en")
                        )
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    let langs: Vec<&str> = match lang {
        Lang::Zh => vec!["zh"],
        Lang::En => vec!["en"],
        Lang::Both => vec!["zh", "en"],
    };
    let warnings: Vec<String> = input
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{} warning[{}]: {}",
                d.file, d.line, d.column, d.code, d.message
            )
        })
        .collect();
    let css = match crate::render::minify(&theme.css) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error[render]: {e}");
            return EXIT_CONTENT;
        }
    };
    // The same environment as the site's pages: escaping, globals, fuel.
    let env = match crate::render::environment(&theme) {
        Ok(env) => env,
        Err(e) => {
            eprintln!("error[theme]: {e}");
            return EXIT_USAGE;
        }
    };
    let Ok(template) = env.get_template("packet.html") else {
        eprintln!("error[theme]: the theme has no packet.html");
        return EXIT_USAGE;
    };
    let ctx = context! {
            site => crate::render::site_value::site_value(std::sync::Arc::clone(&site)), year => year, as_of => progress.as_of.clone(), data_status => progress.data_status.clone(),
            rows => val(&rows), langs => val(&langs), warnings => val(&warnings), css => Value::from_safe_string(css),
            strings => context! { zh => string_table(theme.strings.table("zh")), en => string_table(theme.strings.table("en")) },
    };
    let mut bytes = Vec::new();
    let rendered = if theme.has_default_templates() {
        template
            .render_captured_to(&ctx, &mut bytes)
            .map(drop)
            .map_err(|e| format!("packet.html: {e:#}"))
    } else {
        // A site's own packet.html is bounded like its page templates.
        crate::render::render_bounded(
            "packet.html",
            "the packet",
            |out| template.render_captured_to(&ctx, out).map(drop),
            &mut bytes,
        )
        .map_err(|e| e.0)
    };
    if let Err(e) = rendered {
        eprintln!("error[render]: {e}");
        return EXIT_CONTENT;
    }
    let html = String::from_utf8_lossy(&bytes).into_owned();
    let html = marked(html);
    let out = out.unwrap_or_else(|| PathBuf::from(default_name(year, lang)));
    let policy = if force {
        crate::output::Replace::Always
    } else {
        crate::output::Replace::IfMarked(PACKET_MARKER.as_bytes())
    };
    match crate::output::replace(&super::build::guard(&input), &out, html.as_bytes(), policy) {
        Ok(_) => {
            eprintln!(
                "wrote {} ({:.0} KB): {} indicators, {} areas, {} warning(s)",
                out.display(),
                html.len() as f64 / 1024.0,
                rows.len(),
                site.areas.len(),
                warnings.len()
            );
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error[output]: {e}");
            EXIT_USAGE
        }
    }
}
