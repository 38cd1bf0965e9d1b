//! `plansite.toml`: the site configuration.

use serde::{Deserialize, Serialize};

use crate::diag::{Code, Diagnostic};
use crate::input::SiteRoot;

pub const CONFIG_FILE: &str = "plansite.toml";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: Titles,
    #[serde(default = "default_languages")]
    pub languages: Vec<String>,
    #[serde(default = "default_language")]
    pub default_language: String,
    /// Absolute base URL for the sitemap and feeds (pages link relatively).
    #[serde(default)]
    pub base_url: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// The plan text, relative to the site root.
    pub seed: String,
    pub period: Period,
    /// Title (or part of it) of the part whose sections are the task areas.
    #[serde(default)]
    pub task_part: Option<String>,
    /// Who publishes the site, for the footer and citations.
    #[serde(default)]
    pub publisher: Option<Titles>,
    /// The official document the seed is the text of: its title (default: the
    /// plan's title as parsed, and its translation), who published it, when,
    /// and where (`source_url`): shown wherever the plan is quoted.
    #[serde(default)]
    pub source_title: Option<Titles>,
    #[serde(default)]
    pub source_publisher: Option<Titles>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[serde(default)]
    pub source_date: Option<String>,
    #[serde(default)]
    pub source_url: Option<String>,
    /// Where each setting stands in `plansite.toml` (line, column), for messages.
    #[serde(skip)]
    pub positions: Positions,
}

/// Line and column of the settings that name paths or URLs.
#[derive(Debug, Clone, Default)]
pub struct Positions {
    pub seed: (usize, usize),
    pub theme: (usize, usize),
    pub base_url: (usize, usize),
    pub source_url: (usize, usize),
    pub source_date: (usize, usize),
    pub period: (usize, usize),
    pub languages: (usize, usize),
}

/// The settings whose positions messages need.
#[derive(Deserialize)]
struct Spans {
    seed: Option<toml::Spanned<toml::Value>>,
    theme: Option<toml::Spanned<toml::Value>>,
    base_url: Option<toml::Spanned<toml::Value>>,
    source_url: Option<toml::Spanned<toml::Value>>,
    source_date: Option<toml::Spanned<toml::Value>>,
    period: Option<toml::Spanned<toml::Value>>,
    languages: Option<toml::Spanned<toml::Value>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Titles {
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub start: i32,
    pub end: i32,
    /// The year the plan's baseline values describe (the year before `start` by default).
    #[serde(default)]
    pub baseline: Option<i32>,
}

impl Period {
    pub fn baseline_year(&self) -> i32 {
        self.baseline.unwrap_or(self.start - 1)
    }
    pub fn years(&self) -> impl Iterator<Item = i32> {
        self.start..=self.end
    }
}

fn default_languages() -> Vec<String> {
    vec!["zh".into(), "en".into()]
}
fn default_language() -> String {
    "zh".into()
}
fn default_theme() -> String {
    "default".into()
}

impl Config {
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let (line, col) = e.span().map_or((1, 1), |span| line_col(text, span.start));
            Diagnostic::error(
                Code::Config,
                CONFIG_FILE,
                line,
                col,
                e.message().trim().to_string(),
            )
            .help("docs/CONFIG.md lists the settings plansite.toml takes")
        })?;
        if let Ok(spans) = toml::from_str::<Spans>(text) {
            let at = |s: Option<toml::Spanned<toml::Value>>| {
                s.map_or((1, 1), |s| line_col(text, s.span().start))
            };
            config.positions = Positions {
                seed: at(spans.seed),
                theme: at(spans.theme),
                base_url: at(spans.base_url),
                source_url: at(spans.source_url),
                source_date: at(spans.source_date),
                period: at(spans.period),
                languages: at(spans.languages),
            };
        }
        let error = |at: (usize, usize), message: String| {
            Diagnostic::error(Code::Config, CONFIG_FILE, at.0, at.1, message)
        };
        if !valid_theme_name(&config.theme) {
            return Err(error(
                config.positions.theme,
                format!("theme `{}` is not a theme name", config.theme),
            )
            .help("a theme is a folder under themes/: name it with letters, digits, `-` and `_`"));
        }
        match check_base_url(&config.base_url) {
            Ok(url) => config.base_url = url,
            Err(message) => {
                return Err(error(config.positions.base_url, message).help(BASE_URL_HELP));
            }
        }
        if config.source_url.as_deref() == Some("") {
            config.source_url = None;
        }
        if let Some(url) = &config.source_url {
            // Checked like base_url, but kept as written: it names a document, not a folder.
            if let Err(message) = check_base_url(url) {
                {
                    return Err(error(
                        config.positions.source_url,
                        message.replace("base_url", "source_url"),
                    )
                    .help("source_url is the address of the official document, such as `https://www.example.gov.cn/plan.html`"));
                }
            }
        }
        if let Some(date) = &config.source_date
            && !valid_partial_date(date)
        {
            return Err(error(
                config.positions.source_date,
                format!("source_date `{date}` is not a date"),
            )
            .help("write YYYY, YYYY-MM or YYYY-MM-DD, such as 2021-03"));
        }
        if config.period.end < config.period.start || config.period.end - config.period.start > 50 {
            return Err(error(
                config.positions.period,
                format!(
                    "plan period {}–{} is not a range of years",
                    config.period.start, config.period.end
                ),
            )
            .help("write period = { start = 2021, end = 2025 }"));
        }
        // Every site is bilingual: the list says so, and nothing else.
        let mut langs: Vec<&str> = config.languages.iter().map(String::as_str).collect();
        langs.sort_unstable();
        if langs != ["en", "zh"] {
            return Err(error(
                config.positions.languages,
                format!(
                    "languages = {:?}: a plansite site is in `zh` and `en`",
                    config.languages
                ),
            )
            .help("write languages = [\"zh\", \"en\"]"));
        }
        if !config.languages.contains(&config.default_language) {
            return Err(error(
                config.positions.languages,
                format!("default_language `{}` is not `zh` or `en`", config.default_language),
            )
            .help("the default language comes first on the site's front page: write default_language = \"zh\" or \"en\""));
        }
        Ok(config)
    }

    /// Reads and parses `plansite.toml`; on a parse error the text comes back
    /// too, for the message's snippet.
    pub fn load(root: &SiteRoot) -> Result<(Config, String), (Diagnostic, Option<String>)> {
        if !root.exists(CONFIG_FILE) {
            return Err((
                Diagnostic::error(
                    Code::Config,
                    CONFIG_FILE,
                    0,
                    0,
                    format!("there is no {CONFIG_FILE} in {}", root.path().display()),
                )
                .help("run plansite in a site root, pass --root DIR, or create one with `plansite init DIR --seed FILE`"),
                None,
            ));
        }
        let text = root
            .read_text(CONFIG_FILE, MAX_CONFIG_BYTES)
            .map_err(|d| (d, None))?;
        match Config::parse(&text) {
            Ok(config) => Ok((config, text)),
            Err(d) => Err((d, Some(text))),
        }
    }
}

