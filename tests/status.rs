//! Statuses the reader can trust: every shipped indicator's status for every
//! year pinned to values worked out independently (each with its numbers), a
//! recomputation of every status in the open data by the published method
//! written here apart from `src/status.rs`, and the edge cases a real plan
//! brings: a target in words, a target nobody can read.

mod common;

use common::*;

/// (indicator, year, status) for the shipped illustrative data. Worked out
/// with the published method (CAGR of the value itself, R = d·CAGR/|CAGR_T|,
/// thresholds 0.95 and 0.6), the numbers beside each.
const PINNED: &[(&str, i32, &str)] = &[
    // preschool-gross-enrollment
    ("preschool-gross-enrollment", 2021, "on_track"), // CAGR 1.647% needed 1.150% R 1.4326
    ("preschool-gross-enrollment", 2022, "on_track"), // CAGR 1.634% needed 1.150% R 1.4210
    ("preschool-gross-enrollment", 2023, "on_track"), // CAGR 1.583% needed 1.150% R 1.3766
    ("preschool-gross-enrollment", 2024, "achieved"), // 90.3 meets 90.0
    ("preschool-gross-enrollment", 2025, "achieved"), // 91.2 meets 90.0
    // compulsory-retention
    ("compulsory-retention", 2021, "achieved"), // 99.3 meets 99.0
    ("compulsory-retention", 2022, "achieved"), // 99.4 meets 99.0
    ("compulsory-retention", 2023, "achieved"), // 99.2 meets 99.0
    ("compulsory-retention", 2024, "achieved"), // 99.5 meets 99.0
    ("compulsory-retention", 2025, "achieved"), // 99.6 meets 99.0
    // high-school-gross-enrollment
    ("high-school-gross-enrollment", 2021, "achieved"), // 98.4 meets 98.0
    ("high-school-gross-enrollment", 2022, "achieved"), // 98.6 meets 98.0
    ("high-school-gross-enrollment", 2023, "achieved"), // 98.5 meets 98.0
    ("high-school-gross-enrollment", 2024, "achieved"), // 98.8 meets 98.0
    ("high-school-gross-enrollment", 2025, "achieved"), // 99.0 meets 98.0
    // public-kindergarten-share
    ("public-kindergarten-share", 2021, "achieved"), // 63.1 meets 60.0
    ("public-kindergarten-share", 2022, "achieved"), // 61.4 meets 60.0
    ("public-kindergarten-share", 2023, "deteriorating"), // CAGR -2.565% needed -1.282% R -2.0002
    ("public-kindergarten-share", 2024, "achieved"), // 60.8 meets 60.0
    ("public-kindergarten-share", 2025, "achieved"), // 61.5 meets 60.0
    // inclusive-preschool-coverage
    ("inclusive-preschool-coverage", 2021, "achieved"), // 86.2 meets 80.0
    ("inclusive-preschool-coverage", 2022, "achieved"), // 87.0 meets 80.0
    ("inclusive-preschool-coverage", 2023, "achieved"), // 87.5 meets 80.0
    ("inclusive-preschool-coverage", 2024, "achieved"), // 88.4 meets 80.0
    ("inclusive-preschool-coverage", 2025, "achieved"), // 89.1 meets 80.0
    // school-district-share
    ("school-district-share", 2021, "achieved"), // 100.0 meets 100.0
    ("school-district-share", 2022, "achieved"), // 100.0 meets 100.0
    ("school-district-share", 2023, "achieved"), // 100.0 meets 100.0
    ("school-district-share", 2024, "achieved"), // 100.0 meets 100.0
    ("school-district-share", 2025, "achieved"), // 100.0 meets 100.0
    // oversized-class-share
    ("oversized-class-share", 2021, "achieved"), // 0.0 meets 0.0
    ("oversized-class-share", 2022, "deteriorating"), // CAGR_T = 0
    ("oversized-class-share", 2023, "achieved"), // 0.0 meets 0.0
    ("oversized-class-share", 2024, "achieved"), // 0.0 meets 0.0
    ("oversized-class-share", 2025, "achieved"), // 0.0 meets 0.0
    // fitness-good-rate
    ("fitness-good-rate", 2021, "no_data"),
    ("fitness-good-rate", 2022, "limited"), // CAGR 8.617% needed 22.945% R 0.3756
    ("fitness-good-rate", 2023, "limited"), // CAGR 9.547% needed 22.945% R 0.4161
    ("fitness-good-rate", 2024, "limited"), // CAGR 8.972% needed 22.945% R 0.3910
    ("fitness-good-rate", 2025, "limited"), // CAGR 8.690% needed 22.945% R 0.3787
    // myopia-rate
    ("myopia-rate", 2021, "deteriorating"), // CAGR 1.203% needed -1.780% R -0.6755
    ("myopia-rate", 2022, "deteriorating"), // CAGR 1.196% needed -1.780% R -0.6715
    ("myopia-rate", 2023, "deteriorating"), // CAGR 0.513% needed -1.780% R -0.2880
    ("myopia-rate", 2024, "deteriorating"), // CAGR 0.043% needed -1.780% R -0.0241
    ("myopia-rate", 2025, "limited"),       // CAGR -0.207% needed -1.780% R 0.1163
    // wireless-coverage
    ("wireless-coverage", 2021, "on_track"), // CAGR 23.299% needed 11.205% R 2.0794
    ("wireless-coverage", 2022, "on_track"), // CAGR 20.937% needed 11.205% R 1.8686
    ("wireless-coverage", 2023, "on_track"), // CAGR 17.464% needed 11.205% R 1.5586
    ("wireless-coverage", 2024, "achieved"), // 100.0 meets 100.0
    ("wireless-coverage", 2025, "achieved"), // 100.0 meets 100.0
    // dual-qualified-secondary-vocational
    ("dual-qualified-secondary-vocational", 2021, "on_track"), // CAGR 3.333% needed 3.131% R 1.0646
    (
        "dual-qualified-secondary-vocational",
        2022,
        "acceleration_needed",
    ), // CAGR 2.875% needed 3.131% R 0.9183
    ("dual-qualified-secondary-vocational", 2023, "on_track"), // CAGR 3.124% needed 3.131% R 0.9976
    ("dual-qualified-secondary-vocational", 2024, "on_track"), // CAGR 3.141% needed 3.131% R 1.0031
    ("dual-qualified-secondary-vocational", 2025, "achieved"), // 70.4 meets 70.0
    // dual-qualified-higher-vocational
    (
        "dual-qualified-higher-vocational",
        2021,
        "acceleration_needed",
    ), // CAGR 2.933% needed 3.714% R 0.7899
    (
        "dual-qualified-higher-vocational",
        2022,
        "acceleration_needed",
    ), // CAGR 2.933% needed 3.714% R 0.7899
    (
        "dual-qualified-higher-vocational",
        2023,
        "acceleration_needed",
    ), // CAGR 3.270% needed 3.714% R 0.8804
    (
        "dual-qualified-higher-vocational",
        2024,
        "acceleration_needed",
    ), // CAGR 3.511% needed 3.714% R 0.9453
    ("dual-qualified-higher-vocational", 2025, "on_track"), // CAGR 3.552% needed 3.714% R 0.9564
    // fitness-standard-pass-rate
    ("fitness-standard-pass-rate", 2021, "no_data"),
    ("fitness-standard-pass-rate", 2022, "no_data"),
    ("fitness-standard-pass-rate", 2023, "on_track"), // CAGR 1.425% needed 1.370% R 1.0404
    ("fitness-standard-pass-rate", 2024, "on_track"), // CAGR 1.307% needed 1.370% R 0.9542
    ("fitness-standard-pass-rate", 2025, "achieved"), // 95.2 meets 95.0
    // municipal-key-teachers
    ("municipal-key-teachers", 2021, "no_data"),
    ("municipal-key-teachers", 2022, "on_track"), // CAGR 47.368% needed 27.366% R 1.7309
    ("municipal-key-teachers", 2023, "on_track"), // CAGR 36.690% needed 27.366% R 1.3407
    ("municipal-key-teachers", 2024, "on_track"), // CAGR 32.302% needed 27.366% R 1.1804
    ("municipal-key-teachers", 2025, "achieved"), // 104.0 meets 100.0
    // district-key-teachers
    ("district-key-teachers", 2021, "no_data"),
    ("district-key-teachers", 2022, "no_data"),
    ("district-key-teachers", 2023, "on_track"), // CAGR 21.732% needed 17.783% R 1.2221
    ("district-key-teachers", 2024, "on_track"), // CAGR 20.795% needed 17.783% R 1.1694
    ("district-key-teachers", 2025, "achieved"), // 1026.0 meets 1000.0
    // school-key-teacher-share
    ("school-key-teacher-share", 2021, "no_data"),
    ("school-key-teacher-share", 2022, "on_track"), // CAGR 14.557% needed 12.156% R 1.1976
    ("school-key-teacher-share", 2023, "on_track"), // CAGR 13.628% needed 12.156% R 1.1212
    ("school-key-teacher-share", 2024, "on_track"), // CAGR 12.672% needed 12.156% R 1.0425
    ("school-key-teacher-share", 2025, "on_track"), // CAGR 11.818% needed 12.156% R 0.9722
];

