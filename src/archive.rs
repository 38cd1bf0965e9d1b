//! Yearly snapshots that an archivist can trust: written once, never over an
//! earlier one, each with its provenance (`manifest.json`) and checksums
//! (`SHA256SUMS`), all covered by `archive/SHA256SUMS`.
//!
//! A year's snapshot is frozen when it is written. Archiving again leaves it
//! as it is when the inputs it was made from are unchanged, or when they
//! changed but the snapshot would be the same. When today's inputs would
//! change a past year, the archive reports which files and values differ and
//! writes nothing, unless the user revises that year with a reason: the new
//! revision goes beside the old one (`2023-r2/`), never over it.
//!
//! ```text
//! archive/
//!   .plansite-manifest   every file `archive` wrote (see `output`)
//!   index.html           the snapshots, their revisions and reasons
//!   SHA256SUMS           of each snapshot's manifest.json, SHA256SUMS and packages
//!   2023/                a portable copy of the site as it stood at the end of 2023
//!     manifest.json      plansite version, build time, SHA-256 of every input, data status
//!     SHA256SUMS         every file of the snapshot (`sha256sum -c`)
//!   2023-r2/             a revision, with its reason
//!   2023.wacz            with --wacz: a web archive of the snapshot (see `wacz`)
//!   bags/2023/           with --bagit: the snapshot as a BagIt bag (see `bagit`)
//! ```

pub mod bagit;
pub mod wacz;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::content::SiteInput;
use crate::render::{Files, Options, SnapshotOptions, Theme};

/// Each snapshot's provenance, at `archive/NAME/manifest.json`.
pub const PROVENANCE: &str = "manifest.json";
/// Each snapshot's checksums, and the archive's (`sha256sum -c` format).
pub const SUMS: &str = "SHA256SUMS";

/// What a snapshot records about how it was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// `plansite 0.1.0`.
    pub generator: String,
    /// The snapshot's folder: `2023`, `2023-r2`.
    pub snapshot: String,
    pub year: i32,
    pub revision: u32,
    /// The revision this one supersedes, and why.
    pub supersedes: Option<String>,
    pub reason: Option<String>,
    /// When it was built (from `SOURCE_DATE_EPOCH` when set), RFC 3339 UTC.
    pub built_at: String,
    /// The year's data status (illustrative | provisional | final) and date.
    pub data_status: String,
    pub as_of: String,
    /// The live site it is a snapshot of (may be empty).
    pub base_url: String,
    /// SHA-256 of every input the snapshot was made from, by path in the site root.
    pub inputs: BTreeMap<String, String>,
    /// How many files the snapshot holds (this manifest and `SHA256SUMS` included).
    pub files: usize,
}

/// A snapshot found in the archive.
#[derive(Debug, Clone)]
pub struct Existing {
    pub name: String,
    pub provenance: Provenance,
}

/// `2023` → (2023, 1); `2023-r2` → (2023, 2).
pub fn parse_name(name: &str) -> Option<(i32, u32)> {
    let (year, revision) = match name.split_once("-r") {
        Some((y, r)) => (y, r.parse::<u32>().ok().filter(|r| *r >= 2)?),
        None => (name, 1),
    };
    (year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()))
        .then(|| year.parse().ok())
        .flatten()
        .map(|y| (y, revision))
}

/// The folder name of a year's revision.
pub fn name_of(year: i32, revision: u32) -> String {
    if revision <= 1 {
        year.to_string()
    } else {
        format!("{year}-r{revision}")
    }
}

/// `sha256sum -c` lines for `files`, in path order.
pub fn sha256sums(files: &Files) -> String {
    files
        .iter()
        .map(|(path, bytes)| format!("{}  {path}\n", crate::hex::hex(&Sha256::digest(bytes))))
        .collect()
}

/// The names of the snapshots `archive` wrote into `archive_dir` (listed in its manifest).
fn listed_names(archive_dir: &Path) -> BTreeSet<String> {
    crate::output::read_manifest(archive_dir)
        .iter()
        .filter_map(|f| f.strip_suffix(&format!("/{PROVENANCE}")))
        .filter(|n| parse_name(n).is_some())
        .map(str::to_string)
        .collect()
}

