//! `plansite init DIR --seed FILE`: a working site for another plan of the genre.

use std::fmt::Write as _;
use std::path::Path;

use crate::content::registry::TO_TRANSLATE;
use crate::plan::{Plan, parse, read_source};

use super::{EXIT_CONTENT, EXIT_OK, EXIT_USAGE};

fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The files of a new site for `plan` (pure, for tests): (relative path, text).
pub fn files(plan: &Plan, seed_name: &str) -> Vec<(String, String)> {
    let (start, end) = period(&plan.title);
    let mut out = Vec::new();
    out.push((
        "plansite.toml".to_string(),
        format!(
            "# plansite site configuration\ntitle = {{ zh = {}, en = \"Plan tracker\" }}\nlanguages = [\"zh\", \"en\"]\ndefault_language = \"zh\"\nbase_url = \"\"\ntheme = \"default\"\nseed = \"seeds/{seed_name}\"\nperiod = {{ start = {start}, end = {end} }}\n# Where the plan was published (shown wherever it is quoted; docs/CONFIG.md):\n# source_publisher = {{ zh = \"\", en = \"\" }}\n# source_date = \"YYYY-MM-DD\"\n# source_url = \"https://\"\n",
            yaml_str(&format!("{}跟踪", plan.title.split_whitespace().next().unwrap_or(&plan.title)))
        ),
    ));
    let mut areas = String::from(
        "# Task areas: the sections of the task part, in plan order. Edit the slugs and English titles.\nareas:\n",
    );
    if let Some(part) = plan.task_part(None) {
        for (i, section) in part.sections.iter().enumerate() {
            let _ = writeln!(
                areas,
                "  - {{slug: area-{}, zh: {}, en: {}}}",
                i + 1,
                yaml_str(&section.title),
                yaml_str(&format!("Task area {} {TO_TRANSLATE}", i + 1))
            );
        }
    }
    out.push(("content/areas.yaml".into(), areas));
    let mut ind = String::from(
        "# Indicator registry generated from the plan's table. Give each an English name and its areas;\n# `plansite check` lists every \"(to translate)\" left.\n",
    );
    // The English of the table's group labels and units, to fill in.
    let mut groups: Vec<&str> = Vec::new();
    let mut units: Vec<&str> = Vec::new();
    for row in &plan.indicators {
        if !row.group.is_empty() && !groups.contains(&row.group.as_str()) {
            groups.push(&row.group);
        }
        if row.unit.chars().any(crate::plan::is_cjk) && !units.contains(&row.unit.as_str()) {
            units.push(&row.unit);
        }
    }
    if !groups.is_empty() {
        ind.push_str("groups:\n");
        for (i, g) in groups.iter().enumerate() {
            let _ = writeln!(
                ind,
                "  {}: {}",
                yaml_str(g),
                yaml_str(&format!("Group {} {TO_TRANSLATE}", i + 1))
            );
        }
    }
    if !units.is_empty() {
        ind.push_str("units:\n");
        for u in &units {
            let en = common_unit(u).map_or_else(|| format!("unit {TO_TRANSLATE}"), str::to_string);
            let _ = writeln!(ind, "  {}: {}", yaml_str(u), yaml_str(&en));
        }
    }
    ind.push_str("indicators:\n");
    for (i, row) in plan.indicators.iter().enumerate() {
        let _ = writeln!(
            ind,
            "  - id: indicator-{}\n    row: {}\n    en: {}\n    areas: []",
            i + 1,
            yaml_str(&row.name),
            yaml_str(&format!("Indicator {} {TO_TRANSLATE}", i + 1))
        );
    }
    if plan.indicators.is_empty() {
        ind = String::from(
            "# The plan has no indicator table; declare targets from its prose with `quote:`.\nindicators: []\n",
        );
    }
    out.push(("content/indicators.yaml".into(), ind));
    out.push((
        "content/pages/about.zh.md".into(),
        "# 关于\n\n本站跟踪规划的执行情况。\n".into(),
    ));
    out.push((
        "content/pages/about.en.md".into(),
        "# About\n\nThis site tracks the implementation of the plan.\n".into(),
    ));
    // Pages a government site is expected to have, linked from every footer.
    out.push((
        "content/pages/contact.zh.md".into(),
        "# 联系我们\n\n请在此填写发布单位的名称、地址、电话、电子邮箱和答复时限，并说明读者如何对本站数据提出意见。\n".into(),
    ));
    out.push((
        "content/pages/contact.en.md".into(),
        "# Contact\n\nFill in the publishing office's name, address, telephone, email and the time it takes to reply, and say how readers can send feedback on the data.\n".into(),
    ));
    out.push((
        "content/pages/accessibility.zh.md".into(),
        "# 无障碍声明\n\n本站以《Web内容无障碍指南》（WCAG）2.1 AA级为目标：页面不依赖JavaScript，每个图表都有文字说明和数据表，状态以文字和图标表示而不只靠颜色。请在此说明已知的不足，以及读者遇到障碍时如何联系发布单位。\n".into(),
    ));
    out.push((
        "content/pages/accessibility.en.md".into(),
        "# Accessibility statement\n\nThis site aims to meet the Web Content Accessibility Guidelines (WCAG) 2.1 at level AA: no page needs JavaScript, every chart has a text description and a data table, and statuses are given in words and icons, never by color alone. Say here what is known not to meet the target, and how readers who meet a barrier can reach the publishing office.\n".into(),
    ));
    out.push(("content/progress/.gitkeep".into(), String::new()));
    out.push(("README.md".into(), SITE_README.into()));
    out
}

