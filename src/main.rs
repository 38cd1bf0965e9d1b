use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use plansite::commands;

// glibc's malloc spent a tenth of a 10,000-page build in free/consolidate under
// two rendering threads; mimalloc's per-thread heaps avoid that (docs/PERFORMANCE.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// plansite: bilingual static sites that track a development plan.
#[derive(Parser)]
#[command(name = "plansite", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the parsed plan (outline, or JSON with --json)
    Plan {
        /// Any plan text; default: the site's seed
        file: Option<PathBuf>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Build the site into public/ (or --out)
    Build(commands::build::BuildArgs),
    /// Serve the site from memory on 127.0.0.1, rebuilding on change with live reload
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in a browser
        #[arg(long)]
        open: bool,
    },
    /// Write one portable snapshot per reporting year into archive/
    Archive {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write a one-file review packet for a year
    Packet {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        year: i32,
        #[arg(long, value_enum, default_value = "both")]
        lang: commands::packet::Lang,
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// Create things: `new year YEAR`
    New {
        #[command(subcommand)]
        what: NewWhat,
    },
    /// Create a new site for another plan text
    Init {
        dir: PathBuf,
        #[arg(long)]
        seed: PathBuf,
    },
    /// Validate config, plan, registries and progress files; report every problem
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Treat warnings (missing languages, stale translations, …) as errors
        #[arg(long)]
        strict: bool,
        #[arg(long, value_enum, default_value = "human")]
        format: commands::check::Format,
    },
}

#[derive(Subcommand)]
enum NewWhat {
    /// A progress file listing every indicator and area
    Year {
        year: i32,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let code = match cli.command {
        Command::Plan { file, root, json } => {
            let file = match file {
                Some(f) => f,
                None => match plansite::config::Config::load(&root) {
                    Ok((config, _)) => root.join(config.seed),
                    Err(d) => {
                        d.eprint(None);
                        return ExitCode::from(2);
                    }
                },
            };
            commands::plan::run(&file, json)
        }
        Command::Build(args) => commands::build::run(args),
        Command::Serve { root, port, open } => commands::serve::run(&root, port, open),
        Command::Archive { root, out } => commands::archive::run(&root, out),
        Command::Packet {
            root,
            year,
            lang,
            output,
        } => commands::packet::run(&root, year, lang, output),
        Command::New {
            what: NewWhat::Year { year, root },
        } => commands::new_year::run(&root, year),
        Command::Init { dir, seed } => commands::init::run(&dir, &seed),
        Command::Check {
            root,
            strict,
            format,
        } => commands::check::run(&root, strict, format),
    };
    ExitCode::from(code as u8)
}
