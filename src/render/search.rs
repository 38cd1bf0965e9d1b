//! The build-time search index, one per language. Chinese text is indexed by
//! character bigrams (so 近视 finds 儿童青少年总体近视率), other text by
//! lowercase words (the client matches them by prefix).

use rustc_hash::FxHashMap;
use std::io::{self, Write};

use super::escape::write_json_str;
use crate::model::{NodeView, Site, walk};

/// The index of one language is a set of scripts under `search/{lang}/`, so
/// that a query loads only the few it needs, also from a snapshot opened from
/// disk (scripts, not `fetch`, which browsers refuse on `file:` URLs):
///
/// - `index.js`: `PLANSITE_SEARCH = {"cjk": …, "terms": N, "docs": [first doc of each
///   document shard, …], "common": [terms cut to their heaviest postings]}`, a few
///   hundred bytes to a few KB;
/// - `t{i}.js`: term shard `i` of N, `PLANSITE_TERMS[i] = {"term": [doc, weight, doc
///   gap, weight, …], …}`: each term's documents in ascending order, the first by
///   number and the rest as gaps. A term lives in shard `shard_of(term) % N`,
///   which the client computes the same way;
/// - `d{j}.js`: document shard `j`, `PLANSITE_DOCS[j] = [[title, url, kind,
///   snippet], …]`, about `DOC_SHARD_BYTES` each.
///
/// Documents are written out as their shards fill (at 10,000 pages they are
/// most of the index); only the postings are held until the end.
/// The characters indexed by bigrams (CJK ideographs); the client reads the
/// same ranges from `index.js`, so that both sides cut text alike.
pub const CJK_RANGES: [(u32, u32); 3] = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)];

fn is_cjk(c: char) -> bool {
    let c = c as u32;
    CJK_RANGES.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

/// The part of a term that picks its shard, hashed with FNV-1a over code
/// points: a CJK term whole (they are matched exactly), a word by its first
/// two characters (all words a query prefix of two or more characters can
/// match share them).
pub fn shard_key(term: &str) -> u32 {
    let take = if term.chars().next().is_some_and(is_cjk) {
        usize::MAX
    } else {
        2
    };
    term.chars().take(take).fold(0x811C_9DC5_u32, |h, c| {
        (h ^ c as u32).wrapping_mul(0x0100_0193)
    })
}

/// A document shard is written once it holds this many bytes.
const DOC_SHARD_BYTES: usize = 6 * 1024;
/// Term shards are sized for about this many bytes each.
const TERM_SHARD_BYTES: usize = 32 * 1024;
/// A term in more documents than this keeps only its heaviest postings and is
/// listed as `common` in `index.js`: the client then ranks by it but does not
/// require it. A word on every page tells a query little, and its full list
/// (280 KB for one bigram at 10,000 pages) would outweigh the rest of a query.
const MAX_POSTINGS: usize = 3000;

/// `char::is_alphanumeric`, remembered for recent characters. Outside ASCII it
/// searches Unicode tables (~300 instructions), and a plan's text repeats a
/// few dozen punctuation marks hundreds of thousands of times.
struct Alphanumeric([(char, bool); 64]);

impl Alphanumeric {
    fn new() -> Self {
        // NUL is not alphanumeric, so the empty slots are true entries.
        Alphanumeric([('\0', false); 64])
    }

    fn check(&mut self, c: char) -> bool {
        if c.is_ascii() {
            return c.is_ascii_alphanumeric();
        }
        let slot = &mut self.0[c as usize % 64];
        if slot.0 != c {
            *slot = (c, c.is_alphanumeric());
        }
        slot.1
    }
}

/// Calls `f` with every index term of a text, in order: CJK bigrams (and the
/// single character of a one-character run), lowercase words. A bigram is two
/// adjacent characters, so it is a slice of `text`: nothing is allocated but
/// the lowercase copy of a word that has capitals.
fn for_each_term(text: &str, alphanumeric: &mut Alphanumeric, mut f: impl FnMut(&str)) {
    let mut lower = String::new();
    let mut word: Option<usize> = None;
    // Start of the current CJK run, and of its previous character.
    let mut run: Option<(usize, usize)> = None;
    let mut emit_word = |start: usize, end: usize, f: &mut dyn FnMut(&str)| {
        let w = &text[start..end];
        if w.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
            lower.clear();
            lower.extend(w.chars().flat_map(char::to_lowercase));
            f(&lower);
        } else {
            f(w);
        }
    };
    for (i, c) in text.char_indices() {
        if is_cjk(c) {
            if let Some(start) = word.take() {
                emit_word(start, i, &mut f);
            }
            match run {
                Some((_, prev)) => {
                    f(&text[prev..i + c.len_utf8()]);
                    run = run.map(|(start, _)| (start, i));
                }
                None => run = Some((i, i)),
            }
        } else {
            if let Some((start, prev)) = run.take()
                && start == prev
            {
                f(&text[start..i]);
            }
            if alphanumeric.check(c) {
                word.get_or_insert(i);
            } else if let Some(start) = word.take() {
                emit_word(start, i, &mut f);
            }
        }
    }
    if let Some((start, prev)) = run
        && start == prev
    {
        f(&text[start..]);
    }
    if let Some(start) = word {
        emit_word(start, text.len(), &mut f);
    }
}

