//! What an indicator page shows besides its headline series: the values by
//! breakdown dimension (学段, 性别 …) across the years, the footnotes of
//! individual values, and the indicator's metadata.

use serde::Serialize;

use super::indicator::YearValue;
use crate::content::metadata::{Dimension, Metadata};
use crate::content::progress::Flag;
use crate::content::{ProgressYear, Text};

/// One dimension of an indicator: a series per category.
#[derive(Debug, Clone, Serialize)]
pub struct BreakdownSeries {
    pub id: String,
    pub name: Text,
    pub categories: Vec<CategorySeries>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategorySeries {
    /// The category's key in progress files (its Chinese label).
    pub key: String,
    pub name: Text,
    /// One value per reported year of the headline series (`None`: not given).
    pub values: Vec<CategoryValue>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryValue {
    pub year: i32,
    pub value: Option<f64>,
    pub display: Text,
}

/// A note on one value: what kind of figure it is, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Footnote {
    /// 1, 2, … in the order of the years.
    pub number: usize,
    pub year: i32,
    pub flag: Option<Flag>,
    pub text: Option<Text>,
}

/// An indicator's metadata as its page, its open data and the packet show it.
#[derive(Debug, Clone, Serialize)]
pub struct MetadataView {
    #[serde(flatten)]
    pub given: Metadata,
    /// The `as_of` date of the latest year that reports a value.
    pub last_updated: Option<String>,
}

/// The indicator's values by dimension, over the years its headline covers;
/// dimensions no year reports are left out.
pub fn series(
    id: &str,
    years: &[&ProgressYear],
    values: &[YearValue],
    dimensions: &[Dimension],
    display: &dyn Fn(f64) -> Text,
) -> Vec<BreakdownSeries> {
    let reported: Vec<i32> = values
        .iter()
        .filter(|v| v.reporting != super::indicator::Reporting::NotDue)
        .map(|v| v.year)
        .collect();
    let breakdown = |year: i32, dim: &str| {
        years
            .iter()
            .find(|y| y.year == year)
            .and_then(|y| y.indicators.get(id))
            .and_then(|o| o.breakdowns.iter().find(|b| b.dimension == dim))
    };
    dimensions
        .iter()
        .filter(|d| reported.iter().any(|y| breakdown(*y, &d.id).is_some()))
        .map(|d| BreakdownSeries {
            id: d.id.clone(),
            name: d.name.clone(),
            categories: d
                .categories
                .iter()
                .map(|c| CategorySeries {
                    key: c.key.clone(),
                    name: c.name.clone(),
                    values: reported
                        .iter()
                        .map(|&year| {
                            let value = breakdown(year, &d.id).and_then(|b| {
                                b.values.iter().find(|(k, _)| *k == c.key).map(|(_, v)| *v)
                            });
                            CategoryValue {
                                year,
                                value,
                                display: value.map_or_else(|| Text::new("–", "–"), display),
                            }
                        })
                        .collect(),
                })
                .filter(|c| c.values.iter().any(|v| v.value.is_some()))
                .collect(),
        })
        .collect()
}

/// Numbers the values that carry a note or a flag, in year order, and
/// returns their footnotes.
pub fn footnotes(values: &mut [YearValue]) -> Vec<Footnote> {
    let mut notes = Vec::new();
    for v in values.iter_mut() {
        if v.note.is_some() || v.flag.is_some() {
            let number = notes.len() + 1;
            v.footnote = Some(number);
            notes.push(Footnote {
                number,
                year: v.year,
                flag: v.flag,
                text: v.note.clone(),
            });
        }
    }
    notes
}
