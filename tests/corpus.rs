//! The fixture corpus (tests/fixtures/plans/*/expected.yaml): plans of the
//! genre as offices publish them (text, web page, Word document), each run
//! through `plansite plan --json` and compared with its expected outline,
//! paragraphs and indicator rows; texts that are not plans must be refused.
//!
//! Where the reader does not yet get a fixture right, the fixture is listed
//! in `KNOWN_GAPS` with what is wrong, and the test checks that it is still
//! wrong: a fix shows up as a failure asking to take it off the list, so the
//! list is always the truth.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use serde_json::Value;

/// Fixtures the readers do not yet get right, and why (docs: tests/fixtures/plans/README.md).
const KNOWN_GAPS: &[(&str, &str)] = &[];

/// What is wrong with the parse of one fixture (empty: nothing).
fn mismatches(dir: &Path) -> Vec<String> {
    let expected: Value = serde_saphyr::from_str(
        &std::fs::read_to_string(dir.join("expected.yaml")).expect("expected.yaml"),
    )
    .expect("expected.yaml parses");
    let source = dir.join(expected["source"].as_str().expect("source"));
    let o = plansite(&["plan", "--json", source.to_str().expect("utf-8")]);
    let mut out = Vec::new();
    if expected["error"].as_str() == Some("not-a-plan") {
        if o.status.success() || !stderr(&o).contains("not-a-plan") {
            out.push(format!(
                "accepted as a plan (exit {:?}): {}",
                o.status.code(),
                stderr(&o).lines().next().unwrap_or("")
            ));
        }
        return out;
    }
    if !o.status.success() {
        out.push(format!("refused: {}", stderr(&o)));
        return out;
    }
    let plan: Value = serde_json::from_str(&stdout(&o)).expect("plan JSON");
    let title = plan["title"].as_str().unwrap_or("");
    if title != expected["title"].as_str().unwrap_or("") {
        out.push(format!("title `{title}`"));
    }
    // The outline and the paragraphs, in document order.
    let mut outline = Vec::new();
    let mut paragraphs = Vec::new();
    for p in plan["preamble"].as_array().into_iter().flatten() {
        paragraphs.push(p.clone());
    }
    fn walk(node: &Value, outline: &mut Vec<(String, String)>, paragraphs: &mut Vec<Value>) {
        outline.push((
            node["id"].as_str().unwrap_or("").to_string(),
            node["title"].as_str().unwrap_or("").to_string(),
        ));
        for p in node["paragraphs"].as_array().into_iter().flatten() {
            paragraphs.push(p.clone());
        }
        for key in ["sections", "items"] {
            for child in node[key].as_array().into_iter().flatten() {
                walk(child, outline, paragraphs);
            }
        }
    }
    for part in plan["parts"].as_array().into_iter().flatten() {
        walk(part, &mut outline, &mut paragraphs);
    }
    let want: Vec<(String, String)> = expected["outline"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| {
            (
                n["id"].as_str().unwrap_or("").to_string(),
                n["title"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    if outline != want {
        let at = outline
            .iter()
            .zip(&want)
            .position(|(a, b)| a != b)
            .unwrap_or(outline.len().min(want.len()));
        out.push(format!(
            "outline: {} nodes, expected {}; first difference at {at}: {:?} vs {:?}",
            outline.len(),
            want.len(),
            outline.get(at),
            want.get(at)
        ));
    }
    let want_paragraphs = expected["paragraphs"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if paragraphs.len() != want_paragraphs.len() {
        out.push(format!(
            "{} paragraphs, expected {}",
            paragraphs.len(),
            want_paragraphs.len()
        ));
    }
    for (got, want) in paragraphs.iter().zip(&want_paragraphs) {
        let (id, text) = (
            got["id"].as_str().unwrap_or(""),
            got["text"].as_str().unwrap_or(""),
        );
        let starts = want["starts"].as_str().unwrap_or("");
        if id != want["id"].as_str().unwrap_or("") || !text.starts_with(starts) {
            out.push(format!(
                "paragraph {id} `{}…`, expected {} `{starts}…`",
                text.chars().take(12).collect::<String>(),
                want["id"]
            ));
            break;
        }
    }
    // The indicator rows.
    let indicators = plan["indicators"].as_array().cloned().unwrap_or_default();
    let want_rows = expected["indicators"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if indicators.len() != want_rows.len() {
        out.push(format!(
            "{} indicator rows, expected {}",
            indicators.len(),
            want_rows.len()
        ));
    }
    for (got, want) in indicators.iter().zip(&want_rows) {
        let mut wrong = Vec::new();
        for key in ["group", "name", "unit", "attribute"] {
            if got[key] != want[key] {
                wrong.push(format!("{key} {} (expected {})", got[key], want[key]));
            }
        }
        for bound in ["baseline", "target"] {
            for key in ["op", "raw"] {
                if got[bound][key] != want[bound][key] {
                    wrong.push(format!(
                        "{bound}.{key} {} (expected {})",
                        got[bound][key], want[bound][key]
                    ));
                }
            }
            let (a, b) = (got[bound]["value"].as_f64(), want[bound]["value"].as_f64());
            if a.zip(b)
                .map_or(a.is_some() != b.is_some(), |(a, b)| (a - b).abs() > 1e-9)
            {
                wrong.push(format!("{bound}.value {a:?} (expected {b:?})"));
            }
        }
        if !wrong.is_empty() {
            out.push(format!("row {}: {}", want["name"], wrong.join(", ")));
            break;
        }
    }
    // Page chrome is not part of the plan (the warnings may name it).
    let mut text = title.to_string();
    for (_, t) in &outline {
        text.push_str(t);
    }
    for p in &paragraphs {
        text.push_str(p["text"].as_str().unwrap_or(""));
    }
    for chrome in expected["chrome_dropped"].as_array().into_iter().flatten() {
        if let Some(c) = chrome.as_str()
            && text.contains(c)
        {
            out.push(format!("page chrome `{c}` kept"));
        }
    }
    out
}

#[test]
fn every_fixture_plan_reads_as_expected_or_is_a_listed_gap() {
    let root = repo().join("tests/fixtures/plans");
    let mut results = BTreeMap::new();
    for entry in std::fs::read_dir(&root).expect("fixtures") {
        let dir = entry.expect("entry").path();
        if dir.join("expected.yaml").is_file() {
            let name = dir.file_name().expect("name").to_string_lossy().to_string();
            results.insert(name, mismatches(&dir));
        }
    }
    assert!(
        results.len() >= 10,
        "the corpus has {} fixtures",
        results.len()
    );
    let mut failures = Vec::new();
    for (name, problems) in &results {
        let gap = KNOWN_GAPS.iter().find(|(n, _)| n == name);
        println!(
            "{name}: {}",
            if problems.is_empty() {
                "ok".to_string()
            } else {
                problems.join("; ")
            }
        );
        match (gap, problems.is_empty()) {
            (None, false) => failures.push(format!("{name}: {}", problems.join("; "))),
            (Some((_, why)), true) => failures.push(format!(
                "{name} now reads as expected: take it off KNOWN_GAPS (`{why}`)"
            )),
            _ => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The seed as a saved web page and as a Word document (written from the
/// seed by tests/fixtures/plans/make_seed_forms.py) gives the seed's model.
#[test]
fn the_seed_as_a_web_page_and_a_word_file_gives_the_same_plan() {
    let json = |path: &Path| -> Value {
        let o = plansite(&["plan", "--json", path.to_str().expect("utf-8")]);
        assert!(o.status.success(), "{}: {}", path.display(), stderr(&o));
        let mut v: Value = serde_json::from_str(&stdout(&o)).expect("json");
        // Where the text came from, and where each piece sits in the text
        // read, differ by format; the plan does not.
        strip(&mut v);
        v
    };
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                map.remove("source");
                map.remove("lines");
                map.remove("warnings");
                for x in map.values_mut() {
                    strip(x);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let seed = std::fs::read_dir(repo().join("seeds"))
        .expect("seeds")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|x| x == "txt"))
        .expect("the seed");
    let text = json(&seed);
    let fixtures = repo().join("tests/fixtures/plans");
    for form in ["seed-html/plan.html", "seed-docx/plan.docx"] {
        let other = json(&fixtures.join(form));
        assert!(
            other == text,
            "{form} differs from the seed: {}",
            first_difference(&text, &other, "")
        );
    }
}

/// Where two JSON values first differ, as a path and the two values.
fn first_difference(a: &Value, b: &Value, path: &str) -> String {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                if y.get(k) != Some(v) {
                    return first_difference(
                        v,
                        y.get(k).unwrap_or(&Value::Null),
                        &format!("{path}.{k}"),
                    );
                }
            }
            format!("{path}: keys differ")
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                if v != w {
                    return first_difference(v, w, &format!("{path}[{i}]"));
                }
            }
            format!("{path}: {} items vs {}", x.len(), y.len())
        }
        _ => format!("{path}: {a} vs {b}"),
    }
}

/// Every plan of the corpus, in its published form, becomes a site: `init`
/// from the file as published, then `check` and `build`.
#[test]
fn every_fixture_plan_becomes_a_site() {
    let root = repo().join("tests/fixtures/plans");
    let scratch = tempfile::tempdir().expect("tempdir");
    let mut built = 0;
    for entry in std::fs::read_dir(&root).expect("fixtures") {
        let dir = entry.expect("entry").path();
        let Ok(expected) = std::fs::read_to_string(dir.join("expected.yaml")) else {
            continue;
        };
        let expected: Value = serde_saphyr::from_str(&expected).expect("yaml");
        if expected["error"].is_string() {
            continue;
        }
        let name = dir.file_name().expect("name").to_string_lossy().to_string();
        let source = dir.join(expected["source"].as_str().expect("source"));
        let site = scratch.path().join(&name);
        let o = plansite(&[
            "init",
            site.to_str().expect("utf-8"),
            "--seed",
            source.to_str().expect("utf-8"),
        ]);
        assert!(o.status.success(), "{name}: init: {}", stderr(&o));
        let site_root = site.to_str().expect("utf-8");
        let o = plansite(&["check", "--root", site_root]);
        assert_eq!(o.status.code(), Some(0), "{name}: check: {}", stdout(&o));
        let o = plansite(&["build", "--root", site_root]);
        assert!(o.status.success(), "{name}: build: {}", stderr(&o));
        assert!(
            site.join("public/en/indicators/index.html").is_file(),
            "{name}"
        );
        built += 1;
    }
    assert!(built >= 8, "{built} sites built");
}
