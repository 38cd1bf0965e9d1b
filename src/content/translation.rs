//! `content/plan.en.yaml`: the English edition, one entry per plan node id, each
//! carrying a short hash of the Chinese it translates so that a changed Chinese
//! paragraph shows up as a stale translation.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::yaml::{KeyedList, pos};
use crate::diag::{Code, Diagnostic};
use crate::plan::Plan;

pub const TRANSLATION_FILE: &str = "content/plan.en.yaml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryRaw {
    zh_hash: String,
    en: String,
    /// Translator's notes, shown as footnotes of the English.
    #[serde(default)]
    notes: Vec<NoteRaw>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NoteRaw {
    /// The footnote mark goes after the first occurrence of this text in the
    /// English; without it, at the end of the unit.
    #[serde(default)]
    after: Option<String>,
    text: String,
}

/// A translator's note: numbered through the whole plan, in document order.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Note {
    pub number: usize,
    /// Where the mark goes: after this text, or at the end of the unit.
    pub after: Option<String>,
    pub text: String,
}

/// Whether a unit's English is current, stale (its Chinese changed since it
/// was translated) or missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Current,
    Stale,
    Missing,
}

/// 12 hex digits of SHA-256 over the Chinese text.
pub fn zh_hash(text: &str) -> String {
    crate::hex::hex(&Sha256::digest(text.as_bytes())[..6])
}

/// One translatable unit of the plan: a title, a heading or a paragraph.
pub struct Unit<'a> {
    pub id: String,
    pub zh: &'a str,
    pub lines: [usize; 2],
    pub paragraph: bool,
}

/// Every unit in document order: the title (`title`), the preamble, each heading
/// and paragraph, and the table caption (`table`).
pub fn units(plan: &Plan) -> Vec<Unit<'_>> {
    let title_lines = [plan.title_line, plan.title_line];
    let mut out = vec![Unit {
        id: "title".into(),
        zh: &plan.title,
        lines: title_lines,
        paragraph: false,
    }];
    for p in &plan.preamble {
        out.push(Unit {
            id: p.id.clone(),
            zh: &p.text,
            lines: p.lines,
            paragraph: true,
        });
    }
    for node in plan.nodes() {
        out.push(Unit {
            id: node.id().to_string(),
            zh: node.title(),
            lines: node.lines(),
            paragraph: false,
        });
        for p in node.paragraphs() {
            out.push(Unit {
                id: p.id.clone(),
                zh: &p.text,
                lines: p.lines,
                paragraph: true,
            });
        }
    }
    if let (Some(caption), Some(lines)) = (&plan.table_caption, plan.table_lines) {
        out.push(Unit {
            id: "table".into(),
            zh: caption,
            lines: [lines[0], lines[0]],
            paragraph: false,
        });
    }
    out
}

#[derive(Debug, Clone, Default)]
pub struct Translation {
    /// id → English text, for current (not stale) entries and stale ones alike.
    pub en: FxHashMap<String, String>,
    /// id → its translator's notes.
    pub notes: FxHashMap<String, Vec<Note>>,
    /// id → line and column of its entry in `content/plan.en.yaml`.
    pub positions: FxHashMap<String, (usize, usize)>,
    pub stale: Vec<String>,
    stale_ids: FxHashSet<String>,
    pub missing: Vec<String>,
    /// Every unit (title, headings, paragraphs, table caption), and those translated and current.
    pub units_total: usize,
    pub units_current: usize,
    pub paragraphs_total: usize,
    pub paragraphs_translated: usize,
}

impl Translation {
    pub fn get(&self, id: &str) -> Option<&str> {
        self.en.get(id).map(String::as_str)
    }
    pub fn notes(&self, id: &str) -> &[Note] {
        self.notes.get(id).map_or(&[], Vec::as_slice)
    }
    pub fn state(&self, id: &str) -> State {
        if !self.en.contains_key(id) {
            State::Missing
        } else if self.stale_ids.contains(id) {
            State::Stale
        } else {
            State::Current
        }
    }
    pub fn coverage_line(&self) -> String {
        format!(
            "English: {}/{} units current ({}/{} paragraphs; titles, headings and the table caption count too), {} stale, {} missing",
            self.units_current,
            self.units_total,
            self.paragraphs_translated,
            self.paragraphs_total,
            self.stale.len(),
            self.missing.len()
        )
    }
}

