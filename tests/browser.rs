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

#[test]
fn pages_pass_axe_keyboard_and_search_in_chromium() {
    if let Some(why) = missing_tools() {
        eprintln!("skipped: browser tests: {why}");
        println!("skipped: browser tests: {why}");
        return;
    }
    let site = site_copy();
    let o = plansite(&["build", "--root", site.path().to_str().expect("utf8")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let artifacts = repo().join("tests/browser/artifacts");
    let run = Command::new("node")
        .arg(repo().join("tests/browser/run.mjs"))
        .arg(site.path().join("public"))
        .arg(&artifacts)
        .output()
        .expect("node runs");
    let out = String::from_utf8_lossy(&run.stdout);
    println!("{out}");
    assert!(
        run.status.success(),
        "browser tests failed:\n{out}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
}
