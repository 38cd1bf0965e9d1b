//! The pipeline shared by `build`, `serve`, `archive` and `packet`:
//! loaded input → site model → rendered files.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::content::SiteInput;
use crate::model::{self, Site};
use crate::render::{self, Files, Memory, Options, Sink, Summary, Theme, markdown};

pub struct Timings {
    /// Each stage's wall time and the process's peak RSS when it ended.
    pub stages: Vec<(&'static str, Duration, Option<u64>)>,
    /// Reads the process's peak resident set in KiB (the CLI's: it reads /proc).
    peak_rss: fn() -> Option<u64>,
}

impl Timings {
    pub fn new(peak_rss: fn() -> Option<u64>) -> Self {
        Timings {
            stages: Vec::new(),
            peak_rss,
        }
    }
    pub fn time<T>(&mut self, stage: &'static str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.stages
            .push((stage, start.elapsed(), (self.peak_rss)()));
        out
    }
    pub fn report(&self) -> String {
        self.stages
            .iter()
            .map(|(name, d, peak)| {
                let peak = peak.map_or(String::new(), |kib| {
                    format!("   peak RSS {:>5} MB", kib / 1024)
                });
                format!("  {name:<10} {:>8.2} ms{peak}", d.as_secs_f64() * 1000.0)
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The site model for the data up to `as_of` (None: everything).
pub fn model(input: &SiteInput, theme: &Theme, as_of: Option<i32>) -> Arc<Site> {
    Arc::new(model::build(
        input,
        &theme.strings,
        as_of,
        &markdown::to_safe_html,
    ))
}

/// Renders the whole site into `sink`, adding the plan's open data (`data/plan.json`).
pub fn render(
    input: &SiteInput,
    site: &Arc<Site>,
    theme: &Theme,
    options: &Options,
    sink: &dyn Sink,
) -> Result<Summary, String> {
    // The plan's JSON (10 MB at 10,000 pages) is written as it is made.
    let (summary, plan) = rayon::join(
        || render::render(site, theme, options, sink).map_err(|e| e.0),
        || {
            sink.put_with("data/plan.json", &mut |out| {
                render::plan_json::write_site(input, out)
            })
        },
    );
    plan?;
    let summary = summary?;
    // static/: copied as it is; a path the render wrote is refused by the sink.
    for rel in &input.static_files {
        let bytes = input
            .root
            .read(rel, crate::input::MAX_FILE_BYTES)
            .map_err(|d| format!("{rel}: {}", d.message))?;
        sink.put(crate::content::statics::output_path(rel), &bytes)?;
    }
    Ok(summary)
}

/// Renders the whole site into memory.
pub fn render_to_memory(
    input: &SiteInput,
    site: &Arc<Site>,
    theme: &Theme,
    options: &Options,
) -> Result<(Files, Summary), String> {
    let memory = Memory::default();
    let summary = render(input, site, theme, options, &memory)?;
    Ok((memory.into_files(), summary))
}
