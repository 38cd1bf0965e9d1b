//! `plansite.toml`: the site configuration.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;

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
        let config: Config = toml::from_str(text).map_err(|e| {
            let (line, col) = e.span().map_or((1, 1), |span| line_col(text, span.start));
            Diagnostic::error(
                "config",
                CONFIG_FILE,
                line,
                col,
                e.message().trim().to_string(),
            )
            .help("see DESIGN.md \"Site root\" for the keys plansite.toml takes")
        })?;
        if config.period.end < config.period.start || config.period.end - config.period.start > 50 {
            return Err(Diagnostic::error(
                "config",
                CONFIG_FILE,
                1,
                1,
                format!(
                    "plan period {}–{} is not a range of years",
                    config.period.start, config.period.end
                ),
            ));
        }
        for lang in &config.languages {
            if lang != "zh" && lang != "en" {
                return Err(Diagnostic::error(
                    "config",
                    CONFIG_FILE,
                    1,
                    1,
                    format!("unsupported language `{lang}`"),
                )
                .help("plansite builds `zh` and `en`"));
            }
        }
        Ok(config)
    }

    pub fn load(root: &Path) -> Result<(Config, String), Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::error("config", CONFIG_FILE, 0, 0, format!("cannot read {}: {e}", path.display()))
                .help("run plansite in a site root, pass --root DIR, or create one with `plansite init DIR --seed FILE`")
        })?;
        Ok((Config::parse(&text)?, text))
    }
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
    fn good_config() {
        let c = Config::parse("seed = \"seeds/p.txt\"\ntitle = { zh = \"x\", en = \"y\" }\nperiod = { start = 2021, end = 2025 }\n").expect("parses");
        assert_eq!(c.period.baseline_year(), 2020);
        assert_eq!(c.languages, ["zh", "en"]);
    }
}
