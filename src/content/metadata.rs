//! What `content/indicators.yaml` says about an indicator besides which row
//! it tracks: its metadata (definition, computation, source organization,
//! periodicity, contact), as Open SDG shows beside each chart, and the
//! breakdown dimensions progress files may report values by.
//!
//! ```yaml
//! dimensions:
//!   stage:                      # id used in progress files
//!     zh: 学段
//!     en: School stage
//!     values: {小学: Primary school, 初中: Junior high school}
//! indicators:
//!   - id: myopia-rate
//!     metadata:
//!       definition: {zh: …, en: …}
//!       computation: {zh: …, en: …}
//!       source_organization: {zh: …, en: …}
//!       periodicity: {zh: 每年, en: Annual}
//!       contact: {zh: …, en: …}
//! ```

use serde::{Deserialize, Serialize};

use super::text::{Text, resolve};
use super::yaml::{KeyedList, Pos, Spanned, TextRaw, pos};
use crate::diag::{Code, Diagnostic};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DimensionRaw {
    zh: String,
    en: String,
    values: KeyedList<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MetadataRaw {
    #[serde(default)]
    definition: Option<Spanned<TextRaw>>,
    #[serde(default)]
    computation: Option<Spanned<TextRaw>>,
    #[serde(default)]
    source_organization: Option<Spanned<TextRaw>>,
    #[serde(default)]
    periodicity: Option<Spanned<TextRaw>>,
    #[serde(default)]
    contact: Option<Spanned<TextRaw>>,
}

/// A breakdown dimension (学段, 性别 …) and its categories.
#[derive(Debug, Clone, Serialize)]
pub struct Dimension {
    pub id: String,
    pub name: Text,
    /// Each category: its key in progress files (the Chinese label) and its names.
    pub categories: Vec<Category>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Category {
    pub key: String,
    pub name: Text,
}

impl Dimension {
    pub fn category(&self, key: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.key == key)
    }
}

/// An indicator's metadata; each field is optional (`check` warns about gaps).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Metadata {
    pub definition: Option<Text>,
    pub computation: Option<Text>,
    pub source_organization: Option<Text>,
    pub periodicity: Option<Text>,
    pub contact: Option<Text>,
}

impl Metadata {
    /// The names of the fields not given.
    fn missing(&self) -> Vec<&'static str> {
        [
            ("definition", self.definition.is_none()),
            ("computation", self.computation.is_none()),
            ("source_organization", self.source_organization.is_none()),
            ("periodicity", self.periodicity.is_none()),
            ("contact", self.contact.is_none()),
        ]
        .into_iter()
        .filter_map(|(name, missing)| missing.then_some(name))
        .collect()
    }
}

pub(super) fn dimensions(
    raw: &KeyedList<DimensionRaw>,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Dimension> {
    raw.0
        .iter()
        .map(|(id, d)| {
            if d.values.0.is_empty() {
                let at = pos(id);
                diags.push(
                    Diagnostic::error(
                        Code::BadDimension,
                        file,
                        at.line,
                        at.col,
                        format!("dimension `{}` has no values", id.value),
                    )
                    .help("list its categories under `values:`, each with its English: `小学: Primary school`"),
                );
            }
            Dimension {
                id: id.value.clone(),
                name: Text::new(d.zh.trim(), d.en.trim()),
                categories: d
                    .values
                    .0
                    .iter()
                    .map(|(key, en)| Category {
                        key: key.value.clone(),
                        name: Text::new(key.value.clone(), en.trim()),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Resolves an indicator's metadata; warns (`missing-metadata`) once about
/// the fields it lacks.
pub(super) fn metadata(
    raw: Option<&Spanned<MetadataRaw>>,
    id: &str,
    file: &str,
    entry: Pos,
    diags: &mut Vec<Diagnostic>,
) -> Metadata {
    let empty = MetadataRaw::default();
    let fields = raw.map_or(&empty, |r| &r.value);
    let mut text = |field: &Option<Spanned<TextRaw>>, what: &str| {
        field
            .as_ref()
            .map(|t| resolve(&t.value, file, pos(t), what, diags))
    };
    let metadata = Metadata {
        definition: text(&fields.definition, "the definition"),
        computation: text(&fields.computation, "the computation"),
        source_organization: text(&fields.source_organization, "the source organization"),
        periodicity: text(&fields.periodicity, "the periodicity"),
        contact: text(&fields.contact, "the contact"),
    };
    let missing = metadata.missing();
    if !missing.is_empty() {
        let at = raw.map_or(entry, pos);
        diags.push(
            Diagnostic::warning(
                Code::MissingMetadata,
                file,
                at.line,
                at.col,
                format!("indicator `{id}` has no {} in its metadata", missing.join(", ")),
            )
            .help("readers need to know what a figure measures and who produces it: add `metadata: {definition: {zh: …, en: …}, …}` (see docs/CONTENT.md)"),
        );
    }
    metadata
}
