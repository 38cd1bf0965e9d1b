//! `plansite translate export|import`: the English edition out to a
//! translator's tool as XLIFF 2.0, and back into `content/plan.en.yaml`.

use std::path::PathBuf;

use crate::content::translation::{self, TRANSLATION_FILE, units, zh_hash};
use crate::content::xliff;

use super::{EXIT_CONTENT, EXIT_OK, EXIT_USAGE};

#[derive(Debug, clap::Subcommand)]
pub enum TranslateCommand {
    /// Write the plan's units and their English as XLIFF 2.0 (to FILE, or standard output)
    Export {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The format (XLIFF 2.0 is the one there is)
        #[arg(long, value_enum, default_value = "xliff")]
        format: Format,
        /// Where to write it (default: standard output); an existing FILE only if plansite wrote it, unless --force
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        #[arg(long, requires = "output")]
        force: bool,
    },
    /// Read a translated XLIFF file back into content/plan.en.yaml
    Import {
        file: PathBuf,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Xliff,
}

/// What an XLIFF file plansite wrote holds near its start.
const MARKER: &str = "<file id=\"plan\" original=";

pub fn run(command: TranslateCommand) -> i32 {
    match command {
        TranslateCommand::Export {
            root,
            format: Format::Xliff,
            output,
            force,
        } => export(&root, output, force),
        TranslateCommand::Import { file, root } => import(&file, &root),
    }
}

/// The site (with every diagnostic: a site with errors can still be
/// translated) and its English entries as written.
fn site(
    root: &std::path::Path,
) -> Result<(crate::content::SiteInput, Vec<translation::Entry>), i32> {
    let input = match crate::content::load_all(root) {
        Ok(input) => input,
        Err(failure) => {
            for d in &failure.diagnostics {
                eprint!("{}", d.render_human(failure.sources.get(&d.file)));
            }
            return Err(if failure.io { EXIT_USAGE } else { EXIT_CONTENT });
        }
    };
    let entries = if input.root.exists(TRANSLATION_FILE) {
        let text = input
            .root
            .read_text(TRANSLATION_FILE, crate::input::MAX_FILE_BYTES)
            .and_then(|t| translation::entries(&t));
        match text {
            Ok(entries) => entries,
            Err(d) => {
                eprint!("{}", d.render_human(None));
                return Err(EXIT_CONTENT);
            }
        }
    } else {
        Vec::new()
    };
    Ok((input, entries))
}

fn export(root: &std::path::Path, output: Option<PathBuf>, force: bool) -> i32 {
    let (input, entries) = match site(root) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let units = units(&input.plan);
    let xml = xliff::export(
        &units,
        &entries,
        &|id| input.translation.state(id),
        &input.glossary,
        &input.seed_file,
    );
    let Some(out) = output else {
        return super::print_bytes(xml.as_bytes());
    };
    let guard = super::build::guard(&input);
    let policy = if force {
        crate::output::Replace::Always
    } else {
        crate::output::Replace::IfMarked(MARKER.as_bytes())
    };
    match crate::output::replace(&guard, &out, xml.as_bytes(), policy) {
        Ok(_) => {
            eprintln!(
                "wrote {}: {} units ({} to translate)",
                out.display(),
                units.len(),
                input.translation.missing.len() + input.translation.stale.len()
            );
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error[output]: {e}");
            EXIT_USAGE
        }
    }
}

fn import(file: &std::path::Path, root: &std::path::Path) -> i32 {
    let xml = match crate::input::read_given_file(file, crate::input::MAX_FILE_BYTES)
        .and_then(|b| String::from_utf8(b).map_err(|_| "it is not UTF-8 text".to_string()))
    {
        Ok(x) => x,
        Err(e) => {
            eprintln!("error[io]: {}: {e}", file.display());
            return EXIT_USAGE;
        }
    };
    let imported = match xliff::import(&xml) {
        Ok(units) => units,
        Err(e) => {
            eprintln!("error[xliff]: {}: {e}", file.display());
            return EXIT_CONTENT;
        }
    };
    let (input, mut entries) = match site(root) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let units = units(&input.plan);
    // By id: a large plan has tens of thousands of units.
    let position: std::collections::HashMap<&str, usize> = units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id.as_str(), i))
        .collect();
    let mut entry_at: std::collections::HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.clone(), i))
        .collect();
    let (mut updated, mut added, mut same, mut skipped) = (0, 0, 0, Vec::new());
    for u in &imported {
        let target = u.target.trim();
        if target.is_empty() {
            continue;
        }
        let Some(unit) = position.get(u.id.as_str()).map(|&i| &units[i]) else {
            skipped.push(format!("{}: not a unit of the plan", u.id));
            continue;
        };
        // The English is for the Chinese the file carries: the plan's own, or
        // it would be recorded against a text it does not translate.
        if u.source.trim() != unit.zh.trim() {
            skipped.push(format!(
                "{}: its Chinese changed since the file was exported (export again)",
                u.id
            ));
            continue;
        }
        let hash = zh_hash(unit.zh);
        match entry_at.get(&u.id).map(|&i| &mut entries[i]) {
            Some(e) if e.en == target && e.zh_hash == hash => same += 1,
            Some(e) => {
                e.en = target.to_string();
                e.zh_hash = hash;
                updated += 1;
            }
            None => {
                entry_at.insert(u.id.clone(), entries.len());
                entries.push(translation::Entry {
                    id: u.id.clone(),
                    zh_hash: hash,
                    en: target.to_string(),
                    notes: Vec::new(),
                });
                added += 1;
            }
        }
    }
    // In the plan's order; entries for no unit of the plan stay, at the end.
    entries.sort_by_key(|e| position.get(e.id.as_str()).copied().unwrap_or(usize::MAX));
    for s in &skipped {
        eprintln!("warning[xliff]: {s}");
    }
    if updated + added > 0 {
        let text = translation::write_entries(&entries);
        if let Err(e) = crate::output::rewrite_translation(&input.root, text.as_bytes()) {
            eprintln!("error[output]: {e}");
            return EXIT_USAGE;
        }
    }
    eprintln!(
        "{TRANSLATION_FILE}: {updated} updated, {added} added, {same} unchanged, {} skipped",
        skipped.len()
    );
    EXIT_OK
}
