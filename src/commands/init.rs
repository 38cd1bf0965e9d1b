//! `plansite init DIR --seed FILE`: a working site for another plan of the genre.

use std::fmt::Write as _;
use std::path::Path;

use crate::plan::{Plan, parse, read_source};

use super::{EXIT_CONTENT, EXIT_OK, EXIT_USAGE};

fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The files of a new site for `plan` (pure, for tests): (relative path, text).
pub fn files(plan: &Plan, seed_name: &str) -> Vec<(String, String)> {
    let (start, end) = period(&plan.title);
    let mut out = Vec::new();
    out.push((
        "plansite.toml".to_string(),
        format!(
            "# plansite site configuration\ntitle = {{ zh = {}, en = \"Plan tracker\" }}\nlanguages = [\"zh\", \"en\"]\ndefault_language = \"zh\"\nbase_url = \"\"\ntheme = \"default\"\nseed = \"seeds/{seed_name}\"\nperiod = {{ start = {start}, end = {end} }}\n# Where the plan was published (shown wherever it is quoted; docs/CONFIG.md):\n# source_publisher = {{ zh = \"\", en = \"\" }}\n# source_date = \"YYYY-MM-DD\"\n# source_url = \"https://\"\n",
            yaml_str(&format!("{}跟踪", plan.title.split_whitespace().next().unwrap_or(&plan.title)))
        ),
    ));
    let mut areas = String::from(
        "# Task areas: the sections of the task part, in plan order. Edit the slugs and English titles.\nareas:\n",
    );
    if let Some(part) = plan.task_part(None) {
        for (i, section) in part.sections.iter().enumerate() {
            let _ = writeln!(
                areas,
                "  - {{slug: area-{}, zh: {}, en: {}}}",
                i + 1,
                yaml_str(&section.title),
                yaml_str(&format!("Task area {}", i + 1))
            );
        }
    }
    out.push(("content/areas.yaml".into(), areas));
    let mut ind = String::from(
        "# Indicator registry generated from the plan's table. Give each an English name and its areas.\nindicators:\n",
    );
    for (i, row) in plan.indicators.iter().enumerate() {
        let _ = writeln!(
            ind,
            "  - id: indicator-{}\n    row: {}\n    en: {}\n    areas: []",
            i + 1,
            yaml_str(&row.name),
            yaml_str(&format!("Indicator {}", i + 1))
        );
    }
    if plan.indicators.is_empty() {
        ind = String::from(
            "# The plan has no indicator table; declare targets from its prose with `quote:`.\nindicators: []\n",
        );
    }
    out.push(("content/indicators.yaml".into(), ind));
    out.push((
        "content/pages/about.zh.md".into(),
        "# 关于\n\n本站跟踪规划的执行情况。\n".into(),
    ));
    out.push((
        "content/pages/about.en.md".into(),
        "# About\n\nThis site tracks the implementation of the plan.\n".into(),
    ));
    out.push(("content/progress/.gitkeep".into(), String::new()));
    out
}

/// The years the plan covers: from the year after its baseline to its target year.
fn period(title: &str) -> (i32, i32) {
    let (baseline, target) = crate::plan::period_years(title);
    (baseline + 1, target)
}

pub fn run(dir: &Path, seed: &Path) -> i32 {
    if !crate::output::is_empty_or_missing(dir) {
        eprintln!("error[init]: {} exists and is not empty", dir.display());
        return EXIT_USAGE;
    }
    let bytes = match crate::input::read_given_file(seed, crate::input::MAX_FILE_BYTES) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error[io]: {e}");
            return EXIT_USAGE;
        }
    };
    let name = seed
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("plan.txt");
    let safe_name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let plan = match read_source(&seed.to_string_lossy(), &bytes).and_then(|d| parse(&d.text)) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error[plan-structure]: {}: {e}", seed.display());
            if let Some(h) = &e.help {
                eprintln!("  = help: {h}");
            }
            return EXIT_CONTENT;
        }
    };
    // Every file is new: nothing that exists is ever replaced.
    let write = || -> Result<(), crate::output::OutputError> {
        crate::output::create_new(&dir.join("seeds").join(&safe_name), &bytes)?;
        for (rel, text) in files(&plan, &safe_name) {
            crate::output::create_new(&dir.join(&rel), text.as_bytes())?;
        }
        Ok(())
    };
    if let Err(e) = write() {
        eprintln!("error[output]: cannot write the site: {e}");
        return EXIT_USAGE;
    }
    eprintln!(
        "created {}: {} parts, {} task areas, {} indicators. Next: edit content/, then `plansite new year YEAR --root {}` and `plansite build --root {}`",
        dir.display(),
        plan.parts.len(),
        plan.task_part(None).map_or(0, |p| p.sections.len()),
        plan.indicators.len(),
        dir.display(),
        dir.display()
    );
    EXIT_OK
}
