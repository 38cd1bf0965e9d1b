use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use plansite::commands;

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
            let file = file.unwrap_or_else(|| root.join("seeds/hebei-education-14th-fyp.txt"));
            commands::plan::run(&file, json)
        }
    };
    ExitCode::from(code as u8)
}
