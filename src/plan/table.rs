//! The indicator table (主要目标 table): tab-separated rows extracted from the PDF.
//!
//! Grammar (one row per line, cells separated by tabs, blank lines = page breaks):
//! ```text
//! header  := [group-cell] TAB name-cell TAB baseline-cell TAB target-cell [TAB attribute-cell]
//! row     := [group] TAB name "（" unit "）" TAB bound TAB bound [TAB 预期性|约束性]
//! bound   := [">"|"≥"|">="|"<"|"≤"|"<="|约] number ["%"|"‰"] [以上|以下|左右]  |  "—" | ""
//! ```
//! Columns are found by their header words (指标; 基期/基线/现状 or the first year;
//! 目标 or the second year; 属性; 单位, else the unit is the name's last bracket), so
//! tables with other column names or without a group column parse too. An empty group cell continues the group above. A group label
//! split by a page break (`结构` on the last row of a page, `优化` on the first row of
//! the next, while the group has one row so far) is joined back: `结构优化`.

use super::text::{close_cjk_gaps, fold_width};
use super::{Attribute, Bound, Indicator, Op, PlanWarning};

pub(super) struct TableRow {
    pub line: usize,
    pub cells: Vec<String>,
    /// A blank line (page break) came between this row and the one before.
    pub after_break: bool,
}

struct Columns {
    group: Option<usize>,
    name: usize,
    baseline: usize,
    target: usize,
    attribute: Option<usize>,
    /// A 单位 column: the unit is there, not in the name's bracket.
    unit: Option<usize>,
    baseline_year: i32,
    target_year: i32,
}

pub(super) fn parse_table(
    rows: &[TableRow],
    default_years: (i32, i32),
    warnings: &mut Vec<PlanWarning>,
) -> Vec<Indicator> {
    let Some((header, body)) = rows.split_first() else {
        return Vec::new();
    };
    let Some(columns) = find_columns(&header.cells, default_years) else {
        warnings.push(PlanWarning {
            line: header.line,
            message: "a tab-separated table was found but its header names no indicator/target columns; it was skipped".into(),
        });
        return Vec::new();
    };
    let width = header.cells.len();
    let mut indicators: Vec<Indicator> = Vec::new();
    let mut group = String::new();
    let mut group_rows = 0usize;
    for row in body {
        let mut cells = row.cells.clone();
        // A row whose group cell was dropped entirely (no leading tab).
        if columns.group.is_some() && cells.len() + 1 == width {
            cells.insert(0, String::new());
        }
        if cells.len() < width.min(4) {
            warnings.push(PlanWarning {
                line: row.line,
                message: format!(
                    "table row has {} cells, the header has {width}; skipped",
                    cells.len()
                ),
            });
            continue;
        }
        let cell = |i: usize| cells.get(i).map(|s| s.trim()).unwrap_or("");
        if let Some(g) = columns.group {
            let label = close_cjk_gaps(cell(g));
            if !label.is_empty() {
                if row.after_break && group_rows == 1 && !group.is_empty() {
                    group.push_str(&label);
                    if let Some(first) = indicators.last_mut() {
                        first.group = group.clone();
                    }
                } else {
                    group = label;
                    group_rows = 0;
                }
            }
        }
        let (name, unit) = match columns.unit {
            Some(u) => (cell(columns.name).to_string(), cell(u).to_string()),
            None => split_unit(cell(columns.name)),
        };
        if name.is_empty() {
            warnings.push(PlanWarning {
                line: row.line,
                message: "table row without an indicator name; skipped".into(),
            });
            continue;
        }
        let attribute = columns.attribute.and_then(|i| match cell(i) {
            a if a.contains("预期") => Some(Attribute::Anticipatory),
            a if a.contains("约束") => Some(Attribute::Binding),
            a => {
                warnings.push(PlanWarning {
                    line: row.line,
                    message: format!(
                        "unknown indicator attribute `{a}` (expected 预期性 or 约束性)"
                    ),
                });
                None
            }
        });
        let baseline = parse_bound(cell(columns.baseline), columns.baseline_year);
        let target = parse_bound(cell(columns.target), columns.target_year);
        for (what, bound) in [("baseline", &baseline), ("target", &target)] {
            // A target in words plansite reads (持续下降, 全覆盖) is kept as
            // words; only one it cannot read at all is worth a warning.
            if bound.value.is_none() && bound.words.is_none() && !bound.raw.is_empty() {
                warnings.push(PlanWarning {
                    line: row.line,
                    message: format!(
                        "{what} `{}` of {name} is neither a number nor words plansite reads (持续下降, 稳步提高, 全覆盖, …)",
                        bound.raw
                    ),
                });
            }
        }
        indicators.push(Indicator {
            group: group.clone(),
            name,
            unit,
            baseline,
            target,
            attribute,
            lines: [row.line, row.line],
        });
        group_rows += 1;
    }
    indicators
}

