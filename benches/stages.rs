//! Stage benchmarks of the default site: parse, load (+validate), model, the
//! search indexes, render, and a serve-style in-memory rebuild. Medians over
//! repeated runs.
//!
//!     cargo bench --bench stages
//!     BENCH_SITE=/tmp/s10k cargo bench --bench stages   # any site root, 5 runs a stage
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
    let custom = std::env::var_os("BENCH_SITE");
    let root = custom
        .as_deref()
        .map_or(Path::new(env!("CARGO_MANIFEST_DIR")), Path::new);
    // A big site takes seconds a stage: fewer runs.
    let runs = |default: usize| if custom.is_some() { 5 } else { default };
    let Ok(input) = plansite::content::load(root) else {
        panic!("the site at {} loads", root.display())
    };
    // Decoded as `load` does: a seed may be GB18030 or UTF-16.
    let seed_bytes = std::fs::read(root.join(&input.seed_file)).expect("seed");
    let seed = plansite::plan::decode(&seed_bytes)
        .expect("seed decodes")
        .text;
    bench("parse seed", runs(200), || {
        plansite::plan::parse(&seed).map(|p| p.parts.len())
    });
    bench("load + validate site", runs(50), || {
        plansite::content::load(root)
            .map(|i| i.diagnostics.len())
            .unwrap_or(0)
    });
    let theme = plansite::render::Theme::with_overrides(&input.theme_files).expect("theme");
    bench("model", runs(50), || {
        plansite::pipeline::model(&input, &theme, None)
            .indicators
            .len()
    });
    let site = plansite::pipeline::model(&input, &theme, None);
    for lang in plansite::i18n::LANGS {
        bench(&format!("search index ({lang})"), runs(30), || {
            plansite::render::search::files(&site, lang)
                .iter()
                .map(|f| f.1.len())
                .sum::<usize>()
        });
    }
    let options = plansite::render::Options::default();
    bench("render (all pages)", runs(30), || {
        plansite::pipeline::render_to_memory(&input, &site, &theme, &options).map(|(f, _)| f.len())
    });
    bench("serve rebuild (in memory)", runs(30), || {
        plansite::commands::serve::build_in_memory(root, "http://127.0.0.1:1111/").map(|f| f.len())
    });
}
