//! `plansite check`: load everything, report every problem, exit 1 on errors.

use std::path::{Path, PathBuf};

use crate::annotations;
use crate::content::{self, SiteInput};
use crate::diag::{Code, Diagnostic, Severity, Sources};

use super::{EXIT_CONTENT, EXIT_OK, EXIT_USAGE};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// A SARIF 2.1.0 log (GitHub code scanning and other CI systems).
    Sarif,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Treat warnings (missing languages, stale translations, missing sources, …) as errors
    #[arg(long)]
    pub strict: bool,
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// What to put before file paths in github and sarif output (default: the
    /// site root's path inside its git repository, so annotations attach to
    /// the pull request's files)
    #[arg(long)]
    pub path_prefix: Option<String>,
    /// Also write a SARIF 2.1.0 log to FILE (an existing FILE only if it is a
    /// log plansite wrote, unless --force)
    #[arg(long, value_name = "FILE")]
    pub sarif: Option<PathBuf>,
    /// Let --sarif replace an existing file that plansite did not write (never an input)
    #[arg(long, requires = "sarif")]
    pub force: bool,
}

/// Under `--strict` warnings count as errors.
pub fn apply_strict(diags: &mut [Diagnostic]) {
    for d in diags {
        d.severity = Severity::Error;
    }
}

pub fn print(
    diags: &[Diagnostic],
    sources: &Sources,
    format: Format,
    prefix: &str,
    out: &mut String,
) {
    match format {
        Format::Human => {
            for d in diags {
                out.push_str(&d.render_human(sources.get(&d.file)));
                out.push('\n');
            }
        }
        Format::Github => {
            for d in diags {
                out.push_str(&annotations::github(d, prefix));
                out.push('\n');
            }
        }
        Format::Sarif => out.push_str(&annotations::sarif(diags, prefix)),
        Format::Json => {
            let errors = diags.iter().filter(|d| d.is_error()).count();
            let doc = serde_json::json!({
                "errors": errors,
                "warnings": diags.len() - errors,
                "diagnostics": diags,
            });
            out.push_str(&serde_json::to_string_pretty(&doc).unwrap_or_default());
            out.push('\n');
        }
    }
}

/// Sorted for stable output: by file, line, column.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.code).cmp(&(&b.file, b.line, b.column, &b.code))
    });
}

pub fn summary(input: &SiteInput) -> String {
    let errors = input.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = input.diagnostics.len() - errors;
    let years: Vec<String> = input.progress.iter().map(|p| p.year.to_string()).collect();
    format!(
        "{}: {} parts, {} task areas, {} indicators, progress for {}\n{}\n{} error(s), {} warning(s)",
        input.config.seed,
        input.plan.parts.len(),
        input.areas.len(),
        input.registry.indicators.len(),
        if years.is_empty() {
            "no years".to_string()
        } else {
            years.join(", ")
        },
        input.translation.coverage_line(),
        errors,
        warnings
    )
}

/// Renders the site into nothing; a template or path error as a diagnostic.
fn render_check(input: &SiteInput) -> Option<Diagnostic> {
    let theme = match crate::render::Theme::with_overrides(&input.theme_files) {
        Ok(theme) => theme,
        Err(e) => return Some(Diagnostic::error(Code::Theme, "plansite.toml", 0, 0, e)),
    };
    let site = crate::pipeline::model(input, &theme, None);
    let options = crate::render::Options::default();
    crate::pipeline::render(input, &site, &theme, &options, &crate::render::PathsOnly::default())
        .err()
        .map(|e| {
            Diagnostic::error(Code::Template, "templates", 0, 0, e).help("the templates in themes/ or templates/ read a name or field the site does not have; docs/THEMES.md lists what each template gets")
        })
}

pub fn run(args: CheckArgs) -> i32 {
    let root: &Path = &args.root;
    let prefix = args.path_prefix.clone().map_or_else(
        || crate::input::repo_prefix(root),
        |p| {
            if p.is_empty() || p.ends_with('/') {
                p
            } else {
                format!("{p}/")
            }
        },
    );
    let mut out = String::new();
    let (code, diags, headline) = match content::load_all(root) {
        Err(mut failure) => {
            sort(&mut failure.diagnostics);
            print(
                &failure.diagnostics,
                &failure.sources,
                args.format,
                &prefix,
                &mut out,
            );
            let code = if failure.io { EXIT_USAGE } else { EXIT_CONTENT };
            (
                code,
                failure.diagnostics,
                "The site could not be loaded.".to_string(),
            )
        }
        Ok(mut input) => {
            if args.strict {
                apply_strict(&mut input.diagnostics);
            }
            // Every page rendered (into nothing) under the templates' strict
            // rules: a template that reads a field the site lacks, or two
            // sources of one output path, fail here rather than at build.
            if !input.has_errors()
                && let Some(d) = render_check(&input)
            {
                input.diagnostics.push(d);
            }
            sort(&mut input.diagnostics);
            print(
                &input.diagnostics,
                &input.sources,
                args.format,
                &prefix,
                &mut out,
            );
            let headline = summary(&input);
            if args.format == Format::Human {
                out.push_str(&headline);
                out.push('\n');
            }
            let code = if input.has_errors() {
                EXIT_CONTENT
            } else {
                EXIT_OK
            };
            (code, std::mem::take(&mut input.diagnostics), headline)
        }
    };
    // A closed pipe (`check | head`) is not an error worth a panic.
    let _ = std::io::Write::write_all(&mut std::io::stdout(), out.as_bytes());
    let guard = crate::input::SiteRoot::open(root)
        .map(|r| crate::output::Guard::new(&r, &[]))
        .ok();
    if let Some(file) = &args.sarif {
        let written = match &guard {
            Some(g) => crate::output::replace(
                g,
                file,
                annotations::sarif(&diags, &prefix).as_bytes(),
                if args.force {
                    crate::output::Replace::Always
                } else {
                    crate::output::Replace::IfMarked(annotations::SARIF_MARKER.as_bytes())
                },
            )
            .map(drop),
            None => Err(crate::output::OutputError(
                "the site root cannot be opened".into(),
            )),
        };
        if let Err(e) = written {
            eprintln!("error[output]: --sarif: {e}");
            return EXIT_USAGE;
        }
    }
    // On GitHub Actions, a summary on the job's page.
    if let (Some(summary_file), Some(guard)) = (
        std::env::var_os("GITHUB_STEP_SUMMARY").filter(|f| !f.is_empty()),
        &guard,
    ) {
        let text = annotations::step_summary(&diags, &prefix, &headline.replace('\n', "  \n"));
        if let Err(e) = crate::output::append(guard, Path::new(&summary_file), text.as_bytes()) {
            eprintln!("warning: $GITHUB_STEP_SUMMARY: {e}");
        }
    }
    code
}