/// The snapshots in `archive_dir` that `archive` wrote, oldest first.
pub fn existing(archive_dir: &Path) -> Vec<Existing> {
    let mut out: Vec<Existing> = listed_names(archive_dir)
        .into_iter()
        .filter_map(|name| {
            let bytes = crate::output::read_written(&archive_dir.join(&name).join(PROVENANCE))?;
            Some(Existing {
                name,
                provenance: serde_json::from_slice(&bytes).ok()?,
            })
        })
        .collect();
    out.sort_by_key(|e| (e.provenance.year, e.provenance.revision));
    out
}

/// The inputs a snapshot of `year` depends on: everything the site read but
/// the progress files of later years, with their SHA-256.
pub fn inputs_for(input: &SiteInput, year: i32) -> BTreeMap<String, String> {
    let mut paths: BTreeSet<String> = input.root.files_read().into_iter().collect();
    paths.extend(input.static_files.iter().cloned());
    paths
        .into_iter()
        .filter(|p| {
            p.strip_prefix("content/progress/")
                .and_then(|f| f.strip_suffix(".yaml"))
                .and_then(|y| y.parse::<i32>().ok())
                .is_none_or(|y| y <= year)
        })
        .filter_map(|p| {
            let bytes = input.root.read(&p, crate::input::MAX_FILE_BYTES).ok()?;
            Some((p, crate::hex::hex(&Sha256::digest(&bytes))))
        })
        .collect()
}

/// What is known when a snapshot is made.
pub struct Made<'a> {
    pub input: &'a SiteInput,
    pub theme: &'a Theme,
    pub year: i32,
    pub revision: u32,
    pub supersedes: Option<String>,
    pub reason: Option<String>,
    pub built_at: &'a str,
    /// The live site's base URL (the config's, or `--base-url`).
    pub base_url: &'a str,
}

/// A snapshot's files: the site as it stood at the end of `year`, portable,
/// with its provenance and checksums.
pub fn make(made: &Made) -> Result<Files, String> {
    let input = made.input;
    let name = name_of(made.year, made.revision);
    let site = crate::pipeline::model(input, made.theme, Some(made.year));
    let options = Options {
        portable: true,
        inject: None,
        archive_link: true,
        snapshot: Some(SnapshotOptions {
            name: name.clone(),
            year: made.year,
            revision: made.revision,
            reason: made.reason.clone(),
            live_base_url: made.base_url.to_string(),
        }),
    };
    let (mut files, _) = crate::pipeline::render_to_memory(input, &site, made.theme, &options)?;
    let year = input.progress.iter().find(|p| p.year == made.year);
    let provenance = Provenance {
        generator: format!("plansite {}", env!("CARGO_PKG_VERSION")),
        snapshot: name,
        year: made.year,
        revision: made.revision,
        supersedes: made.supersedes.clone(),
        reason: made.reason.clone(),
        built_at: made.built_at.to_string(),
        data_status: year.map(|y| y.data_status.clone()).unwrap_or_default(),
        as_of: year.map(|y| y.as_of.clone()).unwrap_or_default(),
        base_url: made.base_url.to_string(),
        inputs: inputs_for(input, made.year),
        files: files.len() + 2,
    };
    let json = serde_json::to_string_pretty(&provenance).map_err(|e| e.to_string())? + "\n";
    files.insert(PROVENANCE.into(), json.into_bytes());
    let sums = sha256sums(&files);
    files.insert(SUMS.into(), sums.into_bytes());
    Ok(files)
}

/// Every file of a snapshot on disk, relative path → bytes.
pub fn read_snapshot(dir: &Path) -> Files {
    crate::output::read_folder(dir)
}

/// How a snapshot made today differs from the one on disk: files and values.
#[derive(Debug, Default, PartialEq)]
pub struct Difference {
    pub changed: Vec<String>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// `myopia-rate 2023: value 55.9 → 55.1`, from the open data.
    pub values: Vec<String>,
}

