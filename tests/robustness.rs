//! Hostile input: the progress loader and the Markdown sanitiser never panic,
//! and nothing from content reaches a page as script.

mod common;

use plansite::content::progress::{self, Known};
use plansite::render::markdown::to_safe_html;
use proptest::prelude::*;

const SAMPLE: &str = include_str!("../content/progress/2023.yaml");

fn known_site() -> plansite::content::SiteInput {
    let Ok(input) = plansite::content::load(&common::repo()) else {
        panic!("the default site loads")
    };
    input
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, .. ProptestConfig::default() })]

    #[test]
    fn mutated_progress_files_never_panic(cut in 0usize..20_000, at in 0usize..20_000, junk in "\\PC{0,40}", kind in 0u8..5) {
        thread_local!(static SITE: plansite::content::SiteInput = known_site());
        let mut text = SAMPLE.to_string();
        let clamp = |i: usize, s: &str| { let mut i = i.min(s.len()); while !s.is_char_boundary(i) { i -= 1; } i };
        match kind {
            0 => { let c = clamp(cut, &text); text.truncate(c); }
            1 => { let a = clamp(at, &text); text.insert_str(a, &junk); }
            2 => { let a = clamp(at, &text); text.insert_str(a, "\n  - &a [*a, *a]\n"); }
            3 => { let a = clamp(at, &text); text.insert_str(a, &"  [".repeat(200)); }
            _ => { text = text.replace("  ", "\t"); }
        }
        SITE.with(|site| {
            let known = Known { indicators: &site.registry.indicators, areas: &site.areas, dimensions: &site.registry.dimensions, period: (2021, 2025) };
            let mut diags = Vec::new();
            let _ = progress::load("content/progress/2023.yaml", 2023, &text, &known, &mut diags);
        });
    }

    #[test]
    fn sanitised_markdown_carries_no_script(prefix in "\\PC{0,60}", evil in prop::sample::select(vec![
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "<a href='JAVASCRIPT:alert(1)'>x</a>",
        "<svg><script>alert(1)</script></svg>",
        "<iframe src=\"//evil.example\"></iframe>",
        "<div onmouseover=\"alert(1)\">x</div>",
        "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "<style>body{display:none}</style>",
        "<object data=\"x.swf\"></object>",
    ]), suffix in "\\PC{0,60}") {
        let html = to_safe_html(&format!("{prefix}{evil}{suffix}")).to_lowercase();
        // Escaped text (`&lt;img onerror=…&gt;`) is harmless; look inside real tags only.
        for tag in html.split('<').skip(1).map(|t| t.split('>').next().unwrap_or("")) {
            let name = tag.split([' ', '/']).next().unwrap_or("");
            prop_assert!(!["script", "iframe", "object", "style", "embed"].contains(&name), "{}", html);
            prop_assert!(!tag.contains("javascript:") && !tag.contains("&#106;"), "{}", html);
            prop_assert!(!tag.split_whitespace().any(|attr| attr.starts_with("on")), "{}", html);
        }
    }
}

#[test]
fn deeply_nested_yaml_and_long_lines_are_refused_or_handled_quickly() {
    let site = common::site_copy();
    let path = site.path().join("content/progress/2023.yaml");
    for text in [
        format!(
            "year: 2023\nas_of: 2023-12-31\ndata_status: final\nsummary: {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
        format!(
            "year: 2023\nas_of: 2023-12-31\ndata_status: final\nsummary: {{zh: \"{}\", en: x}}\n",
            "长".repeat(1 << 20)
        ),
        "year: 2023\0\n".to_string(),
    ] {
        std::fs::write(&path, &text).expect("write");
        let started = std::time::Instant::now();
        let o = common::plansite(&["check", "--root", site.path().to_str().expect("utf8")]);
        assert!(
            started.elapsed().as_secs() < 20,
            "took {:?}",
            started.elapsed()
        );
        assert!(
            matches!(o.status.code(), Some(0..=2)),
            "crashed: {}",
            common::stderr(&o)
        );
    }
}

#[cfg(unix)]
#[test]
fn links_out_of_the_site_are_not_followed() {
    let site = common::site_copy();
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        outside.path().join("2024.yaml"),
        "year: 2024\nas_of: 2024-12-31\ndata_status: final\n",
    )
    .expect("write");
    let link = site.path().join("content/progress/2024.yaml");
    std::fs::remove_file(&link).expect("rm");
    std::os::unix::fs::symlink(outside.path().join("2024.yaml"), &link).expect("symlink");
    let o = common::plansite(&["check", "--root", site.path().to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        common::stdout(&o).contains("outside-root"),
        "{}",
        common::stdout(&o)
    );
}

#[test]
fn site_roots_with_spaces_and_non_ascii_names_build() {
    let site = common::site_copy();
    let odd = site.path().join("我的 站点 (copy)");
    std::fs::create_dir_all(&odd).expect("mkdir");
    for entry in ["plansite.toml", "seeds", "content"] {
        std::fs::rename(site.path().join(entry), odd.join(entry)).expect("move");
    }
    let out = odd.join("公开 输出");
    let o = common::plansite(&[
        "build",
        "--root",
        odd.to_str().expect("utf8"),
        "--out",
        out.to_str().expect("utf8"),
    ]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(out.join("zh/index.html").exists());
}

#[test]
fn oversized_files_are_refused_with_a_clear_error() {
    let site = common::site_copy();
    let path = site.path().join("content/progress/2023.yaml");
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(plansite::input::MAX_FILE_BYTES + 1)
        .expect("sparse file");
    let o = common::plansite(&["check", "--root", site.path().to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        common::stdout(&o).contains("file-too-large"),
        "{}",
        common::stdout(&o)
    );
}
