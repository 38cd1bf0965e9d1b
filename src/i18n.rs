//! Interface strings, one YAML file per language in the theme (`i18n/zh.yaml`,
//! `i18n/en.yaml`), and the number formatting used in pages and sentences.

use rustc_hash::FxHashMap;

pub const LANGS: [&str; 2] = ["zh", "en"];

/// Hashed with FxHash rather than ordered: building a large site's model looks
/// up ~100,000 strings, and a tree compares each key with ~8 others.
#[derive(Debug, Clone, Default)]
pub struct Strings {
    by_lang: FxHashMap<String, FxHashMap<String, String>>,
}

impl Strings {
    pub fn from_files(files: &[(&str, &str)]) -> Result<Strings, String> {
        let mut by_lang = FxHashMap::default();
        for (lang, text) in files {
            let map: FxHashMap<String, String> =
                serde_saphyr::from_str(text).map_err(|e| format!("i18n/{lang}.yaml: {e}"))?;
            by_lang.insert((*lang).to_string(), map);
        }
        Ok(Strings { by_lang })
    }

    /// The strings of a language, in no particular order.
    pub fn table(&self, lang: &str) -> impl Iterator<Item = (&String, &String)> {
        self.by_lang.get(lang).into_iter().flatten()
    }

    /// The string for `key`, or the key itself so a missing string is visible, not fatal.
    pub fn get<'a>(&'a self, lang: &str, key: &'a str) -> &'a str {
        self.by_lang
            .get(lang)
            .and_then(|table| table.get(key))
            .map_or(key, String::as_str)
    }

    /// `get` with `{name}` placeholders filled in, in one pass (a large site
    /// fills ~100,000 strings). A value is not searched for placeholders, and
    /// a `{…}` that names no argument is kept as written.
    pub fn fill(&self, lang: &str, key: &str, args: &[(&str, &str)]) -> String {
        let mut rest = self.get(lang, key);
        let mut out = String::with_capacity(rest.len() + 16);
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let filled = after.find('}').and_then(|close| {
                let name = &after[..close];
                let (_, value) = args.iter().find(|(n, _)| *n == name)?;
                Some((close, value))
            });
            match filled {
                Some((close, value)) => {
                    out.push_str(value);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// A number as people read it: no trailing zeros, thousands separated in English.
pub fn number(value: f64, lang: &str) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let mut text = crate::fixed::Fixed(rounded, 2).to_string();
    while text.contains('.') && (text.ends_with('0') || text.ends_with('.')) {
        text.pop();
    }
    if text == "-0" {
        text = "0".into();
    }
    if lang == "en" && rounded.abs() >= 1000.0 {
        let (int, frac) = text
            .split_once('.')
            .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
        let digits: Vec<char> = int.chars().collect();
        let mut grouped = String::new();
        for (i, c) in digits.iter().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) && *c != '-' {
                grouped.push(',');
            }
            grouped.push(*c);
        }
        text = match frac {
            Some(f) => format!("{grouped}.{f}"),
            None => grouped,
        };
    }
    text
}

/// A value with its unit: `88.6%`, `1,050 persons`, `1050人`.
pub fn with_unit(value: f64, unit_zh: &str, unit_en: &str, lang: &str) -> String {
    let n = number(value, lang);
    match (lang, unit_zh) {
        (_, "%" | "‰") => format!("{n}{unit_zh}"),
        (_, "") => n,
        ("en", _) => format!("{n} {unit_en}"),
        _ => format!("{n}{unit_zh}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(number(88.60, "zh"), "88.6");
        assert_eq!(number(100.0, "en"), "100");
        assert_eq!(number(0.0, "en"), "0");
        assert_eq!(number(12345.5, "en"), "12,345.5");
        assert_eq!(number(12345.5, "zh"), "12345.5");
        assert_eq!(with_unit(88.6, "%", "%", "en"), "88.6%");
        assert_eq!(with_unit(1050.0, "人", "persons", "en"), "1,050 persons");
        assert_eq!(with_unit(1050.0, "人", "persons", "zh"), "1050人");
    }

    #[test]
    fn placeholders() {
        let s = Strings::from_files(&[("en", "hello: \"Hi {name}, {name}\"\n")]).expect("parses");
        assert_eq!(s.fill("en", "hello", &[("name", "Li")]), "Hi Li, Li");
        let s = Strings::from_files(&[("zh", "t: \"{a}（{b}）{c} {unknown} {unclosed\"\n")])
            .expect("parses");
        assert_eq!(
            s.fill("zh", "t", &[("a", "{b}"), ("b", "二"), ("c", "")]),
            "{b}（二） {unknown} {unclosed",
            "values are not searched again; unknown and unclosed braces stay"
        );
        assert_eq!(s.fill("zh", "missing_key", &[("a", "1")]), "missing_key");
        assert_eq!(s.get("en", "absent"), "absent");
    }
}