/// `content/plan.en.yaml` parsed (or absent), not yet matched to the plan.
pub struct Parsed(Option<Result<KeyedList<EntryRaw>, Diagnostic>>);

pub fn parse(text: Option<&str>) -> Parsed {
    Parsed(text.map(|t| super::yaml::parse(TRANSLATION_FILE, t)))
}

pub fn load(
    parsed: Parsed,
    plan: &Plan,
    seed_file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Translation {
    let f = TRANSLATION_FILE;
    let entries: KeyedList<EntryRaw> = match parsed.0 {
        None => KeyedList::default(),
        Some(Ok(e)) => e,
        Some(Err(d)) => {
            diags.push(d);
            KeyedList::default()
        }
    };
    let units = units(plan);
    let by_id: FxHashMap<&str, &Unit> = units.iter().map(|u| (u.id.as_str(), u)).collect();
    let mut tr = Translation::default();
    for (key, entry) in &entries.0 {
        let at = pos(key);
        tr.positions.insert(key.value.clone(), (at.line, at.col));
        let Some(unit) = by_id.get(key.value.as_str()) else {
            diags.push(
                Diagnostic::warning(
                    Code::TranslationOrphan,
                    f,
                    at.line,
                    at.col,
                    format!("`{}` is not a node of the plan", key.value),
                )
                .help("node ids are positional (`3.4.p2`); `plansite plan` lists them"),
            );
            continue;
        };
        if entry.en.trim().is_empty() {
            continue;
        }
        let hash = zh_hash(unit.zh);
        if entry.zh_hash != hash {
            diags.push(
                Diagnostic::warning(
                    Code::TranslationStale,
                    f,
                    at.line,
                    at.col,
                    format!(
                        "the Chinese of `{}` (plan lines {}–{}) changed since it was translated",
                        key.value, unit.lines[0], unit.lines[1]
                    ),
                )
                .width(key.value.len())
                .help(format!("revise the English, then set `zh_hash: {hash}`")),
            );
            tr.stale.push(key.value.clone());
        }
        let en = entry.en.trim();
        let mut notes = Vec::new();
        for note in &entry.notes {
            let after = note
                .after
                .as_deref()
                .map(str::trim)
                .filter(|a| !a.is_empty());
            if let Some(after) = after
                && !en.contains(after)
            {
                diags.push(
                    Diagnostic::warning(
                        Code::TranslationNote,
                        f,
                        at.line,
                        at.col,
                        format!(
                            "a note of `{}` goes after “{after}”, which its English does not contain",
                            key.value
                        ),
                    )
                    .help("make `after` an exact piece of the English (the mark then goes at the end of the unit)"),
                );
            }
            if note.text.trim().is_empty() {
                continue;
            }
            notes.push(Note {
                number: 0,
                after: after.filter(|a| en.contains(*a)).map(str::to_string),
                text: note.text.trim().to_string(),
            });
        }
        if !notes.is_empty() {
            tr.notes.insert(key.value.clone(), notes);
        }
        tr.en.insert(key.value.clone(), en.to_string());
    }
    tr.stale_ids = tr.stale.iter().cloned().collect();
    let stale = &tr.stale_ids;
    // Notes are numbered through the plan in document order.
    let mut number = 0;
    for unit in &units {
        tr.units_total += 1;
        if unit.paragraph {
            tr.paragraphs_total += 1;
        }
        if let Some(notes) = tr.notes.get_mut(&unit.id) {
            for note in notes {
                number += 1;
                note.number = number;
            }
        }
        if tr.en.contains_key(&unit.id) {
            if !stale.contains(&unit.id) {
                tr.units_current += 1;
                if unit.paragraph {
                    tr.paragraphs_translated += 1;
                }
            }
        } else {
            tr.missing.push(unit.id.clone());
        }
    }
    if !tr.missing.is_empty() {
        let shown: Vec<String> = tr
            .missing
            .iter()
            .take(12)
            .filter_map(|id| {
                by_id.get(id.as_str()).map(|u| {
                    format!(
                        "{id} (lines {}–{}, zh_hash {})",
                        u.lines[0],
                        u.lines[1],
                        zh_hash(u.zh)
                    )
                })
            })
            .collect();
        let first_line = by_id.get(tr.missing[0].as_str()).map_or(1, |u| u.lines[0]);
        diags.push(
            Diagnostic::warning(
                Code::TranslationMissing,
                seed_file,
                first_line,
                1,
                format!(
                    "{} of {} plan units have no English translation: {}{}",
                    tr.missing.len(),
                    units.len(),
                    shown.join(", "),
                    if tr.missing.len() > shown.len() {
                        ", …"
                    } else {
                        ""
                    }
                ),
            )
            .help(format!(
                "add entries `ID: {{zh_hash: HASH, en: \"…\"}}` to {f} with the hash shown, or translate in a translator's tool: `plansite translate export -o plan.xlf`, then `plansite translate import plan.xlf`"
            )),
        );
    }
    tr
}

/// One entry of `content/plan.en.yaml` as written: for `translate`, which
/// rewrites the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: String,
    pub zh_hash: String,
    pub en: String,
    /// (after, text) of each translator's note.
    pub notes: Vec<(Option<String>, String)>,
}

