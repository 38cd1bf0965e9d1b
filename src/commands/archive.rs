//! `plansite archive`: one portable snapshot per reporting year under
//! `archive/YEAR/`, each with a `SHA256SUMS` over every file in it.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::output;
use crate::pipeline;
use crate::render::{Files, Options};

use super::build::{load_or_report, theme_or_report};
use super::{EXIT_CONTENT, EXIT_OK, EXIT_USAGE};

/// `sha256sum -c` format over every file of a snapshot.
pub fn sha256sums(files: &Files) -> String {
    files
        .iter()
        .map(|(path, bytes)| format!("{}  {path}\n", crate::hex::hex(&Sha256::digest(bytes))))
        .collect()
}

pub fn run(root: &Path, out: Option<PathBuf>) -> i32 {
    let mut input = match load_or_report(root) {
        Ok(i) => i,
        Err(code) => return code,
    };
    // Snapshots carry no absolute URLs: they must open from disk in ten years.
    input.config.base_url.clear();
    let theme = match theme_or_report(&input) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let out = out.unwrap_or_else(|| root.join("public"));
    let years: Vec<i32> = input.progress.iter().map(|p| p.year).collect();
    if years.is_empty() {
        eprintln!("error[archive]: there are no progress files to archive");
        return EXIT_CONTENT;
    }
    // Every snapshot and the archive's own index are portable renders of the site.
    let render = |as_of: Option<i32>, snapshots: Option<Vec<i32>>| {
        let site = pipeline::model(&input, &theme, as_of);
        pipeline::render_to_memory(
            &input,
            &site,
            &theme,
            &Options {
                portable: true,
                inject: None,
                archive_link: false,
                archive_index: snapshots,
            },
        )
        .map_err(|e| eprintln!("error[render]: {e}"))
    };
    let mut all = Files::new();
    for &year in &years {
        let Ok(rendered) = render(Some(year), None) else {
            return EXIT_CONTENT;
        };
        let (files, _) = rendered;
        let sums = sha256sums(&files);
        for (path, bytes) in files {
            all.insert(format!("{year}/{path}"), bytes);
        }
        all.insert(format!("{year}/SHA256SUMS"), sums.into_bytes());
    }
    // The archive's own index, listing the snapshots.
    let Ok((index, _)) = render(None, Some(years.clone())) else {
        return EXIT_CONTENT;
    };
    if let Some(page) = index.get("archive/index.html") {
        // Rendered for the site root (`archive/index.html`); inside archive/ its links lose one level.
        let html = String::from_utf8_lossy(page).replace("href=\"../assets/", "href=\"assets/");
        all.insert("index.html".into(), html.into_bytes());
        for (path, bytes) in &index {
            if path.starts_with("assets/") && path.ends_with(".css") {
                all.insert(path.clone(), bytes.clone());
            }
        }
    }
    let write = |all: &Files| -> Result<output::WriteReport, output::OutputError> {
        let lock = super::build::lock_output(&out)?;
        let staging = output::Staging::begin(
            &super::build::guard(&input),
            &out.join("archive"),
            &[],
            lock,
        )?;
        for (path, bytes) in all {
            staging.put(path, bytes)?;
        }
        staging.commit()
    };
    match write(&all) {
        Ok(report) => {
            eprintln!(
                "archived {} snapshot(s) ({}) → {}: {} files, {:.1} MB",
                years.len(),
                years
                    .iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                out.join("archive").display(),
                report.files,
                report.bytes as f64 / 1_048_576.0
            );
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error[output]: {e}");
            EXIT_USAGE
        }
    }
}
