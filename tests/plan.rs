//! The plan parser on the seed, on re-encodings of it, on other plans of the
//! genre, and on hundreds of mutated inputs.

mod common;

use common::{plansite, repo, stderr, stdout};
use plansite::plan::{Attribute, ItemKind, Op, Plan, decode, parse};
use proptest::prelude::*;

const SEED: &[u8] = include_bytes!("../seeds/hebei-education-14th-fyp.txt");

fn seed_plan() -> Plan {
    let text = decode(SEED).expect("decodes").text;
    parse(&text).expect("parses")
}

fn assert_seed_shape(plan: &Plan) {
    assert!(
        plan.title
            .starts_with("天津市河北区教育事业发展“十四五”规划"),
        "{}",
        plan.title
    );
    assert_eq!(plan.parts.len(), 4);
    let achievements = &plan.parts[0].sections[0];
    assert_eq!(achievements.items.len(), 13);
    assert!(
        achievements
            .items
            .iter()
            .all(|i| i.kind == ItemKind::Numbered)
    );
    assert_eq!(achievements.items[0].title, "党的领导全面加强");
    assert_eq!(achievements.items[12].title, "学校安全稳定得到保障");
    let goals = &plan.parts[1].sections[1];
    let streams: Vec<&str> = goals
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::GoalStream)
        .map(|i| i.title.as_str())
        .collect();
    assert_eq!(streams.len(), 6);
    assert_eq!(streams[5], "努力实现科学合理资源布局"); // the `一一` typo read as `——`
    assert_eq!(plan.task_part(None).map(|p| p.sections.len()), Some(15));
    assert_eq!(plan.parts[3].sections.len(), 5);
    assert_eq!(
        plan.parts[3].sections[0].title,
        "加强党对教育工作的全面领导"
    );
}

#[test]
fn seed_structure() {
    assert_seed_shape(&seed_plan());
}

#[test]
fn seed_indicator_table() {
    let plan = seed_plan();
    type Row<'a> = (&'a str, &'a str, &'a str, Op, f64, Op, f64, Attribute);
    let rows: Vec<Row> = plan
        .indicators
        .iter()
        .map(|i| {
            (
                i.group.as_str(),
                i.name.as_str(),
                i.unit.as_str(),
                i.baseline.op,
                i.baseline.value.expect("baseline"),
                i.target.op,
                i.target.value.expect("target"),
                i.attribute.expect("attribute"),
            )
        })
        .collect();
    use Attribute::{Anticipatory as A, Binding as B};
    use Op::{AtLeast as GE, Exact as EQ};
    assert_eq!(
        rows,
        vec![
            ("普及程度", "学前三年毛入园率", "%", GE, 85.0, GE, 90.0, A),
            ("普及程度", "义务教育巩固率", "%", GE, 99.0, GE, 99.0, B),
            ("普及程度", "高中阶段毛入学率", "%", GE, 98.0, GE, 98.0, A),
            ("结构优化", "公办园在园幼儿比例", "%", GE, 64.0, GE, 60.0, A),
            (
                "结构优化",
                "普惠性学前教育资源覆盖率",
                "%",
                GE,
                85.0,
                GE,
                80.0,
                A
            ),
            (
                "结构优化",
                "义务教育学区化办学比例",
                "%",
                EQ,
                100.0,
                EQ,
                100.0,
                A
            ),
            (
                "结构优化",
                "义务教育学校大班额比例",
                "%",
                EQ,
                0.0,
                EQ,
                0.0,
                A
            ),
            ("发展质量", "学生体质优良率", "%", EQ, 17.8, EQ, 50.0, A),
            (
                "发展质量",
                "儿童青少年总体近视率",
                "%",
                EQ,
                58.2,
                EQ,
                53.2,
                A
            ),
            (
                "发展质量",
                "基础教育无线网覆盖率",
                "%",
                EQ,
                58.8,
                EQ,
                100.0,
                A
            ),
            (
                "发展质量",
                "中职学校“双师型”教师占比",
                "%",
                EQ,
                60.0,
                EQ,
                70.0,
                A
            ),
            (
                "发展质量",
                "高职院校“双师型”教师占比",
                "%",
                EQ,
                75.0,
                EQ,
                90.0,
                A
            ),
        ]
    );
    assert!(
        plan.indicators
            .iter()
            .all(|i| i.baseline.year == 2020 && i.target.year == 2025)
    );
    assert_eq!(plan.indicators[0].baseline.raw, ">85");
}