/// The entries of `content/plan.en.yaml`, in file order.
pub fn entries(text: &str) -> Result<Vec<Entry>, Diagnostic> {
    let list: KeyedList<EntryRaw> = super::yaml::parse(TRANSLATION_FILE, text)?;
    Ok(list
        .0
        .into_iter()
        .map(|(key, raw)| Entry {
            id: key.value,
            zh_hash: raw.zh_hash,
            en: raw.en,
            notes: raw.notes.into_iter().map(|n| (n.after, n.text)).collect(),
        })
        .collect())
}

/// The head of `content/plan.en.yaml`: what its fields mean.
const FILE_HEAD: &str =
    "# English edition of the plan, aligned with the Chinese by node id (see `plansite plan`).
# zh_hash: the first 12 hex digits of SHA-256 of the Chinese text translated; when the
# Chinese changes, `plansite check` reports the entry stale and prints the new hash.
# notes: translator's notes, rendered as footnotes; `after` places the mark after the
# first occurrence of that text in `en` (else at the end of the unit).
# Conventions: docs/TRANSLATION.md; fixed renderings: content/glossary.yaml.
";

/// `content/plan.en.yaml` with these entries, in the file's own layout
/// (every string double-quoted, as JSON writes it, which YAML reads).
pub fn write_entries(entries: &[Entry]) -> String {
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut out = String::from(FILE_HEAD);
    for e in entries {
        out.push_str(&format!(
            "{}:\n  zh_hash: {}\n  en: {}\n",
            q(&e.id),
            q(&e.zh_hash),
            q(&e.en)
        ));
        if !e.notes.is_empty() {
            out.push_str("  notes:\n");
            for (after, text) in &e.notes {
                match after {
                    Some(a) => {
                        out.push_str(&format!("    - after: {}\n      text: {}\n", q(a), q(text)))
                    }
                    None => out.push_str(&format!("    - text: {}\n", q(text))),
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_is_written_back_byte_for_byte() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(TRANSLATION_FILE);
        let text = std::fs::read_to_string(path).expect("plan.en.yaml");
        let entries = entries(&text).expect("parses");
        assert_eq!(write_entries(&entries), text);
    }

    #[test]
    fn zh_hash_is_the_first_six_bytes_of_sha256_in_hex() {
        for text in ["", "儿童青少年总体近视率", "a\nb"] {
            let digest = Sha256::digest(text.as_bytes());
            let expected: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
            assert_eq!(zh_hash(text), expected);
        }
        // SHA-256 of the empty string starts e3b0c44298fc.
        assert_eq!(zh_hash(""), "e3b0c44298fc");
    }
}
