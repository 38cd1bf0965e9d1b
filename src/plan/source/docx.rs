//! A Word document (.docx, Office Open XML) → blocks. The document is a zip
//! (the `zip` crate) of XML parts read with `quick-xml`: `word/document.xml`
//! holds paragraphs (`w:p`, their text in runs' `w:t`) and tables (`w:tbl`,
//! with `w:gridSpan` and `w:vMerge` merges); `word/numbering.xml` and
//! `word/styles.xml` say which paragraphs Word numbers itself (a "List
//! Number" paragraph's `1.` is not in its text), so those numbers are
//! written back as the text's markers. Deleted text of tracked changes is
//! left out; inserted text is kept.

use std::collections::HashMap;
use std::io::Read;

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::{Block, Cell, clean, unescape_xml as unescape};

/// The parts of a document plansite reads, at most this big each.
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

pub(super) fn read(bytes: &[u8]) -> Result<Vec<Block>, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a .docx (zip) file: {e}"))?;
    let mut part = |name: &str| -> Result<Option<String>, String> {
        let Ok(file) = zip.by_name(name) else {
            return Ok(None);
        };
        let mut text = String::new();
        file.take(MAX_PART_BYTES)
            .read_to_string(&mut text)
            .map_err(|e| format!("{name}: {e}"))?;
        Ok(Some(text))
    };
    let document =
        part("word/document.xml")?.ok_or("it has no word/document.xml: not a Word document")?;
    let numbering = part("word/numbering.xml")?
        .map(|x| Numbering::parse(&x))
        .unwrap_or_default();
    let styles = part("word/styles.xml")?
        .map(|x| style_numbering(&x))
        .unwrap_or_default();
    Ok(Body::parse(&document, &numbering, &styles))
}

/// A numbering level: where it starts, how its number is written, and the
/// marker's pattern (`%1.`, `（%1）`).
#[derive(Debug, Clone, Default)]
struct Level {
    start: u32,
    format: String,
    text: String,
}

/// `word/numbering.xml`: each list (`numId`) → its abstract definition's levels.
#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, HashMap<u32, Level>>,
    lists: HashMap<String, String>,
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.to_string())
}

