//! The plan parser: pure, `&str` in, [`Plan`] out.
//!
//! # Grammar
//!
//! The input is the plain text of a Chinese development plan as extracted from
//! its PDF: one paragraph or heading per line, blank lines between them, page
//! breaks showing up as extra blank lines that may cut a paragraph in two.
//!
//! ```text
//! plan       := title preamble* part+
//! title      := first text line, before any heading, not ending a sentence
//! part       := PART paragraph* section*                 PART    = 一、 | 二、 | … (Chinese numeral + 、)
//! section    := SECTION paragraph* item* table?          SECTION = （一） | (一) | ( 一 )
//! item       := (NUMBERED | GOAL) paragraph* subitem*    NUMBERED = 1. | 1． | 1、   GOAL = —— | 一一
//! subitem    := PAREN paragraph*                         PAREN   = （1） | (1)
//! paragraph  := text line (+ continuation lines)
//! table      := caption? header row+                      cells separated by TAB (see `table.rs`)
//! ```
//!
//! Markers may be full- or half-width and may or may not be followed by a space.
//! A heading may carry its text inline (`（一）加强党的领导。以……`): the lead
//! sentence becomes the title and the rest the node's first paragraph.
//!
//! # Repairs (and nothing else)
//!
//! * A paragraph line that does not end a sentence (`。！？；：…`, optionally
//!   followed by closing quotes) was cut by a page break: the next text line is
//!   joined to it, even across blank lines (`…命名为“全` + `国青少年…`,
//!   `…实施方案》` + `任务和要求。`). Headings and table rows are never joined.
//! * `一一` at the start of a heading line is the extraction's reading of `——`.
//! * In the table, a group label split by a page break is joined (`结构`+`优化`).
//!
//! Node ids are positional: part `3`, section `3.4`, item `1.1.7`, paragraph
//! `3.4.p2`; the preamble's paragraphs are `0.p1`, …

use serde::Serialize;

use super::table::{TableRow, parse_table};
use super::text::{fold_width, sentence_final, split_lead_sentence};
use super::{Item, ItemKind, Paragraph, Part, Plan, PlanWarning, Section};

/// A plan that cannot be read, with the position that shows why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
}

impl PlanError {
    pub fn new(line: usize, column: usize, message: impl Into<String>) -> Self {
        PlanError {
            line,
            column,
            message: message.into(),
            help: None,
        }
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (line {}, column {})",
            self.message, self.line, self.column
        )
    }
}

impl std::error::Error for PlanError {}

/// Longest heading title: a longer "heading" is a paragraph that happens to start like one.
const MAX_TITLE_CHARS: usize = 80;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Part,
    Section,
    Item(ItemKind),
    /// `第一章`: a part, in plans written in chapters (whose `一、` are items).
    Chapter,
    /// `第一节`: a section.
    Division,
}

#[derive(Debug)]
enum Line {
    Blank,
    Table(Vec<String>),
    Heading {
        level: Level,
        number: Option<u32>,
        title: String,
        body: Option<String>,
    },
    Text(String),
}

/// A heading, paragraph or table row with the source lines it spans.
#[derive(Debug)]
enum Block {
    Heading {
        level: Level,
        number: Option<u32>,
        title: String,
        line: usize,
    },
    Paragraph {
        text: String,
        lines: [usize; 2],
    },
    Row {
        cells: Vec<String>,
        line: usize,
        after_break: bool,
    },
}

pub fn parse(text: &str) -> Result<Plan, PlanError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(PlanError::new(1, 1, "the plan text is empty")
            .with_help("expected a plan: a title line, then parts headed `一、…`, sections `（一）…` and paragraphs"));
    }
    // Tables laid out by spaces or one cell per line, as tab rows.
    let (text, relaid) = super::layout::tab_tables(text);
    let (mut blocks, mut joins) = blocks(&text);
    chapters_to_parts(&mut blocks);
    let mut plan = build(blocks)?;
    plan.relaid_tables = relaid
        .into_iter()
        .map(|(from, to, layout)| ([from, to], layout))
        .collect();
    joins.append(&mut plan.joins);
    joins.sort_unstable();
    plan.joins = joins;
    Ok(plan)
}

