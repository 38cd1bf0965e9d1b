//! `plansite plan [FILE] [--json]`: the parsed plan, as an outline or as JSON.

use std::io::Write;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::diag::{Code, Diagnostic, Source};
use crate::plan::{Item, Plan, PlanWarning, parse, read_source};
use crate::render::plan_json;

use super::{EXIT_CONTENT, EXIT_USAGE};

/// The plan text `plan` reads: FILE as given, or else the seed of the site at
/// `root` (read as the site reads it: inside the root).
fn plan_bytes(file: Option<&Path>, root: &Path) -> Result<(String, Vec<u8>), i32> {
    if let Some(file) = file {
        return crate::input::read_given_file(file, crate::input::MAX_FILE_BYTES)
            .map(|bytes| (file.display().to_string(), bytes))
            .map_err(|e| {
                eprintln!("error[io]: {e}");
                EXIT_USAGE
            });
    }
    let site = crate::input::SiteRoot::open(root).map_err(|d| {
        eprint!("{}", d.render_human(None));
        EXIT_USAGE
    })?;
    let (config, _) = crate::config::Config::load(&site).map_err(|(d, text)| {
        let source = text.map(|t| Source::new(crate::config::CONFIG_FILE, &t));
        eprint!("{}", d.render_human(source.as_ref()));
        EXIT_USAGE
    })?;
    let bytes = site
        .read(&config.seed, crate::input::MAX_FILE_BYTES)
        .map_err(|d| {
            eprint!("{}", d.render_human(None));
            EXIT_USAGE
        })?;
    Ok((root.join(&config.seed).display().to_string(), bytes))
}