#[test]
fn every_shipped_status_is_the_one_worked_out_by_hand() {
    let Ok(input) = plansite::content::load(&repo()) else {
        panic!("the default site loads")
    };
    let theme = plansite::render::Theme::with_overrides(&input.theme_files).expect("theme");
    let site = plansite::pipeline::model(&input, &theme, None);
    let mut seen = 0;
    for ind in &site.indicators {
        for v in ind
            .values
            .iter()
            .filter(|v| v.reporting != plansite::model::indicator::Reporting::NotDue)
        {
            let expected = PINNED
                .iter()
                .find(|(id, year, _)| *id == ind.id && *year == v.year)
                .unwrap_or_else(|| panic!("{} {} is not pinned", ind.id, v.year));
            assert_eq!(v.status.key(), expected.2, "{} {}", ind.id, v.year);
            seen += 1;
        }
    }
    assert_eq!(seen, PINNED.len());
}

/// The published method, written again from its text for this test: the open
/// data must agree with it everywhere.
fn published_status(ind: &serde_json::Value, year: i64) -> &'static str {
    let mut values: Vec<(i64, f64)> = ind["values"]
        .as_array()
        .expect("values")
        .iter()
        .filter_map(|v| Some((v["year"].as_i64()?, v["value"].as_f64()?)))
        .filter(|v| v.0 <= year)
        .collect();
    values.sort_by_key(|v| v.0);
    let baseline = ind["baseline"]["value"]
        .as_f64()
        .and_then(|v| Some((ind["baseline"]["year"].as_i64()?, v)));
    let (base, later): ((i64, f64), Vec<(i64, f64)>) = match (baseline, values.first()) {
        (Some(b), _) => (b, values.iter().copied().filter(|v| v.0 > b.0).collect()),
        (None, Some(&first)) => (first, values[1..].to_vec()),
        (None, None) => return "no_data",
    };
    let Some(&(ti, yi)) = later.last() else {
        return "no_data";
    };
    let d = match ind["direction"].as_str() {
        Some("increase") => 1.0,
        Some("decrease") => -1.0,
        _ => return "not_assessable",
    };
    let (t0, y0) = base;
    let y0 = if y0 == 0.0 { 0.001 } else { y0 };
    let cagr = (yi / y0).powf(1.0 / (ti - t0) as f64) - 1.0;
    let class = |m: f64, hi: f64, med: f64| {
        if m >= hi {
            "on_track"
        } else if m >= med {
            "acceleration_needed"
        } else if m >= 0.0 {
            "limited"
        } else {
            "deteriorating"
        }
    };
    let target = &ind["target"];
    match target["value"]
        .as_f64()
        .filter(|_| target["op"] != "qualitative")
    {
        Some(yt) => {
            if (d > 0.0 && yi >= yt) || (d < 0.0 && yi <= yt) {
                return "achieved";
            }
            let yt = if yt == 0.0 { 0.001 } else { yt };
            let tt = target["year"].as_i64().expect("target year");
            let needed = (yt / y0).powf(1.0 / (tt - t0) as f64) - 1.0;
            if needed == 0.0 {
                return "deteriorating";
            }
            class(d * cagr / needed.abs(), 0.95, 0.6)
        }
        None => class(d * cagr, 0.015, 0.005),
    }
}

