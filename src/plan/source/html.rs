//! A saved web page → blocks. Government sites wrap the plan in chrome (top
//! bar, navigation, breadcrumbs, a 信息公开 table, a meta line with 发布时间
//! and 打印本页, share bars, related links, a footer). The article is the
//! smallest element that holds nearly all of the page's text outside links;
//! inside it, paragraphs are block elements (or `<br>`-separated runs), and
//! tables are read cell by cell with their row and column spans. Parsed by
//! html5ever through `scraper`: the HTML5 algorithm, so the broken markup
//! CMSs write is read as browsers read it.

use scraper::{ElementRef, Html, Node};

use super::{Block, Cell, clean};

/// What a page gave: the plan's title when the article does not start with
/// it, the article's blocks, and the chrome labels dropped around it.
pub(super) struct Page {
    pub title: Option<String>,
    pub blocks: Vec<Block>,
    pub dropped: Vec<String>,
}

/// Words of page chrome: meta lines, breadcrumbs, share bars, footers.
const CHROME: [&str; 30] = [
    "当前位置",
    "您当前的位置",
    "索引号",
    "发文字号",
    "发布机构",
    "发布时间",
    "发布日期",
    "信息来源",
    "来源：",
    "浏览次数",
    "阅读量",
    "点击数",
    "字号",
    "字体",
    "打印本页",
    "【打印】",
    "关闭窗口",
    "【关闭】",
    "分享到",
    "扫一扫",
    "相关文章",
    "相关链接",
    "主办单位",
    "承办单位",
    "版权所有",
    "网站标识码",
    "备案号",
    "ICP备",
    "政府网站找错",
    "网站地图",
];

/// Elements whose text is never the plan's.
const SKIPPED: [&str; 12] = [
    "script", "style", "noscript", "template", "iframe", "img", "svg", "input", "button", "select",
    "textarea", "object",
];

/// Elements that end a paragraph.
const BLOCKS: [&str; 22] = [
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "section",
    "article",
    "blockquote",
    "center",
    "dl",
    "dt",
    "dd",
    "pre",
    "header",
    "footer",
    "main",
];

pub(super) fn read(source: &str) -> Page {
    let doc = Html::parse_document(source);
    let root = doc.root_element();
    let body = child_named(root, "body").unwrap_or(root);
    let article = article(body);
    let mut blocks = Vec::new();
    let mut dropped = Vec::new();
    let mut inline = String::new();
    walk(article, &mut blocks, &mut inline, &mut dropped);
    flush(&mut inline, &mut blocks, &mut dropped);
    // Chrome outside the article is dropped with it: say what it was.
    let mut outside = String::new();
    text_below(body, Some(article), &mut outside);
    for label in CHROME {
        let label_name = label.trim_matches(['：', '【', '】']);
        if outside.contains(label) && !dropped.iter().any(|d| d == label_name) {
            dropped.push(label_name.to_string());
        }
    }
    let title = title(&doc, &blocks);
    Page {
        title,
        blocks,
        dropped,
    }
}

fn child_named<'a>(el: ElementRef<'a>, name: &str) -> Option<ElementRef<'a>> {
    el.children()
        .filter_map(ElementRef::wrap)
        .find(|c| c.value().name() == name)
}

/// Characters of text below `el` outside links, scripts and styles; with
/// `in_paragraphs`, only text inside paragraphs, headings, list items and
/// table cells (where a page's chrome rarely is).
fn text_weight(el: ElementRef, in_paragraphs: bool) -> usize {
    let mut n = 0;
    for child in el.children() {
        match child.value() {
            Node::Text(t) if !in_paragraphs => {
                n += t.chars().filter(|c| !c.is_whitespace()).count();
            }
            Node::Element(e) if e.name() == "a" || SKIPPED.contains(&e.name()) => {}
            Node::Element(e) => {
                if let Some(c) = ElementRef::wrap(child) {
                    let paragraph = matches!(
                        e.name(),
                        "p" | "td" | "th" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                    );
                    n += if in_paragraphs && paragraph {
                        text_weight(c, false)
                    } else {
                        text_weight(c, in_paragraphs)
                    };
                }
            }
            _ => {}
        }
    }
    n
}

