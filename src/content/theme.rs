//! The site's own theme files, read from the site root: `themes/<name>/`
//! (`templates/`, `static/`, `i18n/`) and then `templates/`, each file
//! replacing the file of the same name before it. `render::Theme` lays them
//! over the default theme embedded in the binary.

use std::collections::BTreeMap;

use crate::diag::{Code, Diagnostic};
use crate::input::SiteRoot;

/// Largest theme file plansite reads (templates, CSS, scripts, strings).
const MAX_THEME_FILE: u64 = 16 * 1024 * 1024;

/// The theme's files by path inside the theme (`templates/base.html`).
/// `Err` when the named theme does not exist; a file that cannot be read is
/// reported in `diags` and left out.
pub fn files(
    root: &SiteRoot,
    name: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<BTreeMap<String, String>, Diagnostic> {
    let theme_dir = format!("themes/{name}");
    let theme_exists = root.resolve(&theme_dir)?.is_some_and(|p| p.is_dir());
    if name != "default" && !theme_exists {
        return Err(Diagnostic::error(
            Code::Theme,
            &theme_dir,
            0,
            0,
            format!("is not a folder; there is no theme `{name}`"),
        )
        .help("create themes/NAME/ with the files to override, or use theme = \"default\""));
    }
    let mut files = BTreeMap::new();
    for (dir, prefix) in [
        (format!("{theme_dir}/templates"), "templates/"),
        (format!("{theme_dir}/static"), "static/"),
        (format!("{theme_dir}/i18n"), "i18n/"),
        ("templates".to_string(), "templates/"),
    ] {
        for rel in root.list(&dir, "", diags) {
            let Some(file) = rel.rsplit('/').next() else {
                continue;
            };
            match root.read_text(&rel, MAX_THEME_FILE) {
                Ok(text) => {
                    files.insert(format!("{prefix}{file}"), text);
                }
                Err(d) => diags.push(d),
            }
        }
    }
    Ok(files)
}