fn build_data(site: &tempfile::TempDir) -> serde_json::Value {
    let o = plansite(&["build", "--root", site.path().to_str().expect("utf8")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text =
        std::fs::read_to_string(site.path().join("public/data/indicators.json")).expect("json");
    serde_json::from_str(&text).expect("valid JSON")
}

fn assert_open_data_agrees(data: &serde_json::Value) {
    for ind in data["indicators"].as_array().expect("indicators") {
        for (year, status) in ind["status"].as_object().expect("status") {
            let year: i64 = year.parse().expect("year");
            assert_eq!(
                status.as_str(),
                Some(published_status(ind, year)),
                "{} {year}",
                ind["id"]
            );
        }
    }
}

#[test]
fn the_open_data_agrees_with_the_published_method() {
    assert_open_data_agrees(&build_data(&site_copy()));
}

/// Replaces the target cell of the myopia row in the seed's table.
fn with_myopia_target(site: &tempfile::TempDir, target: &str) {
    let seed = site.path().join("seeds/hebei-education-14th-fyp.txt");
    let text = std::fs::read_to_string(&seed).expect("seed");
    let row = "\t儿童青少年总体近视率（%）\t58.2\t53.2\t预期性";
    assert!(text.contains(row), "the myopia row");
    std::fs::write(
        &seed,
        text.replace(
            row,
            &format!("\t儿童青少年总体近视率（%）\t58.2\t{target}\t预期性"),
        ),
    )
    .expect("write");
}

#[test]
fn a_target_in_words_is_kept_verbatim_and_assessed_without_a_number() {
    let site = site_copy();
    with_myopia_target(&site, "持续下降");
    let data = build_data(&site);
    let myopia = data["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .find(|i| i["id"] == "myopia-rate")
        .expect("myopia")
        .clone();
    assert_eq!(myopia["target"]["op"], "qualitative");
    assert_eq!(myopia["target"]["raw"], "持续下降");
    assert!(myopia["target"]["value"].is_null(), "never 0");
    assert_eq!(myopia["direction"], "decrease");
    assert_eq!(myopia["assessment"]["path"], "no_target");
    assert_open_data_agrees(&data);
    let en = std::fs::read_to_string(
        site.path()
            .join("public/en/indicators/myopia-rate/index.html"),
    )
    .expect("page");
    let zh = std::fs::read_to_string(
        site.path()
            .join("public/zh/indicators/myopia-rate/index.html"),
    )
    .expect("page");
    assert!(en.contains("continued decline"), "the English of the words");
    assert!(zh.contains("持续下降"));
    assert!(
        en.contains("in words"),
        "the page says the target is in words"
    );
}

#[test]
fn a_target_nobody_can_read_is_not_assessable_never_zero() {
    for target in ["见附件", "明显改善"] {
        let site = site_copy();
        with_myopia_target(&site, target);
        let data = build_data(&site);
        let myopia = data["indicators"]
            .as_array()
            .expect("indicators")
            .iter()
            .find(|i| i["id"] == "myopia-rate")
            .expect("myopia")
            .clone();
        assert!(myopia["target"]["value"].is_null(), "{target}: never 0");
        for (year, status) in myopia["status"].as_object().expect("status") {
            assert_eq!(status, "not_assessable", "{target} {year}");
        }
        let page = std::fs::read_to_string(
            site.path()
                .join("public/en/indicators/myopia-rate/index.html"),
        )
        .expect("page");
        assert!(page.contains("Not assessable"), "{target}");
    }
}

#[test]
fn a_changed_chinese_paragraph_publishes_its_old_english_marked_stale() {
    let site = site_copy();
    let root = site.path().to_str().expect("utf8");
    let seed = site.path().join("seeds/hebei-education-14th-fyp.txt");
    let text = std::fs::read_to_string(&seed).expect("seed");
    // 1.p1, the first paragraph of part 1: one word changed.
    let edited = text.replacen("坚持优先发展教育", "始终坚持优先发展教育", 1);
    assert_ne!(edited, text);
    std::fs::write(&seed, edited).expect("write");
    // A unit without English at all.
    let tr = site.path().join("content/plan.en.yaml");
    let yaml = std::fs::read_to_string(&tr).expect("translation");
    let start = yaml.find("\"1.1.2.p1\":").expect("entry");
    let end = start + yaml[start..].find("\n\"").expect("next entry") + 1;
    std::fs::write(&tr, format!("{}{}", &yaml[..start], &yaml[end..])).expect("write");

    let o = plansite(&["build", "--root", root]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("1 unit(s) stale, 1 missing"),
        "{}",
        stderr(&o)
    );
    let page =
        std::fs::read_to_string(site.path().join("public/en/plan/index.html")).expect("page");
    let stale = page.find("id=\"p-1.p1\"").expect("paragraph");
    let element: String = page[stale..].chars().take(600).collect();
    assert!(element.contains("data-translation=\"stale\""), "{element}");
    assert!(
        element.contains("changed after it was translated"),
        "{element}"
    );
    assert!(
        element.contains("zh/plan/#p-1.p1"),
        "links the Chinese: {element}"
    );
    let missing = page.find("id=\"p-1.1.2.p1\"").expect("paragraph");
    let element: String = page[missing..].chars().take(600).collect();
    assert!(
        element.contains("data-translation=\"missing\""),
        "{element}"
    );
    assert!(
        element.contains("lang=\"zh-Hans\""),
        "the Chinese is shown: {element}"
    );
    let o = plansite(&["build", "--root", root, "--strict"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("translation-stale"), "{}", stderr(&o));
}
