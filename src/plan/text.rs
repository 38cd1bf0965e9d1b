//! Character-level helpers shared by the plan parser.

/// Closing quotes and brackets that may follow the sentence-final mark.
const CLOSERS: &[char] = &['”', '’', '"', '\'', '）', ')', '》', '」', '』', '】'];
const FINAL_MARKS: &[char] = &['。', '！', '？', '!', '?', '；', ';', '…', '：', ':'];

/// Whether a line ends a sentence (`。`, `！`, `？`, `；`, `：`, `…`, optionally
/// followed by closing quotes). A line that does not was cut by a page break
/// when it is a paragraph line. `…实施方案》` is *not* final: the closing
/// bracket ends a title inside the sentence.
pub fn sentence_final(line: &str) -> bool {
    let trimmed = line.trim_end();
    let mut chars = trimmed.chars().rev().peekable();
    let mut saw_closer = false;
    while let Some(&c) = chars.peek() {
        if CLOSERS.contains(&c) {
            saw_closer = true;
            chars.next();
        } else {
            break;
        }
    }
    match chars.next() {
        Some(c) if FINAL_MARKS.contains(&c) => true,
        // `（试行）。` is caught above; a bare `。”` too. A closer alone is not final.
        Some(_) | None => trimmed.is_empty() && !saw_closer,
    }
}

/// CJK ideographs and CJK punctuation: text that needs no spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF
        | 0x20000..=0x2FA1F)
}

/// Full-width ASCII variants (`１`, `（`, `．`) folded to ASCII for matching
/// heading markers. Only used to classify lines; the text itself is kept as published.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Removes whitespace that sits between two CJK characters (`发展 质量` → `发展质量`):
/// an artifact of a table cell printed on two lines.
pub fn close_cjk_gaps(text: &str) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let before = out.chars().next_back().is_some_and(is_cjk);
            let after = chars[i + 1..]
                .iter()
                .find(|c| !c.is_whitespace())
                .is_some_and(|&c| is_cjk(c));
            if before && after {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Splits an inline heading `加强党对教育工作的全面领导。以习近平…` into its lead
/// sentence (without the final mark) and the rest. A heading without a sentence
/// mark is all title.
pub fn split_lead_sentence(text: &str) -> (String, Option<String>) {
    let text = text.trim();
    if let Some((pos, mark)) = text
        .char_indices()
        .find(|(_, c)| matches!(c, '。' | '！' | '？'))
    {
        let title = text[..pos].trim().to_string();
        let rest = text[pos + mark.len_utf8()..].trim();
        if title.is_empty() {
            return (text.to_string(), None);
        }
        return (title, (!rest.is_empty()).then(|| rest.to_string()));
    }
    (text.to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_final_marks() {
        assert!(sentence_final("制定本规划。"));
        assert!(sentence_final("“幼有优育”的美好期盼。”"));
        assert!(sentence_final("主要表现在："));
        assert!(!sentence_final("被教育部命名为“全"));
        assert!(!sentence_final("落实《国家职业教育改革实施方案》"));
        assert!(!sentence_final("优化普惠性学前教育资源,"));
        assert!(!sentence_final("推动更高质量发展"));
    }

    #[test]
    fn cjk_gaps_closed_but_latin_spaces_kept() {
        assert_eq!(close_cjk_gaps("发展 质量"), "发展质量");
        assert_eq!(close_cjk_gaps("Queen Anne 高中"), "Queen Anne 高中");
    }

    #[test]
    fn lead_sentence() {
        assert_eq!(
            split_lead_sentence("党的领导全面加强。成立领导小组。"),
            ("党的领导全面加强".into(), Some("成立领导小组。".into()))
        );
        assert_eq!(split_lead_sentence("主要目标"), ("主要目标".into(), None));
    }

    #[test]
    fn width_folding() {
        assert_eq!(fold_width('１'), '1');
        assert_eq!(fold_width('（'), '(');
        assert_eq!(fold_width('中'), '中');
    }
}
