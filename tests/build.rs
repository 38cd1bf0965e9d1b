//! Building the default site into a tempdir: the contract's pages, links,
//! languages, determinism, atomicity and safety.

mod common;

use common::*;

#[test]
fn default_site_builds_every_contract_page_with_no_broken_links() {
    let site = site_copy();
    let out = site.path().join("public");
    let o = plansite(&["build", "--root", site.path().to_str().expect("utf8")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files = read_tree(&out);
    for path in [
        "index.html",
        "404.html",
        "robots.txt",
        "sitemap.xml",
        "data/indicators.json",
        "data/indicators.csv",
        "data/plan.json",
    ] {
        assert!(files.contains_key(path), "missing {path}");
    }
    // archive/ belongs to `plansite archive`: build writes nothing there and,
    // without snapshots, links to none.
    assert!(!files.keys().any(|p| p.starts_with("archive/")));
    for lang in ["zh", "en"] {
        for page in [
            "index.html",
            "areas/index.html",
            "indicators/index.html",
            "changelog/index.html",
            "changelog/atom.xml",
            "plan/index.html",
            "about/index.html",
            "search/index.html",
        ] {
            assert!(
                files.contains_key(&format!("{lang}/{page}")),
                "missing {lang}/{page}"
            );
        }
        for slug in [
            "ideological-political-education",
            "preschool-education",
            "campus-safety",
            "teachers",
        ] {
            assert!(
                files.contains_key(&format!("{lang}/areas/{slug}/index.html")),
                "missing area {slug}"
            );
        }
        for id in [
            "preschool-gross-enrollment",
            "myopia-rate",
            "dual-qualified-higher-vocational",
            "fitness-standard-pass-rate",
        ] {
            let page =
                String::from_utf8_lossy(&files[&format!("{lang}/indicators/{id}/index.html")])
                    .to_string();
            assert!(
                page.contains("<svg")
                    && page.contains("role=\"img\"")
                    && page.contains("<title id=\"chart-title"),
                "{id} has no chart"
            );
            assert!(
                page.contains("<table class=\"data\">"),
                "{id} has no data table"
            );
        }
    }
    assert!(
        files
            .keys()
            .any(|k| k.starts_with("assets/site.") && k.ends_with(".css"))
    );
    let broken = broken_links(&out, false);
    assert!(broken.is_empty(), "broken links: {broken:?}");
}

#[test]
fn pages_declare_language_and_link_their_counterpart() {
    let site = site_copy();
    let o = plansite(&["build", "--root", site.path().to_str().expect("utf8")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files = read_tree(&site.path().join("public"));
    for (path, bytes) in files
        .iter()
        .filter(|(p, _)| (p.starts_with("zh/") || p.starts_with("en/")) && p.ends_with(".html"))
    {
        let html = String::from_utf8_lossy(bytes);
        let (lang, other) = if path.starts_with("zh/") {
            ("zh-Hans", "en")
        } else {
            ("en", "zh-Hans")
        };
        assert!(
            html.contains(&format!("<html lang=\"{lang}\">")),
            "{path} lacks lang"
        );
        assert!(
            html.contains(&format!("<link rel=\"alternate\" hreflang=\"{other}\"")),
            "{path} lacks hreflang"
        );
        let counterpart = if path.starts_with("zh/") {
            path.replacen("zh/", "en/", 1)
        } else {
            path.replacen("en/", "zh/", 1)
        };
        assert!(
            files.contains_key(&counterpart),
            "{path} has no counterpart"
        );
        assert!(
            html.contains("示例数据") || html.contains("Illustrative data"),
            "{path} lacks the illustrative notice"
        );
    }
}

#[test]
fn area_and_indicator_pages_link_each_other() {
    let site = site_copy();
    assert!(
        plansite(&["build", "--root", site.path().to_str().expect("utf8")])
            .status
            .success()
    );
    let out = site.path().join("public");
    let area =
        std::fs::read_to_string(out.join("en/areas/preschool-education/index.html")).expect("area");
    assert!(area.contains("indicators/preschool-gross-enrollment/"));
    assert!(area.contains("indicators/public-kindergarten-share/"));
    assert!(area.contains(r#"<span class="badge-icon" aria-hidden="true">"#));
    assert!(!area.contains(r#"<span class="badge-icon" aria-hidden="true"></span>"#));
    assert!(
        area.contains(r#"<p class="cite">plan text, lines "#)
            && !area.contains(r#"<p class="cite"></p>"#)
    );
    let ind = std::fs::read_to_string(
        out.join("en/indicators/dual-qualified-secondary-vocational/index.html"),
    )
    .expect("indicator");
    assert!(ind.contains("areas/vocational-education/") && ind.contains("areas/teachers/"));
}

#[test]
fn open_data_statuses_match_the_pages() {
    let site = site_copy();
    assert!(
        plansite(&["build", "--root", site.path().to_str().expect("utf8")])
            .status
            .success()
    );
    let out = site.path().join("public");
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/indicators.json")).expect("json"))
            .expect("parses");
    let indicators = data["indicators"].as_array().expect("array");
    assert_eq!(indicators.len(), 16);
    for ind in indicators {
        let id = ind["id"].as_str().expect("id");
        let status = ind["latest_status"].as_str().expect("status");
        let page = std::fs::read_to_string(out.join(format!("en/indicators/{id}/index.html")))
            .expect("page");
        assert!(
            page.contains(&format!("badge status-{status}")),
            "{id}: page does not show {status}"
        );
        // Every badge carries its symbol, every paragraph and table row its citation.
        assert!(
            !page.contains(r#"<span class="badge-icon" aria-hidden="true"></span>"#),
            "{id}: badge without its symbol"
        );
        assert!(
            !page.contains(r#"<p class="cite"></p>"#),
            "{id}: empty citation"
        );
        assert!(
            ind["name"]["zh"].is_string()
                && ind["name"]["en"].is_string()
                && ind["unit"]["zh"].is_string()
        );
    }
    let csv = std::fs::read_to_string(out.join("data/indicators.csv")).expect("csv");
    assert!(csv.contains("myopia-rate") && csv.contains("儿童青少年总体近视率"));
}

#[test]
fn two_builds_are_byte_identical_and_portable_links_name_index_html() {
    let site = site_copy();
    let root = site.path().to_str().expect("utf8");
    let a = site.path().join("a");
    let b = site.path().join("b");
    assert!(
        plansite(&["build", "--root", root, "--out", a.to_str().expect("utf8")])
            .status
            .success()
    );
    assert!(
        plansite(&["build", "--root", root, "--out", b.to_str().expect("utf8")])
            .status
            .success()
    );
    assert_eq!(read_tree(&a), read_tree(&b));
    let p = site.path().join("portable");
    assert!(
        plansite(&[
            "build",
            "--root",
            root,
            "--out",
            p.to_str().expect("utf8"),
            "--portable"
        ])
        .status
        .success()
    );
    let broken = broken_links(&p, true);
    assert!(
        broken.is_empty(),
        "portable build has non-portable or broken links: {:?}",
        &broken[..broken.len().min(5)]
    );
}

#[test]
fn timings_name_every_stage_with_its_peak_memory() {
    let site = site_copy();
    let root = site.path().to_str().expect("utf8");
    let o = plansite(&["build", "--root", root, "--timings"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    for stage in ["load", "theme", "model", "render", "commit"] {
        let line = err
            .lines()
            .find(|l| l.trim_start().starts_with(stage))
            .unwrap_or_else(|| panic!("no `{stage}` line in:\n{err}"));
        assert!(line.contains(" ms"), "{line}");
        // Linux reports the peak resident set; elsewhere the column is left out.
        if cfg!(target_os = "linux") {
            let mb: u64 = line
                .split("peak RSS")
                .nth(1)
                .and_then(|rest| rest.trim().strip_suffix("MB"))
                .and_then(|n| n.trim().parse().ok())
                .unwrap_or_else(|| panic!("no peak RSS in `{line}`"));
            assert!(mb > 0, "{line}");
        }
    }
}

/// Builds a copy of the default site, writes `edits` (path, text) into it and
/// builds again: the second build, and whether `public/` is as the first left it.
fn rebuild_after(edits: &[(&str, &str)]) -> (std::process::Output, bool) {
    let site = site_copy();
    let root = site.path().to_str().expect("utf8");
    assert!(plansite(&["build", "--root", root]).status.success());
    let out = site.path().join("public");
    let before = read_tree(&out);
    for (path, text) in edits {
        let path = site.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    let o = plansite(&["build", "--root", root]);
    let untouched = read_tree(&out) == before;
    (o, untouched)
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let (o, untouched) = rebuild_after(&[(
        "content/progress/2022.yaml",
        "year: 2022\nas_of: 2022-12-31\ndata_status: wrong\n",
    )]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(untouched);
}

#[test]
fn a_template_error_in_a_page_written_as_it_renders_is_a_render_error() {
    // The plan page is big, so it goes to its file as it renders: its template
    // error must still read as one, and leave the previous output as it was.
    let (o, untouched) = rebuild_after(&[(
        "templates/plan.html",
        "{% extends \"base.html\" %}{% block content %}{{ no_such_function() }}{% endblock %}",
    )]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error[render]")
            && err.contains("plan.html")
            && err.contains("no_such_function"),
        "{err}"
    );
    assert!(!err.contains("error[output]"), "{err}");
    assert!(untouched);
}

#[test]
fn a_runaway_loop_in_a_sites_template_is_an_error_not_a_hang() {
    // 10^10 iterations: without the fuel limit on a site's own templates this
    // would run for hours.
    let started = std::time::Instant::now();
    let (o, untouched) = rebuild_after(&[(
        "templates/about.html",
        "{% extends \"base.html\" %}{% block content %}{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}{% endblock %}",
    )]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error[render]") && err.contains("about.html") && err.contains("fuel"),
        "{err}"
    );
    assert!(untouched);
    assert!(
        started.elapsed().as_secs() < 60,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn dangerous_output_folders_are_refused_and_foreign_files_kept() {
    let site = site_copy();
    let root = site.path().to_str().expect("utf8");
    for bad in [".", "content", "seeds", "content/progress"] {
        let target = site.path().join(bad);
        let o = plansite(&[
            "build",
            "--root",
            root,
            "--out",
            target.to_str().expect("utf8"),
        ]);
        assert_eq!(o.status.code(), Some(2), "--out {bad} was accepted");
    }
    assert!(site.path().join("content/indicators.yaml").exists());
    let mine = site.path().join("mine");
    std::fs::create_dir_all(&mine).expect("mkdir");
    std::fs::write(mine.join("thesis.docx"), "precious").expect("write");
    assert_eq!(
        plansite(&[
            "build",
            "--root",
            root,
            "--out",
            mine.to_str().expect("utf8")
        ])
        .status
        .code(),
        Some(2)
    );
    assert_eq!(
        std::fs::read_to_string(mine.join("thesis.docx")).expect("kept"),
        "precious"
    );
}

#[test]
fn hostile_markdown_is_neutralised_in_pages() {
    let site = site_copy();
    std::fs::create_dir_all(site.path().join("content/pages")).expect("mkdir");
    std::fs::write(
        site.path().join("content/pages/notes.en.md"),
        "# Notes\n\n<script>alert('x')</script>\n\n<a href=\"javascript:alert(1)\" onclick=\"alert(2)\">click</a>\n\n<img src=x onerror=alert(3)>\n",
    )
    .expect("write");
    std::fs::write(
        site.path().join("content/pages/notes.zh.md"),
        "# 说明\n\n正文。\n",
    )
    .expect("write");
    assert!(
        plansite(&["build", "--root", site.path().to_str().expect("utf8")])
            .status
            .success()
    );
    let page = std::fs::read_to_string(site.path().join("public/en/notes/index.html"))
        .expect("page")
        .to_lowercase();
    assert!(page.contains("click"));
    for bad in ["<script>alert", "javascript:", "onclick", "onerror"] {
        assert!(!page.contains(bad), "{bad} survived");
    }
}

#[test]
fn english_pages_keep_chinese_inside_lang_marked_elements() {
    let site = site_copy();
    assert!(
        plansite(&["build", "--root", site.path().to_str().expect("utf8")])
            .status
            .success()
    );
    let out = site.path().join("public/en");
    let pages: Vec<String> = read_tree(&out)
        .into_keys()
        .filter(|p| p.ends_with(".html"))
        .collect();
    assert!(pages.len() > 30);
    for page in pages {
        let html = std::fs::read_to_string(out.join(&page)).expect("page");
        let body = &html[html.find("<body>").expect("body")..];
        let stray = stray_chinese(body);
        assert!(
            stray.is_empty(),
            "{page}: Chinese outside lang=\"zh-Hans\": {:?}",
            &stray[..stray.len().min(3)]
        );
    }
}

/// Chinese text runs not inside an element marked `lang="zh-Hans"` (a simple tag walker).
fn stray_chinese(html: &str) -> Vec<String> {
    let mut stack: Vec<(String, bool)> = Vec::new();
    let mut out = Vec::new();
    let mut rest = html;
    let void = [
        "meta", "link", "br", "img", "input", "hr", "circle", "line", "polyline", "path", "rect",
    ];
    while !rest.is_empty() {
        if let Some(stripped) = rest.strip_prefix('<') {
            let end = stripped.find('>').unwrap_or(stripped.len());
            let tag = &stripped[..end];
            rest = &stripped[(end + 1).min(stripped.len())..];
            if let Some(name) = tag.strip_prefix('/') {
                let name = name.trim();
                while let Some((open, _)) = stack.pop() {
                    if open == name {
                        break;
                    }
                }
            } else if !tag.starts_with('!') {
                let name = tag
                    .split([' ', '\n'])
                    .next()
                    .unwrap_or("")
                    .trim_end_matches('/')
                    .to_string();
                let zh = tag.contains("lang=\"zh-Hans\"") || stack.last().is_some_and(|s| s.1);
                let zh = zh && !tag.contains("lang=\"en\"");
                if !void.contains(&name.as_str()) && !tag.ends_with('/') {
                    stack.push((name, zh));
                }
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let text = &rest[..end];
            rest = &rest[end..];
            let in_zh = stack.last().is_some_and(|s| s.1);
            let in_script = stack.iter().any(|s| s.0 == "script" || s.0 == "style");
            if !in_zh && !in_script && text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
            {
                out.push(text.trim().chars().take(40).collect());
            }
        }
    }
    out
}

#[test]
fn a_direction_override_with_its_reason_is_shown() {
    let site = site_copy();
    let path = site.path().join("content/indicators.yaml");
    let text = std::fs::read_to_string(&path).expect("read").replace(
        "    row: 义务教育学区化办学比例\n",
        "    row: 义务教育学区化办学比例\n    direction: {value: increase, reason: {zh: 测试原因, en: a test reason}}\n",
    );
    std::fs::write(&path, text).expect("write");
    let o = plansite(&["build", "--root", site.path().to_str().expect("utf8")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = std::fs::read_to_string(
        site.path()
            .join("public/en/indicators/school-district-share/index.html"),
    )
    .expect("page");
    assert!(
        page.contains("Direction set by hand: a test reason"),
        "override not shown"
    );
    let about = std::fs::read_to_string(site.path().join("public/en/methodology/index.html"))
        .expect("methodology");
    assert!(about.contains("a test reason"));
    // Without a reason it is an error.
    let text = std::fs::read_to_string(&path)
        .expect("read")
        .replace("reason: {zh: 测试原因, en: a test reason}", "reason: {}");
    std::fs::write(&path, text).expect("write");
    assert_eq!(
        plansite(&["check", "--root", site.path().to_str().expect("utf8")])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn a_misspelt_field_in_a_template_is_an_error_in_build_and_check() {
    // Under minijinja's strict undefined behaviour a field the site lacks is an
    // error naming the template, not an empty string on every page.
    let edit = [(
        "templates/about.html",
        "{% extends \"base.html\" %}{% block content %}{{ site.plan_titel.zh }}{% endblock %}",
    )];
    let (o, untouched) = rebuild_after(&edit);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("about.html") && err.contains("undefined"),
        "{err}"
    );
    assert!(untouched);

    let site = site_copy();
    for (file, text) in edit {
        std::fs::create_dir_all(site.path().join(file).parent().expect("parent")).expect("mkdir");
        std::fs::write(site.path().join(file), text).expect("write");
    }
    let root = site.path().to_str().expect("utf-8");
    let o = plansite(&["check", "--root", root]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("error[template]") && out.contains("about.html"),
        "{out}"
    );
    // The shipped site checks clean, its pages rendered too.
    let o = plansite(&["check", "--root", repo().to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn default_language_orders_the_front_page_and_languages_must_be_both() {
    let site = site_copy();
    let root = site.path().to_str().expect("utf-8");
    let toml = site.path().join("plansite.toml");
    let text = std::fs::read_to_string(&toml).expect("toml");
    std::fs::write(
        &toml,
        text.replace("default_language = \"zh\"", "default_language = \"en\""),
    )
    .expect("write");
    let o = plansite(&["build", "--root", root]);
    assert!(o.status.success(), "{}", stderr(&o));
    let front = std::fs::read_to_string(site.path().join("public/index.html")).expect("index");
    assert!(front.contains("<html lang=\"en\">"), "{front}");
    let (en, zh) = (
        front.find("id=\"h-en\"").expect("en"),
        front.find("id=\"h-zh\"").expect("zh"),
    );
    assert!(en < zh, "English first");
    assert!(front.contains("hreflang=\"x-default\""));

    std::fs::write(
        &toml,
        text.replace("languages = [\"zh\", \"en\"]", "languages = [\"zh\"]"),
    )
    .expect("write");
    let o = plansite(&["check", "--root", root]);
    assert!(!o.status.success(), "{}", stdout(&o));
    let err = stdout(&o) + &stderr(&o);
    assert!(
        err.contains("plansite.toml") && err.contains("`zh` and `en`"),
        "{err}"
    );
}

#[test]
fn robots_txt_and_the_sitemap_are_templates_a_site_overrides() {
    let site = site_copy();
    let root = site.path().to_str().expect("utf-8");
    std::fs::create_dir_all(site.path().join("templates")).expect("mkdir");
    std::fs::write(
        site.path().join("templates/robots.txt"),
        "User-agent: *\nDisallow: /archive/\n{% if sitemap %}Sitemap: {{ sitemap }}\n{% endif %}",
    )
    .expect("write");
    let o = plansite(&["build", "--root", root]);
    assert!(o.status.success(), "{}", stderr(&o));
    let robots = std::fs::read_to_string(site.path().join("public/robots.txt")).expect("robots");
    assert_eq!(
        robots,
        "User-agent: *\nDisallow: /archive/\nSitemap: https://plansite.example.org/sitemap.xml\n"
    );
}