impl Difference {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.added.is_empty() && self.removed.is_empty()
    }
}

/// Compares two versions of a snapshot, leaving out what records how and when
/// each was made (its provenance and checksums).
pub fn compare(old: &Files, new: &Files) -> Difference {
    let skip = |p: &str| p == PROVENANCE || p == SUMS;
    let mut d = Difference::default();
    for (path, bytes) in new.iter().filter(|(p, _)| !skip(p)) {
        match old.get(path) {
            None => d.added.push(path.clone()),
            Some(b) if b != bytes => d.changed.push(path.clone()),
            Some(_) => {}
        }
    }
    d.removed = old
        .keys()
        .filter(|p| !skip(p) && !new.contains_key(*p))
        .cloned()
        .collect();
    d.values = value_changes(
        old.get("data/indicators.json"),
        new.get("data/indicators.json"),
    );
    d
}

/// Values, statuses and data statuses that differ between two `data/indicators.json`.
fn value_changes(old: Option<&Vec<u8>>, new: Option<&Vec<u8>>) -> Vec<String> {
    let parse = |b: Option<&Vec<u8>>| -> serde_json::Value {
        b.and_then(|b| serde_json::from_slice(b).ok())
            .unwrap_or_default()
    };
    let (old, new) = (parse(old), parse(new));
    let mut out = Vec::new();
    let by_id = |doc: &serde_json::Value| -> BTreeMap<String, serde_json::Value> {
        doc["indicators"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| Some((i["id"].as_str()?.to_string(), i.clone())))
            .collect()
    };
    let (old_ids, new_ids) = (by_id(&old), by_id(&new));
    let show = |v: &serde_json::Value| match v {
        serde_json::Value::Null => "none".to_string(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    for (id, n) in &new_ids {
        let Some(o) = old_ids.get(id) else {
            out.push(format!("{id}: new indicator"));
            continue;
        };
        let values = |i: &serde_json::Value| -> BTreeMap<i64, serde_json::Value> {
            i["values"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| Some((v["year"].as_i64()?, v["value"].clone())))
                .collect()
        };
        let (ov, nv) = (values(o), values(n));
        for year in ov.keys().chain(nv.keys()).collect::<BTreeSet<_>>() {
            let (a, b) = (ov.get(year), nv.get(year));
            if a != b {
                out.push(format!(
                    "{id} {year}: value {} → {}",
                    a.map_or("none".into(), show),
                    b.map_or("none".into(), show)
                ));
            }
            let status = |i: &serde_json::Value| i["status"][year.to_string()].clone();
            if status(o) != status(n) {
                out.push(format!(
                    "{id} {year}: status {} → {}",
                    show(&status(o)),
                    show(&status(n))
                ));
            }
        }
    }
    for id in old_ids.keys().filter(|id| !new_ids.contains_key(*id)) {
        out.push(format!("{id}: no longer tracked"));
    }
    if old["data_status"] != new["data_status"] {
        out.push(format!(
            "data status {} → {}",
            old["data_status"], new["data_status"]
        ));
    }
    out
}

/// The archive's own checksums: its index page (`index`: the files the
/// archive index is made of, about to be written), each snapshot's
/// provenance and checksums, and the packages made of it.
pub fn archive_sums(archive_dir: &Path, names: &[String], index: &Files) -> String {
    let mut files = index.clone();
    for name in names {
        for rel in [
            format!("{name}/{PROVENANCE}"),
            format!("{name}/{SUMS}"),
            format!("{name}.wacz"),
            format!("bags/{name}/manifest-sha256.txt"),
            format!("bags/{name}/tagmanifest-sha256.txt"),
        ] {
            if let Some(bytes) = crate::output::read_written(&archive_dir.join(&rel)) {
                files.insert(rel, bytes);
            }
        }
    }
    sha256sums(&files)
}

/// Problems `archive --verify` finds: a file changed, missing or added in a
/// snapshot, or a snapshot's records changed.
/// `complete`: the archive must have its own checksums (`--verify`); before
/// a run, an archive whose first run was stopped before writing them is not
/// a problem (each snapshot's own checksums are still checked).
pub fn verify(archive_dir: &Path, complete: bool) -> (usize, Vec<String>) {
    let mut problems = Vec::new();
    let top_sums = crate::output::read_written(&archive_dir.join(SUMS))
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    // Every snapshot the archive wrote, readable records or not; a folder a
    // run was stopped before writing (listed, on no line of the archive's
    // sums, not there) is not a loss: the next run writes it.
    let names: BTreeSet<String> = listed_names(archive_dir)
        .into_iter()
        .filter(|name| {
            archive_dir.join(name).exists()
                || top_sums
                    .as_deref()
                    .is_some_and(|t| t.contains(&format!("  {name}/{PROVENANCE}\n")))
        })
        .collect();
    let snapshots = existing(archive_dir);
    for name in &names {
        if !snapshots.iter().any(|s| s.name == *name) {
            problems.push(format!("{name}/{PROVENANCE}: missing or unreadable"));
        }
        let dir = archive_dir.join(name);
        let files = read_snapshot(&dir);
        let Some(sums) = files.get(SUMS) else {
            problems.push(format!("{name}/{SUMS}: missing"));
            continue;
        };
        let mut expected: BTreeMap<String, String> = BTreeMap::new();
        for line in String::from_utf8_lossy(sums).lines() {
            if let Some((hash, path)) = line.split_once("  ") {
                expected.insert(path.to_string(), hash.to_string());
            }
        }
        for (path, hash) in &expected {
            match files.get(path) {
                None => problems.push(format!("{name}/{path}: missing")),
                Some(bytes) if crate::hex::hex(&Sha256::digest(bytes)) != *hash => {
                    problems.push(format!("{name}/{path}: changed"));
                }
                Some(_) => {}
            }
        }
        for path in files
            .keys()
            .filter(|p| *p != SUMS && !expected.contains_key(*p))
        {
            problems.push(format!("{name}/{path}: not in its {SUMS}"));
        }
        if !expected.contains_key(PROVENANCE) {
            problems.push(format!("{name}: {PROVENANCE} is not covered by {SUMS}"));
        }
        let bag = archive_dir.join("bags").join(name);
        if bag.is_dir() {
            verify_bag(&bag, &format!("bags/{name}"), &mut problems);
        }
    }
    // The archive's own checksums cover every snapshot's records.
    match top_sums {
        Some(text) => {
            let names: Vec<String> = names.iter().cloned().collect();
            // The index's files as they are on disk; an archive written before
            // its index was summed has no line for them, and none is asked.
            let recorded: BTreeSet<&str> = text.lines().collect();
            let recorded_paths: BTreeSet<&str> = recorded
                .iter()
                .filter_map(|l| l.split_once("  ").map(|(_, p)| p))
                .collect();
            let of_snapshot = |p: &str| {
                p.starts_with("bags/")
                    || p.ends_with(".wacz")
                    || names.iter().any(|n| p.starts_with(&format!("{n}/")))
            };
            let index: Files = recorded_paths
                .iter()
                .filter(|p| !of_snapshot(p))
                .map(|p| {
                    let bytes =
                        crate::output::read_written(&archive_dir.join(p)).unwrap_or_default();
                    (p.to_string(), bytes)
                })
                .collect();
            let now = archive_sums(archive_dir, &names, &index);
            for line in now.lines() {
                // A path not recorded yet is a snapshot an interrupted run
                // wrote (its own sums verify it); the next run records it.
                let recorded_path = line
                    .split_once("  ")
                    .is_some_and(|(_, p)| recorded_paths.contains(p));
                if recorded_path && !recorded.contains(line) {
                    let path = line.split_once("  ").map_or(line, |(_, p)| p);
                    problems.push(format!("{path}: differs from archive/{SUMS}"));
                }
            }
        }
        None if names.is_empty() || !complete => {}
        None => problems.push(format!("archive/{SUMS} is missing")),
    }
    (names.len(), problems)
}

/// A bag's payload against its `manifest-sha256.txt`: every file listed is
/// there and unchanged, and nothing is in `data/` that it does not list.
fn verify_bag(bag: &Path, label: &str, problems: &mut Vec<String>) {
    let files = crate::output::read_folder(bag);
    let Some(manifest) = files.get("manifest-sha256.txt") else {
        problems.push(format!("{label}/manifest-sha256.txt: missing"));
        return;
    };
    let mut listed = BTreeSet::new();
    for line in String::from_utf8_lossy(manifest).lines() {
        let Some((hash, path)) = line.split_once("  ") else {
            continue;
        };
        let path = path
            .replace("%0A", "\n")
            .replace("%0D", "\r")
            .replace("%25", "%");
        match files.get(&path) {
            None => problems.push(format!("{label}/{path}: missing")),
            Some(bytes) if crate::hex::hex(&Sha256::digest(bytes)) != hash => {
                problems.push(format!("{label}/{path}: changed"));
            }
            Some(_) => {}
        }
        listed.insert(path);
    }
    for path in files
        .keys()
        .filter(|p| p.starts_with("data/") && !listed.contains(*p))
    {
        problems.push(format!("{label}/{path}: not in its manifest"));
    }
}

/// The build time of snapshots: `SOURCE_DATE_EPOCH` when set (reproducible
/// builds), else now; RFC 3339 in UTC, to the second.
pub fn built_at(source_date_epoch: Option<&str>) -> Result<String, String> {
    let ts = match source_date_epoch {
        Some(s) => {
            let secs: i64 = s
                .trim()
                .parse()
                .map_err(|_| format!("SOURCE_DATE_EPOCH `{s}` is not a number of seconds"))?;
            jiff::Timestamp::from_second(secs).map_err(|e| format!("SOURCE_DATE_EPOCH: {e}"))?
        }
        None => jiff::Timestamp::now(),
    };
    Ok(ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_names() {
        assert_eq!(parse_name("2023"), Some((2023, 1)));
        assert_eq!(parse_name("2023-r2"), Some((2023, 2)));
        assert_eq!(parse_name("2023-r1"), None);
        assert_eq!(parse_name("assets"), None);
        assert_eq!(parse_name("20234"), None);
        assert_eq!(name_of(2023, 1), "2023");
        assert_eq!(name_of(2023, 3), "2023-r3");
    }

    #[test]
    fn differences_name_files_and_values() {
        let json = |v: &str, s: &str| {
            format!("{{\"data_status\":[[2023,\"final\"]],\"indicators\":[{{\"id\":\"myopia-rate\",\"values\":[{{\"year\":2023,\"value\":{v}}}],\"status\":{{\"2023\":\"{s}\"}}}}]}}").into_bytes()
        };
        let mut old = Files::new();
        old.insert("data/indicators.json".into(), json("55.9", "limited"));
        old.insert("zh/index.html".into(), b"a".to_vec());
        old.insert(PROVENANCE.into(), b"{}".to_vec());
        let mut new = old.clone();
        new.insert("data/indicators.json".into(), json("55.1", "on_track"));
        new.insert(PROVENANCE.into(), b"{\"built_at\":\"later\"}".to_vec());
        let d = compare(&old, &new);
        assert_eq!(d.changed, ["data/indicators.json"]);
        assert_eq!(
            d.values,
            [
                "myopia-rate 2023: value 55.9 → 55.1",
                "myopia-rate 2023: status limited → on_track"
            ]
        );
        assert!(compare(&old, &old).is_empty());
    }

    #[test]
    fn build_time_honours_source_date_epoch() {
        assert_eq!(built_at(Some("0")).as_deref(), Ok("1970-01-01T00:00:00Z"));
        assert_eq!(
            built_at(Some("1735689600")).as_deref(),
            Ok("2025-01-01T00:00:00Z")
        );
        assert!(built_at(Some("soon")).is_err());
    }
}