/// Plans written in chapters (`第一章` / `第一节`) number the items of a 节
/// `一、`: there, chapters are the parts, 节 the sections and `一、` items.
fn chapters_to_parts(blocks: &mut [Block]) {
    let chapters = blocks.iter().any(|b| {
        matches!(
            b,
            Block::Heading {
                level: Level::Chapter,
                ..
            }
        )
    });
    for block in blocks {
        if let Block::Heading { level, .. } = block {
            *level = match *level {
                Level::Chapter => Level::Part,
                Level::Division => Level::Section,
                Level::Part if chapters => Level::Item(ItemKind::Numbered),
                other => other,
            };
        }
    }
}

fn classify(raw: &str) -> Line {
    let line = raw.trim_end();
    if line.trim().is_empty() {
        return Line::Blank;
    }
    if line.contains('\t') {
        let cells: Vec<String> = line.split('\t').map(|c| c.trim().to_string()).collect();
        if cells.len() >= 3 && cells.iter().filter(|c| !c.is_empty()).count() >= 2 {
            return Line::Table(cells);
        }
    }
    let line = line.trim();
    heading(line).unwrap_or_else(|| Line::Text(line.to_string()))
}

/// Recognises a heading marker at the start of `line`.
fn heading(line: &str) -> Option<Line> {
    let folded: Vec<char> = line.chars().map(fold_width).collect();
    let numeral = |c: char| "一二三四五六七八九十百千零".contains(c);
    let count = |from: usize, pred: &dyn Fn(char) -> bool| {
        folded[from..].iter().take_while(|&&c| pred(c)).count()
    };
    let skip_spaces = |from: usize| from + count(from, &|c| c == ' ');

    // 第一章 (chapter) / 第一节 (section of a chapter)
    if folded.first() == Some(&'第') {
        let n = count(1, &numeral);
        let unit = folded.get(1 + n).copied();
        if n > 0 && matches!(unit, Some('章' | '节')) {
            let number =
                super::parse_chinese_numeral(&line.chars().skip(1).take(n).collect::<String>());
            let level = if unit == Some('章') {
                Level::Chapter
            } else {
                Level::Division
            };
            return titled(line, skip_spaces(2 + n), level, number, false);
        }
    }
    // 一、  (part)
    let n = count(0, &numeral);
    if n > 0 && folded.get(n) == Some(&'、') {
        let number = super::parse_chinese_numeral(&line.chars().take(n).collect::<String>());
        return titled(line, skip_spaces(n + 1), Level::Part, number, false);
    }
    // （一） (section)  /  （1） (parenthesised item)
    if folded.first() == Some(&'(') {
        let start = skip_spaces(1);
        let chinese = count(start, &numeral);
        let digits = count(start, &|c| c.is_ascii_digit());
        let (len, level) = match (chinese, digits) {
            (c, 0) if c > 0 => (c, Level::Section),
            (0, d) if d > 0 && d <= 3 => (d, Level::Item(ItemKind::Parenthesised)),
            _ => return None,
        };
        let close = skip_spaces(start + len);
        if folded.get(close) != Some(&')') {
            return None;
        }
        let marker: String = line.chars().skip(start).take(len).collect();
        let number = match level {
            Level::Section => super::parse_chinese_numeral(&marker),
            _ => marker
                .chars()
                .map(fold_width)
                .collect::<String>()
                .parse()
                .ok(),
        };
        return titled(line, skip_spaces(close + 1), level, number, false);
    }
    // 1. / 1．/ 1、 (numbered item) — but not `3.3亿元`
    let digits = count(0, &|c| c.is_ascii_digit());
    if (1..=3).contains(&digits) && matches!(folded.get(digits), Some('.' | '、')) {
        let after = folded.get(digits + 1).copied();
        if after.is_some_and(|c| !c.is_ascii_digit() && c != '%') {
            let number = folded[..digits].iter().collect::<String>().parse().ok();
            return titled(
                line,
                skip_spaces(digits + 1),
                Level::Item(ItemKind::Numbered),
                number,
                false,
            );
        }
    }
    // —— goal stream (`一一` is how the extraction misreads the dash)
    let dash = |s: &[char]| matches!(s, ['—', '—', ..] | ['一', '一', ..] | ['-', '-', ..]);
    if dash(&folded) {
        // `一一` could start ordinary text; accept it only as a title-like line.
        let strict = folded[0] == '一';
        return titled(
            line,
            skip_spaces(2),
            Level::Item(ItemKind::GoalStream),
            None,
            strict,
        );
    }
    None
}