#[test]
fn seed_page_break_cuts_are_joined_with_spanning_lines() {
    let plan = seed_plan();
    let p = &plan.parts[0].sections[0].items[3].paragraphs[0];
    assert!(
        p.text.contains("被教育部命名为“全国青少年校园足球试点区”"),
        "{}",
        p.text
    );
    assert_eq!(p.lines, [21, 23]);
    // A cut right after a closing `》`.
    let vocational = &plan.task_part(None).expect("task part").sections[6].paragraphs[1];
    assert!(vocational.text.contains("实施方案》任务和要求。"));
    assert_eq!(vocational.lines, [180, 182]);
    // A cut inside an inline heading's body.
    let leadership = &plan.parts[3].sections[0].paragraphs[0];
    assert!(leadership.text.ends_with("兴文化、展形象。"));
    assert_eq!(leadership.lines, [246, 248]);
    // No paragraph ends mid-sentence.
    for para in plan.paragraphs() {
        assert!(
            plansite::plan::sentence_final(&para.text),
            "{} ends mid-sentence: …{}",
            para.id,
            para.text.chars().rev().take(12).collect::<String>()
        );
    }
    assert!(plan.joins.len() >= 24, "{} joins", plan.joins.len());
}

#[test]
fn seed_reencoded_parses_the_same() {
    let text = decode(SEED).expect("decodes").text;
    let (gb, _, _) = encoding_rs::GB18030.encode(&text);
    let decoded = decode(&gb).expect("GB18030 decodes");
    assert_eq!(decoded.encoding, "GB18030");
    assert!(decoded.warning.is_some());
    assert_seed_shape(&parse(&decoded.text).expect("parses"));

    let mut crlf_bom = b"\xEF\xBB\xBF".to_vec();
    crlf_bom.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
    let plan = parse(&decode(&crlf_bom).expect("decodes").text).expect("parses");
    assert_seed_shape(&plan);
    assert_eq!(plan.indicators.len(), 12);

    // Half-width punctuation and brackets throughout.
    let half: String = text
        .chars()
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '，' => ',',
            '；' => ';',
            '：' => ':',
            c => c,
        })
        .collect();
    let plan = parse(&half).expect("parses");
    assert_seed_shape(&plan);
    assert_eq!(plan.indicators[0].unit, "%");
}

#[test]
fn other_plans_of_the_genre() {
    let health = parse(include_str!("fixtures/plans/health-county.txt")).expect("health plan");
    assert_eq!(health.parts.len(), 4);
    assert_eq!(
        health.task_part(None).map(|p| p.title.as_str()),
        Some("重点任务")
    );
    assert_eq!(health.indicators.len(), 5);
    let doctors = &health.indicators[3];
    assert_eq!(
        (doctors.name.as_str(), doctors.unit.as_str()),
        ("每千人口执业（助理）医师数", "人")
    );
    assert_eq!(health.indicators[1].unit, "1/10万");
    assert_eq!(
        (
            health.indicators[1].target.op,
            health.indicators[1].target.value
        ),
        (Op::AtMost, Some(9.0))
    );
    assert_eq!(
        (
            health.indicators[4].target.op,
            health.indicators[4].target.value
        ),
        (Op::AtLeast, Some(30.0))
    );
    assert!(health.indicators.iter().all(|i| i.group.is_empty()));
    let tasks = health.task_part(None).expect("tasks");
    assert_eq!(
        tasks.sections[0]
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Parenthesised)
            .count(),
        2
    );
    assert_eq!(
        health.parts[0].sections[0].items[1].paragraphs[0].text,
        "疾病预防控制体系进一步完善，重大传染病得到有效控制。"
    );

    for text in [
        include_str!("fixtures/plans/culture-city.txt"),
        include_str!("fixtures/plans/culture-city-crlf.txt"),
    ] {
        let culture = parse(text).expect("culture plan");
        assert_eq!(culture.parts.len(), 4);
        assert_eq!(culture.indicators.len(), 3);
        assert_eq!(culture.indicators[1].group, "公共文化");
        assert_eq!(culture.indicators[2].group, "旅游发展");
        assert_eq!(culture.indicators[0].target.op, Op::AtLeast);
        assert_eq!(culture.indicators[1].attribute, Some(Attribute::Binding));
        assert_eq!(culture.parts[1].sections[0].items.len(), 2);
        assert_eq!(culture.task_part(None).map(|p| p.sections.len()), Some(3));
    }
}

