//! The English edition: complete, aligned by hash, glossary applied, stale
//! translations reported.

mod common;

use common::*;

#[test]
fn the_english_edition_is_complete_and_current() {
    let Ok(input) = plansite::content::load(&repo()) else {
        panic!("loads")
    };
    let tr = &input.translation;
    assert!(tr.missing.is_empty(), "untranslated: {:?}", tr.missing);
    assert!(tr.stale.is_empty(), "stale: {:?}", tr.stale);
    assert_eq!(tr.paragraphs_translated, tr.paragraphs_total);
    for (id, en) in &tr.en {
        assert!(
            !en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{id} has Chinese in its English"
        );
    }
    let words: usize = tr.en.values().map(|t| t.split_whitespace().count()).sum();
    assert!(words >= 10_000, "the English plan has {words} words");
    assert!(
        !input
            .diagnostics
            .iter()
            .any(|d| d.code == plansite::diag::Code::Glossary),
        "glossary not applied: {:?}",
        input
            .diagnostics
            .iter()
            .filter(|d| d.code == plansite::diag::Code::Glossary)
            .collect::<Vec<_>>()
    );
}

#[test]
fn editing_a_chinese_paragraph_makes_its_translation_stale() {
    let site = site_copy();
    let seed = site.path().join("seeds/hebei-education-14th-fyp.txt");
    let text = std::fs::read_to_string(&seed).expect("seed");
    assert!(text.contains("8所幼儿园被认定为市示范园"));
    std::fs::write(
        &seed,
        text.replace("8所幼儿园被认定为市示范园", "9所幼儿园被认定为市示范园"),
    )
    .expect("write");
    let root = site.path().to_str().expect("utf8");
    let o = plansite(&["check", "--root", root]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.contains("warning[translation-stale]") && out.contains("`1.1.2.p1`"),
        "{out}"
    );
    assert!(
        out.contains("English: ") && out.contains("1 stale"),
        "{out}"
    );
    let strict = plansite(&["check", "--root", root, "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn attributes_read_anticipatory_or_binding_in_english() {
    let site = site_copy();
    assert!(
        plansite(&["build", "--root", site.path().to_str().expect("utf8")])
            .status
            .success()
    );
    let page = std::fs::read_to_string(
        site.path()
            .join("public/en/indicators/compulsory-retention/index.html"),
    )
    .expect("page");
    assert!(
        page.contains("<dd>binding</dd>"),
        "compulsory retention is binding"
    );
    let page = std::fs::read_to_string(
        site.path()
            .join("public/en/indicators/myopia-rate/index.html"),
    )
    .expect("page");
    assert!(page.contains("<dd>anticipatory</dd>"));
    let plan =
        std::fs::read_to_string(site.path().join("public/en/plan/index.html")).expect("plan");
    assert!(plan.contains("gross enrollment rate") && plan.contains("dual-qualified"));
}