pub fn run(file: Option<&Path>, root: &Path, json: bool, text: bool, explain: bool) -> i32 {
    let (name, bytes) = match plan_bytes(file, root) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let decoded = match read_source(&name, &bytes) {
        Ok(d) => d,
        Err(e) => {
            eprint!(
                "{}",
                Diagnostic::from_plan_error(Code::PlanEncoding, &e, &name).render_human(None)
            );
            return EXIT_CONTENT;
        }
    };
    if text {
        let mut out = String::new();
        for (i, line) in decoded.text.lines().enumerate() {
            out.push_str(&format!("{:>5}  {line}\n", i + 1));
        }
        return super::print_bytes(out.as_bytes());
    }
    let plan = match parse(&decoded.text) {
        Ok(p) => p,
        Err(e) => {
            let source = Source::new(&name, &decoded.text);
            eprint!(
                "{}",
                Diagnostic::from_plan_error(Code::PlanStructure, &e, &name)
                    .render_human(Some(&source))
            );
            return EXIT_CONTENT;
        }
    };
    let mut warnings = plan.warnings.clone();
    if let Some(w) = &decoded.warning {
        warnings.insert(
            0,
            PlanWarning {
                line: 1,
                message: w.clone(),
            },
        );
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = if explain {
        write_explanation(&mut out, &plan, &warnings, &decoded)
    } else if json {
        let source = plan_json::SourceInfo {
            file: &name,
            encoding: decoded.encoding,
            sha256: crate::hex::hex(&Sha256::digest(&bytes)),
            title: None,
            publisher: None,
            date: None,
            url: None,
        };
        plan_json::write(&mut out, &plan, source, &warnings)
    } else {
        write_outline(&mut out, &plan, &warnings, decoded.encoding)
    };
    super::stdout_status(result)
}

/// `plan --explain`: every place where the parser repaired or guessed, by
/// line, so that a user can check its work against the text.
fn write_explanation(
    out: &mut impl Write,
    plan: &Plan,
    warnings: &[PlanWarning],
    decoded: &crate::plan::Decoded,
) -> std::io::Result<()> {
    let mut notes: Vec<(usize, String)> = Vec::new();
    for [a, b] in &plan.joins {
        notes.push((
            *a,
            format!("lines {a} and {b}: one paragraph cut by a page break, joined"),
        ));
    }
    for ([a, b], layout) in &plan.relaid_tables {
        notes.push((
            *a,
            format!("lines {a}–{b}: a table laid out {layout}, read as rows of cells"),
        ));
    }
    if let Some([a, b]) = plan.table_lines {
        notes.push((
            a,
            format!(
                "lines {a}–{b}: the indicator table, {} rows{}",
                plan.indicators.len(),
                plan.table_caption
                    .as_ref()
                    .map_or(String::new(), |c| format!(", captioned “{c}”"))
            ),
        ));
    }
    for w in warnings {
        notes.push((w.line, format!("line {}: {}", w.line, w.message)));
    }
    notes.sort_by_key(|(line, _)| *line);
    writeln!(
        out,
        "{}: read as {} ({}); {} note(s). Line numbers are those of `plansite plan --text`.",
        plan.title,
        decoded.encoding,
        if decoded.warning.is_some() {
            "with a warning"
        } else {
            "as it is"
        },
        notes.len()
    )?;
    for (_, note) in notes {
        writeln!(out, "  {note}")?;
    }
    Ok(())
}

fn write_outline(
    out: &mut impl Write,
    plan: &Plan,
    warnings: &[PlanWarning],
    encoding: &str,
) -> std::io::Result<()> {
    writeln!(out, "{}", plan.title)?;
    let paragraphs = plan.paragraphs().len();
    let sections: usize = plan.parts.iter().map(|p| p.sections.len()).sum();
    writeln!(
        out,
        "{} parts, {sections} sections, {paragraphs} paragraphs, {} indicators; {} page-break cuts joined; {encoding}",
        plan.parts.len(),
        plan.indicators.len(),
        plan.joins.len()
    )?;
    if !plan.preamble.is_empty() {
        writeln!(out, "  preamble: {} paragraph(s)", plan.preamble.len())?;
    }
    fn items(out: &mut impl Write, list: &[Item], depth: usize) -> std::io::Result<()> {
        for item in list {
            let pad = "  ".repeat(depth);
            writeln!(
                out,
                "{pad}{:<10} {}  [lines {}–{}]",
                item.id, item.title, item.lines[0], item.lines[1]
            )?;
            items(out, &item.items, depth + 1)?;
        }
        Ok(())
    }
    for part in &plan.parts {
        writeln!(
            out,
            "{:<12} {}  [lines {}–{}]",
            part.id, part.title, part.lines[0], part.lines[1]
        )?;
        for section in &part.sections {
            writeln!(
                out,
                "  {:<10} {}  [lines {}–{}, {} paragraphs, {} items]",
                section.id,
                section.title,
                section.lines[0],
                section.lines[1],
                section.paragraphs.len(),
                section.items.len()
            )?;
            items(out, &section.items, 2)?;
        }
    }
    if !plan.indicators.is_empty() {
        writeln!(out, "indicators:")?;
        for ind in &plan.indicators {
            writeln!(
                out,
                "  {} | {}{} | {} {} → {} {}{}{}",
                if ind.group.is_empty() {
                    "-"
                } else {
                    &ind.group
                },
                ind.name,
                if ind.unit.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", ind.unit)
                },
                ind.baseline.year,
                ind.baseline.raw,
                ind.target.year,
                ind.target.raw,
                match ind.target.op {
                    crate::plan::Op::Qualitative => match &ind.target.words {
                        Some(_) => " (in words)",
                        None => " (not readable)",
                    },
                    _ => "",
                },
                match ind.attribute {
                    Some(crate::plan::Attribute::Anticipatory) => " | anticipatory (预期性)",
                    Some(crate::plan::Attribute::Binding) => " | binding (约束性)",
                    None => "",
                }
            )?;
        }
    }
    for w in warnings {
        writeln!(out, "warning: line {}: {}", w.line, w.message)?;
    }
    Ok(())
}
