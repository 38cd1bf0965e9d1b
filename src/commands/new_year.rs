//! `plansite new year YEAR`: a progress file listing every indicator and area.

use std::fmt::Write as _;
use std::path::Path;

use crate::content::SiteInput;

use super::build::load_or_report;
use super::{EXIT_OK, EXIT_USAGE};

/// The template text for `year` (pure, for tests).
pub fn template(input: &SiteInput, year: i32) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Progress for {year}. Fill in each value (a plain number, e.g. 88.6), or leave"
    );
    let _ = writeln!(
        s,
        "# `value: null` and say why in `missing_reason`. Every text needs zh and en."
    );
    let _ = writeln!(s, "# Run `plansite check` when done.");
    let _ = writeln!(s, "year: {year}");
    let _ = writeln!(s, "as_of: {year}-12-31");
    let _ = writeln!(
        s,
        "data_status: provisional   # illustrative | provisional | final"
    );
    let _ = writeln!(s, "summary:\n  zh: \"\"\n  en: \"\"");
    let _ = writeln!(s, "indicators:");
    for ind in &input.registry.indicators {
        let target = ind.target.raw.replace('#', "");
        let _ = writeln!(
            s,
            "  {}:   # {} ({}), target {} by {}",
            ind.id,
            ind.name.zh,
            if ind.unit.zh.is_empty() {
                "-"
            } else {
                &ind.unit.zh
            },
            target,
            ind.target.year
        );
        let _ = writeln!(s, "    value: null");
        let _ = writeln!(
            s,
            "    # source: {{zh: \"\", en: \"\", url: \"https://…\"}}"
        );
    }
    let _ = writeln!(s, "areas:");
    for area in &input.areas {
        let _ = writeln!(s, "  {}:   # {}", area.slug, area.short.zh);
        let _ = writeln!(
            s,
            "    status: in_progress   # not_started | in_progress | on_track | at_risk | completed"
        );
        let _ = writeln!(s, "    milestones: []");
    }
    let _ = writeln!(
        s,
        "changes: []   # - {{date: {year}-06-01, area: …, zh: \"…\", en: \"…\"}}"
    );
    s
}

pub fn run(root: &Path, year: i32) -> i32 {
    let input = match load_or_report(root) {
        Ok(i) => i,
        Err(code) => return code,
    };
    let (start, end) = (input.config.period.start, input.config.period.end);
    if !(start..=end).contains(&year) {
        eprintln!("error[year-outside-period]: {year} is outside the plan period {start}–{end}");
        return EXIT_USAGE;
    }
    let rel = format!("content/progress/{year}.yaml");
    // Written where the site's files are (a linked content/ folder included): never over a file.
    let path = input.root.real().join(&rel);
    if let Err(e) = crate::output::create_new(&path, template(&input, year).as_bytes()) {
        eprintln!("error[output]: {e}");
        return EXIT_USAGE;
    }
    eprintln!(
        "wrote {rel}: {} indicators, {} areas",
        input.registry.indicators.len(),
        input.areas.len()
    );
    EXIT_OK
}