/// Index terms of a text: CJK bigrams (and single characters of one-character runs), lowercase words.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_term(text, &mut Alphanumeric::new(), |t| out.push(t.to_string()));
    out
}

fn snippet(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// A posting is a document number and the term's weight in it, packed into one
/// `u32` (doc << 8 | weight): a 10,000-page site has ~3 million of them, and
/// packed they take half the memory while the index is built.
fn posting(doc: u32, weight: u32) -> u32 {
    doc << 8 | weight.min(u32::from(u8::MAX))
}

fn unpack(posting: u32) -> (u32, u32) {
    (posting >> 8, posting & 0xFF)
}

/// The last document number a posting can hold (2^24 − 1); later documents
/// are left out of the index, which no plan comes near.
const MAX_DOC: u32 = (1 << 24) - 1;

/// Terms are numbered as they are first seen; each document's terms are
/// collected as (term, weight) pairs, sorted and merged.
struct Builder<'e> {
    /// Where each finished file goes: its name in the language's folder, its bytes.
    emit: &'e mut dyn FnMut(&str, &[u8]) -> io::Result<()>,
    /// The document shard being filled, and the first document of each shard.
    shard: Vec<u8>,
    shard_starts: Vec<u32>,
    /// Bytes emitted so far.
    bytes: usize,
    /// Documents written so far.
    docs: u32,
    /// Terms of up to 7 bytes (every CJK bigram, most words) by their bytes and
    /// length packed into a `u64`: the zh index looks up ~2.5 million bigrams
    /// at 10,000 pages, and an integer key is hashed and compared at once.
    short_ids: FxHashMap<u64, u32>,
    /// Longer terms.
    long_ids: FxHashMap<String, u32>,
    /// Each term by its number.
    terms: Vec<String>,
    postings: Vec<Vec<u32>>,
    scratch: Vec<(u32, u32)>,
    alphanumeric: Alphanumeric,
}

impl<'e> Builder<'e> {
    fn new(emit: &'e mut dyn FnMut(&str, &[u8]) -> io::Result<()>) -> io::Result<Self> {
        Ok(Builder {
            emit,
            shard: Vec::with_capacity(DOC_SHARD_BYTES * 2),
            shard_starts: Vec::new(),
            bytes: 0,
            docs: 0,
            short_ids: FxHashMap::default(),
            long_ids: FxHashMap::default(),
            terms: Vec::new(),
            postings: Vec::new(),
            scratch: Vec::new(),
            alphanumeric: Alphanumeric::new(),
        })
    }

    fn term_id(&mut self, term: &str) -> u32 {
        let next = u32::try_from(self.postings.len()).unwrap_or(u32::MAX);
        let id = if let Some(key) = short_key(term) {
            *self.short_ids.entry(key).or_insert(next)
        } else if let Some(id) = self.long_ids.get(term) {
            *id
        } else {
            self.long_ids.insert(term.to_string(), next);
            next
        };
        if id == next {
            self.terms.push(term.to_string());
            self.postings.push(Vec::new());
        }
        id
    }