fn titled(
    line: &str,
    skip: usize,
    level: Level,
    number: Option<u32>,
    strict: bool,
) -> Option<Line> {
    let rest: String = line.chars().skip(skip).collect();
    let (title, body) = split_lead_sentence(&rest);
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS || (strict && body.is_some()) {
        return None;
    }
    // A part heading is a title, never a sentence (a short title may end in
    // `。`, as some offices write them: `四、保障措施。`).
    let long_sentence = sentence_final(&rest) && title.chars().count() > 15;
    if matches!(level, Level::Part | Level::Chapter) && (body.is_some() || long_sentence) {
        return None;
    }
    Some(Line::Heading {
        level,
        number,
        title,
        body,
    })
}

/// Classifies lines and joins paragraphs cut by page breaks. Returns the blocks
/// and the pairs of lines that were joined.
fn blocks(text: &str) -> (Vec<Block>, Vec<[usize; 2]>) {
    let mut out: Vec<Block> = Vec::new();
    let mut joins = Vec::new();
    // Whether the last block is a paragraph that may continue on the next text line.
    let mut open_paragraph = false;
    let mut blank_since_row = false;
    for (index, raw) in text.split('\n').enumerate() {
        let no = index + 1;
        match classify(raw) {
            Line::Blank => blank_since_row = true,
            Line::Table(cells) => {
                let after_break = blank_since_row && matches!(out.last(), Some(Block::Row { .. }));
                out.push(Block::Row {
                    cells,
                    line: no,
                    after_break,
                });
                open_paragraph = false;
                blank_since_row = false;
            }
            Line::Heading {
                level,
                number,
                title,
                body,
            } => {
                out.push(Block::Heading {
                    level,
                    number,
                    title,
                    line: no,
                });
                open_paragraph = false;
                if let Some(body) = body {
                    open_paragraph = !sentence_final(&body);
                    out.push(Block::Paragraph {
                        text: body,
                        lines: [no, no],
                    });
                }
                blank_since_row = false;
            }
            Line::Text(line) => {
                if open_paragraph && let Some(Block::Paragraph { text, lines }) = out.last_mut() {
                    joins.push([lines[1], no]);
                    text.push_str(&line);
                    lines[1] = no;
                } else {
                    out.push(Block::Paragraph {
                        text: line.clone(),
                        lines: [no, no],
                    });
                }
                // The first line is the title: it never continues onto the preamble.
                open_paragraph = out.len() > 1 && !sentence_final(&line);
                blank_since_row = false;
            }
        }
    }
    (out, joins)
}

/// Where the next paragraph or item goes: indexes into the tree being built.
#[derive(Default)]
struct Cursor {
    part: Option<usize>,
    section: Option<usize>,
    /// Path of item indexes below the section (at most two levels).
    items: Vec<usize>,
}

