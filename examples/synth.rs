//! Writes a synthetic site root of the same genre as the default site, for
//! benchmarks: a generated plan with A task areas of about 8 paragraphs each, an
//! indicator table of I rows, Y progress files with values for every indicator
//! and area, and translations. Deterministic.
//!
//!     cargo run --release --example synth -- --areas 300 --indicators 194 --years 5 /tmp/site-1000
//!
//! Built pages ≈ 2 × (A + I + 6) + 3: A=30/I=14 → ~100, A=300/I=194 → ~1,000,
//! A=3000/I=1994 → ~10,000.

use std::fmt::Write as _;
use std::path::PathBuf;

fn numeral(n: usize) -> String {
    plansite::plan::chinese_numeral(u32::try_from(n).unwrap_or(0))
}

/// A tiny deterministic generator (xorshift), so runs are reproducible.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[(self.next() % list.len() as u64) as usize]
    }
}

const PHRASES: &[&str] = &[
    "深化教育教学改革",
    "推进优质均衡发展",
    "加强教师队伍建设",
    "完善学校治理体系",
    "提升信息化应用水平",
    "扩大优质教育资源供给",
    "健全评价制度",
    "落实立德树人根本任务",
    "推动学校特色发展",
    "加强安全保障",
    "促进教育公平",
    "完善投入机制",
];

fn sentence(rng: &mut Rng) -> String {
    format!(
        "{}，{}，{}。",
        rng.pick(PHRASES),
        rng.pick(PHRASES),
        rng.pick(PHRASES)
    )
}

fn main() {
    let mut areas = 30usize;
    let mut indicators = 14usize;
    let mut years = 5usize;
    let mut out: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut num = |name: &str| {
            args.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{name} needs a number"))
        };
        match a.as_str() {
            "--areas" => areas = num("--areas"),
            "--indicators" => indicators = num("--indicators"),
            "--years" => years = num("--years"),
            other => out = Some(PathBuf::from(other)),
        }
    }
    let out = out.expect("usage: synth --areas A --indicators I --years Y OUT");
    let years = years.clamp(1, 5);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);

    // The plan text.
    let mut plan = String::from(
        "某区教育事业发展“十四五”规划（合成测试）\n\n为推进教育现代化，制定本规划。\n\n一、发展基础\n\n（一）主要成就\n\n",
    );
    for i in 1..=5 {
        let _ = write!(plan, "{i}. 成就{i}。{}\n\n", sentence(&mut rng));
    }
    plan.push_str("二、主要目标\n\n（一）主要目标\n\n到2025年，教育现代化水平显著提升。\n\n主要指标\n\n\t主要指标\t2020年\t2025年\t指标属性\n");
    for i in 1..=indicators {
        let base = 20 + (rng.next() % 50);
        let target = base + 5 + (rng.next() % 30);
        let group = if i % 4 == 1 {
            format!("类别{}", i / 4 + 1)
        } else {
            String::new()
        };
        let attr = if i % 5 == 0 { "约束性" } else { "预期性" };
        let _ = writeln!(plan, "{group}\t合成指标{i}（%）\t{base}\t>{target}\t{attr}");
    }
    plan.push_str("\n三、主要任务\n\n");
    for a in 1..=areas {
        let _ = write!(plan, "（{}）任务领域{a}\n\n", numeral(a));
        for p in 1..=8 {
            let _ = write!(
                plan,
                "任务{a}要点{p}。{}{}\n\n",
                sentence(&mut rng),
                sentence(&mut rng)
            );
        }
    }
    plan.push_str("四、组织实施\n\n（一）加强组织领导。各部门协同推进。\n");

    let parsed = plansite::plan::parse(&plan).expect("the synthetic plan parses");
    std::fs::create_dir_all(out.join("seeds")).expect("mkdir");
    std::fs::create_dir_all(out.join("content/progress")).expect("mkdir");
    std::fs::write(out.join("seeds/synth.txt"), &plan).expect("write seed");
    std::fs::write(
        out.join("plansite.toml"),
        "title = { zh = \"合成站点\", en = \"Synthetic site\" }\nseed = \"seeds/synth.txt\"\nperiod = { start = 2021, end = 2025, baseline = 2020 }\nbase_url = \"https://example.org/\"\n",
    )
    .expect("write config");

    let mut areas_yaml = String::from("areas:\n");
    for a in 1..=areas {
        let _ = writeln!(
            areas_yaml,
            "  - {{slug: area-{a}, zh: 领域{a}, en: Area {a}}}"
        );
    }
    std::fs::write(out.join("content/areas.yaml"), areas_yaml).expect("write areas");
    let mut ind_yaml = String::from("indicators:\n");
    for i in 1..=indicators {
        let _ = writeln!(
            ind_yaml,
            "  - {{id: indicator-{i}, row: 合成指标{i}, en: Synthetic indicator {i}, areas: [area-{}]}}",
            1 + (i - 1) % areas
        );
    }
    std::fs::write(out.join("content/indicators.yaml"), ind_yaml).expect("write indicators");

    for (k, year) in (2021..).take(years).enumerate() {
        let mut y = format!(
            "year: {year}\nas_of: {year}-12-31\ndata_status: illustrative\nsummary: {{zh: 合成数据。, en: Synthetic data.}}\nindicators:\n"
        );
        for (i, row) in parsed.indicators.iter().enumerate() {
            let base = row.baseline.value.unwrap_or(0.0);
            let target = row.target.value.unwrap_or(base);
            let value = (base
                + (target - base) * (k as f64 + 1.0) / 5.0 * (0.7 + 0.1 * (i % 5) as f64))
                .min(100.0);
            let _ = writeln!(
                y,
                "  indicator-{}: {{value: {value:.1}, source: {{zh: 合成, en: synthetic}}}}",
                i + 1
            );
        }
        y.push_str("areas:\n");
        for a in 1..=areas {
            let status = [
                "not_started",
                "in_progress",
                "on_track",
                "at_risk",
                "completed",
            ][(a + k) % 5];
            let _ = writeln!(
                y,
                "  area-{a}:\n    status: {status}\n    milestones:\n      - {{zh: 里程碑{a}, en: Milestone {a}, done: {}, date: {year}-06-30}}",
                (a + k) % 2 == 0
            );
        }
        y.push_str("changes:\n");
        for c in 1..=areas.min(20) {
            let _ = writeln!(
                y,
                "  - {{date: {year}-0{}-15, area: area-{c}, zh: 调整{c}, en: Change {c}}}",
                1 + c % 9
            );
        }
        std::fs::write(out.join(format!("content/progress/{year}.yaml")), y)
            .expect("write progress");
    }

    let mut en = String::new();
    for unit in plansite::content::translation::units(&parsed) {
        let _ = writeln!(
            en,
            "\"{}\": {{zh_hash: \"{}\", en: \"English of {}\"}}",
            unit.id,
            plansite::content::translation::zh_hash(unit.zh),
            unit.id
        );
    }
    std::fs::write(out.join("content/plan.en.yaml"), en).expect("write translation");
    eprintln!(
        "wrote {}: {areas} areas, {indicators} indicators, {years} years",
        out.display()
    );
}
