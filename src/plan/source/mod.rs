//! A plan as its office published it → the plan text [`parse`](super::parse)
//! reads. Plans come as text files, saved web pages and Word documents; the
//! web page and the Word file are read into blocks (paragraphs and tables),
//! and the blocks written out as the text of the genre: one paragraph per
//! line with a blank line between, a table as rows of tab-separated cells.
//! The parser then reads all three the same way, so the same plan in the
//! three forms gives the same model.
//!
//! Formats are told by the file's name (`.html`/`.htm`, `.docx`; anything
//! else is text) and confirmed by its first bytes.

mod docx;
mod html;

use super::decode::{Decoded, decode};
use super::parse::PlanError;

/// What a published file holds, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    Paragraph(String),
    Table(Vec<Vec<Cell>>),
}

/// A table cell as published: its text and how many grid columns it spans.
/// A cell merged into the one above (a row span) is read as empty text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cell {
    pub text: String,
    pub span: usize,
}

/// The published format of a plan file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    Docx,
}

impl Format {
    /// By the file's name: `.html`/`.htm` and `.docx`; anything else is text.
    pub fn of(name: &str) -> Format {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".html") || lower.ends_with(".htm") {
            Format::Html
        } else if lower.ends_with(".docx") {
            Format::Docx
        } else {
            Format::Text
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "web page",
            Format::Docx => "Word document",
        }
    }
}

/// Reads a plan file of any supported format into the plan text. `name` is
/// the file's name (for its format). A web page's chrome that was dropped
/// (发布时间, 来源, 打印本页, …) is named in the warning.
pub fn read(name: &str, bytes: &[u8]) -> Result<Decoded, PlanError> {
    match Format::of(name) {
        Format::Text => {
            if bytes.starts_with(b"PK\x03\x04") {
                return Err(PlanError::new(
                    1,
                    1,
                    "the file is a zip archive (a Word document?), not a plan text",
                )
                .with_help("name a Word file FILE.docx so plansite reads it as one"));
            }
            decode(bytes)
        }
        Format::Html => {
            let decoded = decode(bytes)?;
            let page = html::read(&decoded.text);
            let mut warnings: Vec<String> = decoded.warning.into_iter().collect();
            if !page.dropped.is_empty() {
                warnings.push(format!(
                    "read the article of the web page; dropped the page's chrome around it ({})",
                    page.dropped.join("、")
                ));
            }
            Ok(Decoded {
                text: to_text(page.title.as_deref(), &page.blocks),
                encoding: decoded.encoding,
                warning: (!warnings.is_empty()).then(|| warnings.join("; ")),
            })
        }
        Format::Docx => {
            let document = docx::read(bytes).map_err(|e| {
                PlanError::new(1, 1, format!("cannot read the Word document: {e}")).with_help(
                    "save the plan from Word as .docx (Office Open XML), or as UTF-8 text",
                )
            })?;
            Ok(Decoded {
                text: to_text(None, &document),
                encoding: "UTF-8 (Word document)",
                warning: None,
            })
        }
    }
}

/// The blocks as the plan text: the title (when the blocks lack it) first,
/// each paragraph on its line, a blank line between blocks, and a table's
/// rows as tab-separated cells. Numbered group rows inside a table (`一、发展
/// 水平` across the whole row) become a group column, the shape the parser
/// reads: the label in the first row of its group, empty below.
fn to_text(title: Option<&str>, blocks: &[Block]) -> String {
    let mut out = String::new();
    let first_paragraph = blocks.iter().find_map(|b| match b {
        Block::Paragraph(p) => Some(p.as_str()),
        Block::Table(_) => None,
    });
    if let Some(title) = title
        && first_paragraph.is_none_or(|p| p != title)
    {
        out.push_str(title);
        out.push_str("\n\n");
    }
    for block in blocks {
        match block {
            Block::Paragraph(p) => {
                out.push_str(p);
                out.push_str("\n\n");
            }
            Block::Table(rows) => {
                for row in table_rows(rows) {
                    out.push_str(&row.join("\t"));
                    out.push('\n');
                }
                out.push('\n');
            }
        }
    }
    out
}

