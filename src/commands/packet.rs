//! `plansite packet --year YEAR`: the one-file review packet of a year (see
//! `crate::packet`). Writes nothing and exits 1 when the content has errors.

use std::path::PathBuf;

use minijinja::{Value, context};

use crate::packet::{self, Lang};
use crate::render::site_value::string_table;
use crate::render::val;

use super::build::{load_or_report, theme_or_report};
use super::{EXIT_CONTENT, EXIT_OK, EXIT_USAGE};

/// Marks a file as a packet plansite wrote: `packet -o` replaces only such a
/// file (or any non-input file with `--force`).
pub const PACKET_MARKER: &str = "<meta name=\"generator\" content=\"plansite packet\">";

#[derive(Debug, clap::Args)]
pub struct PacketArgs {
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    #[arg(long)]
    pub year: i32,
    #[arg(long, value_enum, default_value = "both")]
    pub lang: Lang,
    /// The file to write (default: plansite-packet-YEAR-LANG.html; `-`: standard output)
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
    /// Replace the output file even if plansite did not write it (never an input)
    #[arg(long)]
    pub force: bool,
}

/// The packet's default file name: one per year and language, so that runs
/// for different languages do not replace each other's packets.
pub fn default_name(year: i32, lang: Lang) -> String {
    format!("plansite-packet-{year}-{}.html", lang.tag())
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

/// A CSS string's contents: `\` and `"` escaped, line breaks as `\a`.
fn css_string(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace(['\n', '\r'], "\\a ")
        .replace('<', "\\3c ")
}

/// The date the packet is issued: from `SOURCE_DATE_EPOCH` when set, else today (UTC).
fn issued() -> Result<String, String> {
    let stamp = crate::archive::built_at(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())?;
    Ok(stamp.get(..10).unwrap_or(&stamp).to_string())
}

pub fn run(args: PacketArgs) -> i32 {
    let year = args.year;
    let input = match load_or_report(&args.root) {
        Ok(i) => i,
        Err(code) => return code,
    };
    if !input.progress.iter().any(|p| p.year == year) {
        eprintln!(
            "error[packet]: there is no progress file for {year} (content/progress/{year}.yaml)"
        );
        return EXIT_USAGE;
    }
    let theme = match theme_or_report(&input) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let issued = match issued() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error[packet]: {e}");
            return EXIT_USAGE;
        }
    };
    // In CI the commit the packet was made from.
    let commit = ["GITHUB_SHA", "CI_COMMIT_SHA"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()));
    let site = crate::pipeline::model(&input, &theme, Some(year));
    let report = packet::build(
        &input,
        &site,
        &theme.strings,
        &|ind, lang| crate::render::chart::chart(ind, lang, &theme.strings),
        &packet::Context {
            year,
            lang: args.lang,
            issued: &issued,
            commit,
        },
    );
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
    let first = args.lang.codes()[0];
    let header = |text: String| Value::from_safe_string(css_string(&text));
    let ctx = context! {
        packet => val(&report),
        langs => val(args.lang.codes()),
        css => Value::from_safe_string(css),
        strings => context! { zh => string_table(theme.strings.table("zh")), en => string_table(theme.strings.table("en")) },
        header_left => header(report.title.get(first).to_string()),
        header_right => header(format!("{} {year}", theme.strings.get(first, "packet_title"))),
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
    let html = marked(String::from_utf8_lossy(&bytes).into_owned());
    let out = args
        .output
        .unwrap_or_else(|| PathBuf::from(default_name(year, args.lang)));
    if out.as_os_str() == "-" {
        return super::print_bytes(html.as_bytes());
    }
    let policy = if args.force {
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
                report.indicators.len(),
                report.areas.len(),
                report.warnings.len()
            );
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error[output]: {e}");
            EXIT_USAGE
        }
    }
}
