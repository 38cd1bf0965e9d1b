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

/// The interface strings of both languages: the same keys.
fn interface_strings() -> (
    std::collections::BTreeMap<String, String>,
    std::collections::BTreeMap<String, String>,
) {
    let read = |lang: &str| -> std::collections::BTreeMap<String, String> {
        let text = std::fs::read_to_string(repo().join(format!("themes/default/i18n/{lang}.yaml")))
            .expect("i18n");
        serde_saphyr::from_str(&text).expect("yaml")
    };
    (read("zh"), read("en"))
}

/// No glossary term is rendered two ways: the plan's English (checked by
/// `check` as it loads) and the interface strings of the default theme.
#[test]
fn glossary_terms_are_rendered_one_way_in_the_interface_too() {
    let text = std::fs::read_to_string(repo().join("content/glossary.yaml")).expect("glossary");
    let mut diags = Vec::new();
    let terms = plansite::content::glossary::load(Some(&text), &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    assert!(terms.len() >= 400, "{} terms", terms.len());
    let (zh, en) = interface_strings();
    assert_eq!(
        zh.keys().collect::<Vec<_>>(),
        en.keys().collect::<Vec<_>>(),
        "the interface strings of zh and en have the same keys"
    );
    let pairs: Vec<(&str, &str)> = zh
        .iter()
        .map(|(k, z)| (z.as_str(), en[k].as_str()))
        .collect();
    let wrong: Vec<String> = plansite::content::glossary::violations(&terms, &pairs)
        .into_iter()
        .map(|(i, t)| format!("{}: {} should be “{}”", pairs[i].1, t.zh, t.en))
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// One variety of English (American, docs/TRANSLATION.md): no British
/// spellings in the plan's English or the interface strings.
#[test]
fn the_english_is_spelt_one_way() {
    const BRITISH: [&str; 14] = [
        "colour",
        "programme",
        "organis",
        "centre",
        "behaviour",
        "labour",
        "favour",
        "honour",
        "neighbour",
        "catalogue",
        "defence",
        "modelling",
        "travelled",
        "utilis",
    ];
    let plan = std::fs::read_to_string(repo().join("content/plan.en.yaml")).expect("plan.en");
    let (_, en) = interface_strings();
    for (what, text) in [
        ("content/plan.en.yaml", plan.to_lowercase()),
        (
            "i18n/en.yaml",
            en.values()
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
                .to_lowercase(),
        ),
    ] {
        for word in BRITISH {
            assert!(
                !text.contains(word),
                "{what} spells `{word}` the British way"
            );
        }
    }
}

/// The English edition goes out to a translator's tool as XLIFF 2.0 and
/// comes back: unchanged when nothing was translated, and with a unit a
/// translator filled in recorded against the current Chinese.
#[test]
fn xliff_export_and_import_round_trip() {
    let site = site_copy();
    let root = site.path().to_str().expect("utf-8");
    let yaml_path = site.path().join("content/plan.en.yaml");
    let original = std::fs::read_to_string(&yaml_path).expect("plan.en.yaml");
    let xlf = site.path().join("plan.xlf");
    let xlf_arg = xlf.to_str().expect("utf-8");
    let o = plansite(&["translate", "export", "--root", root, "-o", xlf_arg]);
    assert!(o.status.success(), "{}", stderr(&o));
    let xml = std::fs::read_to_string(&xlf).expect("xlf");
    assert!(
        xml.contains("version=\"2.0\"") && xml.contains("<gls:glossary>"),
        "{}",
        &xml[..400]
    );
    assert_eq!(xml.matches("<unit ").count(), 115);
    let o = plansite(&["translate", "import", xlf_arg, "--root", root]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("0 updated, 0 added, 115 unchanged"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&yaml_path).expect("read"), original);

    // A unit left untranslated goes out without a target, to do…
    let start = original.find("\"0.p1\":").expect("0.p1");
    let end = original[start..].find("\n\"1\":").expect("next entry") + start + 1;
    std::fs::write(
        &yaml_path,
        format!("{}{}", &original[..start], &original[end..]),
    )
    .expect("write");
    let o = plansite(&["translate", "export", "--root", root, "-o", xlf_arg]);
    assert!(o.status.success(), "{}", stderr(&o));
    let xml = std::fs::read_to_string(&xlf).expect("xlf");
    let unit = &xml[xml.find("<unit id=\"0.p1\">").expect("unit")..];
    let unit = &unit[..unit.find("</unit>").expect("end")];
    assert!(
        unit.contains("state=\"initial\"") && !unit.contains("<target>"),
        "{unit}"
    );
    // …and comes back translated, recorded against the current Chinese.
    let translated = unit.replace(
        "</source>",
        "</source>\n<target>In order to implement the plan, this plan is formulated.</target>",
    );
    std::fs::write(&xlf, xml.replace(unit, &translated)).expect("write");
    let o = plansite(&["translate", "import", xlf_arg, "--root", root]);
    assert!(stderr(&o).contains("0 updated, 1 added"), "{}", stderr(&o));
    let yaml = std::fs::read_to_string(&yaml_path).expect("read");
    let pos_entry = yaml.find("\"0.p1\":").expect("added");
    assert!(
        yaml[pos_entry..]
            .starts_with("\"0.p1\":\n  zh_hash: \"caafdbf9b892\"\n  en: \"In order to implement"),
        "{}",
        &yaml[pos_entry..pos_entry + 120]
    );
    assert!(
        pos_entry < yaml.find("\"1\":").expect("1"),
        "in the plan's order"
    );
    let o = plansite(&["check", "--root", root]);
    assert!(
        !stdout(&o).contains("translation-missing"),
        "{}",
        stdout(&o)
    );
    // Not an XLIFF file: an error, and nothing written.
    std::fs::write(&xlf, "<html></html>").expect("write");
    let o = plansite(&["translate", "import", xlf_arg, "--root", root]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&yaml_path).expect("read"), yaml);
}
