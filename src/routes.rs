//! The site's URL scheme: which output paths plansite generates, so that no
//! two sources (a free page and a generated section, say) write one path.

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
    fn windows_names() {
        for n in ["con", "CON", "nul.txt", "com1", "lpt9", "aux"] {
            assert!(windows_reserved(n), "{n}");
        }
        for n in ["console", "com", "com0", "comx", "areas", "lpt10", "null"] {
            assert!(!windows_reserved(n), "{n}");
        }
    }
}
