//! `content/glossary.yaml`: fixed English renderings of recurring terms.

use serde::{Deserialize, Serialize};

use super::translation::{TRANSLATION_FILE, Translation, units};
use crate::diag::{Code, Diagnostic};
use crate::plan::Plan;

pub const GLOSSARY_FILE: &str = "content/glossary.yaml";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub zh: String,
    pub en: String,
    /// Other grammatical forms of the same rendering that count as using it
    /// (a plural, a verb form); never another wording.
    #[serde(default)]
    pub forms: Vec<String>,
    /// Checked everywhere unless a term has two senses in the plan (then `note` says why).
    #[serde(default = "yes")]
    pub enforce: bool,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub kind: Kind,
}

fn yes() -> bool {
    true
}

/// What a glossary entry names.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    #[default]
    Term,
    /// A document's title (《…》).
    Title,
    Slogan,
    /// A proper name: an institution, a place, a programme.
    Name,
}

impl Term {
    /// Whether `en_lower` (English, lowercased) uses this term's fixed rendering.
    pub fn used_in(&self, en_lower: &str) -> bool {
        en_lower.contains(&self.en.to_lowercase())
            || self
                .forms
                .iter()
                .any(|f| en_lower.contains(&f.to_lowercase()))
    }
}

/// Every pair (Chinese, English) whose Chinese uses an enforced term while its
/// English lacks the fixed rendering: (index of the pair, the term).
pub fn violations<'t>(terms: &'t [Term], pairs: &[(&str, &str)]) -> Vec<(usize, &'t Term)> {
    let enforced: Vec<(&Term, String, Vec<String>)> = terms
        .iter()
        .filter(|t| t.enforce && !t.zh.is_empty())
        .map(|t| {
            (
                t,
                t.en.to_lowercase(),
                t.forms.iter().map(|f| f.to_lowercase()).collect(),
            )
        })
        .collect();
    let mut out = Vec::new();
    for (index, (zh, en)) in pairs.iter().enumerate() {
        let en_lower = en.to_lowercase();
        for (term, rendering, forms) in &enforced {
            if zh.contains(term.zh.as_str())
                && !en_lower.contains(rendering.as_str())
                && !forms.iter().any(|f| en_lower.contains(f.as_str()))
            {
                out.push((index, *term));
            }
        }
    }
    out
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GlossaryFile {
    terms: Vec<Term>,
}

pub fn load(text: Option<&str>, diags: &mut Vec<Diagnostic>) -> Vec<Term> {
    let Some(text) = text else { return Vec::new() };
    match super::yaml::parse::<GlossaryFile>(GLOSSARY_FILE, text) {
        Ok(g) => g.terms,
        Err(d) => {
            diags.push(d);
            Vec::new()
        }
    }
}

/// Warns where a translated unit's (or an indicator's or area's) Chinese uses
/// an enforced term but its English lacks the fixed rendering.
pub fn check_usage(
    terms: &[Term],
    plan: &Plan,
    translation: &Translation,
    names: &[(&str, &str, &str, (usize, usize))],
    diags: &mut Vec<Diagnostic>,
) {
    let units = units(plan);
    let translated: Vec<(&str, &str, &str)> = units
        .iter()
        .filter_map(|u| Some((u.id.as_str(), u.zh, translation.get(&u.id)?)))
        .collect();
    let pairs: Vec<(&str, &str)> = translated.iter().map(|t| (t.1, t.2)).collect();
    for (index, term) in violations(terms, &pairs) {
        let id = translated[index].0;
        let (line, col) = translation.positions.get(id).copied().unwrap_or((1, 1));
        diags.push(
            Diagnostic::warning(
                Code::Glossary,
                TRANSLATION_FILE,
                line,
                col,
                format!(
                    "`{id}` uses {} but its English does not say “{}”",
                    term.zh, term.en
                ),
            )
            .width(id.len())
            .help(glossary_help(term)),
        );
    }
    // Indicator and area names: (file, Chinese, English, position).
    let pairs: Vec<(&str, &str)> = names.iter().map(|n| (n.1, n.2)).collect();
    for (index, term) in violations(terms, &pairs) {
        let (file, zh, _, (line, col)) = names[index];
        diags.push(
            Diagnostic::warning(
                Code::Glossary,
                file,
                line,
                col,
                format!(
                    "the English name of {zh} does not say “{}” for {}",
                    term.en, term.zh
                ),
            )
            .help(glossary_help(term)),
        );
    }
}

fn glossary_help(term: &Term) -> String {
    if term.forms.is_empty() {
        format!("{GLOSSARY_FILE} fixes {} → {}", term.zh, term.en)
    } else {
        format!(
            "{GLOSSARY_FILE} fixes {} → {} (or {})",
            term.zh,
            term.en,
            term.forms.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(zh: &str, en: &str, forms: &[&str]) -> Term {
        Term {
            zh: zh.into(),
            en: en.into(),
            forms: forms.iter().map(|f| (*f).to_string()).collect(),
            enforce: true,
            note: None,
            kind: Kind::Term,
        }
    }

    #[test]
    fn a_term_rendered_another_way_is_found_and_forms_count() {
        let terms = [
            term(
                "社会力量",
                "non-governmental actors",
                &["non-governmental actor"],
            ),
            term("骨干教师", "key teachers", &["key teacher"]),
        ];
        let pairs = [
            (
                "鼓励社会力量办学",
                "Encourage social forces to run schools.",
            ),
            (
                "鼓励社会力量办学",
                "Encourage Non-Governmental Actors to run schools.",
            ),
            ("社会力量", "a non-governmental actor"),
            ("骨干教师领航计划", "the Key Teacher Leading Program"),
        ];
        let found: Vec<(usize, &str)> = violations(&terms, &pairs)
            .into_iter()
            .map(|(i, t)| (i, t.zh.as_str()))
            .collect();
        assert_eq!(found, [(0, "社会力量")]);
    }
}