    /// Indexes one document and writes its entry (`[title, url, kind, snippet]`).
    fn add(&mut self, kind: &'static str, title: &str, url: &str, body: &str) -> io::Result<()> {
        let doc = self.docs;
        if doc > MAX_DOC {
            return Ok(());
        }
        let mut pairs = std::mem::take(&mut self.scratch);
        // Taken out for the loop below, whose closure borrows all of `self`.
        let mut alphanumeric = std::mem::replace(&mut self.alphanumeric, Alphanumeric::new());
        pairs.clear();
        // A title occurrence counts 3 (up to 255, the most a posting holds), a body
        // occurrence 1 up to a weight of 20.
        for (text, weight) in [(title, 3), (body, 1)] {
            for_each_term(text, &mut alphanumeric, |t| {
                if t.len() > 1 || t.chars().all(is_cjk) {
                    let id = self.term_id(t);
                    pairs.push((id, weight));
                }
            });
        }
        self.alphanumeric = alphanumeric;
        pairs.sort_unstable_by_key(|&(id, _)| id);
        let mut i = 0;
        while i < pairs.len() {
            let id = pairs[i].0;
            let mut title_weight = 0;
            let mut body = 0;
            while i < pairs.len() && pairs[i].0 == id {
                if pairs[i].1 == 3 {
                    title_weight += 3;
                } else {
                    body += 1;
                }
                i += 1;
            }
            let weight = if title_weight >= 20 {
                title_weight
            } else {
                (title_weight + body).min(20)
            };
            self.postings[id as usize].push(posting(doc, weight));
        }
        self.scratch = pairs;
        self.docs += 1;
        if self.shard.is_empty() {
            self.shard_starts.push(doc);
            let at = self.shard_starts.len() - 1;
            write!(
                self.shard,
                "(window.PLANSITE_DOCS=window.PLANSITE_DOCS||[])[{at}]=[["
            )?;
        } else {
            self.shard.extend_from_slice(b",[");
        }
        let snippet = snippet(body, 90);
        for (j, field) in [title, url, kind, &snippet].into_iter().enumerate() {
            if j > 0 {
                self.shard.push(b',');
            }
            write_json_str(&mut self.shard, field)?;
        }
        self.shard.push(b']');
        if self.shard.len() >= DOC_SHARD_BYTES {
            self.flush_docs()?;
        }
        Ok(())
    }

    fn put(&mut self, name: &str, bytes: &[u8]) -> io::Result<()> {
        self.bytes += bytes.len();
        (self.emit)(name, bytes)
    }

    /// Writes the document shard being filled.
    fn flush_docs(&mut self) -> io::Result<()> {
        if self.shard.is_empty() {
            return Ok(());
        }
        self.shard.extend_from_slice(b"];\n");
        let name = format!("d{}.js", self.shard_starts.len() - 1);
        let shard = std::mem::take(&mut self.shard);
        self.put(&name, &shard)?;
        self.shard = shard;
        self.shard.clear();
        Ok(())
    }

    /// Writes the term shards, each term's postings gap-coded, then `index.js`;
    /// returns the bytes of all the index's files.
    fn finish(mut self) -> io::Result<usize> {
        self.flush_docs()?;
        let terms = std::mem::take(&mut self.terms);
        // About the bytes each term takes: its text, and a few per posting.
        let size: usize = terms
            .iter()
            .zip(&self.postings)
            .map(|(t, p)| t.len() + 6 + p.len() * 5)
            .sum();
        let shards = size.div_ceil(TERM_SHARD_BYTES).max(1);
        let mut by_shard: Vec<Vec<(&String, u32)>> = vec![Vec::new(); shards];
        let mut common: Vec<&String> = Vec::new();
        for (term, id) in terms.iter().zip(0..) {
            by_shard[shard_key(term) as usize % shards].push((term, id));
            let postings = &mut self.postings[id as usize];
            if postings.len() > MAX_POSTINGS {
                // The heaviest, then back in document order for gap coding.
                postings.sort_unstable_by_key(|p| (std::cmp::Reverse(unpack(*p).1), *p));
                postings.truncate(MAX_POSTINGS);
                postings.sort_unstable();
                common.push(term);
            }
        }
        common.sort_unstable();
        // A term's postings are put together here and written at once: most
        // numbers are a digit or two, and each write of one was a call.
        let mut out = Vec::new();
        for (i, mut list) in by_shard.into_iter().enumerate() {
            list.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.clear();
            write!(
                out,
                "(window.PLANSITE_TERMS=window.PLANSITE_TERMS||[])[{i}]={{"
            )?;
            for (j, (term, id)) in list.into_iter().enumerate() {
                if j > 0 {
                    out.push(b',');
                }
                write_json_str(&mut out, term)?;
                out.extend_from_slice(b":[");
                let postings = std::mem::take(&mut self.postings[id as usize]);
                let mut previous = 0;
                for (k, (doc, weight)) in postings.into_iter().map(unpack).enumerate() {
                    if k > 0 {
                        out.push(b',');
                    }
                    push_number(&mut out, doc - previous);
                    out.push(b',');
                    push_number(&mut out, weight);
                    previous = doc;
                }
                out.push(b']');
            }
            out.extend_from_slice(b"};\n");
            self.put(&format!("t{i}.js"), &out)?;
        }
        out.clear();
        out.extend_from_slice(b"window.PLANSITE_SEARCH={\"cjk\":[");
        for (i, (lo, hi)) in CJK_RANGES.iter().enumerate() {
            write!(out, "{}[{lo},{hi}]", if i > 0 { "," } else { "" })?;
        }
        write!(out, "],\"terms\":{shards},\"common\":[")?;
        for (i, term) in common.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_json_str(&mut out, term)?;
        }
        out.extend_from_slice(b"],\"docs\":[");
        for (i, start) in self.shard_starts.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            push_number(&mut out, *start);
        }
        out.extend_from_slice(b"]};\n");
        self.put("index.js", &out)?;
        Ok(self.bytes)
    }
}

