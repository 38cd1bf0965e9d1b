//! Snapshots an archivist can trust: written once and never rewritten, a
//! revision beside the old one with its reason, provenance, verification that
//! finds any change, correct links inside, and standard packages (WACZ,
//! BagIt) that the archivists' own tools accept.

mod common;

use std::path::Path;
use std::process::Command;

use sha2::{Digest, Sha256};

use common::*;

fn archive(site: &tempfile::TempDir, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["archive", "--root", site.path().to_str().expect("utf8")];
    args.extend_from_slice(extra);
    Command::new(env!("CARGO_BIN_EXE_plansite"))
        .args(&args)
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .env("CI", "true")
        .output()
        .expect("runs")
}

fn edit(site: &tempfile::TempDir, rel: &str, from: &str, to: &str) {
    let path = site.path().join(rel);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{rel} lacks {from}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn a_snapshot_is_written_once_and_revised_only_beside_itself() {
    let site = site_copy();
    let o = archive(&site, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dir = site.path().join("public/archive");
    let first = read_tree(&dir);

    // Unchanged inputs: nothing is written, and it says so.
    let o = archive(&site, &[]);
    assert!(o.status.success());
    assert!(stderr(&o).contains("2023: unchanged"), "{}", stderr(&o));
    assert_eq!(read_tree(&dir), first);

    // A past value changed: reported (file and value), exit 1, nothing written.
    edit(
        &site,
        "content/progress/2023.yaml",
        "value: 89.1",
        "value: 89.4",
    );
    let o = archive(&site, &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("snapshot 2023 would change"), "{err}");
    assert!(err.contains("data/indicators.json"), "{err}");
    assert!(
        err.contains("preschool-gross-enrollment 2023: value 89.1 → 89.4"),
        "{err}"
    );
    assert!(err.contains("--revise 2023,2024,2025"), "{err}");
    assert_eq!(
        read_tree(&dir),
        first,
        "a refused archive changed the archive"
    );

    // Revised with a reason: new revisions beside the old, which stay byte-identical.
    let reason = "2023 enrolment corrected by the statistics office";
    let o = archive(&site, &["--revise", "2023,2024,2025", "--reason", reason]);
    assert!(o.status.success(), "{}", stderr(&o));
    let now = read_tree(&dir);
    for (path, bytes) in first.iter().filter(|(p, _)| {
        p.split('/')
            .next()
            .is_some_and(|top| top.len() == 4 && top.chars().all(|c| c.is_ascii_digit()))
    }) {
        assert_eq!(now.get(path), Some(bytes), "{path} was rewritten");
    }
    let provenance: serde_json::Value =
        serde_json::from_slice(&now["2023-r2/manifest.json"]).expect("manifest");
    assert_eq!(provenance["revision"], 2);
    assert_eq!(provenance["supersedes"], "2023");
    assert_eq!(provenance["reason"], reason);
    let page = String::from_utf8_lossy(&now["2023-r2/en/index.html"]).to_string();
    assert!(page.contains(reason), "the revision's pages say why");
    let index = String::from_utf8_lossy(&now["index.html"]).to_string();
    assert!(
        index.contains(reason) && index.contains("2023-r2/index.html"),
        "{index}"
    );
    assert!(
        index.contains("2023/index.html"),
        "the old revision stays listed"
    );

    // Building the site never removes a snapshot.
    assert!(
        plansite(&["build", "--root", site.path().to_str().expect("utf8")])
            .status
            .success()
    );
    assert_eq!(read_tree(&dir), now);
    let o = archive(&site, &["--verify"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

fn sha256sum_check(dir: &Path) {
    let o = Command::new("sha256sum")
        .args(["-c", "--quiet", "SHA256SUMS"])
        .current_dir(dir)
        .output()
        .expect("sha256sum");
    assert!(o.status.success(), "{}: {}", dir.display(), stderr(&o));
}

#[test]
fn provenance_is_recorded_and_every_change_is_found() {
    let site = site_copy();
    assert!(archive(&site, &[]).status.success());
    let dir = site.path().join("public/archive");
    let provenance: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("2024/manifest.json")).expect("read"))
            .expect("json");
    assert_eq!(
        provenance["generator"],
        format!("plansite {}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        provenance["built_at"], "2026-01-01T00:00:00Z",
        "SOURCE_DATE_EPOCH"
    );
    assert_eq!(provenance["data_status"], "illustrative");
    let seed = std::fs::read(site.path().join("seeds/hebei-education-14th-fyp.txt")).expect("seed");
    assert_eq!(
        provenance["inputs"]["seeds/hebei-education-14th-fyp.txt"],
        plansite::hex::hex(&Sha256::digest(&seed))
    );
    for input in [
        "plansite.toml",
        "content/plan.en.yaml",
        "content/progress/2024.yaml",
    ] {
        assert!(provenance["inputs"][input].is_string(), "{input}");
    }
    assert!(
        provenance["inputs"]["content/progress/2025.yaml"].is_null(),
        "a later year is no input"
    );
    sha256sum_check(&dir);
    sha256sum_check(&dir.join("2024"));
    assert!(archive(&site, &["--verify"]).status.success());

    // Any change after writing is found: a page, an added file, the
    // provenance, the archive's index; by --verify, and by a plain run,
    // which then writes nothing.
    for (rel, change) in [
        ("2024/en/index.html", "edit"),
        ("2024/extra.html", "add"),
        ("2023/manifest.json", "edit"),
        ("index.html", "edit"),
    ] {
        let path = dir.join(rel);
        let before = std::fs::read(&path).ok();
        std::fs::write(&path, b"tampered").expect("write");
        let o = archive(&site, &["--verify"]);
        assert_eq!(o.status.code(), Some(1), "{rel} {change}");
        assert!(stderr(&o).contains(rel), "{rel}: {}", stderr(&o));
        let o = archive(&site, &[]);
        assert_eq!(o.status.code(), Some(1), "plain run over a changed {rel}");
        assert!(
            stderr(&o).contains("changed after plansite wrote it"),
            "{}",
            stderr(&o)
        );
        assert_eq!(
            std::fs::read(&path).expect("read"),
            b"tampered",
            "{rel} left as found"
        );
        match before {
            Some(b) => std::fs::write(&path, b).expect("restore"),
            None => std::fs::remove_file(&path).expect("remove"),
        }
    }
    assert!(archive(&site, &["--verify"]).status.success());
}

#[test]
fn inside_a_snapshot_links_feeds_and_search_engines_are_right() {
    let site = site_copy();
    assert!(archive(&site, &[]).status.success());
    let snap = site.path().join("public/archive/2023");
    let files = read_tree(&snap);
    assert!(!files.contains_key("sitemap.xml") && !files.contains_key("robots.txt"));
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        assert!(
            html.contains("<meta name=\"robots\" content=\"noindex\">"),
            "{path}"
        );
        if path != "404.html" {
            let canonical = format!(
                "<link rel=\"canonical\" href=\"https://plansite.example.org/{}\">",
                path.strip_suffix("index.html").unwrap_or(path)
            );
            assert!(html.contains(&canonical), "{path}: {canonical}");
        }
    }
    let feed = String::from_utf8_lossy(&files["en/changelog/atom.xml"]).to_string();
    assert!(
        feed.contains("<id>tag:plansite.example.org,2021:archive/2023/en/changelog/</id>"),
        "{feed}"
    );
    // Relative links resolve against the feed's own address, next to the changelog page.
    assert!(feed.contains("href=\"index.html#y2023\""), "{feed}");
    assert!(files.contains_key("en/changelog/index.html"));
    let live = plansite(&["build", "--root", site.path().to_str().expect("utf8")]);
    assert!(live.status.success());
    let live_feed =
        std::fs::read_to_string(site.path().join("public/en/changelog/atom.xml")).expect("feed");
    assert!(live_feed.contains("href=\"https://plansite.example.org/en/changelog/#y2023\""));
    assert!(live_feed.contains("<id>tag:plansite.example.org,2021:en/changelog/</id>"));
}

/// A Python tool from PyPI, or None (a failure under CI=true, where .ci/run installs it).
fn tool(name: &str) -> Option<()> {
    let found = Command::new(name)
        .arg("--help")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{name} is missing; .ci/run installs it"
        );
        eprintln!("skipped: {name} is not installed (pip install warcio wacz bagit)");
        return None;
    }
    Some(())
}

#[test]
fn wacz_and_bagit_packages_pass_the_archivists_own_tools() {
    let site = site_copy();
    let o = archive(&site, &["--wacz", "--bagit"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dir = site.path().join("public/archive");
    let wacz = dir.join("2023.wacz");
    let bytes = std::fs::read(&wacz).expect("wacz");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut cdxj = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("indexes/index.cdxj").expect("index"),
        &mut cdxj,
    )
    .expect("utf8");
    for path in [
        "search/zh/index.js",
        "search/en/t0.js",
        "zh/index.html",
        "data/indicators.json",
    ] {
        assert!(
            cdxj.contains(&format!(
                "\"url\":\"https://plansite.example.org/archive/2023/{path}\""
            )),
            "{path} not captured"
        );
    }
    sha256sum_check(&dir);
    assert!(archive(&site, &["--verify"]).status.success());
    // A bag's payload is verified too, not only its tag files.
    let page = dir.join("bags/2023/data/index.html");
    let before = std::fs::read(&page).expect("bag page");
    std::fs::write(&page, b"tampered").expect("write");
    let o = archive(&site, &["--verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("bags/2023/data/index.html"),
        "{}",
        stderr(&o)
    );
    std::fs::write(&page, before).expect("restore");
    assert!(archive(&site, &["--verify"]).status.success());
    let scratch = tempfile::tempdir().expect("tempdir");
    if tool("warcio").is_some() {
        let o = Command::new("python3")
            .args([
                "-m",
                "zipfile",
                "-e",
                wacz.to_str().expect("utf8"),
                scratch.path().to_str().expect("utf8"),
            ])
            .output()
            .expect("python3");
        assert!(o.status.success(), "{}", stderr(&o));
        let o = Command::new("warcio")
            .args(["check", "-v"])
            .arg(scratch.path().join("archive/data.warc.gz"))
            .output()
            .expect("warcio");
        assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
        assert!(!stdout(&o).contains("digest fail"), "{}", stdout(&o));
    }
    if tool("wacz").is_some() {
        let o = Command::new("wacz")
            .args(["validate", "-f"])
            .arg(&wacz)
            .output()
            .expect("wacz");
        assert!(
            o.status.success() && stdout(&o).contains("is valid"),
            "{}{}",
            stdout(&o),
            stderr(&o)
        );
    }
    if tool("bagit.py").is_some() {
        let o = Command::new("bagit.py")
            .args(["--validate"])
            .arg(dir.join("bags/2023"))
            .output()
            .expect("bagit");
        assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    }
}
