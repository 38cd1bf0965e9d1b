//! Targets stated in words (持续下降, 稳步提高, 逐年提升, 明显改善, 全覆盖):
//! which way they point and how they read in English. The words are kept
//! verbatim; the status of such an indicator uses the method's no-target path.

use serde::Serialize;

/// Which way a target in words asks the value to move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    Up,
    Down,
    /// Keep the value where it is (保持, 巩固, 稳定): no direction to measure.
    Steady,
}

/// A target in words, read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Words {
    /// `None` when the words say "improve" without saying which way that is.
    pub trend: Option<Trend>,
    /// The English rendering, when plansite knows the phrase.
    pub en: Option<String>,
}

/// Verbs, longest first within each meaning, with their English noun.
const VERBS: [(&str, Option<Trend>, &str); 27] = [
    ("全覆盖", Some(Trend::Up), "full coverage"),
    ("全面覆盖", Some(Trend::Up), "full coverage"),
    ("覆盖", Some(Trend::Up), "coverage"),
    ("普及", Some(Trend::Up), "universal provision"),
    ("提高", Some(Trend::Up), "increase"),
    ("提升", Some(Trend::Up), "increase"),
    ("增长", Some(Trend::Up), "growth"),
    ("增加", Some(Trend::Up), "increase"),
    ("扩大", Some(Trend::Up), "expansion"),
    ("上升", Some(Trend::Up), "rise"),
    ("增强", Some(Trend::Up), "strengthening"),
    ("加强", Some(Trend::Up), "strengthening"),
    ("有升", Some(Trend::Up), "rise"),
    ("下降", Some(Trend::Down), "decline"),
    ("降低", Some(Trend::Down), "reduction"),
    ("减少", Some(Trend::Down), "reduction"),
    ("减小", Some(Trend::Down), "reduction"),
    ("压减", Some(Trend::Down), "reduction"),
    ("缩小", Some(Trend::Down), "narrowing"),
    ("有降", Some(Trend::Down), "decline"),
    ("保持", Some(Trend::Steady), "maintenance"),
    ("巩固", Some(Trend::Steady), "consolidation"),
    ("稳定", Some(Trend::Steady), "stability"),
    ("维持", Some(Trend::Steady), "maintenance"),
    ("改善", None, "improvement"),
    ("优化", None, "optimization"),
    ("好转", None, "improvement"),
];

/// Adverbs before the verb, with their English adjective.
const MODIFIERS: [(&str, &str); 14] = [
    ("持续", "continued"),
    ("稳步", "steady"),
    ("逐年", "year-on-year"),
    ("逐步", "gradual"),
    ("明显", "marked"),
    ("显著", "significant"),
    ("进一步", "further"),
    ("大幅", "substantial"),
    ("不断", "continual"),
    ("有所", "some"),
    ("稳中", "steady"),
    ("较大", "considerable"),
    ("总体", "overall"),
    ("基本", "basic"),
];

/// Reads a target cell with no number in it. `None`: not words plansite
/// knows (an empty cell, `—`, anything else): the target cannot be assessed.
pub fn read(raw: &str) -> Option<Words> {
    let text: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let text = text.trim_matches(|c: char| "。，,.；;".contains(c));
    if text.is_empty() || text.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let (verb_at, (verb, trend, noun)) = VERBS
        .iter()
        .filter_map(|v| text.find(v.0).map(|at| (at, *v)))
        .min_by_key(|(at, v)| (*at, std::cmp::Reverse(v.0.len())))?;
    // Only a short phrase is a target in words; a sentence is not.
    if text.chars().count() > 12 {
        return None;
    }
    let before = &text[..verb_at];
    let after = &text[verb_at + verb.len()..];
    let modifier = MODIFIERS
        .iter()
        .find(|(zh, _)| before.ends_with(zh))
        .map(|(_, en)| *en);
    // The phrase is known when nothing but a known adverb stands around the verb.
    let known = (before.is_empty()
        || modifier.is_some_and(|_| MODIFIERS.iter().any(|(zh, _)| *zh == before)))
        && after.is_empty();
    let en = known.then(|| match modifier {
        Some(m) => format!("{m} {noun}"),
        None => noun.to_string(),
    });
    Some(Words { trend, en })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(raw: &str) -> Option<(Option<Trend>, Option<String>)> {
        read(raw).map(|w| (w.trend, w.en))
    }

    #[test]
    fn common_targets_in_words() {
        let up = Some(Trend::Up);
        let down = Some(Trend::Down);
        assert_eq!(
            words("持续下降"),
            Some((down, Some("continued decline".into())))
        );
        assert_eq!(
            words("稳步提高"),
            Some((up, Some("steady increase".into())))
        );
        assert_eq!(
            words("逐年提升"),
            Some((up, Some("year-on-year increase".into())))
        );
        assert_eq!(
            words("明显改善"),
            Some((None, Some("marked improvement".into())))
        );
        assert_eq!(words("全覆盖"), Some((up, Some("full coverage".into()))));
        assert_eq!(words("保持稳定"), Some((Some(Trend::Steady), None)));
        assert_eq!(
            words("进一步降低"),
            Some((down, Some("further reduction".into())))
        );
        assert_eq!(words("下降"), Some((down, Some("decline".into()))));
    }

    #[test]
    fn numbers_dashes_and_sentences_are_not_words() {
        for raw in [
            "",
            "—",
            "-",
            "无",
            "85",
            "力争在全市范围内率先实现各项指标的全面提高和整体发展",
        ] {
            assert_eq!(read(raw), None, "{raw}");
        }
    }
}
