//! `content/glossary.yaml`: fixed English renderings of recurring terms.

use serde::{Deserialize, Serialize};

use super::translation::{TRANSLATION_FILE, Translation, units};
use crate::diag::Diagnostic;
use crate::plan::Plan;

pub const GLOSSARY_FILE: &str = "content/glossary.yaml";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub zh: String,
    pub en: String,
    #[serde(default)]
    pub enforce: bool,
    #[serde(default)]
    pub note: Option<String>,
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

/// Warns where a translated unit's Chinese uses an enforced term but its English
/// lacks the fixed rendering.
pub fn check_usage(
    terms: &[Term],
    plan: &Plan,
    translation: &Translation,
    diags: &mut Vec<Diagnostic>,
) {
    for unit in units(plan) {
        let Some(en) = translation.get(&unit.id) else {
            continue;
        };
        let en_lower = en.to_lowercase();
        for term in terms
            .iter()
            .filter(|t| t.enforce && unit.zh.contains(&t.zh))
        {
            if !en_lower.contains(&term.en.to_lowercase()) {
                diags.push(
                    Diagnostic::warning(
                        "glossary",
                        TRANSLATION_FILE,
                        1,
                        1,
                        format!(
                            "`{}` uses {} but its English does not say “{}”",
                            unit.id, term.zh, term.en
                        ),
                    )
                    .help(format!("the glossary fixes {} → {}", term.zh, term.en)),
                );
            }
        }
    }
}
