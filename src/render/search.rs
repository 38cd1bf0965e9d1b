//! The build-time search index, one per language. Chinese text is indexed by
//! character bigrams (so 近视 finds 儿童青少年总体近视率), other text by
//! lowercase words (the client matches them by prefix).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::model::{NodeView, Site, walk};

#[derive(Serialize)]
struct Doc {
    /// title
    t: String,
    /// url relative to the site root
    u: String,
    /// kind: area | indicator | changelog | plan | page
    k: &'static str,
    /// snippet
    s: String,
}

#[derive(Serialize)]
pub struct Index {
    docs: Vec<Doc>,
    terms: BTreeMap<String, Vec<(u32, u32)>>,
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// Index terms of a text: CJK bigrams (and single characters of one-character runs), lowercase words.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut run: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush_run = |run: &mut Vec<char>, out: &mut Vec<String>| {
        if run.len() == 1 {
            out.push(run[0].to_string());
        }
        for pair in run.windows(2) {
            out.push(pair.iter().collect());
        }
        run.clear();
    };
    for c in text.chars() {
        if is_cjk(c) {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            run.push(c);
        } else if c.is_alphanumeric() {
            flush_run(&mut run, &mut out);
            word.extend(c.to_lowercase());
        } else {
            flush_run(&mut run, &mut out);
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
        }
    }
    flush_run(&mut run, &mut out);
    if !word.is_empty() {
        out.push(word);
    }
    out
}

fn snippet(text: &str, chars: usize) -> String {
    let mut s: String = text.chars().take(chars).collect();
    if text.chars().count() > chars {
        s.push('…');
    }
    s
}

/// Hashed while building; sorted once at the end so the output is deterministic.
struct Builder {
    docs: Vec<Doc>,
    terms: HashMap<String, Vec<(u32, u32)>>,
}

impl Builder {
    fn add(&mut self, kind: &'static str, title: &str, url: String, body: &str) {
        let id = u32::try_from(self.docs.len()).unwrap_or(u32::MAX);
        let mut weights: HashMap<String, u32> = HashMap::new();
        for t in terms(title) {
            *weights.entry(t).or_default() += 3;
        }
        for t in terms(body) {
            let w = weights.entry(t).or_default();
            *w = (*w + 1).min(20);
        }
        for (term, weight) in weights {
            if term.chars().count() > 1 || term.chars().all(is_cjk) {
                self.terms.entry(term).or_default().push((id, weight));
            }
        }
        self.docs.push(Doc {
            t: title.to_string(),
            u: url,
            k: kind,
            s: snippet(body, 90),
        });
    }
}

pub fn build(site: &Site, lang: &str) -> Index {
    let mut b = Builder {
        docs: Vec::new(),
        terms: HashMap::new(),
    };
    let text_of = |t: &crate::content::Text| t.get(lang).to_string();
    for ind in &site.indicators {
        let body = format!(
            "{} {} {}",
            ind.name.zh,
            ind.name.en,
            ind.status.explanation.get(lang)
        );
        b.add(
            "indicator",
            &text_of(&ind.name),
            format!("{lang}/indicators/{}/", ind.id),
            &body,
        );
    }
    for area in &site.areas {
        let body = format!(
            "{} {}",
            area.node.title.get(lang),
            area.short.get(if lang == "en" { "zh" } else { "en" })
        );
        b.add(
            "area",
            &text_of(&area.short),
            format!("{lang}/areas/{}/", area.slug),
            &body,
        );
    }
    for log in &site.changelog {
        for e in &log.entries {
            b.add(
                "changelog",
                &format!("{} · {}", log.year, snippet(e.text.get(lang), 30)),
                format!("{lang}/changelog/#y{}", log.year),
                e.text.get(lang),
            );
        }
    }
    let mut nodes = Vec::new();
    walk(&site.plan, &mut nodes);
    for node in nodes {
        add_node(&mut b, node, lang);
    }
    for page in &site.pages {
        let plain = page.html.get(lang).replace(['<', '>'], " ");
        b.add(
            "page",
            page.title.get(lang),
            format!("{lang}/{}/", page.slug),
            &plain,
        );
    }
    let terms = b
        .terms
        .into_iter()
        .map(|(term, mut postings)| {
            postings.sort_unstable();
            (term, postings)
        })
        .collect();
    Index {
        docs: b.docs,
        terms,
    }
}

fn add_node(b: &mut Builder, node: &NodeView, lang: &str) {
    for para in &node.paragraphs {
        let text = if lang == "en" {
            para.en.clone().unwrap_or_else(|| para.zh.clone())
        } else {
            para.zh.clone()
        };
        b.add(
            "plan",
            node.title.get(lang),
            format!("{lang}/plan/#p-{}", para.id),
            &text,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::terms;

    #[test]
    fn bigrams_and_words() {
        assert_eq!(terms("近视率"), ["近视", "视率"]);
        assert_eq!(terms("“双师型”教师"), ["双师", "师型", "教师"]);
        assert_eq!(terms("Myopia rate 58.2"), ["myopia", "rate", "58", "2"]);
        assert_eq!(terms("学"), ["学"]);
    }
}