fn build(blocks: Vec<Block>) -> Result<Plan, PlanError> {
    let mut plan = Plan {
        title: String::new(),
        title_line: 0,
        preamble: Vec::new(),
        parts: Vec::new(),
        indicators: Vec::new(),
        table_lines: None,
        table_caption: None,
        joins: Vec::new(),
        relaid_tables: Vec::new(),
        warnings: Vec::new(),
    };
    let mut blocks = blocks.into_iter().peekable();
    // The title: the first line, when it is a short text that does not end a sentence.
    if let Some(Block::Paragraph { text, lines }) = blocks.peek()
        && !sentence_final(text)
        && text.chars().count() <= 2 * MAX_TITLE_CHARS
    {
        plan.title_line = lines[0];
        plan.title = text.clone();
        blocks.next();
    } else {
        plan.warnings.push(PlanWarning {
            line: 1,
            message: "no title line found before the first heading".into(),
        });
    }

    let mut cursor = Cursor::default();
    let mut rows: Vec<TableRow> = Vec::new();
    let mut caption: Option<(usize, String)> = None;
    let blocks: Vec<Block> = blocks.collect();
    let mut i = 0;
    while i < blocks.len() {
        match &blocks[i] {
            Block::Heading {
                level,
                number,
                title,
                line,
            } => {
                open_heading(
                    &mut plan,
                    &mut cursor,
                    *level,
                    *number,
                    title.clone(),
                    *line,
                );
            }
            Block::Paragraph { text, lines } => {
                // A short line right before a table is its caption, not a paragraph.
                let is_caption = matches!(blocks.get(i + 1), Some(Block::Row { .. }))
                    && !sentence_final(text)
                    && text.chars().count() <= MAX_TITLE_CHARS;
                if is_caption {
                    caption = Some((lines[0], text.clone()));
                } else {
                    add_paragraph(&mut plan, &cursor, text.clone(), *lines);
                }
            }
            Block::Row {
                cells,
                line,
                after_break,
            } => {
                rows.push(TableRow {
                    line: *line,
                    cells: cells.clone(),
                    after_break: *after_break,
                });
                let next_is_row = matches!(blocks.get(i + 1), Some(Block::Row { .. }));
                if !next_is_row {
                    finish_table(
                        &mut plan,
                        &cursor,
                        std::mem::take(&mut rows),
                        caption.take(),
                    );
                }
            }
        }
        i += 1;
    }

    if plan.parts.is_empty() {
        return Err(PlanError::new(1, 1, "no plan structure found: no part headings such as `一、发展基础` and no sections such as `（一）…`")
            .with_help("a plan text has parts (`一、`), sections (`（一）` or `(一)`), numbered items (`1.`, `（1）`) and paragraphs, one per line"));
    }
    let mut joins = Vec::new();
    for part in &mut plan.parts {
        join_cut_after_full_stop(part, &mut joins);
        close_part(part);
    }
    plan.joins = joins;
    Ok(plan)
}

/// Whether a paragraph opens with a short lead sentence (`加强学生德育工作。…`):
/// the house style of task sections.
fn opens_with_lead_sentence(text: &str) -> bool {
    let first = text.split(['。', '！', '？']).next().unwrap_or("");
    first.chars().count() <= 30 && !first.contains(['，', ',', '；', ';'])
}

/// A page break right after a full stop leaves no trace in the line itself. In a
/// part written in lead-sentence style (at least 80 % of at least five section
/// paragraphs open with one), a later paragraph of a section that opens
/// mid-thought (`强化消毒、晨检、……等措施，…`) is the rest of the paragraph before.
fn join_cut_after_full_stop(part: &mut Part, joins: &mut Vec<[usize; 2]>) {
    let all: Vec<bool> = part
        .sections
        .iter()
        .flat_map(|s| &s.paragraphs)
        .map(|p| opens_with_lead_sentence(&p.text))
        .collect();
    let leads = all.iter().filter(|&&lead| lead).count();
    if all.len() < 5 || leads * 5 < all.len() * 4 {
        return;
    }
    for section in &mut part.sections {
        let mut merged: Vec<Paragraph> = Vec::with_capacity(section.paragraphs.len());
        for paragraph in section.paragraphs.drain(..) {
            match merged.last_mut() {
                Some(previous) if !opens_with_lead_sentence(&paragraph.text) => {
                    joins.push([previous.lines[1], paragraph.lines[0]]);
                    previous.text.push_str(&paragraph.text);
                    previous.lines[1] = paragraph.lines[1];
                }
                _ => merged.push(paragraph),
            }
        }
        for (i, paragraph) in merged.iter_mut().enumerate() {
            paragraph.id = format!("{}.p{}", section.id, i + 1);
        }
        section.paragraphs = merged;
    }
}

