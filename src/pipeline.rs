//! The pipeline shared by `build`, `serve`, `archive` and `packet`:
//! loaded input → site model → rendered files.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::content::SiteInput;
use crate::model::{self, Site};
use crate::render::{self, Files, Memory, Options, Sink, Summary, Theme, markdown};

pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    pub fn new() -> Self {
        Timings { stages: Vec::new() }
    }
    pub fn time<T>(&mut self, stage: &'static str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.stages.push((stage, start.elapsed()));
        out
    }
    pub fn report(&self) -> String {
        self.stages
            .iter()
            .map(|(name, d)| format!("  {name:<10} {:>8.2} ms", d.as_secs_f64() * 1000.0))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Default for Timings {
    fn default() -> Self {
        Self::new()
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
    let (summary, plan) = rayon::join(
        || render::render(site, theme, options, sink).map_err(|e| e.0),
        || crate::commands::plan::plan_json(input).into_bytes(),
    );
    let summary = summary?;
    sink.put("data/plan.json", &plan)?;
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