/// `plansite.toml` is a few lines; a megabyte is more than any needs.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

const BASE_URL_HELP: &str = "base_url is the absolute address the site is published at, such as `https://example.org/plan/` (or empty)";

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a real date.
fn valid_partial_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let number = |p: &str, len: usize| p.len() == len && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] => number(y, 4),
        [y, m] => number(y, 4) && number(m, 2) && ("01"..="12").contains(m),
        [_, _, _] => text.parse::<jiff::civil::Date>().is_ok(),
        _ => false,
    }
}

/// Theme names become a folder name under `themes/`.
fn valid_theme_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A base URL as plansite uses it: empty, or an absolute `http`/`https` URL
/// with a host, no credentials and nothing that would need escaping in
/// HTML, XML, `robots.txt` or JSON; it is returned ending in `/`.
pub fn check_base_url(url: &str) -> Result<String, String> {
    if url.is_empty() {
        return Ok(String::new());
    }
    if let Some(c) = url
        .chars()
        .find(|c| c.is_control() || c.is_whitespace() || "\"'<>\\`{}|^".contains(*c))
    {
        return Err(format!(
            "base_url must not contain {}",
            if c.is_control() || c.is_whitespace() {
                format!("U+{:04X} (a control or space character)", u32::from(c))
            } else {
                format!("`{c}`")
            }
        ));
    }
    let parsed = url::Url::parse(url).map_err(|e| format!("base_url `{url}` is not a URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!(
            "base_url `{url}` must start with https:// or http://"
        ));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(format!("base_url `{url}` has no host"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("base_url must not carry a user name or password".into());
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(format!(
            "base_url `{url}` must not have a `?query` or `#fragment`"
        ));
    }
    // The parsed form: host lowercased, path normalised and percent-encoded.
    let url = parsed.as_str();
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

/// 1-based line and character column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_config_points_at_the_key() {
        let err = Config::parse("seed = \"a\"\ntitle = { zh = \"x\", en = \"y\" }\nperiod = { start = 2021, end = 2025 }\nthme = \"x\"\n").expect_err("unknown key");
        assert_eq!(err.line, 4);
        assert!(err.message.contains("thme"), "{}", err.message);
    }

    #[test]
    fn base_urls_are_absolute_http_without_hostile_characters() {
        assert_eq!(check_base_url(""), Ok(String::new()));
        assert_eq!(
            check_base_url("https://example.org/plan").as_deref(),
            Ok("https://example.org/plan/")
        );
        for bad in [
            "example.org",
            "/plan/",
            "javascript:alert(1)",
            "ftp://example.org/",
            "https://exa mple.org/",
            "https://example.org/\nDisallow: /",
            "https://example.org/\"><script>",
            "https://user:pw@example.org/",
            "https://example.org/?q=1",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad:?}");
        }
        let err = Config::parse("seed = \"a\"\ntitle = { zh = \"x\", en = \"y\" }\nperiod = { start = 2021, end = 2025 }\nbase_url = \"http://x.org/\\u0007\"\n").expect_err("control character");
        assert_eq!((err.line, err.column), (4, 12));
        let err = Config::parse("seed = \"a\"\ntheme = \"../../etc\"\ntitle = { zh = \"x\", en = \"y\" }\nperiod = { start = 2021, end = 2025 }\n").expect_err("theme path");
        assert_eq!(err.line, 2);
    }

    #[test]
    fn good_config() {
        let c = Config::parse("seed = \"seeds/p.txt\"\ntitle = { zh = \"x\", en = \"y\" }\nperiod = { start = 2021, end = 2025 }\n").expect("parses");
        assert_eq!(c.period.baseline_year(), 2020);
        assert_eq!(c.languages, ["zh", "en"]);
    }
}