fn find_columns(header: &[String], (default_base, default_target): (i32, i32)) -> Option<Columns> {
    let find = |keys: &[&str]| {
        header
            .iter()
            .position(|h| keys.iter().any(|k| h.contains(k)))
    };
    let name = find(&["指标", "名称", "项目"])?;
    let years: Vec<(usize, i32)> = header
        .iter()
        .enumerate()
        .filter_map(|(i, h)| year_in(h).map(|y| (i, y)))
        .collect();
    let baseline =
        find(&["基期", "基线", "现状", "基数"]).or_else(|| years.first().map(|y| y.0))?;
    let target = find(&["目标"])
        .filter(|&t| t != name)
        .or_else(|| years.iter().map(|y| y.0).find(|&i| i != baseline))?;
    let attribute = find(&["属性", "性质"]);
    let unit = find(&["单位"]).filter(|&u| u != name);
    let group = find(&["类别", "领域", "分类", "维度", "方面"])
        // An unnamed column just before the names holds the group labels.
        .or_else(|| (name > 0 && header[name - 1].trim().is_empty()).then(|| name - 1));
    Some(Columns {
        group,
        name,
        baseline,
        target,
        attribute,
        unit,
        baseline_year: year_in(&header[baseline]).unwrap_or(default_base),
        target_year: year_in(&header[target]).unwrap_or(default_target),
    })
}

fn year_in(text: &str) -> Option<i32> {
    let digits: Vec<char> = text.chars().map(fold_width).collect();
    digits.windows(4).find_map(|w| {
        let s: String = w.iter().collect();
        s.parse::<i32>().ok().filter(|y| (1900..=2100).contains(y))
    })
}

/// `学前三年毛入园率（%）` → (`学前三年毛入园率`, `%`); names may hold brackets
/// themselves: `每千人口执业（助理）医师数（人）` → unit `人`.
fn split_unit(cell: &str) -> (String, String) {
    let cell = cell.trim();
    let Some(last) = cell.chars().last() else {
        return (String::new(), String::new());
    };
    if last != '）' && last != ')' {
        return (cell.to_string(), String::new());
    }
    let mut depth = 0i32;
    for (pos, c) in cell.char_indices().rev() {
        match c {
            '）' | ')' => depth += 1,
            '（' | '(' => {
                depth -= 1;
                if depth == 0 {
                    let name = cell[..pos].trim();
                    let unit = cell[pos + c.len_utf8()..cell.len() - last.len_utf8()].trim();
                    if name.is_empty() {
                        return (cell.to_string(), String::new());
                    }
                    return (name.to_string(), unit.to_string());
                }
            }
            _ => {}
        }
    }
    (cell.to_string(), String::new())
}

