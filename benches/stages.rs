//! Stage benchmarks of the default site: parse, load (+validate), model, render,
//! and a serve-style in-memory rebuild. Medians over repeated runs.
//!
//!     cargo bench --bench stages
//!
//! (Plain `std::time`; no benchmark framework needed for medians of whole stages.)

use std::path::Path;
use std::time::{Duration, Instant};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn bench<T>(name: &str, runs: usize, mut f: impl FnMut() -> T) {
    let _ = f(); // warm-up
    let samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    let min = samples.iter().min().copied().unwrap_or_default();
    println!(
        "{name:<28} median {:>9.3} ms   min {:>9.3} ms   ({runs} runs)",
        median(samples).as_secs_f64() * 1e3,
        min.as_secs_f64() * 1e3
    );
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seed =
        std::fs::read_to_string(root.join("seeds/hebei-education-14th-fyp.txt")).expect("seed");
    bench("parse seed", 200, || {
        plansite::plan::parse(&seed).map(|p| p.parts.len())
    });
    bench("load + validate site", 50, || {
        plansite::content::load(root)
            .map(|i| i.diagnostics.len())
            .unwrap_or(0)
    });
    let Ok(input) = plansite::content::load(root) else {
        panic!("the default site loads")
    };
    let theme = plansite::render::Theme::load(root, "default").expect("theme");
    bench("model", 50, || {
        plansite::pipeline::model(&input, &theme, None)
            .indicators
            .len()
    });
    let site = plansite::pipeline::model(&input, &theme, None);
    let options = plansite::render::Options::default();
    bench("render (all pages)", 30, || {
        plansite::pipeline::render_to_memory(&input, &site, &theme, &options).map(|(f, _)| f.len())
    });
    bench("serve rebuild (in memory)", 30, || {
        plansite::commands::serve::build_in_memory(root, 1111).map(|f| f.len())
    });
}
