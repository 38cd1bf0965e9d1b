//! `content/pages/*.zh.md|*.en.md`: free pages in Markdown (about, methodology).

use std::path::Path;

use serde::Serialize;

use super::registry::valid_id;
use crate::diag::{Code, Diagnostic};

#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub slug: String,
    pub lang: String,
    pub title: String,
    /// Markdown without the leading `# title` line.
    pub body: String,
}

/// Reads every page file; `files` are (relative path, text).
pub fn load(files: &[(String, String)], diags: &mut Vec<Diagnostic>) -> Vec<Page> {
    let mut pages = Vec::new();
    for (path, text) in files {
        let name = Path::new(path)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("");
        let Some(stem) = name.strip_suffix(".md") else {
            continue;
        };
        let Some((slug, lang)) = stem.rsplit_once('.') else {
            diags.push(Diagnostic::warning(
                Code::PageName,
                path,
                0,
                0,
                "page file names end in .zh.md or .en.md; skipped",
            ));
            continue;
        };
        if lang != "zh" && lang != "en" {
            diags.push(
                Diagnostic::warning(
                    Code::PageName,
                    path,
                    0,
                    0,
                    format!("unknown language `{lang}` in the file name; skipped"),
                )
                .help("name pages SLUG.zh.md and SLUG.en.md"),
            );
            continue;
        }
        if !valid_id(slug) {
            diags.push(
                Diagnostic::error(
                    Code::BadId,
                    path,
                    0,
                    0,
                    format!("page slug `{slug}` is not a valid id"),
                )
                .help("lowercase ASCII letters, digits and hyphens"),
            );
            continue;
        }
        let taken = crate::routes::SECTIONS
            .iter()
            .any(|s| *s == slug && slug != "about");
        if taken || crate::routes::windows_reserved(slug) {
            diags.push(
                Diagnostic::error(
                    Code::RouteConflict,
                    path,
                    0,
                    0,
                    if taken {
                        format!("page `{slug}` would be written to {lang}/{slug}/index.html, which plansite generates itself")
                    } else {
                        format!("page `{slug}` has a name Windows reserves (con, prn, aux, nul, com1–com9, lpt1–lpt9)")
                    },
                )
                .help(format!(
                    "rename the file; these page names are taken: {}",
                    crate::routes::SECTIONS
                        .iter()
                        .filter(|s| **s != "about")
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
            continue;
        }
        let text = text.trim_start_matches('\u{FEFF}');
        let (title, body) = match text.lines().next() {
            Some(first) if first.starts_with("# ") => (
                first[2..].trim().to_string(),
                text[first.len()..].trim_start().to_string(),
            ),
            _ => (slug.to_string(), text.to_string()),
        };
        pages.push(Page {
            slug: slug.to_string(),
            lang: lang.to_string(),
            title,
            body,
        });
    }
    pages.sort_by(|a, b| (&a.slug, &a.lang).cmp(&(&b.slug, &b.lang)));
    pages
}