/// A term of up to 7 bytes as one integer: its bytes, then its length in the
/// top byte (so `ab` and `ab\0` differ).
fn short_key(term: &str) -> Option<u64> {
    let bytes = term.as_bytes();
    if bytes.len() > 7 {
        return None;
    }
    let mut key = [0u8; 8];
    key[..bytes.len()].copy_from_slice(bytes);
    key[7] = u8::try_from(bytes.len()).ok()?;
    Some(u64::from_le_bytes(key))
}

/// Appends a number in decimal: the index holds millions, and `write!` spent
/// more on formatting machinery than on digits.
fn push_number(out: &mut Vec<u8>, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// The index of one language in memory: each file's name in the language's
/// folder and its bytes (tests, benchmarks).
pub fn files(site: &Site, lang: &str) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    // Writing into memory cannot fail.
    let _ = write(site, lang, &mut |name, bytes| {
        files.push((name.to_string(), bytes.to_vec()));
        Ok(())
    });
    files
}

/// Writes the index of one language, file by file, to `emit` (each file's
/// name in `search/{lang}/` and its bytes; see the module's format note).
/// Returns the bytes written.
pub fn write(
    site: &Site,
    lang: &str,
    emit: &mut dyn FnMut(&str, &[u8]) -> io::Result<()>,
) -> io::Result<usize> {
    let mut b = Builder::new(emit)?;
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
            &crate::routes::View::Indicator(&ind.id).link(lang),
            &body,
        )?;
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
            &crate::routes::View::Area(&area.slug).link(lang),
            &body,
        )?;
    }
    for log in &site.changelog {
        for e in &log.entries {
            b.add(
                "changelog",
                &format!("{} · {}", log.year, snippet(e.text.get(lang), 30)),
                &format!(
                    "{}#y{}",
                    crate::routes::View::Changelog.link(lang),
                    log.year
                ),
                e.text.get(lang),
            )?;
        }
    }
    let mut nodes = Vec::new();
    walk(&site.plan, &mut nodes);
    for node in nodes {
        add_node(&mut b, node, lang)?;
    }
    for page in &site.pages {
        let plain = page.html.get(lang).replace(['<', '>'], " ");
        b.add(
            "page",
            page.title.get(lang),
            &format!("{lang}/{}/", page.slug),
            &plain,
        )?;
    }
    b.finish()
}

