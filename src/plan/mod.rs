//! The plan model: a published plan text parsed into parts, sections, items,
//! paragraphs and the indicator table, every node citing its source lines.
//!
//! [`parse`] is pure (text in, model out); [`decode`] turns the bytes of a seed
//! file into text. The JSON shape is the one `plansite plan --json` prints.

mod decode;
mod layout;
mod numerals;
mod parse;
pub mod qualitative;
mod source;
mod table;
mod text;

pub use decode::{Decoded, decode};
pub use numerals::{chinese_numeral, parse_chinese_numeral};
pub use parse::{PlanError, parse, period_years};
pub use source::{Format, read as read_source, unescape_xml};
pub use table::parse_bound;
pub use text::{is_cjk, sentence_final};

use serde::Serialize;

/// First and last source line (1-based, inclusive).
pub type Lines = [usize; 2];

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Plan {
    pub title: String,
    /// Source line of the title (0 when the text has none).
    pub title_line: usize,
    /// Paragraphs before the first part (the plan's preamble), ids `0.p1`, `0.p2`, …
    pub preamble: Vec<Paragraph>,
    pub parts: Vec<Part>,
    pub indicators: Vec<Indicator>,
    /// Lines of the indicator table (caption to last row), when there is one.
    pub table_lines: Option<Lines>,
    /// The line above the table that names it, when there is one.
    pub table_caption: Option<String>,
    /// Pairs of source lines joined because a page break cut a paragraph.
    #[serde(skip)]
    pub joins: Vec<Lines>,
    /// Tables read from another layout (spaces, one cell per line): their
    /// lines and the layout.
    #[serde(skip)]
    pub relaid_tables: Vec<(Lines, &'static str)>,
    pub warnings: Vec<PlanWarning>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Part {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub lines: Lines,
    pub paragraphs: Vec<Paragraph>,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Section {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub lines: Lines,
    pub paragraphs: Vec<Paragraph>,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// `1.`, `1．`, `1、`
    Numbered,
    /// `（1）` / `(1)`
    Parenthesised,
    /// `——` (or the extraction typo `一一`)
    GoalStream,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Item {
    pub id: String,
    pub number: u32,
    pub kind: ItemKind,
    pub title: String,
    pub lines: Lines,
    pub paragraphs: Vec<Paragraph>,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Paragraph {
    pub id: String,
    pub text: String,
    pub lines: Lines,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    AtLeast,
    AtMost,
    Exact,
    /// No number: a target in words (`words`), or one plansite cannot read.
    Qualitative,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Bound {
    pub year: i32,
    pub op: Op,
    pub value: Option<f64>,
    pub raw: String,
    /// For a target in words that plansite knows: its direction and English.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub words: Option<qualitative::Words>,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Attribute {
    Anticipatory,
    Binding,
}

impl std::fmt::Display for Attribute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Attribute::Anticipatory => "anticipatory",
            Attribute::Binding => "binding",
        })
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Indicator {
    pub group: String,
    pub name: String,
    pub unit: String,
    pub baseline: Bound,
    pub target: Bound,
    pub attribute: Option<Attribute>,
    pub lines: Lines,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlanWarning {
    pub line: usize,
    pub message: String,
}

/// Any node of the plan tree, for walking it without caring about levels.
#[derive(Debug, Clone, Copy)]
pub enum NodeRef<'a> {
    Part(&'a Part),
    Section(&'a Section),
    Item(&'a Item),
}

impl<'a> NodeRef<'a> {
    pub fn id(&self) -> &'a str {
        match self {
            NodeRef::Part(n) => &n.id,
            NodeRef::Section(n) => &n.id,
            NodeRef::Item(n) => &n.id,
        }
    }
    pub fn title(&self) -> &'a str {
        match self {
            NodeRef::Part(n) => &n.title,
            NodeRef::Section(n) => &n.title,
            NodeRef::Item(n) => &n.title,
        }
    }
    pub fn lines(&self) -> Lines {
        match self {
            NodeRef::Part(n) => n.lines,
            NodeRef::Section(n) => n.lines,
            NodeRef::Item(n) => n.lines,
        }
    }
    pub fn paragraphs(&self) -> &'a [Paragraph] {
        match self {
            NodeRef::Part(n) => &n.paragraphs,
            NodeRef::Section(n) => &n.paragraphs,
            NodeRef::Item(n) => &n.paragraphs,
        }
    }
}

impl Plan {
    /// Every heading node in document order (parts, sections, items, nested items).
    pub fn nodes(&self) -> Vec<NodeRef<'_>> {
        fn items<'a>(out: &mut Vec<NodeRef<'a>>, list: &'a [Item]) {
            for item in list {
                out.push(NodeRef::Item(item));
                items(out, &item.items);
            }
        }
        let mut out = Vec::new();
        for part in &self.parts {
            out.push(NodeRef::Part(part));
            for section in &part.sections {
                out.push(NodeRef::Section(section));
                items(&mut out, &section.items);
            }
        }
        out
    }

    /// Every paragraph in document order, preamble first.
    pub fn paragraphs(&self) -> Vec<&Paragraph> {
        let mut out: Vec<&Paragraph> = self.preamble.iter().collect();
        for node in self.nodes() {
            out.extend(node.paragraphs());
        }
        out
    }

    /// The part that names the tasks: by explicit title if given, else the first
    /// part whose title contains 主要任务 / 重点任务, else one containing 任务.
    pub fn task_part(&self, title: Option<&str>) -> Option<&Part> {
        if let Some(title) = title {
            return self.parts.iter().find(|p| p.title.contains(title));
        }
        ["主要任务", "重点任务", "任务"]
            .iter()
            .find_map(|key| self.parts.iter().find(|p| p.title.contains(key)))
    }

    /// The whole text of the plan, paragraphs joined, for verbatim quote checks.
    pub fn full_text(&self) -> String {
        let mut out = String::new();
        out.push_str(&self.title);
        out.push('\n');
        for node in std::iter::once(None).chain(self.nodes().into_iter().map(Some)) {
            if let Some(node) = node {
                out.push_str(node.title());
                out.push('\n');
            }
            let paragraphs = match node {
                Some(node) => node.paragraphs(),
                None => &self.preamble,
            };
            for paragraph in paragraphs {
                out.push_str(&paragraph.text);
                out.push('\n');
            }
        }
        out
    }
}