fn open_heading(
    plan: &mut Plan,
    cursor: &mut Cursor,
    level: Level,
    number: Option<u32>,
    title: String,
    line: usize,
) {
    match level {
        Level::Part | Level::Chapter => {
            let ordinal = plan.parts.len() + 1;
            plan.parts.push(Part {
                id: ordinal.to_string(),
                number: number.unwrap_or(ordinal as u32),
                title,
                lines: [line, line],
                paragraphs: Vec::new(),
                sections: Vec::new(),
            });
            *cursor = Cursor {
                part: Some(ordinal - 1),
                section: None,
                items: Vec::new(),
            };
        }
        Level::Section | Level::Division => {
            let part_index = ensure_part(plan, cursor, line);
            let part = &mut plan.parts[part_index];
            let ordinal = part.sections.len() + 1;
            part.sections.push(Section {
                id: format!("{}.{ordinal}", part.id),
                number: number.unwrap_or(ordinal as u32),
                title,
                lines: [line, line],
                paragraphs: Vec::new(),
                items: Vec::new(),
            });
            cursor.section = Some(ordinal - 1);
            cursor.items.clear();
        }
        Level::Item(kind) => {
            let (part_index, section_index) = ensure_section(plan, cursor, line);
            let section = &mut plan.parts[part_index].sections[section_index];
            // `（1）` nests under an open `1.`/`——` item (every one of them,
            // the second `（2）` as the first); other items sit in the section.
            let nest = kind == ItemKind::Parenthesised
                && !cursor.items.is_empty()
                && section
                    .items
                    .get(cursor.items[0])
                    .is_some_and(|it| it.kind != ItemKind::Parenthesised);
            let (siblings, parent_id, path_len) = if nest {
                let parent = &mut section.items[cursor.items[0]];
                (&mut parent.items, parent.id.clone(), 1)
            } else {
                (&mut section.items, section.id.clone(), 0)
            };
            let ordinal = siblings.len() + 1;
            siblings.push(Item {
                id: format!("{parent_id}.{ordinal}"),
                number: number.unwrap_or(ordinal as u32),
                kind,
                title,
                lines: [line, line],
                paragraphs: Vec::new(),
                items: Vec::new(),
            });
            cursor.items.truncate(path_len);
            cursor.items.push(ordinal - 1);
        }
    }
}

/// A section before any part gets an untitled part, so nothing is lost.
fn ensure_part(plan: &mut Plan, cursor: &mut Cursor, line: usize) -> usize {
    if let Some(part) = cursor.part {
        return part;
    }
    plan.warnings.push(PlanWarning {
        line,
        message:
            "a heading comes before the first part heading (`一、…`); an untitled part holds it"
                .into(),
    });
    open_heading(plan, cursor, Level::Part, Some(0), String::new(), line);
    cursor.part.unwrap_or(0)
}

/// An item directly under a part gets an untitled section.
fn ensure_section(plan: &mut Plan, cursor: &mut Cursor, line: usize) -> (usize, usize) {
    let part = ensure_part(plan, cursor, line);
    if let Some(section) = cursor.section {
        return (part, section);
    }
    open_heading(plan, cursor, Level::Section, Some(0), String::new(), line);
    (part, cursor.section.unwrap_or(0))
}

