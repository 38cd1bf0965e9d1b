//! Escaping text for HTML and for JSON string literals. Pages and the search
//! index are mostly text that needs no escaping, so both scan it in blocks and
//! pass plain runs on whole, not byte by byte.

use std::io::{self, Write};

/// Bytes checked at once.
const BLOCK: usize = 16;

/// Writes `text` through `write` with each byte for which `replace` gives a
/// replacement replaced. `special` says, without branches, whether a byte may
/// be replaced: blocks without one, most of a text, are skipped after a check
/// that the compiler turns into vector compares.
fn escape_runs<E>(
    text: &str,
    special: impl Fn(u8) -> bool,
    replace: impl Fn(u8) -> Option<&'static str>,
    mut write: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    let plain = |block: &[u8; BLOCK]| {
        let mut found = 0u8;
        for &b in block {
            found |= u8::from(special(b));
        }
        found == 0
    };
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let end = (i + BLOCK).min(bytes.len());
        let plain_block = match bytes[i..end].try_into() {
            Ok(block) => plain(block),
            // The short tail (or a short value: most are) is checked as one
            // block padded with spaces, which neither format escapes.
            Err(_) => {
                let mut block = [b' '; BLOCK];
                block[..end - i].copy_from_slice(&bytes[i..end]);
                plain(&block)
            }
        };
        if plain_block {
            i = end;
            continue;
        }
        // This block holds a special byte: its bytes one by one.
        for at in i..end {
            let Some(replacement) = replace(bytes[at]) else {
                continue;
            };
            // Replaced bytes are ASCII, so both slices end on character boundaries.
            write(&text[start..at])?;
            write(replacement)?;
            start = at + 1;
        }
        i = end;
    }
    write(&text[start..])
}

/// Writes `text` with `& < > "` (and `'` when `apostrophe`) replaced by
/// entities, through `write`.
pub(super) fn escape_into<E>(
    text: &str,
    apostrophe: bool,
    write: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    // C0 control characters other than tab and line ends are dropped: XML
    // forbids them (a feed with one is not XML at all) and HTML flags them.
    escape_runs(
        text,
        |b| {
            (b == b'&')
                | (b == b'<')
                | (b == b'>')
                | (b == b'"')
                | (b == b'\'')
                | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r'))
        },
        |b| match b {
            b'&' => Some("&amp;"),
            b'<' => Some("&lt;"),
            b'>' => Some("&gt;"),
            b'"' => Some("&quot;"),
            b'\'' if apostrophe => Some("&#39;"),
            b if b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r' => Some(""),
            _ => None,
        },
        write,
    )
}

/// Text escaped for HTML and XML (content and double-quoted attributes).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let Ok(()) = escape_into(s, false, |part| {
        out.push_str(part);
        Ok::<(), std::convert::Infallible>(())
    });
    out
}

/// How serde_json writes the control characters in a string.
const CONTROL: [&str; 32] = [
    "\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007", "\\b",
    "\\t", "\\n", "\\u000b", "\\f", "\\r", "\\u000e", "\\u000f", "\\u0010", "\\u0011", "\\u0012",
    "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017", "\\u0018", "\\u0019", "\\u001a",
    "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f",
];

/// Writes `text` as a JSON string literal, byte for byte as serde_json does
/// (`"` and `\` escaped, control characters as `\n` or `\u001f`), for the
/// search index's hundreds of thousands of strings.
pub(super) fn write_json_str(out: &mut impl Write, text: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    escape_runs(
        text,
        |b| (b < 0x20) | (b == b'"') | (b == b'\\'),
        |b| match b {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            _ => CONTROL.get(usize::from(b)).copied(),
        },
        |part| out.write_all(part.as_bytes()),
    )?;
    out.write_all(b"\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_dropped_tabs_and_line_ends_kept() {
        assert_eq!(escape_html("a\u{2}b\tc\nd\re\u{1f}<"), "ab\tc\nd\re&lt;");
        for text in texts_with('\u{2}') {
            assert_eq!(escape_html(&text), text.replace('\u{2}', ""));
        }
    }

    /// Texts with `special` at every offset around the block size, between
    /// ASCII and three-byte CJK characters.
    fn texts_with(special: char) -> impl Iterator<Item = String> {
        (0..40).flat_map(move |len| {
            (0..usize::max(len, 1)).map(move |at| {
                (0..len)
                    .map(|i| match i {
                        _ if i == at => special,
                        _ if i % 3 == 0 => '近',
                        _ => 'x',
                    })
                    .collect()
            })
        })
    }

    #[test]
    fn escaping_in_blocks_matches_escaping_byte_by_byte() {
        let naive = |text: &str| -> String {
            text.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect()
        };
        let blocked = |text: &str| -> String {
            let mut out = String::new();
            escape_into(text, true, |part| {
                out.push_str(part);
                Ok::<(), ()>(())
            })
            .expect("infallible");
            out
        };
        for special in ['&', '<', '>', '"', '\'', 'a'] {
            for text in texts_with(special) {
                assert_eq!(blocked(&text), naive(&text), "{text:?}");
            }
        }
        let all = "<<&&>>\"\"''".repeat(5);
        assert_eq!(blocked(&all), naive(&all));
    }

    #[test]
    fn escape_html_replaces_four_characters() {
        assert_eq!(
            escape_html("<a href=\"x\">Tom's & 近视</a>&amp;"),
            "&lt;a href=&quot;x&quot;&gt;Tom's &amp; 近视&lt;/a&gt;&amp;amp;"
        );
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("&"), "&amp;");
    }

    #[test]
    fn json_strings_are_written_as_serde_json_writes_them() {
        let ours = |text: &str| {
            let mut out = Vec::new();
            write_json_str(&mut out, text).expect("a Vec takes any write");
            String::from_utf8(out).expect("UTF-8")
        };
        let specials = [
            '"', '\\', '\n', '\t', '\u{0}', '\u{1f}', '\u{7f}', '/', '<', 'a',
        ];
        for special in specials {
            for text in texts_with(special) {
                assert_eq!(ours(&text), serde_json::to_string(&text).expect("json"));
            }
        }
        let every_control: String = (0u8..0x20).map(char::from).collect();
        assert_eq!(
            ours(&every_control),
            serde_json::to_string(&every_control).expect("json")
        );
    }
}
