#![no_main]
//! Any text as content/progress/2023.yaml of the default site.
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use plansite::content::{SiteInput, load, progress};

static SITE: OnceLock<Option<SiteInput>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let site = SITE.get_or_init(|| load(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("repo")).ok());
    let (Some(site), Ok(text)) = (site, std::str::from_utf8(data)) else { return };
    let known = progress::Known { indicators: &site.registry.indicators, areas: &site.areas, period: (2021, 2025) };
    let mut diags = Vec::new();
    let _ = progress::load("content/progress/2023.yaml", 2023, text, &known, &mut diags);
});
