//! Bilingual text as used after loading: both languages present (a missing one
//! was reported and filled from the other, marked so templates can flag it).

use serde::Serialize;

use super::yaml::{Pos, TextRaw};
use crate::diag::{Code, Diagnostic};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }
    pub fn get(&self, lang: &str) -> &str {
        if lang == "en" { &self.en } else { &self.zh }
    }
}

impl From<&crate::config::Titles> for Text {
    fn from(t: &crate::config::Titles) -> Self {
        Text::new(t.zh.clone(), t.en.clone())
    }
}

/// Resolves a `{zh, en}` pair, warning (code `missing-language`) about a missing or empty side.
pub fn resolve(
    raw: &TextRaw,
    file: &str,
    at: Pos,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Text {
    let zh = raw.zh.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let en = raw.en.as_deref().map(str::trim).filter(|s| !s.is_empty());
    for (lang, present) in [("zh", zh.is_some()), ("en", en.is_some())] {
        if !present {
            diags.push(
                Diagnostic::warning(Code::MissingLanguage, file, at.line, at.col, format!("{what} has no `{lang}` text"))
                    .help(format!("add `{lang}: \"…\"` beside the other language; every bilingual field needs both (an error under --strict)")),
            );
        }
    }
    match (zh, en) {
        (Some(zh), Some(en)) => Text::new(zh, en),
        (Some(zh), None) => Text::new(zh, zh),
        (None, Some(en)) => Text::new(en, en),
        (None, None) => Text::default(),
    }
}
