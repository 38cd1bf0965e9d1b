//! The pipeline shared by `build`, `serve`, `archive` and `packet`:
//! loaded input → site model → rendered files.

use std::time::{Duration, Instant};

use crate::content::SiteInput;
use crate::model::{self, Site};
use crate::render::{self, Options, Rendered, Theme, markdown};

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
pub fn model(input: &SiteInput, theme: &Theme, as_of: Option<i32>) -> Site {
    model::build(input, &theme.strings, as_of, &markdown::to_safe_html)
}

/// Renders the whole site, adding the plan's open data (`data/plan.json`).
pub fn render(
    input: &SiteInput,
    site: &Site,
    theme: &Theme,
    options: &Options,
) -> Result<Rendered, String> {
    let mut rendered = render::render(site, theme, options).map_err(|e| e.0)?;
    rendered.files.insert(
        "data/plan.json".into(),
        crate::commands::plan::plan_json(input).into_bytes(),
    );
    Ok(rendered)
}
