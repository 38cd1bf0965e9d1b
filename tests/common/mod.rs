//! Helpers for fixture-site tests: a copy of the default site in a tempdir, the
//! binary, and a link checker over a built folder.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A copy of the repository's site root (config, seed, content) in a tempdir.
pub fn site_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(
        repo().join("plansite.toml"),
        dir.path().join("plansite.toml"),
    )
    .expect("config");
    copy_dir(&repo().join("seeds"), &dir.path().join("seeds"));
    copy_dir(&repo().join("content"), &dir.path().join("content"));
    dir
}

pub fn plansite(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plansite"))
        .args(args)
        .env("CI", "true")
        .output()
        .expect("runs plansite")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// Every file of a folder, relative path → bytes.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .expect("prefix")
                    .to_string_lossy()
                    .to_string(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

/// Values of an attribute in an HTML document (good enough for generated HTML).
pub fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        rest = &rest[at + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

/// Broken internal links and anchors in a built folder: (page, link).
pub fn broken_links(dir: &Path, portable: bool) -> Vec<(String, String)> {
    let files = read_tree(dir);
    let ids: BTreeMap<&str, BTreeSet<String>> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| {
            (
                p.as_str(),
                attr_values(&String::from_utf8_lossy(b), "id")
                    .into_iter()
                    .collect(),
            )
        })
        .collect();
    let mut broken = Vec::new();
    for (page, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        let base = Path::new(page)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        for link in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
        {
            if link.starts_with("http:")
                || link.starts_with("https:")
                || link.starts_with("mailto:")
                || link.starts_with("data:")
            {
                continue;
            }
            let (path, anchor) = link
                .split_once('#')
                .map_or((link.as_str(), None), |(p, a)| (p, Some(a)));
            let target = if path.is_empty() {
                page.clone()
            } else {
                let mut joined = base.clone();
                for part in path.split('/') {
                    match part {
                        ".." => {
                            if !joined.pop() {
                                broken.push((page.clone(), link.clone()));
                            }
                        }
                        "" | "." => {}
                        p => joined.push(p),
                    }
                }
                let mut t = joined.to_string_lossy().to_string();
                if path.ends_with('/') || t.is_empty() {
                    if portable {
                        broken.push((page.clone(), format!("{link} (not portable)")));
                    }
                    t = if t.is_empty() {
                        "index.html".into()
                    } else {
                        format!("{t}/index.html")
                    };
                }
                t
            };
            if !files.contains_key(&target) {
                broken.push((page.clone(), link.clone()));
                continue;
            }
            if let Some(anchor) = anchor.filter(|a| !a.is_empty())
                && ids
                    .get(target.as_str())
                    .is_some_and(|set| !set.contains(anchor))
            {
                broken.push((page.clone(), link.clone()));
            }
        }
    }
    broken
}
