//! Real-browser tests: builds the default site and runs tests/browser/run.mjs
//! (playwright-core + Debian's Chromium + axe-core). Skipped, visibly, where
//! Node, Chromium or the npm packages are missing; CI (.ci/run) installs them.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

fn missing_tools() -> Option<String> {
    let browser = repo().join("tests/browser");
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node is not installed".into());
    }
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        return Some(format!(
            "{chromium} is missing (apt-get install -y chromium)"
        ));
    }
    if !browser.join("node_modules/playwright-core").is_dir()
        || !browser.join("node_modules/axe-core").is_dir()
    {
        return Some("npm packages missing (cd tests/browser && npm ci)".into());
    }
    None
}

/// Whether to go on: a missing tool skips the test visibly, except under
/// CI=true, where `.ci/run` installs every tool and a skip is a failure.
fn tools_present() -> bool {
    let Some(why) = missing_tools() else {
        return true;
    };
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "browser tests cannot run under CI=true: {why}"
    );
    eprintln!("skipped: browser tests: {why}");
    println!("skipped: browser tests: {why}");
    false
}

#[test]
fn pages_pass_axe_keyboard_and_search_in_chromium() {
    if !tools_present() {
        return;
    }
    let site = site_copy();
    let o = plansite(&["build", "--root", site.path().to_str().expect("utf8")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let artifacts = repo().join("tests/browser/artifacts");
    node(
        "run.mjs",
        &site.path().join("public"),
        &artifacts,
        "browser tests",
    );
}

#[test]
fn breakdowns_and_the_status_filter_work_from_disk() {
    if !tools_present() {
        return;
    }
    let site = site_copy();
    let o = plansite(&[
        "build",
        "--portable",
        "--root",
        site.path().to_str().expect("utf8"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    node(
        "indicators.mjs",
        &site.path().join("public"),
        &repo().join("tests/browser/artifacts"),
        "indicator browser tests",
    );
}

/// Runs a script of tests/browser with its two arguments; fails with its output.
fn node(script: &str, input: &Path, artifacts: &Path, what: &str) {
    let run = Command::new("node")
        .arg(repo().join("tests/browser").join(script))
        .arg(input)
        .arg(artifacts)
        .output()
        .expect("node runs");
    let out = String::from_utf8_lossy(&run.stdout);
    println!("{out}");
    assert!(
        run.status.success(),
        "{what} failed:\n{out}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn the_packet_prints_on_a4_and_letter_without_clipping() {
    if !tools_present() {
        return;
    }
    let site = site_copy();
    let artifacts = repo().join("tests/browser/artifacts");
    for (lang, year) in [("both", "2025"), ("zh", "2024"), ("en", "2023")] {
        let packet = site.path().join(format!("packet-{lang}.html"));
        let o = plansite(&[
            "packet",
            "--root",
            site.path().to_str().expect("utf8"),
            "--year",
            year,
            "--lang",
            lang,
            "-o",
            packet.to_str().expect("utf8"),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let printed = artifacts.join(format!("packet-{lang}"));
        node(
            "print.mjs",
            &packet,
            &printed,
            &format!("printing the {lang} packet"),
        );
        page_numbers_are_n_of_total(&printed.join("packet-A4.pdf"));
    }
}

/// The printed packet's pages say "n / N", read back with poppler's pdftotext.
fn page_numbers_are_n_of_total(pdf: &Path) {
    let Ok(text) = Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
    else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "pdftotext is missing under CI=true (.ci/run installs poppler-utils)"
        );
        eprintln!(
            "skipped: page numbers of {}: pdftotext is missing (apt-get install -y poppler-utils)",
            pdf.display()
        );
        return;
    };
    let text = String::from_utf8_lossy(&text.stdout);
    let pages = text.matches('\u{c}').count().max(1);
    for n in [1, pages] {
        let mark = format!("{n} / {pages}");
        assert!(text.contains(&mark), "{}: no \"{mark}\"", pdf.display());
    }
}