/// The smallest element holding at least 85 % of the page's paragraph text
/// outside links (or of all its text, on a page without paragraphs): the
/// article, whatever the CMS calls its container.
fn article(body: ElementRef) -> ElementRef {
    let in_paragraphs = text_weight(body, true) >= 200;
    let total = text_weight(body, in_paragraphs);
    let mut current = body;
    loop {
        let next = current
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|c| {
                let name = c.value().name();
                !SKIPPED.contains(&name) && !matches!(name, "table" | "p" | "tr" | "tbody")
            })
            .map(|c| (text_weight(c, in_paragraphs), c))
            .max_by_key(|(w, _)| *w);
        match next {
            Some((w, c)) if w * 100 >= total * 85 && w > 0 => current = c,
            _ => return current,
        }
    }
}

/// Walks the article: inline text gathers into `inline`; a block element,
/// a `<br>` or a table ends the paragraph before it.
fn walk(el: ElementRef, out: &mut Vec<Block>, inline: &mut String, dropped: &mut Vec<String>) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => inline.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                let Some(child) = ElementRef::wrap(child) else {
                    continue;
                };
                if SKIPPED.contains(&name) {
                    continue;
                }
                if name == "br" {
                    flush(inline, out, dropped);
                } else if name == "table" {
                    flush(inline, out, dropped);
                    if let Some(caption) = child_named(child, "caption") {
                        let text = clean(&caption.text().collect::<String>());
                        if !text.is_empty() {
                            out.push(Block::Paragraph(text));
                        }
                    }
                    let rows = table(child);
                    if !rows.is_empty() {
                        out.push(Block::Table(rows));
                    }
                } else if BLOCKS.contains(&name) || name == "table" {
                    flush(inline, out, dropped);
                    walk(child, out, inline, dropped);
                    flush(inline, out, dropped);
                } else {
                    walk(child, out, inline, dropped);
                }
            }
            _ => {}
        }
    }
}

/// Ends the paragraph gathered so far: kept, or dropped when it is chrome
/// (a short line of meta words: 发布时间：… 来源：… 【打印】).
fn flush(inline: &mut String, out: &mut Vec<Block>, dropped: &mut Vec<String>) {
    let text = clean(inline);
    inline.clear();
    if text.is_empty() {
        return;
    }
    let labels: Vec<&str> = CHROME
        .iter()
        .copied()
        .filter(|l| text.contains(l))
        .collect();
    let chrome = text.chars().count() < 120
        && (labels.len() >= 2
            || labels
                .iter()
                .any(|l| text.starts_with(l.trim_start_matches('【'))));
    if chrome {
        for l in labels {
            let name = l.trim_matches(['：', '【', '】']).to_string();
            if !dropped.contains(&name) {
                dropped.push(name);
            }
        }
        return;
    }
    out.push(Block::Paragraph(text));
}

/// A table's rows, each cell with its column span; a cell covered by a row
/// span from above is an empty cell in its place.
fn table(el: ElementRef) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    collect_rows(el, &mut rows);
    let mut carry: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    for tr in rows {
        let mut cells = Vec::new();
        let mut col = 0;
        let covered = |col: usize, carry: &mut Vec<usize>| {
            if carry.get(col).copied().unwrap_or(0) > 0 {
                carry[col] -= 1;
                true
            } else {
                false
            }
        };
        for td in tr
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|c| matches!(c.value().name(), "td" | "th"))
        {
            while covered(col, &mut carry) {
                cells.push(Cell {
                    text: String::new(),
                    span: 1,
                });
                col += 1;
            }
            let span = attr_number(td, "colspan");
            let rowspan = attr_number(td, "rowspan");
            let mut text = String::new();
            text_below(td, None, &mut text);
            cells.push(Cell {
                text: clean(&text),
                span,
            });
            if carry.len() < col + span {
                carry.resize(col + span, 0);
            }
            if rowspan > 1 {
                for c in &mut carry[col..col + span] {
                    *c = rowspan - 1;
                }
            }
            col += span;
        }
        while col < carry.len() {
            if covered(col, &mut carry) {
                cells.push(Cell {
                    text: String::new(),
                    span: 1,
                });
            }
            col += 1;
        }
        if cells.iter().any(|c| !c.text.is_empty()) {
            out.push(cells);
        }
    }
    out
}

fn collect_rows<'a>(el: ElementRef<'a>, rows: &mut Vec<ElementRef<'a>>) {
    for child in el.children().filter_map(ElementRef::wrap) {
        match child.value().name() {
            "tr" => rows.push(child),
            "thead" | "tbody" | "tfoot" => collect_rows(child, rows),
            _ => {}
        }
    }
}