/// A table's rows as cell texts, a spanning cell repeated as empty cells
/// after it, and group rows made a group column.
fn table_rows(rows: &[Vec<Cell>]) -> Vec<Vec<String>> {
    let width = rows
        .iter()
        .map(|r| r.iter().map(|c| c.span.max(1)).sum::<usize>())
        .max()
        .unwrap_or(0);
    let is_group_row = |row: &Vec<Cell>| {
        let filled: Vec<&Cell> = row.iter().filter(|c| !c.text.trim().is_empty()).collect();
        width > 2 && filled.len() == 1 && (row.len() == 1 || filled[0].span > 1)
    };
    let has_groups = rows.iter().skip(1).any(is_group_row);
    let mut out = Vec::new();
    let mut group: Option<String> = None;
    for (i, row) in rows.iter().enumerate() {
        if has_groups && i > 0 && is_group_row(row) {
            let label = row
                .iter()
                .find(|c| !c.text.trim().is_empty())
                .map(|c| strip_group_number(c.text.trim()))
                .unwrap_or_default();
            group = Some(label);
            continue;
        }
        let mut cells: Vec<String> = Vec::new();
        for cell in row {
            cells.push(cell.text.trim().to_string());
            for _ in 1..cell.span {
                cells.push(String::new());
            }
        }
        if has_groups {
            // The header names the new column as the parser knows group columns.
            let first = if i == 0 {
                "类别".to_string()
            } else {
                group.take().unwrap_or_default()
            };
            cells.insert(0, first);
        }
        out.push(cells);
    }
    out
}

/// `一、发展水平` → `发展水平`; `（一）保障` → `保障`.
fn strip_group_number(label: &str) -> String {
    let trimmed = label.trim_start_matches(['（', '(']);
    let digits = trimmed
        .char_indices()
        .take_while(|(_, c)| "一二三四五六七八九十百零〇0123456789".contains(*c))
        .last()
        .map(|(i, c)| i + c.len_utf8());
    match digits {
        Some(end) if trimmed.len() > end => {
            let rest = &trimmed[end..];
            let rest = rest.trim_start_matches(['、', '.', '．', '）', ')', ' ', '　']);
            if rest.len() < trimmed[end..].len() {
                rest.to_string()
            } else {
                label.to_string()
            }
        }
        _ => label.to_string(),
    }
}

/// Whitespace as a reader sees it: the paragraph's indentation (`　　`,
/// `&nbsp;`) and trailing blanks go; a run of blanks inside it becomes one
/// space as written, except a line break between two CJK characters (a page
/// source wrapped mid-sentence), which goes.
pub(crate) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.chars() {
        if c.is_whitespace() || c == '\u{a0}' {
            run.push(c);
            continue;
        }
        if !run.is_empty() && !out.is_empty() {
            let prev = out.chars().last().unwrap_or(' ');
            let wrapped = run.contains('\n') && (wide(prev) && wide(c));
            if !wrapped {
                out.push(' ');
            }
        }
        run.clear();
        out.push(c);
    }
    out
}

/// A character of CJK text or its punctuation.
fn wide(c: char) -> bool {
    super::is_cjk(c)
        || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF | 0x2018..=0x201F | 0x2014 | 0x2026)
}

/// XML text with its five entities and character references resolved; an
/// entity it does not know is kept as written (the Word and XLIFF readers).
pub fn unescape_xml(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find(';') {
            Some(end) if end <= 10 => {
                let name = &after[..end];
                let c = match name {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    n if n.starts_with("#x") => u32::from_str_radix(&n[2..], 16)
                        .ok()
                        .and_then(char::from_u32),
                    n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
                    _ => None,
                };
                match c {
                    Some(c) => out.push(c),
                    None => {
                        out.push('&');
                        out.push_str(name);
                        out.push(';');
                    }
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str, span: usize) -> Cell {
        Cell {
            text: text.into(),
            span,
        }
    }

    #[test]
    fn group_rows_become_a_group_column() {
        let rows = vec![
            vec![cell("指标", 1), cell("2025年", 1), cell("2030年", 1)],
            vec![cell("一、公共文化", 3)],
            vec![cell("馆藏（册）", 1), cell("1", 1), cell("2", 1)],
            vec![cell("场馆（个）", 1), cell("3", 1), cell("4", 1)],
            vec![cell("二、旅游", 3)],
            vec![cell("游客（万人次）", 1), cell("5", 1), cell("6", 1)],
        ];
        assert_eq!(
            to_text(None, &[Block::Table(rows)]),
            "类别\t指标\t2025年\t2030年\n公共文化\t馆藏（册）\t1\t2\n\t场馆（个）\t3\t4\n旅游\t游客（万人次）\t5\t6\n\n"
        );
    }

    #[test]
    fn whitespace_is_cleaned_between_cjk_and_kept_between_words() {
        assert_eq!(
            clean("　　为推进\n  教育 现代化,\u{a0}制定 the\n plan\u{a0}"),
            "为推进教育 现代化, 制定 the plan"
        );
        assert_eq!(strip_group_number("一、发展水平"), "发展水平");
        assert_eq!(strip_group_number("（二）保障"), "保障");
        assert_eq!(strip_group_number("普及程度"), "普及程度");
    }

    #[test]
    fn formats_by_name() {
        assert_eq!(Format::of("plan.HTM"), Format::Html);
        assert_eq!(Format::of("规划.docx"), Format::Docx);
        assert_eq!(Format::of("plan.txt"), Format::Text);
        assert!(read("plan.txt", b"PK\x03\x04zip").is_err());
    }
}
