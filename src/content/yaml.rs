//! YAML reading with positions: every content file goes through [`parse`], which
//! turns syntax and type errors into diagnostics at `file:line:col`, refuses empty
//! files, tabs and oversized input, and bounds alias expansion.

use std::fmt;
use std::hash::BuildHasher;
use std::marker::PhantomData;

use rustc_hash::{FxBuildHasher, FxHashSet};
use serde::de::{DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_saphyr::DuplicateKeyPolicy;
pub use serde_saphyr::Spanned;

use crate::diag::{Code, Diagnostic};

/// Content files larger than this are refused before parsing.
pub const MAX_YAML_BYTES: usize = 8 * 1024 * 1024;

/// 1-based line and column in a content file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

pub fn pos<T>(spanned: &Spanned<T>) -> Pos {
    let loc = spanned.referenced;
    Pos {
        line: usize::try_from(loc.line()).unwrap_or(0),
        col: usize::try_from(loc.column()).unwrap_or(0),
    }
}

pub fn parse<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, Diagnostic> {
    if text.len() > MAX_YAML_BYTES {
        return Err(Diagnostic::error(
            Code::FileTooLarge,
            file,
            0,
            0,
            format!(
                "file is {} bytes; the limit is {MAX_YAML_BYTES}",
                text.len()
            ),
        )
        .help("split the content or remove what does not belong in it"));
    }
    let control = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if let Some((index, line)) = text.lines().enumerate().find(|(_, l)| l.contains(control)) {
        let (col, c) = line
            .chars()
            .enumerate()
            .find(|(_, c)| control(*c))
            .unwrap_or((0, '\0'));
        return Err(Diagnostic::error(
            if c == '\0' { Code::NulByte } else { Code::ControlCharacter },
            file,
            index + 1,
            col + 1,
            if c == '\0' {
                "the file contains a NUL byte".to_string()
            } else {
                format!("the file contains the control character U+{:04X}", c as u32)
            },
        )
        .help("content files are UTF-8 text; delete the invisible character (it often comes with text pasted from a PDF or a word processor)"));
    }
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Err(Diagnostic::error(Code::EmptyFile, file, 1, 1, "the file is empty").help("remove the file, or fill it in (`plansite new year YEAR` writes a complete template)"));
    }
    if let Some((index, line)) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.trim_start_matches(' ').starts_with('\t'))
    {
        let col = line.chars().position(|c| c == '\t').unwrap_or(0) + 1;
        return Err(Diagnostic::error(
            Code::TabIndent,
            file,
            index + 1,
            col,
            "a tab is used for indentation",
        )
        .help("YAML indents with spaces only: replace the tab with spaces"));
    }
    // The first parse leaves duplicate keys to serde (a derived struct refuses
    // a repeated field; `KeyedList`, the one map type here, checks its own
    // keys) instead of serde-saphyr's key set, which hashes every key of
    // every mapping: a tenth of the parse. Serde names the first of two
    // repeated keys, though, so a file that fails is parsed again with
    // serde-saphyr's checks, whose error points at the repeat. Merge keys
    // (`<<`) are refused; they would need that key set.
    let options = |duplicate_keys| {
        serde_saphyr::options! {
            with_snippet: false,
            duplicate_keys: duplicate_keys,
            merge_keys: serde_saphyr::MergeKeyPolicy::Error,
        }
    };
    serde_saphyr::from_str_with_options(text, options(DuplicateKeyPolicy::PassThrough)).map_err(
        |lenient| {
            // A syntax error (an unclosed `[`, a bad indent) is reported as one,
            // not as the type error a parse for `T` meets first: the document
            // is read once more for its structure alone.
            let any = serde_saphyr::from_str_with_options::<serde::de::IgnoredAny>(
                text,
                options(DuplicateKeyPolicy::PassThrough),
            );
            if let Err(e) = any {
                // Anchors and merge keys are refused while reading the structure too.
                let kind = match kind_of(&e) {
                    Kind::WrongType => Kind::Syntax,
                    kind => kind,
                };
                let mut d = diagnostic(file, &e, kind);
                if kind == Kind::Syntax
                    && let Some((line, col, bracket)) = unclosed_bracket(text, d.line)
                {
                    d.help = Some(format!(
                        "the `{bracket}` opened at line {line}, column {col} is not closed"
                    ));
                }
                return d;
            }
            let strict = options(DuplicateKeyPolicy::Error);
            match serde_saphyr::from_str_with_options::<T>(text, strict) {
                Err(e) => diagnostic(file, &e, kind_of(&e)),
                Ok(_) => diagnostic(file, &lenient, kind_of(&lenient)),
            }
        },
    )
}