/// What a new site's owner fills in, in the order that makes a site.
const SITE_README: &str = "# A plansite site\n\n\
Made by `plansite init` from the plan in `seeds/`. What to fill in:\n\n\
1. `plansite.toml`: the site's English `title`, `publisher`, `base_url` (the address the\n   \
site is published at) and, commented out, where the plan was published (`source_*`).\n\
2. `content/areas.yaml`: a short slug and English title for each task area.\n\
3. `content/indicators.yaml`: an English name for each indicator, the areas it belongs\n   \
to, and the English of the table's groups and units.\n\
4. `content/plan.en.yaml`: the English translation of the plan, paragraph by paragraph.\n\
5. `content/progress/YEAR.yaml`: each year's figures (`plansite new year YEAR`).\n\
6. `content/pages/`: the about, contact and accessibility pages in both languages.\n\n\
`plansite check` lists every placeholder (\"(to translate)\") and every missing English\n\
text; `plansite check --strict` fails until none is left. `plansite serve` shows the site\n\
as you edit; `plansite build` writes it to `public/`.\n";

/// The English of units plans of the genre use often; others are left to fill in.
fn common_unit(unit: &str) -> Option<&'static str> {
    Some(match unit {
        "岁" | "年" => "years",
        "人" | "名" => "persons",
        "万人" => "10,000 persons",
        "人次" => "visits",
        "万人次" => "10,000 visits",
        "张" => "beds",
        "元" => "yuan",
        "万元" => "10,000 yuan",
        "亿元" => "100 million yuan",
        "元/月" => "yuan/month",
        "元/年" => "yuan/year",
        "平方米" => "m²",
        "公里" => "km",
        "小时" => "hours",
        "天" => "days",
        "次" => "times",
        "个" | "家" | "所" | "项" | "处" => "",
        "册" => "volumes",
        "1/10万" => "per 100,000",
        _ => return None,
    })
}

/// The years the plan covers: from the year after its baseline to its target year.
fn period(title: &str) -> (i32, i32) {
    let (baseline, target) = crate::plan::period_years(title);
    (baseline + 1, target)
}

pub fn run(dir: &Path, seed: &Path) -> i32 {
    if !crate::output::is_empty_or_missing(dir) {
        eprintln!("error[init]: {} exists and is not empty", dir.display());
        return EXIT_USAGE;
    }
    let bytes = match crate::input::read_given_file(seed, crate::input::MAX_FILE_BYTES) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error[io]: {e}");
            return EXIT_USAGE;
        }
    };
    let name = seed
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("plan.txt");
    let safe_name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let plan = match read_source(&seed.to_string_lossy(), &bytes).and_then(|d| parse(&d.text)) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error[plan-structure]: {}: {e}", seed.display());
            if let Some(h) = &e.help {
                eprintln!("  = help: {h}");
            }
            return EXIT_CONTENT;
        }
    };
    // Every file is new: nothing that exists is ever replaced.
    let write = || -> Result<(), crate::output::OutputError> {
        crate::output::create_new(&dir.join("seeds").join(&safe_name), &bytes)?;
        for (rel, text) in files(&plan, &safe_name) {
            crate::output::create_new(&dir.join(&rel), text.as_bytes())?;
        }
        Ok(())
    };
    if let Err(e) = write() {
        eprintln!("error[output]: cannot write the site: {e}");
        return EXIT_USAGE;
    }
    eprintln!(
        "created {}: {} parts, {} task areas, {} indicators. Next: edit content/, then `plansite new year YEAR --root {}` and `plansite build --root {}`",
        dir.display(),
        plan.parts.len(),
        plan.task_part(None).map_or(0, |p| p.sections.len()),
        plan.indicators.len(),
        dir.display(),
        dir.display()
    );
    EXIT_OK
}