fn add_node(b: &mut Builder, node: &NodeView, lang: &str) -> io::Result<()> {
    for para in &node.paragraphs {
        let text = match &para.en {
            Some(en) if lang == "en" => en,
            _ => &para.zh,
        };
        b.add(
            "plan",
            node.title.get(lang),
            &format!("{lang}/plan/#p-{}", para.id),
            text,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_alphanumeric_answers_as_char_does() {
        let mut alphanumeric = Alphanumeric::new();
        // Every character of the BMP twice, in an order that makes
        // characters 64 apart evict each other from the same slot.
        for _ in 0..2 {
            for c in (0u32..0x1_0000)
                .step_by(7)
                .chain((0u32..0x1_0000).rev())
                .filter_map(char::from_u32)
            {
                assert_eq!(alphanumeric.check(c), c.is_alphanumeric(), "{c:?}");
            }
        }
    }

    #[test]
    fn a_posting_holds_a_document_and_a_weight_up_to_255() {
        assert_eq!(unpack(posting(0, 1)), (0, 1));
        assert_eq!(unpack(posting(MAX_DOC, 20)), (MAX_DOC, 20));
        assert_eq!(
            unpack(posting(7, 300)),
            (7, 255),
            "heavier titles are capped"
        );
    }

    /// The JSON value a shard script assigns.
    fn assigned(files: &[(String, Vec<u8>)], name: &str) -> serde_json::Value {
        let (_, bytes) = files.iter().find(|(n, _)| n == name).expect(name);
        let js = std::str::from_utf8(bytes).expect("utf-8");
        let json = js
            .split_once("]=")
            .or_else(|| js.split_once("SEARCH="))
            .map(|(_, rest)| rest)
            .and_then(|s| s.strip_suffix(";\n"))
            .expect("script shape");
        serde_json::from_str(json).expect("valid JSON")
    }

    #[test]
    fn postings_are_gap_coded_and_weighted() {
        let mut files = Vec::new();
        let mut emit = |name: &str, bytes: &[u8]| {
            files.push((name.to_string(), bytes.to_vec()));
            Ok(())
        };
        let mut b = Builder::new(&mut emit).expect("in memory");
        b.add("plan", "近视", "zh/plan/#p-1", "学生近视率")
            .expect("in memory");
        b.add("plan", "体质", "zh/plan/#p-2", "体质健康")
            .expect("in memory");
        b.add("area", "Myopia", "en/areas/x/", "近视 近视 \"quoted\"")
            .expect("in memory");
        let bytes = b.finish().expect("in memory");
        assert_eq!(bytes, files.iter().map(|(_, b)| b.len()).sum::<usize>());
        let docs = assigned(&files, "d0.js");
        assert_eq!(docs[2][0], "Myopia");
        assert_eq!(docs[2][3], "近视 近视 \"quoted\"");
        let terms = assigned(&files, "t0.js");
        // 近视: doc 0 (title 3 + body 1), doc 2 (body 2) → gaps 0, 2.
        assert_eq!(terms["近视"], serde_json::json!([0, 4, 2, 2]));
        assert_eq!(terms["myopia"], serde_json::json!([2, 3]));
        assert!(terms.get("quoted").is_some());
        let meta = assigned(&files, "index.js");
        assert_eq!(meta["terms"], 1);
        assert_eq!(meta["docs"], serde_json::json!([0]));
        assert_eq!(meta["cjk"][1], serde_json::json!([0x4E00, 0x9FFF]));
    }

    #[test]
    fn terms_go_to_the_shard_of_their_first_characters() {
        // Words sharing their first two characters share a shard, so a query
        // prefix finds every word it starts.
        assert_eq!(shard_key("myopia"), shard_key("my"));
        assert_eq!(shard_key("education"), shard_key("educ"));
        assert_ne!(shard_key("myopia"), shard_key("mz"));
        // A bigram goes by both its characters.
        assert_ne!(shard_key("近视"), shard_key("近代"));
        // FNV-1a over code points, as search.js computes it.
        assert_eq!(shard_key("a"), 0xE40C_292C);
    }

    #[test]
    fn short_and_long_terms_are_numbered_alike() {
        let mut emit = |_: &str, _: &[u8]| Ok(());
        let mut b = Builder::new(&mut emit).expect("in memory");
        let terms = [
            "ab",
            "ab\0",
            "a",
            "近视",
            "近视率",
            "education",
            "educatio",
            "edu",
        ];
        let ids: Vec<u32> = terms.iter().map(|t| b.term_id(t)).collect();
        assert_eq!(
            ids,
            (0..8).collect::<Vec<u32>>(),
            "each term its own number"
        );
        let again: Vec<u32> = terms.iter().map(|t| b.term_id(t)).collect();
        assert_eq!(again, ids, "a term keeps its number");
        assert_eq!(b.terms, terms);
        assert_eq!(short_key("近视率"), None, "9 bytes");
        assert_ne!(short_key("ab"), short_key("ab\0"));
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0, 7, 10, 255, 4_096, 16_777_215, u32::MAX] {
            let mut out = Vec::new();
            push_number(&mut out, n);
            assert_eq!(String::from_utf8(out).expect("ascii"), n.to_string());
        }
    }

    /// The cases the client's tokenizer is tested with too
    /// (tests/search_tokens.mjs): both sides cut text alike.
    #[test]
    fn shared_tokenizer_cases() {
        let cases: Vec<(String, Vec<String>)> =
            serde_json::from_str(include_str!("../../tests/search-tokens.json")).expect("json");
        let wrong: Vec<String> = cases
            .iter()
            .filter(|(text, want)| terms(text) != *want)
            .map(|(text, want)| format!("{text:?}: got {:?}, want {want:?}", terms(text)))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn bigrams_and_words() {
        assert_eq!(terms("近视率"), ["近视", "视率"]);
        assert_eq!(terms("“双师型”教师"), ["双师", "师型", "教师"]);
        assert_eq!(terms("Myopia rate 58.2"), ["myopia", "rate", "58", "2"]);
        assert_eq!(terms("学"), ["学"]);
    }
}
