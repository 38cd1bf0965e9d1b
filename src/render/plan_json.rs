//! `data/plan.json` and `plansite plan --json`: the parsed plan as one JSON
//! document, with where its text came from.

use std::io::Write;

use serde::Serialize;

use crate::plan::{Indicator, Part, Plan, PlanWarning};

#[derive(Serialize)]
pub struct SourceInfo<'a> {
    pub file: &'a str,
    pub encoding: &'a str,
    pub sha256: String,
    /// The official document, as `plansite.toml` names it (site builds only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'a crate::config::Titles>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<&'a crate::config::Titles>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<&'a str>,
}

#[derive(Serialize)]
struct PlanJson<'a> {
    title: &'a str,
    source: SourceInfo<'a>,
    preamble: &'a [crate::plan::Paragraph],
    parts: &'a [Part],
    indicators: &'a [Indicator],
    warnings: &'a [PlanWarning],
}

/// `data/plan.json`: the JSON document of `plan --json` for a loaded site.
pub fn write_site(input: &crate::content::SiteInput, out: &mut dyn Write) -> std::io::Result<()> {
    let source = SourceInfo {
        file: &input.seed_file,
        encoding: input.seed_encoding,
        sha256: input.seed_sha256.clone(),
        title: input.config.source_title.as_ref(),
        publisher: input.config.source_publisher.as_ref(),
        date: input.config.source_date.as_deref(),
        url: input.config.source_url.as_deref(),
    };
    write(out, &input.plan, source, &input.plan.warnings)
}

/// The plan as pretty-printed JSON and a newline.
pub fn write(
    out: &mut dyn Write,
    plan: &Plan,
    source: SourceInfo,
    warnings: &[PlanWarning],
) -> std::io::Result<()> {
    let doc = PlanJson {
        title: &plan.title,
        source,
        preamble: &plan.preamble,
        parts: &plan.parts,
        indicators: &plan.indicators,
        warnings,
    };
    // serde_json gives back an I/O error as it was (a closed pipe stays one).
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")
}