/// The text below `el` outside scripts and styles (a cell's paragraphs run
/// together: a name wrapped in two `<p>`s is one name), leaving out the
/// element `except` (the article, when reading the chrome around it).
fn text_below(el: ElementRef, except: Option<ElementRef>, out: &mut String) {
    if except.is_some_and(|x| x.id() == el.id()) {
        return;
    }
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) if SKIPPED.contains(&e.name()) => {}
            Node::Element(_) => {
                if let Some(c) = ElementRef::wrap(child) {
                    text_below(c, except, out);
                }
            }
            _ => {}
        }
    }
}

fn attr_number(el: ElementRef, name: &str) -> usize {
    el.value()
        .attr(name)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| (1..=1000).contains(n))
        .unwrap_or(1)
}

/// The plan's title when the article does not open with it: the page's
/// `<h1>`, else its `<title>` without the site's name after `_`, `|` or `-`.
fn title(doc: &Html, blocks: &[Block]) -> Option<String> {
    let first = blocks.iter().find_map(|b| match b {
        Block::Paragraph(p) => Some(p.as_str()),
        Block::Table(_) => None,
    });
    let looks_like_title = |t: &str| {
        t.chars().count() <= 80
            && !t.ends_with(['。', '；', '：', '，'])
            && ["规划", "计划", "纲要", "方案"]
                .iter()
                .any(|w| t.contains(w))
    };
    if first.is_some_and(looks_like_title) {
        return None;
    }
    let select = |css: &str| {
        scraper::Selector::parse(css)
            .ok()
            .and_then(|s| doc.select(&s).next())
            .map(|e| clean(&e.text().collect::<String>()))
    };
    if let Some(h1) = select("h1").filter(|t| looks_like_title(t)) {
        return Some(h1);
    }
    select("title")
        .map(|t| {
            t.split(['_', '|', '-', '—'])
                .map(str::trim)
                .find(|part| looks_like_title(part))
                .unwrap_or(t.as_str())
                .to_string()
        })
        .filter(|t| looks_like_title(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>某县教育“十四五”规划_某县人民政府</title></head>
<body><div class="top"><a href="/">首页</a> <a href="/zw">政务公开</a></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; 规划计划</div>
<div class="meta">发布时间：2021-06-01　来源：县教育局　【字号：大 中 小】【打印本页】【关闭窗口】</div>
<div class="article" id="zoom">
<p style="text-align:center"><strong>某县教育“十四五”规划</strong></p>
<p>　　为推进教育<span>现代化，</span>制定本规划。</p>
<p><strong>一、发展基础</strong></p>
<p>&nbsp;&nbsp;（一）主要成就<br>1. 党的领导全面加强。</p>
<table><tr><td></td><td>指标</td><td>2020年</td><td>2025年</td></tr>
<tr><td rowspan="2">普及</td><td>毛入园率（%）</td><td>85</td><td>&gt;90</td></tr>
<tr><td>巩固率（%）</td><td>99</td><td>99</td></tr></table>
<p>　　LONG</p>
</div>
<div class="footer">主办单位：某县人民政府　网站标识码：1234</div></body></html>"#;

    /// The test page, its last paragraph long enough to be most of the page.
    fn page() -> String {
        PAGE.replace("LONG", &"坚持立德树人，全面提高教育质量。".repeat(15))
    }

    #[test]
    fn the_article_without_its_chrome_and_tables_with_spans() {
        let page = read(&page());
        assert_eq!(page.title, None, "the article opens with the title");
        let text = super::super::to_text(page.title.as_deref(), &page.blocks);
        assert_eq!(
            text,
            format!(
                "某县教育“十四五”规划\n\n为推进教育现代化，制定本规划。\n\n一、发展基础\n\n（一）主要成就\n\n1. 党的领导全面加强。\n\n\t指标\t2020年\t2025年\n普及\t毛入园率（%）\t85\t>90\n\t巩固率（%）\t99\t99\n\n{}\n\n",
                "坚持立德树人，全面提高教育质量。".repeat(15)
            )
        );
        for label in ["当前位置", "发布时间", "打印本页", "主办单位", "网站标识码"]
        {
            assert!(
                page.dropped.iter().any(|d| d == label),
                "{label}: {:?}",
                page.dropped
            );
        }
    }

    #[test]
    fn a_page_without_the_title_in_its_article_takes_it_from_title() {
        let page = read(&page().replace(
            r#"<p style="text-align:center"><strong>某县教育“十四五”规划</strong></p>"#,
            "",
        ));
        assert_eq!(page.title.as_deref(), Some("某县教育“十四五”规划"));
    }
}