/// The last `[` or `{` before line `upto` that is not closed by then (outside
/// quotes and comments): where a flow collection left open began.
fn unclosed_bracket(text: &str, upto: usize) -> Option<(usize, usize, char)> {
    let mut open: Vec<(usize, usize, char)> = Vec::new();
    for (index, line) in text.lines().enumerate().take(upto) {
        let mut quote: Option<char> = None;
        for (col, c) in line.chars().enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => break,
                (None, '[' | '{') => open.push((index + 1, col + 1, c)),
                (None, ']' | '}') => {
                    open.pop();
                }
                _ => {}
            }
        }
    }
    open.last().copied()
}

/// What went wrong in a content file, as reported to its author.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Not well-formed YAML.
    Syntax,
    UnknownField,
    MissingField,
    DuplicateKey,
    /// An anchor, alias or merge key beyond what plansite accepts.
    Limit,
    /// Well-formed, but a value of the wrong kind.
    WrongType,
}

impl Kind {
    fn code(self) -> Code {
        match self {
            Kind::Syntax => Code::YamlSyntax,
            Kind::UnknownField => Code::UnknownField,
            Kind::MissingField => Code::MissingField,
            Kind::DuplicateKey => Code::DuplicateKey,
            Kind::Limit => Code::YamlLimit,
            Kind::WrongType => Code::WrongType,
        }
    }

    fn hint(self, message: &str) -> &'static str {
        match self {
            Kind::Syntax => {
                "this is not well-formed YAML: check the indentation, a missing `:`, or a bracket or quote left open before this position"
            }
            Kind::UnknownField => {
                "check the spelling against the fields listed; docs/CONTENT.md shows each file's format"
            }
            Kind::MissingField => "add the field named in the message",
            Kind::DuplicateKey => "each key may appear once in a mapping: merge the two entries",
            Kind::Limit if message.contains("merge") => {
                "merge keys (`<<`) are not supported: write the fields out"
            }
            Kind::Limit => "YAML anchors and aliases are limited; write the values out",
            Kind::WrongType if message.contains("float") || message.contains("integer") => {
                "write a plain number such as 88.6 (no % sign, no quotes), or null with a missing_reason"
            }
            Kind::WrongType => {
                "the value here is not of the kind this field takes: see the format in docs/CONTENT.md"
            }
        }
    }
}