/// A baseline or target cell (or a number quoted from prose): `>85` → at least 85,
/// `90%以上` → at least 90, `<3` → at most 3, `53.2` → exactly 53.2, `约25%`/`25%左右` → exact 25.
/// Chinese numerals count too (`百名` → 100, `突破千名` → at least 1000).
pub fn parse_bound(raw: &str, year: i32) -> Bound {
    let text: String = raw.trim().chars().map(fold_width).collect();
    // Negated comparisons first: 不低于 holds 低于, 不超过 holds 超过.
    const OPS: [(&str, Op); 22] = [
        ("不低于", Op::AtLeast),
        ("不少于", Op::AtLeast),
        ("不小于", Op::AtLeast),
        ("不高于", Op::AtMost),
        ("不超过", Op::AtMost),
        ("不多于", Op::AtMost),
        ("不大于", Op::AtMost),
        (">", Op::AtLeast),
        ("≥", Op::AtLeast),
        ("以上", Op::AtLeast),
        ("超过", Op::AtLeast),
        ("突破", Op::AtLeast),
        ("高于", Op::AtLeast),
        ("多于", Op::AtLeast),
        ("<", Op::AtMost),
        ("≤", Op::AtMost),
        ("以下", Op::AtMost),
        ("以内", Op::AtMost),
        ("低于", Op::AtMost),
        ("少于", Op::AtMost),
        ("控制在", Op::AtMost),
        ("不到", Op::AtMost),
    ];
    let value = first_number(&text);
    let (op, words) = match value {
        Some(_) => (
            OPS.iter()
                .find(|(p, _)| text.contains(p))
                .map_or(Op::Exact, |(_, op)| *op),
            None,
        ),
        // No number: a target in words (kept verbatim), or one plansite cannot read.
        None => (Op::Qualitative, super::qualitative::read(&text)),
    };
    Bound {
        year,
        op,
        value,
        raw: raw.trim().to_string(),
        words,
    }
}

/// The first Arabic number in the text, else the first Chinese numeral run.
fn first_number(text: &str) -> Option<f64> {
    let start = text.find(|c: char| c.is_ascii_digit());
    if let Some(start) = start {
        let mut end = start;
        for (i, c) in text[start..].char_indices() {
            if c.is_ascii_digit()
                || (c == '.' && text[start + i + 1..].starts_with(|d: char| d.is_ascii_digit()))
            {
                end = start + i + c.len_utf8();
            } else {
                break;
            }
        }
        return text[start..end].parse().ok();
    }
    let numeral: String = text
        .chars()
        .skip_while(|c| !is_numeral(*c))
        .take_while(|c| is_numeral(*c))
        .collect();
    super::parse_chinese_numeral(&numeral).map(f64::from)
}

fn is_numeral(c: char) -> bool {
    "零〇一二两三四五六七八九十百千万".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bound(raw: &str) -> (Op, Option<f64>) {
        let b = parse_bound(raw, 2025);
        (b.op, b.value)
    }

    #[test]
    fn bounds() {
        assert_eq!(bound(">85"), (Op::AtLeast, Some(85.0)));
        assert_eq!(bound("＞85"), (Op::AtLeast, Some(85.0)));
        assert_eq!(bound("90%以上"), (Op::AtLeast, Some(90.0)));
        assert_eq!(bound("<3"), (Op::AtMost, Some(3.0)));
        assert_eq!(bound("≤ 3.5"), (Op::AtMost, Some(3.5)));
        assert_eq!(bound("53.2"), (Op::Exact, Some(53.2)));
        assert_eq!(bound("0"), (Op::Exact, Some(0.0)));
        assert_eq!(bound("25%左右"), (Op::Exact, Some(25.0)));
        assert_eq!(bound("超过百名"), (Op::AtLeast, Some(100.0)));
        assert_eq!(bound("突破千名"), (Op::AtLeast, Some(1000.0)));
        assert_eq!(bound("—"), (Op::Qualitative, None));
        assert_eq!(bound("不低于60"), (Op::AtLeast, Some(60.0)));
        assert_eq!(bound("不超过5%"), (Op::AtMost, Some(5.0)));
        assert_eq!(bound("持续下降"), (Op::Qualitative, None));
        assert!(parse_bound("持续下降", 2025).words.is_some());
        assert_eq!(bound("3."), (Op::Exact, Some(3.0)));
    }

    #[test]
    fn units_with_nested_brackets() {
        assert_eq!(
            split_unit("学前三年毛入园率（%）"),
            ("学前三年毛入园率".into(), "%".into())
        );
        assert_eq!(
            split_unit("每千人口执业（助理）医师数（人）"),
            ("每千人口执业（助理）医师数".into(), "人".into())
        );
        assert_eq!(
            split_unit("发病率(1/10万)"),
            ("发病率".into(), "1/10万".into())
        );
        assert_eq!(split_unit("指标"), ("指标".into(), "".into()));
    }
}
