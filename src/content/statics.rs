//! `static/`: files the web host needs (`CNAME`, a logo, the official PDF),
//! copied as they are to the output root. Never over a generated file: a
//! path that plansite generates, or one that differs from another only by
//! case or that Windows cannot store, is an error.

use std::collections::BTreeMap;

use crate::diag::{Code, Diagnostic};
use crate::input::SiteRoot;

pub const STATIC_DIR: &str = "static";

/// The files of `static/` (relative to the root, `static/…`) that may be copied.
pub fn list(root: &SiteRoot, diags: &mut Vec<Diagnostic>) -> Vec<String> {
    let files = root.walk(STATIC_DIR, true, diags);
    let mut by_lowercase: BTreeMap<String, &str> = BTreeMap::new();
    let mut out = Vec::new();
    for rel in &files {
        let path = output_path(rel);
        let first = path.split('/').next().unwrap_or("");
        let conflict = |message: String| {
            Diagnostic::error(Code::RouteConflict, rel, 0, 0, message).help(
                "rename or move it: static/ files go to the output root beside the generated site",
            )
        };
        // Case-blind: on macOS and Windows `Data/` is `data/`.
        let first_lower = first.to_lowercase();
        if crate::routes::ROOT_NAMES.contains(&first_lower.as_str()) {
            diags.push(conflict(format!(
                "would be copied to {path}, where plansite writes the generated site"
            )));
            continue;
        }
        if let Some(part) = path.split('/').find(|p| crate::routes::windows_reserved(p)) {
            diags.push(conflict(format!(
                "`{part}` is a name Windows cannot store (con, prn, aux, nul, com1–com9, lpt1–lpt9)"
            )));
            continue;
        }
        if let Some(part) = path.split('/').find(|p| {
            p.ends_with(['.', ' ']) || p.contains(['<', '>', ':', '"', '\\', '|', '?', '*'])
        }) {
            diags.push(conflict(format!(
                "`{part}` is a name Windows cannot store (it ends in a dot or space, or holds one of < > : \" \\ | ? *)"
            )));
            continue;
        }
        if path.split('/').any(|p| p.starts_with(".plansite")) {
            diags.push(conflict(format!(
                "{path} is a name plansite keeps for its own bookkeeping files"
            )));
            continue;
        }
        if let Some(other) = by_lowercase.insert(path.to_lowercase(), rel) {
            diags.push(conflict(format!(
                "differs from {other} only by upper and lower case; on many systems they are one file"
            )));
            continue;
        }
        out.push(rel.clone());
    }
    out
}

/// Where a file of `static/` goes in the output: `static/CNAME` → `CNAME`.
pub fn output_path(rel: &str) -> &str {
    rel.strip_prefix("static/").unwrap_or(rel)
}
