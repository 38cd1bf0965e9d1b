//! `plansite build`: the whole public site into `--out` (default `public/`).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::content::{self, SiteInput};
use crate::output;
use crate::pipeline::{self, Timings};
use crate::render::{Options, Theme};

use super::{EXIT_CONTENT, EXIT_OK, EXIT_USAGE};

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Show the site as it stood at the end of YEAR
    #[arg(long)]
    pub as_of: Option<i32>,
    /// Absolute URL the site is published at (sitemap, feeds)
    #[arg(long)]
    pub base_url: Option<String>,
    /// Link to index.html explicitly so pages work opened from disk
    #[arg(long)]
    pub portable: bool,
    /// Print the time each stage took
    #[arg(long)]
    pub timings: bool,
    /// Fail on what `check --strict` fails on: warnings too (a stale or missing translation, a missing language, …)
    #[arg(long)]
    pub strict: bool,
}

/// Loads the site and prints its errors; `None` means the command must stop with the code given.
pub fn load_or_report(root: &Path) -> Result<SiteInput, i32> {
    match content::load(root) {
        Err(failure) => {
            for d in &failure.diagnostics {
                eprint!("{}", d.render_human(failure.sources.get(&d.file)));
            }
            if failure.io {
                Err(EXIT_USAGE)
            } else {
                eprintln!(
                    "{} error(s): nothing was written (run `plansite check` for every warning too)",
                    failure.diagnostics.len()
                );
                Err(EXIT_CONTENT)
            }
        }
        Ok(input) => Ok(input),
    }
}

pub fn theme_or_report(input: &SiteInput) -> Result<Theme, i32> {
    Theme::with_overrides(&input.theme_files).map_err(|e| {
        eprintln!("error[theme]: {e}");
        EXIT_USAGE
    })
}

/// What plansite must never write over in this site.
pub fn guard(input: &SiteInput) -> output::Guard {
    let seed = input.root.real().join(&input.seed_file);
    output::Guard::new(&input.root, &[seed])
}

/// Takes the output folder's lock, saying so when another run holds it.
pub fn lock_output(out: &Path) -> Result<output::OutputLock, output::OutputError> {
    output::OutputLock::acquire(out, || {
        eprintln!(
            "waiting for another plansite run that is writing {}",
            out.display()
        );
    })
}

/// `plansite build`, as the process runs it: it returns the exit code and
/// leaves the site model's memory to the process's exit.
pub fn run(args: BuildArgs) -> i32 {
    let started = Instant::now();
    let mut timings = Timings::new(crate::memory::peak_rss_kib);
    let progress = if std::io::stderr().is_terminal() && std::env::var_os("CI").is_none() {
        indicatif::ProgressBar::new_spinner()
    } else {
        indicatif::ProgressBar::hidden()
    };
    progress.set_message("loading");
    let mut input = match timings.time("load", || load_or_report(&args.root)) {
        Ok(i) => i,
        Err(code) => return code,
    };
    if args.strict && !input.diagnostics.is_empty() {
        let mut diags = input.diagnostics.clone();
        super::check::apply_strict(&mut diags);
        super::check::sort(&mut diags);
        for d in &diags {
            eprint!("{}", d.render_human(input.sources.get(&d.file)));
        }
        eprintln!(
            "{} error(s) under --strict: nothing was written",
            diags.len()
        );
        return EXIT_CONTENT;
    }
    let (stale, missing) = (
        input.translation.stale.len(),
        input.translation.missing.len(),
    );
    if stale + missing > 0 {
        eprintln!(
            "English: {stale} unit(s) stale, {missing} missing; published with a notice on each (`build --strict` fails on them; `plansite check` lists them)"
        );
    }
    if let Some(url) = &args.base_url {
        match crate::config::check_base_url(url) {
            Ok(url) => input.config.base_url = url,
            Err(e) => {
                eprintln!("error[base-url]: --base-url: {e}");
                return EXIT_USAGE;
            }
        }
    }
    if let Some(year) = args.as_of {
        let (start, end) = (input.config.period.start, input.config.period.end);
        if !(start..=end).contains(&year) {
            eprintln!("error[as-of]: --as-of {year} is outside the plan period {start}–{end}");
            return EXIT_USAGE;
        }
    }
    let theme = match timings.time("theme", || theme_or_report(&input)) {
        Ok(t) => t,
        Err(code) => return code,
    };
    progress.set_message("rendering");
    let site = timings.time("model", || pipeline::model(&input, &theme, args.as_of));
    input.drop_model_inputs();
    let out = args.out.clone().unwrap_or_else(|| args.root.join("public"));
    let options = Options {
        portable: args.portable,
        inject: None,
        archive_link: out.join("archive/index.html").is_file(),
        snapshot: None,
    };
    // Pages go to disk as they are rendered; the output folder changes only at commit.
    let staging = match lock_output(&out)
        .and_then(|lock| output::Staging::begin(&guard(&input), &out, &["archive"], lock))
    {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error[output]: {e}");
            return EXIT_USAGE;
        }
    };
    let rendered = match timings.time("render", || {
        pipeline::render(&input, &site, &theme, &options, &staging)
    }) {
        Ok(r) => r,
        Err(e) => {
            if let Some(e) = staging.write_error() {
                eprintln!("error[output]: {e}");
                return EXIT_USAGE;
            }
            eprintln!("error[render]: {e}");
            return EXIT_CONTENT;
        }
    };
    progress.set_message("writing");
    let report = match timings.time("commit", || staging.commit()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error[output]: {e}");
            return EXIT_USAGE;
        }
    };
    progress.finish_and_clear();
    let warnings = input.diagnostics.len();
    let index: Vec<String> = rendered
        .search_index_bytes
        .iter()
        .map(|(l, b)| format!("{l} {:.0} KB", *b as f64 / 1024.0))
        .collect();
    eprintln!(
        "built {} pages, {} files, {:.1} MB in {} ms → {} (search index: {}){}",
        rendered.pages,
        report.files,
        report.bytes as f64 / 1_048_576.0,
        started.elapsed().as_millis(),
        out.display(),
        index.join(", "),
        if warnings > 0 {
            format!("; {warnings} warning(s), see `plansite check`")
        } else {
            String::new()
        }
    );
    if args.timings {
        eprintln!("{}", timings.report());
    }
    // The process exits next: its memory goes back to the OS whole, without
    // freeing the model's millions of allocations one by one (14 ms at 10,000 pages).
    std::mem::forget(site);
    std::mem::forget(input);
    EXIT_OK
}
