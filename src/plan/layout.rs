//! Indicator tables laid out other than by tabs, rewritten as tab-separated
//! rows before parsing. Text copied out of a PDF or a web page gives two
//! other shapes:
//!
//! - **space-aligned** (`pdftotext -layout`): a header line of column names
//!   separated by runs of two or more spaces, then rows whose cells start
//!   under the column names (a group cell that spans rows is blank below its
//!   first row);
//! - **cell per line**: the header's cells one per line (序号, 指标, 单位,
//!   2025年, 2030年, 属性), then every row's cells one per line, with
//!   numbered group rows (`一、健康水平`) on lines of their own.
//!
//! Lines keep their numbers: a space-aligned row stays on its line; a
//! cell-per-line table's rows take the table's first lines and the rest of
//! its lines become blank, so every later line is cited where it is.

use super::text::fold_width;

/// The text with such tables rewritten, and the line ranges rewritten.
pub(super) fn tab_tables(text: &str) -> (String, Vec<(usize, usize, &'static str)>) {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let mut rewritten = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].contains('\t') {
            i += 1;
            continue;
        }
        if let Some(end) = space_aligned(&mut lines, i) {
            rewritten.push((i + 1, end, "space-aligned"));
            i = end;
        } else if let Some(end) = cell_per_line(&mut lines, i) {
            rewritten.push((i + 1, end, "one cell per line"));
            i = end;
        } else {
            i += 1;
        }
    }
    (lines.join("\n"), rewritten)
}

/// Words of a table header: the indicator's name, and a year or 基期/目标.
fn names_indicators(cells: &[&str]) -> bool {
    let has = |words: &[&str]| cells.iter().any(|c| words.iter().any(|w| c.contains(w)));
    has(&["指标", "名称", "项目"])
        && (has(&["基期", "基线", "现状", "目标"]) || cells.iter().any(|c| year(c)))
}

fn year(cell: &str) -> bool {
    let digits: String = cell.chars().map(fold_width).collect();
    digits
        .as_bytes()
        .windows(4)
        .any(|w| w.iter().all(u8::is_ascii_digit) && (w[0] == b'1' || w[0] == b'2'))
        && cell.chars().count() <= 12
}

/// Display columns of a character: CJK and full-width take two.
fn width(c: char) -> usize {
    if super::is_cjk(c)
        || ('\u{3000}'..='\u{303f}').contains(&c)
        || ('\u{ff00}'..='\u{ffef}').contains(&c)
    {
        2
    } else {
        1
    }
}

/// The cells of a line split at runs of two or more spaces, each with the
/// display column it starts at.
fn spaced_cells(line: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut col = 0;
    let mut cell = String::new();
    let mut start = 0;
    let mut spaces = 0;
    for c in line.trim_end().chars() {
        let blank = c == ' ' || c == '\u{3000}';
        if blank {
            spaces += width(c);
        } else {
            if spaces >= 2 && !cell.is_empty() {
                out.push((start, std::mem::take(&mut cell)));
            } else if spaces > 0 && !cell.is_empty() {
                cell.push(' ');
            }
            if cell.is_empty() {
                start = col;
            }
            spaces = 0;
            cell.push(c);
        }
        col += width(c);
    }
    if !cell.is_empty() {
        out.push((start, cell));
    }
    out
}

/// A space-aligned table starting at line `at`: rewritten in place; returns
/// the index after its last row.
fn space_aligned(lines: &mut [String], at: usize) -> Option<usize> {
    let header = spaced_cells(&lines[at]);
    let names: Vec<&str> = header.iter().map(|(_, c)| c.as_str()).collect();
    if header.len() < 3 || !names_indicators(&names) {
        return None;
    }
    let starts: Vec<usize> = header.iter().map(|(s, _)| *s).collect();
    let mut rows = Vec::new();
    let mut end = at + 1;
    while end < lines.len() {
        let cells = spaced_cells(&lines[end]);
        if cells.len() < 2 || lines[end].contains('\t') {
            break;
        }
        let mut row = vec![String::new(); starts.len()];
        for (start, text) in cells {
            // The column whose name starts at or before the cell (a cell may
            // start a column or two early when its text is wider).
            let col = starts.iter().rposition(|s| *s <= start + 2).unwrap_or(0);
            if row[col].is_empty() {
                row[col] = text;
            } else {
                row[col].push(' ');
                row[col].push_str(&text);
            }
        }
        rows.push(row);
        end += 1;
    }
    if rows.is_empty() {
        return None;
    }
    // An unnamed first column (group labels below an empty header cell).
    let mut header_row: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    if starts[0] > 0 {
        header_row.insert(0, String::new());
        for row in &mut rows {
            row.insert(0, String::new());
        }
    }
    lines[at] = header_row.join("\t");
    for (k, row) in rows.into_iter().enumerate() {
        lines[at + 1 + k] = row.join("\t");
    }
    Some(end)
}

/// A short line that can be a table cell.
fn cell_like(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && t.chars().count() <= 40
        && !t.ends_with(['。', '；', '：'])
        && !t.contains('\t')
}