/// The kind of a parse error, from serde-saphyr's variant (never its wording).
fn kind_of(e: &serde_saphyr::Error) -> Kind {
    use serde_saphyr::Error as E;
    match e {
        E::AliasError { error, .. } | E::WithSnippet { error, .. } => kind_of(error),
        E::SerdeUnknownField { .. } => Kind::UnknownField,
        E::SerdeMissingField { .. } => Kind::MissingField,
        E::DuplicateMappingKey { .. } => Kind::DuplicateKey,
        E::MergeKeyNotAllowed { .. }
        | E::MergeValueNotMapOrSeqOfMaps { .. }
        | E::UnknownAnchor { .. }
        | E::AliasReplayCounterOverflow { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => Kind::Limit,
        // `KeyedList` reports a repeated key through serde's custom message.
        E::Message { msg, .. } if msg.starts_with("duplicate key") => Kind::DuplicateKey,
        _ => Kind::WrongType,
    }
}

fn diagnostic(file: &str, e: &serde_saphyr::Error, kind: Kind) -> Diagnostic {
    let (line, col) = e.location().map_or((1, 1), |l| {
        (
            usize::try_from(l.line()).unwrap_or(1),
            usize::try_from(l.column()).unwrap_or(1),
        )
    });
    let message = clean_message(&e.to_string());
    let message = if kind == Kind::Syntax {
        format!("YAML syntax error: {message}")
    } else {
        message
    };
    let help = kind.hint(&message);
    let mut d = Diagnostic::error(kind.code(), file, line.max(1), col.max(1), message);
    d.help = Some(help.to_string());
    d
}

/// Drops serde-saphyr's `error: line N column M:` prefix and ` at line N,
/// column M` suffix (the position is printed separately), and its advice to
/// set a parser option, which is for programmers, not for the file's author.
fn clean_message(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or(raw);
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let first = match first.find("column ") {
        Some(at) if first.starts_with("line ") => {
            let rest = &first[at..];
            rest.find(": ").map_or(first, |colon| &rest[colon + 2..])
        }
        _ => first,
    };
    let first = match first.rfind(" at line ") {
        Some(at) if first[at..].contains(", column ") => &first[..at],
        _ => first,
    };
    match first
        .strip_prefix("duplicate mapping key: ")
        .and_then(|rest| rest.strip_suffix(", set DuplicateKeyPolicy in Options if acceptable"))
    {
        Some(key) => format!("duplicate key `{key}`"),
        None => first.to_string(),
    }
}

/// A mapping read in document order with the position of every key; a key
/// given twice is an error at the second.
#[derive(Debug, Clone)]
pub struct KeyedList<V>(pub Vec<(Spanned<String>, V)>);

impl<V> Default for KeyedList<V> {
    fn default() -> Self {
        KeyedList(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for KeyedList<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for MapVisitor<V> {
            type Value = KeyedList<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out: Vec<(Spanned<String>, V)> = Vec::new();
                // Hashes of the keys so far; a repeated hash is confirmed
                // (or not) against the earlier keys themselves.
                let mut hashes: FxHashSet<u64> = FxHashSet::default();
                while let Some((k, v)) = map.next_entry::<Spanned<String>, V>()? {
                    let hash = FxBuildHasher.hash_one(k.value.as_str());
                    // The error only stops this parse: `parse` then parses the
                    // file again with serde-saphyr's own check, which reports
                    // the repeated key with its position.
                    if !hashes.insert(hash) && out.iter().any(|(e, _)| e.value == k.value) {
                        return Err(serde::de::Error::custom(format_args!(
                            "duplicate key `{}`",
                            k.value
                        )));
                    }
                    out.push((k, v));
                }
                Ok(KeyedList(out))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(KeyedList(Vec::new()))
            }
        }
        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

/// A `{zh, en}` pair as written, either language possibly missing.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TextRaw {
    pub zh: Option<String>,
    pub en: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        #[allow(dead_code)]
        value: Option<f64>,
        #[serde(default)]
        map: KeyedList<u32>,
    }

    #[test]
    fn errors_carry_positions_and_hints() {
        let e = parse::<Doc>("f.yaml", "value: abc\n").expect_err("type");
        assert_eq!((e.line, e.column, e.code.as_str()), (1, 8, "wrong-type"));
        let e = parse::<Doc>("f.yaml", "value: 1\nvalu: 2\n").expect_err("unknown");
        assert_eq!((e.line, e.code.as_str()), (2, "unknown-field"));
        let e = parse::<Doc>("f.yaml", "value: 1\nvalue: 2\n").expect_err("dup");
        assert_eq!((e.line, e.code.as_str()), (2, "duplicate-key"));
        let e = parse::<Doc>("f.yaml", "value: [1\n").expect_err("unclosed");
        assert_eq!(e.code.as_str(), "yaml-syntax", "{e:?}");
        assert!(e.message.starts_with("YAML syntax error"), "{}", e.message);
        let e = parse::<Doc>("f.yaml", "map:\n\ta: 1\n").expect_err("tab");
        assert_eq!((e.line, e.column, e.code.as_str()), (2, 1, "tab-indent"));
        let e = parse::<Doc>("f.yaml", "# nothing\n\n").expect_err("empty");
        assert_eq!(e.code.as_str(), "empty-file");
    }

    #[test]
    fn keyed_lists_refuse_a_repeated_key_at_the_repeat() {
        let e = parse::<Doc>("f.yaml", "map:\n  a: 1\n  b: 2\n  a: 3\n").expect_err("dup");
        assert_eq!((e.line, e.code.as_str()), (4, "duplicate-key"));
        assert_eq!(e.message, "duplicate key `a`");
        // Many distinct keys: no false alarm.
        let many: String = (0..2000).map(|i| format!("  k{i}: {i}\n")).collect();
        let doc: Doc = parse("f.yaml", &format!("map:\n{many}")).expect("distinct keys");
        assert_eq!(doc.map.0.len(), 2000);
    }

    #[test]
    fn messages_leave_positions_and_parser_options_out() {
        let e = parse::<Doc>("f.yaml", "value: 1\nvalu: 2\n").expect_err("unknown");
        assert!(!e.message.contains("line"), "{}", e.message);
        assert!(
            e.message.starts_with("unknown field `valu`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn merge_keys_are_refused_with_a_hint() {
        let e = parse::<Doc>("f.yaml", "map:\n  a: 1\n  <<: {b: 2}\n").expect_err("merge");
        assert_eq!(e.code.as_str(), "yaml-limit");
        assert!(e.help.as_deref().unwrap_or("").contains("merge keys"));
    }

    #[test]
    fn keyed_lists_keep_order_and_key_positions() {
        let doc: Doc = parse("f.yaml", "map:\n  b: 2\n  a: 1\n").expect("parses");
        let keys: Vec<(&str, usize)> = doc
            .map
            .0
            .iter()
            .map(|(k, _)| (k.value.as_str(), pos(k).line))
            .collect();
        assert_eq!(keys, [("b", 2), ("a", 3)]);
    }

    #[test]
    fn alias_bombs_are_bounded() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (prev, next) in ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i", "j"])
        {
            bomb.push_str(&format!("{next}: &{next} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let started = std::time::Instant::now();
        let result = parse::<serde_json::Value>("bomb.yaml", &bomb);
        assert!(result.is_err(), "a billion-laughs document must be refused");
        assert!(started.elapsed().as_secs() < 10);
    }
}