fn add_paragraph(plan: &mut Plan, cursor: &Cursor, text: String, lines: [usize; 2]) {
    let Some(part_index) = cursor.part else {
        let id = format!("0.p{}", plan.preamble.len() + 1);
        plan.preamble.push(Paragraph { id, text, lines });
        return;
    };
    let part = &mut plan.parts[part_index];
    let (owner_id, paragraphs) = match cursor.section {
        None => (&part.id, &mut part.paragraphs),
        Some(s) => {
            let section = &mut part.sections[s];
            match cursor.items.as_slice() {
                [] => (&section.id, &mut section.paragraphs),
                [a] => {
                    let item = &mut section.items[*a];
                    (&item.id, &mut item.paragraphs)
                }
                [a, b, ..] => {
                    let item = &mut section.items[*a].items[*b];
                    (&item.id, &mut item.paragraphs)
                }
            }
        }
    };
    let id = format!("{owner_id}.p{}", paragraphs.len() + 1);
    paragraphs.push(Paragraph { id, text, lines });
}

fn finish_table(
    plan: &mut Plan,
    cursor: &Cursor,
    rows: Vec<TableRow>,
    caption: Option<(usize, String)>,
) {
    let (Some(first), Some(last)) = (rows.first().map(|r| r.line), rows.last().map(|r| r.line))
    else {
        return;
    };
    let years = period_years(&plan.title);
    let indicators = parse_table(&rows, years, &mut plan.warnings);
    if indicators.is_empty() {
        return;
    }
    let start = caption.as_ref().map_or(first, |c| c.0);
    if plan.table_lines.is_none() {
        plan.table_lines = Some([start, last]);
        plan.table_caption = caption.map(|c| c.1);
    }
    plan.indicators.extend(indicators);
    // The table belongs to the section it sits in: extend that section's lines over it.
    if let (Some(p), Some(s)) = (cursor.part, cursor.section) {
        let section = &mut plan.parts[p].sections[s];
        section.lines[1] = section.lines[1].max(last);
    }
}

/// Baseline and target years implied by a five-year-plan title: 十四五 →
/// 2020/2025 (the plan covers 2021–2025; its baseline is the year before).
/// A title without a period name is taken as the current plan, 十四五.
pub fn period_years(title: &str) -> (i32, i32) {
    const PLANS: [(&str, i32); 4] = [
        ("十三五", 2015),
        ("十四五", 2020),
        ("十五五", 2025),
        ("十六五", 2030),
    ];
    PLANS
        .iter()
        .find(|(name, _)| title.contains(name))
        .map_or((2020, 2025), |&(_, start)| (start, start + 5))
}