/// A numbered group row: `一、健康水平`.
fn group_row(line: &str) -> Option<String> {
    let t = line.trim();
    let n = t
        .chars()
        .take_while(|c| "一二三四五六七八九十".contains(*c))
        .count();
    let rest: String = t.chars().skip(n).collect();
    let rest = rest.strip_prefix('、')?;
    (n > 0 && !rest.is_empty() && rest.chars().count() <= 16).then(|| rest.trim().to_string())
}

/// A cell-per-line table whose header starts at line `at`.
fn cell_per_line(lines: &mut [String], at: usize) -> Option<usize> {
    // The header: consecutive short lines of column names.
    let header_word = |l: &str| {
        let t = l.trim();
        t.chars().count() <= 12
            && ([
                "序号", "指标", "名称", "项目", "单位", "属性", "性质", "类别", "领域", "基期",
                "目标", "现状",
            ]
            .iter()
            .any(|w| t.contains(w))
                || year(t))
    };
    let mut k = 0;
    while at + k < lines.len() && header_word(&lines[at + k]) {
        k += 1;
    }
    let header: Vec<&str> = lines[at..at + k].iter().map(|l| l.trim()).collect();
    if k < 3 || !names_indicators(&header) {
        return None;
    }
    let header: Vec<String> = header.iter().map(|s| s.to_string()).collect();
    // The rows: groups of k cells, group rows between them.
    let mut rows: Vec<(Option<String>, Vec<String>)> = Vec::new();
    let mut group: Option<String> = None;
    let mut i = at + k;
    loop {
        while i < lines.len() && lines[i].trim().is_empty() {
            i += 1;
        }
        if i >= lines.len() {
            break;
        }
        let label = group_row(&lines[i]);
        let first = if label.is_some() { i + 1 } else { i };
        // A row: the next k non-blank lines, all cell-like.
        let mut cells = Vec::new();
        let mut j = first;
        while cells.len() < k && j < lines.len() {
            let t = lines[j].trim();
            if !t.is_empty() {
                if !cell_like(t) || group_row(t).is_some() && cells.is_empty() && label.is_some() {
                    break;
                }
                cells.push(t.to_string());
            }
            j += 1;
        }
        if cells.len() < k {
            break;
        }
        if label.is_some() {
            group = label;
        }
        rows.push((group.take(), cells));
        i = j;
    }
    if rows.is_empty() {
        return None;
    }
    let grouped = rows.iter().any(|(g, _)| g.is_some());
    let mut out = Vec::new();
    let mut head = header.clone();
    if grouped {
        head.insert(0, "类别".into());
    }
    out.push(head.join("\t"));
    for (g, cells) in rows {
        let mut row = cells;
        if grouped {
            row.insert(0, g.unwrap_or_default());
        }
        out.push(row.join("\t"));
    }
    // Rows on the table's first lines; its other lines blank (numbers kept).
    let end = i;
    for (n, line) in lines[at..end].iter_mut().enumerate() {
        *line = out.get(n).cloned().unwrap_or_default();
    }
    // A table's rows must not be read as one block with what follows.
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn space_aligned_rows_become_tab_rows_on_their_lines() {
        let text = "表1 主要指标\n\n类别        指标名称              单位     2020年    2025年\n社会救助    城乡低保标准年均增长  %        —         ≥5\n            护理型床位占比        %        35        55以上\n\n三、重点任务";
        let (out, done) = tab_tables(text);
        assert_eq!(
            out,
            "表1 主要指标\n\n类别\t指标名称\t单位\t2020年\t2025年\n社会救助\t城乡低保标准年均增长\t%\t—\t≥5\n\t护理型床位占比\t%\t35\t55以上\n\n三、重点任务"
        );
        assert_eq!(done, [(3, 5, "space-aligned")]);
    }

    #[test]
    fn cells_per_line_become_rows_and_keep_later_line_numbers() {
        let text = "表1\n\n序号\n指标\n单位\n2025年\n2030年\n一、健康水平\n1\n人均预期寿命\n岁\n80.6\n81.5左右\n2\n孕产妇死亡率\n1/10万\n8.5\n<9.5\n二、疾病防控\n3\n发病率\n%\n2.9\n<3.5\n注：数据来自统计年鉴。\n\n三、重点任务";
        let (out, done) = tab_tables(text);
        let lines: Vec<&str> = out.split('\n').collect();
        assert_eq!(lines.len(), text.split('\n').count());
        assert_eq!(lines[2], "类别\t序号\t指标\t单位\t2025年\t2030年");
        assert_eq!(lines[3], "健康水平\t1\t人均预期寿命\t岁\t80.6\t81.5左右");
        assert_eq!(lines[4], "\t2\t孕产妇死亡率\t1/10万\t8.5\t<9.5");
        assert_eq!(lines[5], "疾病防控\t3\t发病率\t%\t2.9\t<3.5");
        assert_eq!(lines[6], "");
        assert_eq!(lines[24], "注：数据来自统计年鉴。");
        assert_eq!(done.len(), 1);
    }

    #[test]
    fn prose_is_left_alone() {
        let text = "一、发展基础\n\n到2025年，指标达到目标。\n\n（一）主要成就";
        assert_eq!(tab_tables(text).0, text);
    }
}