#[test]
fn texts_without_structure_are_errors_that_say_what_was_expected() {
    for text in [
        "",
        "   \n\n",
        "这是一段没有任何标题的文字。\n第二段。",
        "hello world\n1234\n",
    ] {
        let err = parse(text).expect_err("no structure");
        assert!(
            err.message.contains("empty") || err.message.contains("no plan structure"),
            "{}",
            err.message
        );
        assert!(err.help.is_some());
    }
}

/// Deterministic mutations of the seed text.
fn mutate(text: &str, kind: u8, a: usize, b: usize) -> Vec<u8> {
    let bytes = text.as_bytes();
    let len = bytes.len().max(1);
    match kind % 8 {
        0 => bytes[..a % len].to_vec(), // truncated, possibly mid-character
        1 => {
            let mut lines: Vec<&str> = text.lines().collect();
            let n = lines.len().max(1);
            lines.swap(a % n, b % n);
            lines.join("\n").into_bytes()
        }
        2 => {
            let mut v = bytes.to_vec();
            let at = a % len;
            v.splice(at..at, [0xFF, 0xFE, (b % 256) as u8]);
            v
        }
        3 => {
            let mut v = bytes.to_vec();
            let at = a % len;
            v.splice(at..at, std::iter::repeat_n(b'x', 1 << 20));
            v
        }
        4 => {
            let fake = [
                "一、",
                "（一）",
                "1.",
                "（1）",
                "——",
                "\t\t\t",
                "一一",
                "二十、",
            ][b % 8];
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            let n = lines.len().max(1);
            lines.insert(a % n, fake.to_string());
            lines.join("\n").into_bytes()
        }
        5 => text
            .lines()
            .map(|l| {
                if l.contains('\t') {
                    l.replace('\t', if a.is_multiple_of(2) { "" } else { "\t\t" })
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes(),
        6 => text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .step_by(1 + a % 3)
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes(),
        _ => {
            let mut v = bytes.to_vec();
            let at = a % len;
            v.insert(at, 0);
            v
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, .. ProptestConfig::default() })]

    #[test]
    fn mutated_seeds_never_panic(kind in 0u8..8, a in 0usize..100_000, b in 0usize..10_000) {
        let text = String::from_utf8_lossy(SEED).to_string();
        let bytes = mutate(&text, kind, a, b);
        if let Ok(decoded) = decode(&bytes) {
            let _ = parse(&decoded.text);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,400}") {
        let _ = parse(&s);
    }
}

#[test]
fn explain_lists_what_the_parser_repaired_by_line() {
    let fixture = repo().join("tests/fixtures/plans/health-city-crlf/plan.txt");
    let o = plansite(&["plan", "--explain", fixture.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("lines 33–108: a table laid out one cell per line"),
        "{out}"
    );
    assert!(out.contains("the indicator table, 11 rows"), "{out}");
    let o = plansite(&[
        "plan",
        "--explain",
        "--root",
        repo().to_str().expect("utf-8"),
    ]);
    let out = stdout(&o);
    assert!(
        out.contains("lines 13 and 15: one paragraph cut by a page break, joined"),
        "{out}"
    );
    // --text numbers the lines the explanation cites.
    let o = plansite(&["plan", "--text", "--root", repo().to_str().expect("utf-8")]);
    assert!(
        stdout(&o).lines().any(|l| l.starts_with("   13  ")),
        "{}",
        stdout(&o)
    );
}
