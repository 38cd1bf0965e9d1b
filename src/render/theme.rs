//! The theme: templates (Jinja syntax), static assets and interface strings.
//! The default theme is embedded in the binary; a site overrides any file with
//! `themes/<name>/…` and any template with `templates/<file>`.

use std::collections::BTreeMap;

use crate::i18n::Strings;

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../themes/default/", $path)))),*]
    };
}

/// The default theme's files, relative to `themes/default/`.
pub const DEFAULT_THEME: &[(&str, &str)] = embed![
    "templates/base.html",
    "templates/macros.html",
    "templates/landing.html",
    "templates/dashboard.html",
    "templates/areas.html",
    "templates/area.html",
    "templates/indicators.html",
    "templates/indicator.html",
    "templates/reporting.html",
    "templates/changelog.html",
    "templates/plan.html",
    "templates/about.html",
    "templates/methodology.html",
    "templates/page.html",
    "templates/search.html",
    "templates/404.html",
    "templates/archive.html",
    "templates/packet.html",
    "templates/sitemap.xml",
    "templates/robots.txt",
    "templates/atom.xml",
    "static/site.css",
    "static/search.js",
    "static/favicon.svg",
    "i18n/zh.yaml",
    "i18n/en.yaml",
];

pub struct Theme {
    pub templates: BTreeMap<String, String>,
    pub css: String,
    pub js: String,
    pub favicon: String,
    pub strings: Strings,
}

impl Theme {
    /// The default theme with a site's own files (`content::theme::files`) laid over it.
    pub fn with_overrides(overrides: &BTreeMap<String, String>) -> Result<Theme, String> {
        let mut files: BTreeMap<String, String> = DEFAULT_THEME
            .iter()
            .map(|(p, t)| ((*p).to_string(), (*t).to_string()))
            .collect();
        files.extend(overrides.iter().map(|(p, t)| (p.clone(), t.clone())));
        Theme::from_files(files)
    }

    pub fn embedded() -> Theme {
        let files = DEFAULT_THEME
            .iter()
            .map(|(p, t)| ((*p).to_string(), (*t).to_string()))
            .collect();
        Theme::from_files(files)
            .unwrap_or_else(|e| unreachable!("the embedded theme is valid: {e}"))
    }

    /// Whether the templates are exactly the embedded default theme's (a site
    /// may override none, or override one with an identical copy).
    pub fn has_default_templates(&self) -> bool {
        let defaults = DEFAULT_THEME
            .iter()
            .filter_map(|(path, text)| Some((path.strip_prefix("templates/")?, *text)));
        defaults.clone().count() == self.templates.len()
            && defaults
                .into_iter()
                .all(|(name, text)| self.templates.get(name).map(String::as_str) == Some(text))
    }

    fn from_files(files: BTreeMap<String, String>) -> Result<Theme, String> {
        let get = |name: &str| {
            files
                .get(name)
                .cloned()
                .ok_or_else(|| format!("theme file {name} is missing"))
        };
        let strings =
            Strings::from_files(&[("zh", &get("i18n/zh.yaml")?), ("en", &get("i18n/en.yaml")?)])?;
        let templates = files
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix("templates/")
                    .map(|n| (n.to_string(), v.clone()))
            })
            .collect();
        Ok(Theme {
            templates,
            css: get("static/site.css")?,
            js: get("static/search.js")?,
            favicon: get("static/favicon.svg")?,
            strings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_embedded_templates_count_as_default() {
        let mut theme = Theme::embedded();
        assert!(theme.has_default_templates());
        theme
            .templates
            .insert("extra.html".into(), "{{ p.lang }}".into());
        assert!(!theme.has_default_templates(), "a template added");
        let mut theme = Theme::embedded();
        if let Some(about) = theme.templates.get_mut("about.html") {
            about.push(' ');
        }
        assert!(!theme.has_default_templates(), "a template changed");
    }
}
