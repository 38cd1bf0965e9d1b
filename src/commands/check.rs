//! `plansite check`: load everything, report every problem, exit 1 on errors.

use std::path::Path;

use crate::content::{self, SiteInput};
use crate::diag::{Diagnostic, Severity, Sources};

use super::{EXIT_CONTENT, EXIT_OK, EXIT_USAGE};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
}

/// Under `--strict` warnings count as errors.
pub fn apply_strict(diags: &mut [Diagnostic]) {
    for d in diags {
        d.severity = Severity::Error;
    }
}

pub fn print(diags: &[Diagnostic], sources: &Sources, format: Format, out: &mut String) {
    match format {
        Format::Human => {
            for d in diags {
                out.push_str(&d.render_human(sources.get(&d.file)));
                out.push('\n');
            }
        }
        Format::Github => {
            for d in diags {
                out.push_str(&d.render_github());
                out.push('\n');
            }
        }
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

pub fn run(root: &Path, strict: bool, format: Format) -> i32 {
    let mut out = String::new();
    let code = match content::load(root) {
        Err(mut failure) => {
            sort(&mut failure.diagnostics);
            print(&failure.diagnostics, &failure.sources, format, &mut out);
            if failure.io { EXIT_USAGE } else { EXIT_CONTENT }
        }
        Ok(mut input) => {
            if strict {
                apply_strict(&mut input.diagnostics);
            }
            sort(&mut input.diagnostics);
            print(&input.diagnostics, &input.sources, format, &mut out);
            if format == Format::Human {
                out.push_str(&summary(&input));
                out.push('\n');
            }
            if input.has_errors() {
                EXIT_CONTENT
            } else {
                EXIT_OK
            }
        }
    };
    // A closed pipe (`check | head`) is not an error worth a panic.
    let _ = std::io::Write::write_all(&mut std::io::stdout(), out.as_bytes());
    code
}
