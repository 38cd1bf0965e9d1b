//! The site's URL scheme: which output paths plansite generates, so that no
//! two sources (a free page and a generated section, say) write one path.

/// A page of one language edition, and where it lives. Every path and link
/// to a page is made here, once, as Zola gives each page its own `path`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View<'a> {
    Dashboard,
    Areas,
    Area(&'a str),
    Indicators,
    Indicator(&'a str),
    Changelog,
    Plan,
    About,
    /// A free page of `content/pages/` (other than `about`).
    Page(&'a str),
    Methodology,
    Search,
    Reporting,
}

impl View<'_> {
    /// The page's folder under its language folder, with a trailing `/`
    /// (empty for the dashboard): `areas/myopia/`.
    pub fn dir(self) -> String {
        match self {
            View::Dashboard => String::new(),
            View::Areas => "areas/".into(),
            View::Area(slug) => format!("areas/{slug}/"),
            View::Indicators => "indicators/".into(),
            View::Indicator(id) => format!("indicators/{id}/"),
            View::Changelog => "changelog/".into(),
            View::Plan => "plan/".into(),
            View::About => "about/".into(),
            View::Page(slug) => format!("{slug}/"),
            View::Methodology => "methodology/".into(),
            View::Search => "search/".into(),
            View::Reporting => "reporting/".into(),
        }
    }

    /// The output file of the page in `lang`: `zh/areas/myopia/index.html`.
    pub fn file(self, lang: &str) -> String {
        format!("{lang}/{}index.html", self.dir())
    }

    /// The page's link from the site root in `lang`, without `index.html`.
    pub fn link(self, lang: &str) -> String {
        format!("{lang}/{}", self.dir())
    }
}

/// The changelog's Atom feed in `lang`.
pub fn feed(lang: &str) -> String {
    format!("{lang}/changelog/atom.xml")
}

/// One indicator's chart in `lang`, as an SVG file beside its page.
pub fn indicator_chart(id: &str, lang: &str) -> String {
    format!("{}chart.svg", View::Indicator(id).link(lang))
}

/// One indicator's open data (`csv` or `json`).
pub fn indicator_data(id: &str, ext: &str) -> String {
    format!("data/indicators/{id}.{ext}")
}

/// Folders under each language folder that plansite generates (`zh/areas/`…).
/// A free page may not take one of these names; `about` is the exception:
/// its text is shown on the generated about page.
pub const SECTIONS: [&str; 9] = [
    "areas",
    "indicators",
    "changelog",
    "plan",
    "about",
    "search",
    "methodology",
    "reporting",
    "status",
];

/// Names at the output root that plansite generates.
pub const ROOT_NAMES: [&str; 11] = [
    "index.html",
    "404.html",
    "zh",
    "en",
    "data",
    "assets",
    "search",
    "archive",
    "sitemap.xml",
    "robots.txt",
    "favicon.svg",
];

/// The media type of an output file, by its extension (what `serve` sends
/// and what a web archive records).
pub fn media_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("csv") => "text/csv; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("pdf") => "application/pdf",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("wacz" | "zip") => "application/zip",
        _ => "text/plain; charset=utf-8",
    }
}

/// Windows cannot create files or folders with these names (with any
/// extension): a site built or copied there would lose them.
pub fn windows_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("").to_ascii_lowercase();
    matches!(stem.as_str(), "con" | "prn" | "aux" | "nul")
        || ((stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit()
            && stem.as_bytes()[3] != b'0')
}

/// Why a slug or id cannot name a folder of the output, if it cannot.
pub fn unusable_name(name: &str) -> Option<String> {
    windows_reserved(name).then(|| {
        format!(
            "`{name}` is a reserved file name on Windows (con, prn, aux, nul, com1–com9, lpt1–lpt9)"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_live_in_their_folders() {
        assert_eq!(View::Dashboard.file("zh"), "zh/index.html");
        assert_eq!(View::Area("x").file("en"), "en/areas/x/index.html");
        assert_eq!(View::Indicator("i").link("zh"), "zh/indicators/i/");
        assert_eq!(View::Page("contact").dir(), "contact/");
        for view in [
            View::Areas,
            View::Indicators,
            View::Changelog,
            View::Plan,
            View::About,
            View::Search,
            View::Methodology,
            View::Reporting,
        ] {
            let dir = view.dir();
            assert!(SECTIONS.contains(&dir.trim_end_matches('/')), "{dir}");
        }
    }

    #[test]
    fn windows_names() {
        for n in ["con", "CON", "nul.txt", "com1", "lpt9", "aux"] {
            assert!(windows_reserved(n), "{n}");
        }
        for n in ["console", "com", "com0", "comx", "areas", "lpt10", "null"] {
            assert!(!windows_reserved(n), "{n}");
        }
    }
}