impl Numbering {
    fn parse(xml: &str) -> Numbering {
        let mut out = Numbering::default();
        let mut reader = Reader::from_str(xml);
        let mut abstract_id: Option<String> = None;
        let mut num_id: Option<String> = None;
        let mut level: Option<(u32, Level)> = None;
        loop {
            match reader.read_event() {
                Ok(Event::Start(e) | Event::Empty(e)) => match e.name().as_ref() {
                    "w:abstractNum" => abstract_id = attr(&e, "w:abstractNumId"),
                    "w:num" => num_id = attr(&e, "w:numId"),
                    "w:abstractNumId" => {
                        if let (Some(n), Some(a)) = (&num_id, attr(&e, "w:val")) {
                            out.lists.insert(n.clone(), a);
                        }
                    }
                    "w:lvl" => {
                        let ilvl = attr(&e, "w:ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                        level = Some((
                            ilvl,
                            Level {
                                start: 1,
                                format: "decimal".into(),
                                text: format!("%{}.", ilvl + 1),
                            },
                        ));
                    }
                    "w:start" => {
                        if let Some((_, l)) = &mut level {
                            l.start = attr(&e, "w:val").and_then(|v| v.parse().ok()).unwrap_or(1);
                        }
                    }
                    "w:numFmt" => {
                        if let Some((_, l)) = &mut level {
                            l.format = attr(&e, "w:val").unwrap_or_default();
                        }
                    }
                    "w:lvlText" => {
                        if let Some((_, l)) = &mut level {
                            l.text = attr(&e, "w:val").unwrap_or_default();
                        }
                    }
                    _ => {}
                },
                Ok(Event::End(e)) => match e.name().as_ref() {
                    "w:lvl" => {
                        if let (Some(a), Some((i, l))) = (&abstract_id, level.take()) {
                            out.abstracts.entry(a.clone()).or_default().insert(i, l);
                        }
                    }
                    "w:abstractNum" => abstract_id = None,
                    "w:num" => num_id = None,
                    _ => {}
                },
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
        out
    }

    fn level(&self, num_id: &str, ilvl: u32) -> Option<&Level> {
        self.abstracts.get(self.lists.get(num_id)?)?.get(&ilvl)
    }
}

/// `word/styles.xml`: the list (`numId`, level) a paragraph style numbers
/// its paragraphs with ("List Number").
fn style_numbering(xml: &str) -> HashMap<String, (String, u32)> {
    let mut out = HashMap::new();
    let mut reader = Reader::from_str(xml);
    let mut style: Option<String> = None;
    let mut num: Option<String> = None;
    let mut ilvl = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.name().as_ref() {
                "w:style" => {
                    style = attr(&e, "w:styleId");
                    num = None;
                    ilvl = 0;
                }
                "w:numId" => num = attr(&e, "w:val"),
                "w:ilvl" => ilvl = attr(&e, "w:val").and_then(|v| v.parse().ok()).unwrap_or(0),
                _ => {}
            },
            Ok(Event::End(e)) if e.name().as_ref() == "w:style" => {
                if let (Some(s), Some(n)) = (style.take(), num.take())
                    && n != "0"
                {
                    out.insert(s, (n, ilvl));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// `n` written as a numbering format writes it.
fn format_number(n: u32, format: &str) -> String {
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "ideographTraditional"
        | "japaneseCounting"
        | "taiwaneseCounting" => crate::plan::chinese_numeral(n),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
            .collect(),
        "lowerLetter" => char::from_u32('a' as u32 + (n.max(1) - 1) % 26)
            .map(String::from)
            .unwrap_or_default(),
        "upperLetter" => char::from_u32('A' as u32 + (n.max(1) - 1) % 26)
            .map(String::from)
            .unwrap_or_default(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1)
                .map(String::from)
                .unwrap_or_default()
        }
        _ => n.to_string(),
    }
}

/// The numbers Word is counting, per list and level.
#[derive(Default)]
struct Counters(HashMap<String, Vec<u32>>);

impl Counters {
    /// The marker of the next paragraph of list `num_id` at level `ilvl`.
    fn next(&mut self, numbering: &Numbering, num_id: &str, ilvl: u32) -> Option<String> {
        let level = numbering.level(num_id, ilvl)?;
        if matches!(level.format.as_str(), "bullet" | "none" | "") {
            return None;
        }
        let key = numbering.lists.get(num_id).cloned().unwrap_or_default();
        let counts = self.0.entry(key).or_default();
        let i = ilvl as usize;
        if counts.len() <= i {
            counts.resize(i + 1, 0);
        }
        for (l, c) in counts.iter_mut().enumerate().take(i) {
            if *c == 0 {
                *c = numbering.level(num_id, l as u32).map_or(1, |lv| lv.start);
            }
        }
        counts[i] = if counts[i] == 0 {
            level.start
        } else {
            counts[i] + 1
        };
        counts.truncate(i + 1);
        let mut marker = level.text.clone();
        for (l, c) in counts.iter().enumerate() {
            let format = numbering
                .level(num_id, l as u32)
                .map_or("decimal", |lv| lv.format.as_str());
            marker = marker.replace(&format!("%{}", l + 1), &format_number(*c, format));
        }
        Some(marker)
    }
}

/// The state of a walk over `word/document.xml`.
#[derive(Default)]
struct Body {
    blocks: Vec<Block>,
    /// Text of the paragraph being read.
    text: String,
    in_paragraph: bool,
    style: Option<String>,
    num: Option<(String, u32)>,
    /// Inside `w:del` (deleted text) or `w:instrText` (field codes).
    skipping: usize,
    in_text: bool,
    /// Tables being read (nested ones run into the outer cell).
    tables: Vec<Table>,
}

#[derive(Default)]
struct Table {
    rows: Vec<Vec<Cell>>,
    row: Vec<Cell>,
    cell: String,
    span: usize,
    /// The cell continues a vertical merge from above: read as empty.
    merged: bool,
}

impl Body {
    fn parse(
        xml: &str,
        numbering: &Numbering,
        styles: &HashMap<String, (String, u32)>,
    ) -> Vec<Block> {
        let mut body = Body::default();
        let mut counters = Counters::default();
        let mut reader = Reader::from_str(xml);
        loop {
            match reader.read_event() {
                Ok(Event::Start(e)) => body.start(&e, false),
                Ok(Event::Empty(e)) => body.start(&e, true),
                Ok(Event::End(e)) => match e.name().as_ref() {
                    "w:p" => body.end_paragraph(numbering, styles, &mut counters),
                    "w:t" => body.in_text = false,
                    "w:del" | "w:instrText" | "w:delText" => {
                        body.skipping = body.skipping.saturating_sub(1);
                    }
                    "w:tc" => {
                        if body.tables.len() == 1
                            && let Some(t) = body.tables.last_mut()
                        {
                            let text = clean(&std::mem::take(&mut t.cell));
                            t.row.push(Cell {
                                text: if t.merged { String::new() } else { text },
                                span: t.span.max(1),
                            });
                        }
                    }
                    "w:tr" => {
                        if body.tables.len() == 1
                            && let Some(t) = body.tables.last_mut()
                        {
                            let row = std::mem::take(&mut t.row);
                            if row.iter().any(|c| !c.text.is_empty()) {
                                t.rows.push(row);
                            }
                        }
                    }
                    "w:tbl" => {
                        if let Some(t) = body.tables.pop() {
                            if body.tables.is_empty() {
                                if !t.rows.is_empty() {
                                    body.blocks.push(Block::Table(t.rows));
                                }
                            } else if let Some(outer) = body.tables.last_mut() {
                                for row in t.rows {
                                    for c in row {
                                        outer.cell.push_str(&c.text);
                                    }
                                }
                            }
                        }
                    }
                    _ => {}
                },
                Ok(Event::Text(t)) if body.in_text && body.skipping == 0 => {
                    let raw: &str = t.as_ref();
                    body.push_text(&unescape(raw));
                }
                Ok(Event::GeneralRef(r)) if body.in_text && body.skipping == 0 => {
                    let name: &str = r.as_ref();
                    body.push_text(&unescape(&format!("&{name};")));
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
        body.blocks
    }

    fn start(&mut self, e: &BytesStart, empty: bool) {
        match e.name().as_ref() {
            "w:p" if !empty => {
                self.in_paragraph = true;
                self.style = None;
                self.num = None;
            }
            "w:pStyle" => self.style = attr(e, "w:val"),
            "w:numId" if self.in_paragraph => {
                let id = attr(e, "w:val").unwrap_or_default();
                let ilvl = self.num.as_ref().map_or(0, |n| n.1);
                self.num = Some((id, ilvl));
            }
            "w:ilvl" if self.in_paragraph => {
                let ilvl = attr(e, "w:val").and_then(|v| v.parse().ok()).unwrap_or(0);
                match &mut self.num {
                    Some(n) => n.1 = ilvl,
                    None => self.num = Some((String::new(), ilvl)),
                }
            }
            "w:t" if !empty => self.in_text = true,
            "w:tab" if self.in_paragraph => self.push_text("\t"),
            "w:br" | "w:cr" if self.in_paragraph => self.push_text("\n"),
            "w:del" | "w:instrText" | "w:delText" if !empty => self.skipping += 1,
            "w:tbl" if !empty => self.tables.push(Table::default()),
            "w:tc" if !empty => {
                if let Some(t) = self.tables.last_mut() {
                    t.span = 1;
                    t.merged = false;
                }
            }
            "w:gridSpan" => {
                if let Some(t) = self.tables.last_mut() {
                    t.span = attr(e, "w:val")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1)
                        .clamp(1, 1000);
                }
            }
            "w:vMerge" => {
                if let Some(t) = self.tables.last_mut() {
                    t.merged = attr(e, "w:val").is_none_or(|v| v == "continue");
                }
            }
            _ => {}
        }
    }

    fn push_text(&mut self, s: &str) {
        match self.tables.last_mut() {
            Some(t) => t.cell.push_str(s),
            None => self.text.push_str(s),
        }
    }

    fn end_paragraph(
        &mut self,
        numbering: &Numbering,
        styles: &HashMap<String, (String, u32)>,
        counters: &mut Counters,
    ) {
        self.in_paragraph = false;
        if !self.tables.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.text);
        // A line break inside a paragraph is a paragraph break in the text.
        let lines: Vec<String> = text
            .split('\n')
            .map(|l| clean(&l.replace('\t', " ")))
            .filter(|l| !l.is_empty())
            .collect();
        if lines.is_empty() {
            return;
        }
        // Numbered by Word (directly, or through its style): the marker back.
        let num = match &self.num {
            Some((id, ilvl)) if !id.is_empty() => Some((id.clone(), *ilvl)),
            Some((_, ilvl)) => self
                .style
                .as_ref()
                .and_then(|s| styles.get(s))
                .map(|(id, _)| (id.clone(), *ilvl)),
            None => self.style.as_ref().and_then(|s| styles.get(s)).cloned(),
        };
        let marker = num
            .filter(|(id, _)| id != "0")
            .and_then(|(id, ilvl)| counters.next(numbering, &id, ilvl));
        for (i, line) in lines.into_iter().enumerate() {
            let line = match (&marker, i) {
                (Some(m), 0) => format!("{m}{line}"),
                _ => line,
            };
            self.blocks.push(Block::Paragraph(line));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_numbers_come_back_as_markers() {
        let numbering = Numbering::parse(
            r#"<w:numbering><w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum><w:abstractNum w:abstractNumId="8"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num><w:num w:numId="4"><w:abstractNumId w:val="8"/></w:num></w:numbering>"#,
        );
        let styles = style_numbering(
            r#"<w:styles><w:style w:styleId="ListNumber"><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style></w:styles>"#,
        );
        let doc = r#"<w:document><w:body>
<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="4"/></w:numPr></w:pPr><w:r><w:t>发展基础</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="ListNumber"/></w:pPr><w:r><w:t xml:space="preserve">党的领导</w:t></w:r><w:r><w:t>全面加强。</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="ListNumber"/></w:pPr><w:r><w:t>质量&amp;效益</w:t></w:r><w:del><w:r><w:delText>删去</w:delText></w:r></w:del></w:p>
<w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>细则</w:t></w:r></w:p>
<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="4"/></w:numPr></w:pPr><w:r><w:t>主要任务</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>指标</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>2025年</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>2030年</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:tcPr><w:gridSpan w:val="3"/></w:tcPr><w:p><w:r><w:t>一、水平</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>人数</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc></w:tr>
</w:tbl></w:body></w:document>"#;
        let blocks = Body::parse(doc, &numbering, &styles);
        assert_eq!(
            super::super::to_text(None, &blocks),
            "一、发展基础\n\n1.党的领导全面加强。\n\n2.质量&效益\n\n（1）细则\n\n二、主要任务\n\n类别\t指标\t2025年\t2030年\n水平\t人数\t1\t2\n\n"
        );
    }

    #[test]
    fn vertical_merges_read_as_empty_cells() {
        let doc = r#"<w:document><w:body><w:tbl>
<w:tr><w:tc><w:p><w:r><w:t>组</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>指标</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>普及</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>入园率</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>巩固率</w:t></w:r></w:p></w:tc></w:tr>
</w:tbl></w:body></w:document>"#;
        let blocks = Body::parse(doc, &Numbering::default(), &HashMap::new());
        assert_eq!(
            super::super::to_text(None, &blocks),
            "组\t指标\n普及\t入园率\n\t巩固率\n\n"
        );
        assert_eq!(unescape("a&lt;b&#x4e00;&#19968;&zz;"), "a<b一一&zz;");
    }
}