/// Sets each node's last line to cover everything inside it.
fn close_part(part: &mut Part) {
    fn close_items(items: &mut [Item]) -> usize {
        let mut last = 0;
        for item in items {
            let inner = close_items(&mut item.items).max(paragraphs_last(&item.paragraphs));
            item.lines[1] = item.lines[1].max(inner);
            last = last.max(item.lines[1]);
        }
        last
    }
    fn paragraphs_last(paragraphs: &[Paragraph]) -> usize {
        paragraphs.iter().map(|p| p.lines[1]).max().unwrap_or(0)
    }
    let mut last = paragraphs_last(&part.paragraphs);
    for section in &mut part.sections {
        let inner = close_items(&mut section.items).max(paragraphs_last(&section.paragraphs));
        section.lines[1] = section.lines[1].max(inner);
        last = last.max(section.lines[1]);
    }
    part.lines[1] = part.lines[1].max(last);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Attribute, Op};

    const MINI: &str = "某区教育“十四五”规划\n\n为推进教育现代化，制定本规划。\n\n一、发展基础\n\n（一）主要成就\n\n1. 党的领导全面加强。成立领导小组，\n\n召开教育大会。\n\n2.教育质量稳步提高。质量提升。\n\n（二）面临形势\n\n形势严峻。\n\n二、主要目标\n\n(一) 主要目标\n\n——学前教育普惠发展\n\n到2025年达到90%以上。\n\n一一资源布局优化\n\n布局合理。\n\n主要指标表\n\n\t指标\t2020年\t2025年\t属性\n普及\t毛入园率（%）\t>85\t>90\t预期性\n\t巩固率（%）\t>99\t>99\t约束性\n结构\t公办园比例（%）\t>64\t>60\t预期性\n\n优化\t大班额比例（%）\t0\t0\t预期性\n发展 质量\t近视率（%）\t58.2\t53.2\t预期性\n\n三、主要任务\n\n（一）加强党的领导。以思想为指导，加强党风\n\n廉政建设。\n\n（二）深化改革\n\n推进改革。\n";

    #[test]
    fn parses_structure_ids_and_lines() {
        let plan = parse(MINI).expect("parses");
        assert_eq!(plan.title, "某区教育“十四五”规划");
        assert_eq!(plan.preamble[0].id, "0.p1");
        assert_eq!(plan.parts.len(), 3);
        let achievements = &plan.parts[0].sections[0];
        assert_eq!(achievements.items.len(), 2);
        assert_eq!(achievements.items[0].title, "党的领导全面加强");
        assert_eq!(
            achievements.items[0].paragraphs[0].text,
            "成立领导小组，召开教育大会。"
        );
        assert_eq!(achievements.items[0].paragraphs[0].lines, [9, 11]);
        assert_eq!(achievements.items[1].id, "1.1.2");
        assert_eq!(achievements.items[1].title, "教育质量稳步提高");
        let goals = &plan.parts[1].sections[0];
        assert_eq!(
            goals
                .items
                .iter()
                .filter(|i| i.kind == ItemKind::GoalStream)
                .count(),
            2
        );
        assert_eq!(goals.items[1].title, "资源布局优化");
        let inline = &plan.parts[2].sections[0];
        assert_eq!(inline.title, "加强党的领导");
        assert_eq!(
            inline.paragraphs[0].text,
            "以思想为指导，加强党风廉政建设。"
        );
        assert_eq!(inline.paragraphs[0].id, "3.1.p1");
        assert_eq!(plan.parts[2].sections[1].paragraphs[0].id, "3.2.p1");
    }

    #[test]
    fn parses_table_with_split_group() {
        let plan = parse(MINI).expect("parses");
        let groups: Vec<&str> = plan.indicators.iter().map(|i| i.group.as_str()).collect();
        assert_eq!(groups, ["普及", "普及", "结构优化", "结构优化", "发展质量"]);
        let first = &plan.indicators[0];
        assert_eq!(
            (first.name.as_str(), first.unit.as_str()),
            ("毛入园率", "%")
        );
        assert_eq!(
            (first.baseline.year, first.baseline.op, first.baseline.value),
            (2020, Op::AtLeast, Some(85.0))
        );
        assert_eq!((first.target.year, first.target.value), (2025, Some(90.0)));
        assert_eq!(plan.indicators[1].attribute, Some(Attribute::Binding));
        assert_eq!(plan.indicators[4].target.op, Op::Exact);
        // The caption is not a paragraph of the last goal stream.
        assert!(
            plan.parts[1].sections[0].items[1]
                .paragraphs
                .iter()
                .all(|p| p.text != "主要指标表")
        );
    }

    #[test]
    fn empty_and_structureless_texts_are_errors() {
        assert!(parse("").is_err());
        assert!(parse("\u{FEFF}\r\n  \n").is_err());
        let err = parse("只是一段文字。\n另一段文字。").expect_err("no structure");
        assert!(err.message.contains("no plan structure"));
    }

    #[test]
    fn crlf_and_half_width_markers() {
        let text = "规划\r\n\r\n一、总则\r\n\r\n(一)目标\r\n\r\n1．第一项。内容。\r\n\r\n（1）细项。细节。\r\n";
        let plan = parse(text).expect("parses");
        let section = &plan.parts[0].sections[0];
        assert_eq!(section.title, "目标");
        assert_eq!(section.items[0].items[0].id, "1.1.1.1");
        assert_eq!(section.items[0].items[0].paragraphs[0].text, "细节。");
    }

    #[test]
    fn numbers_are_not_headings() {
        assert!(heading("3.3亿元用于建设。").is_none());
        assert!(heading("2020年是关键之年。").is_none());
        assert!(heading("一、二年级学生开展了各种各样的活动，并且取得了良好效果。").is_none());
    }
}
