//! `plansite archive`: one frozen, portable snapshot per reporting year under
//! `archive/` (see `crate::archive` for what a snapshot holds and when it is
//! written), `--verify` to check every snapshot, `--wacz` and `--bagit` for
//! standard archive packages.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::archive::{self, Existing, Made};
use crate::output::{self, Guard, Replace};
use crate::render::{ArchiveEntry, Files};

use super::build::{guard, load_or_report, lock_output, theme_or_report};
use super::{EXIT_CONTENT, EXIT_OK, EXIT_USAGE};

#[derive(Debug, clap::Args)]
pub struct ArchiveArgs {
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The site's output folder; snapshots go into its archive/ (default: ROOT/public)
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write a new revision of YEAR's snapshot beside the old one (needs --reason; repeat or list years: 2023,2024)
    #[arg(long, value_name = "YEAR", requires = "reason", value_delimiter = ',')]
    pub revise: Vec<i32>,
    /// Why YEAR is revised; recorded in the revision and on the archive index
    #[arg(long, requires = "revise")]
    pub reason: Option<String>,
    /// Check every snapshot against its SHA256SUMS and archive/SHA256SUMS; write nothing
    #[arg(long, conflicts_with_all = ["revise", "wacz", "bagit"])]
    pub verify: bool,
    /// Also write each snapshot as a WACZ web archive (archive/YEAR.wacz)
    #[arg(long)]
    pub wacz: bool,
    /// Also write each snapshot as a BagIt bag (archive/bags/YEAR/)
    #[arg(long)]
    pub bagit: bool,
    /// The live site's address, for canonical links, feed ids and WACZ URLs (default: base_url)
    #[arg(long)]
    pub base_url: Option<String>,
}

/// What happens to one reporting year.
enum Plan {
    Unchanged(String),
    /// The inputs changed, the snapshot would not.
    Same(String),
    Write(Files, String),
    Differs(String, archive::Difference),
}

pub fn run(args: ArchiveArgs) -> i32 {
    let out = args.out.clone().unwrap_or_else(|| args.root.join("public"));
    let archive_dir = out.join("archive");
    if args.verify {
        return verify(&archive_dir);
    }
    // Snapshots are never written over: one changed since it was written is
    // reported before anything is added beside it.
    if archive_dir.is_dir() {
        let (_, problems) = archive::verify(&archive_dir, false);
        if !problems.is_empty() {
            for p in &problems {
                eprintln!("  {p}");
            }
            eprintln!(
                "error[archive-verify]: {} problem(s) in {}: the archive changed after plansite wrote it\n  = help: restore the files above from a copy of the archive (plansite never writes over a snapshot); `plansite archive --verify` lists them again",
                problems.len(),
                archive_dir.display()
            );
            return EXIT_CONTENT;
        }
    }
    let mut input = match load_or_report(&args.root) {
        Ok(i) => i,
        Err(code) => return code,
    };
    let base_url = match &args.base_url {
        Some(url) => match crate::config::check_base_url(url) {
            Ok(url) => url,
            Err(e) => {
                eprintln!("error[base-url]: --base-url: {e}");
                return EXIT_USAGE;
            }
        },
        None => input.config.base_url.clone(),
    };
    // Snapshots link relatively: they must open from disk in ten years.
    input.config.base_url.clear();
    let theme = match theme_or_report(&input) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let years: Vec<i32> = input.progress.iter().map(|p| p.year).collect();
    if years.is_empty() {
        eprintln!("error[archive]: there are no progress files to archive");
        return EXIT_CONTENT;
    }
    if let Some(year) = args.revise.iter().find(|y| !years.contains(y)) {
        eprintln!("error[archive]: --revise {year}: there is no progress file for {year}");
        return EXIT_USAGE;
    }
    let built_at = match archive::built_at(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref()) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error[archive]: {e}");
            return EXIT_USAGE;
        }
    };
    let lock = match lock_output(&out) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error[output]: {e}");
            return EXIT_USAGE;
        }
    };
    let guard = guard(&input);
    if let Err(e) = guard.check_folder(&archive_dir) {
        eprintln!("error[output]: {e}");
        return EXIT_USAGE;
    }
    // What runs killed half-way left behind is theirs to clear, not foreign.
    output::clean_stale(&archive_dir);
    output::clean_stale(&archive_dir.join("bags"));
    let foreign = output::foreign_entries(&archive_dir, &[]);
    if !foreign.is_empty() {
        eprintln!(
            "error[output]: {} holds {} file(s) or folder(s) plansite did not write ({}); move them away (plansite never deletes them)",
            archive_dir.display(),
            foreign.len(),
            foreign
                .iter()
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        );
        return EXIT_USAGE;
    }
    let existing = archive::existing(&archive_dir);

    // Decide every year before writing anything.
    let mut plans = Vec::new();
    for &year in &years {
        let latest = existing.iter().rev().find(|e| e.provenance.year == year);
        let plan = match plan_year(
            &input,
            &theme,
            year,
            latest,
            &args,
            &built_at,
            &base_url,
            &archive_dir,
        ) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("error[render]: {e}");
                return EXIT_CONTENT;
            }
        };
        plans.push(plan);
    }
    let differing: Vec<&Plan> = plans
        .iter()
        .filter(|p| matches!(p, Plan::Differs(..)))
        .collect();
    if !differing.is_empty() {
        let mut years = Vec::new();
        for plan in &differing {
            if let Plan::Differs(name, d) = plan {
                report_difference(name, d);
                years.extend(archive::parse_name(name).map(|(y, _)| y.to_string()));
            }
        }
        eprintln!(
            "error[archive-changed]: today's inputs would change {} archived snapshot(s); nothing was written. Snapshots are never rewritten: to publish corrected years, write new revisions beside the old ones with `plansite archive --revise {} --reason \"…\"`",
            differing.len(),
            years.join(",")
        );
        return EXIT_CONTENT;
    }
    for year in &args.revise {
        if !plans
            .iter()
            .any(|p| matches!(p, Plan::Write(_, name) if name.starts_with(&format!("{year}-r"))))
        {
            eprintln!("snapshot {year} is unchanged: nothing to revise");
        }
    }

    let written = match write(
        &guard,
        &archive_dir,
        &plans,
        &existing,
        &args,
        &input,
        &theme,
        &built_at,
        &base_url,
    ) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error[output]: {e}");
            return EXIT_USAGE;
        }
    };
    drop(lock);
    for plan in &plans {
        match plan {
            Plan::Unchanged(name) => eprintln!("  {name}: unchanged (its inputs are the same)"),
            Plan::Same(name) => {
                eprintln!(
                    "  {name}: unchanged (inputs changed, but the snapshot would be the same)"
                );
            }
            Plan::Write(files, name) => eprintln!("  {name}: written, {} files", files.len()),
            Plan::Differs(..) => {}
        }
    }
    eprintln!(
        "archive → {}: {} snapshot(s), {written} written now; `plansite archive --verify` checks them",
        archive_dir.display(),
        archive::existing(&archive_dir).len()
    );
    EXIT_OK
}

/// What to do with `year`, given its latest snapshot on disk.
#[allow(clippy::too_many_arguments)]
fn plan_year(
    input: &crate::content::SiteInput,
    theme: &crate::render::Theme,
    year: i32,
    latest: Option<&Existing>,
    args: &ArchiveArgs,
    built_at: &str,
    base_url: &str,
    archive_dir: &Path,
) -> Result<Plan, String> {
    let revising = args.revise.contains(&year);
    let made = |revision: u32, supersedes: Option<String>, reason: Option<String>| {
        archive::make(&Made {
            input,
            theme,
            year,
            revision,
            supersedes,
            reason,
            built_at,
            base_url,
        })
    };
    let Some(latest) = latest else {
        return Ok(Plan::Write(made(1, None, None)?, archive::name_of(year, 1)));
    };
    // Unchanged inputs: the snapshot stands, whatever plansite's version.
    if archive::inputs_for(input, year) == latest.provenance.inputs {
        return Ok(Plan::Unchanged(latest.name.clone()));
    }
    // Compared as the same revision, so that only the data and pages differ,
    // not the revision notice.
    let p = &latest.provenance;
    let candidate = made(p.revision, p.supersedes.clone(), p.reason.clone())?;
    let on_disk = archive::read_snapshot(&archive_dir.join(&latest.name));
    let difference = archive::compare(&on_disk, &candidate);
    if difference.is_empty() {
        return Ok(Plan::Same(latest.name.clone()));
    }
    if revising {
        let next = p.revision + 1;
        let revision = made(next, Some(latest.name.clone()), args.reason.clone())?;
        return Ok(Plan::Write(revision, archive::name_of(year, next)));
    }
    Ok(Plan::Differs(latest.name.clone(), difference))
}

fn report_difference(name: &str, d: &archive::Difference) {
    eprintln!("snapshot {name} would change:");
    let list = |what: &str, items: &[String]| {
        if !items.is_empty() {
            let shown: Vec<&str> = items.iter().take(8).map(String::as_str).collect();
            eprintln!(
                "  {} file(s) {what}: {}{}",
                items.len(),
                shown.join(", "),
                if items.len() > shown.len() {
                    ", …"
                } else {
                    ""
                }
            );
        }
    };
    list("changed", &d.changed);
    list("added", &d.added);
    list("removed", &d.removed);
    for v in d.values.iter().take(20) {
        eprintln!("  {v}");
    }
    if d.values.len() > 20 {
        eprintln!("  … and {} more value(s)", d.values.len() - 20);
    }
}

/// Writes the new snapshots, their packages and the archive's index and
/// checksums. The archive's manifest lists a snapshot's files before they
/// are renamed into place, so a run killed in between leaves nothing that
/// `build` would take for someone else's.
#[allow(clippy::too_many_arguments)]
fn write(
    guard: &Guard,
    archive_dir: &Path,
    plans: &[Plan],
    existing: &[Existing],
    args: &ArchiveArgs,
    input: &crate::content::SiteInput,
    theme: &crate::render::Theme,
    built_at: &str,
    base_url: &str,
) -> Result<usize, output::OutputError> {
    let mut manifest: BTreeSet<String> = output::read_manifest(archive_dir);
    let save_manifest = |manifest: &BTreeSet<String>| {
        let text: String = manifest.iter().map(|l| format!("{l}\n")).collect();
        output::replace(
            guard,
            &archive_dir.join(output::MANIFEST),
            text.as_bytes(),
            Replace::Always,
        )
    };
    let mut written = 0;
    for plan in plans {
        let Plan::Write(files, name) = plan else {
            continue;
        };
        manifest.extend(files.keys().map(|f| format!("{name}/{f}")));
        save_manifest(&manifest)?;
        output::create_folder(guard, &archive_dir.join(name), files)?;
        written += 1;
    }
    // Packages, for every snapshot that lacks one that was asked for.
    let snapshots = archive::existing(archive_dir);
    for snapshot in &snapshots {
        let name = &snapshot.name;
        let wacz_path = archive_dir.join(format!("{name}.wacz"));
        let bag_dir = archive_dir.join("bags").join(name);
        let want_wacz = args.wacz && !wacz_path.exists();
        let want_bag = args.bagit && !bag_dir.exists();
        if !want_wacz && !want_bag {
            continue;
        }
        let files = archive::read_snapshot(&archive_dir.join(name));
        if want_wacz {
            let title = format!("{} · {name}", input.config.title.en);
            let bytes = archive::wacz::package(
                &files,
                &archive::wacz::Package {
                    name,
                    title: &title,
                    base_url: &snapshot.provenance.base_url,
                    built_at: &snapshot.provenance.built_at,
                },
            )
            .map_err(output::OutputError)?;
            manifest.insert(format!("{name}.wacz"));
            save_manifest(&manifest)?;
            output::create_new(&wacz_path, &bytes)?;
        }
        if want_bag {
            let publisher = input.config.publisher.as_ref().map(|p| p.en.as_str());
            let description = format!(
                "{}: the site as it stood at the end of {}",
                input.config.title.en, snapshot.provenance.year
            );
            let bag = archive::bagit::bag(
                &files,
                &archive::bagit::BagInfo {
                    bagging_date: snapshot.provenance.built_at.get(..10).unwrap_or(""),
                    source_organization: publisher,
                    external_identifier: name,
                    description: &description,
                },
            );
            manifest.extend(bag.keys().map(|f| format!("bags/{name}/{f}")));
            save_manifest(&manifest)?;
            output::create_folder(guard, &bag_dir, &bag)?;
        }
    }
    // The index and the archive's own checksums, written again from what is there.
    let names: Vec<String> = snapshots.iter().map(|s| s.name.clone()).collect();
    let entries: Vec<ArchiveEntry> = snapshots
        .iter()
        .map(|s| ArchiveEntry {
            name: s.name.clone(),
            year: s.provenance.year,
            revision: s.provenance.revision,
            reason: s.provenance.reason.clone(),
            superseded_by: snapshots
                .iter()
                .find(|o| o.provenance.supersedes.as_deref() == Some(s.name.as_str()))
                .map(|o| o.name.clone()),
            built_at: s.provenance.built_at.clone(),
            generator: s.provenance.generator.clone(),
            data_status: s.provenance.data_status.clone(),
            as_of: s.provenance.as_of.clone(),
            files: s.provenance.files,
            wacz: archive_dir.join(format!("{}.wacz", s.name)).exists(),
            bag: archive_dir.join("bags").join(&s.name).exists(),
        })
        .collect();
    let _ = (existing, built_at, base_url);
    let site = crate::pipeline::model(input, theme, None);
    let index = crate::render::archive_index(&site, theme, &entries)
        .map_err(|e| output::OutputError(e.0))?;
    let sums = archive::archive_sums(archive_dir, &names, &index);
    let mut files = index;
    files.insert(archive::SUMS.into(), sums.into_bytes());
    manifest.extend(files.keys().cloned());
    save_manifest(&manifest)?;
    // The archive's checksums last: a run stopped before them leaves the
    // sums of the archive as it was, never sums of files not yet written.
    for (path, bytes) in files.iter().filter(|(p, _)| *p != archive::SUMS) {
        output::replace(guard, &archive_dir.join(path), bytes, Replace::Always)?;
    }
    if let Some(sums) = files.get(archive::SUMS) {
        output::replace(
            guard,
            &archive_dir.join(archive::SUMS),
            sums,
            Replace::Always,
        )?;
    }
    Ok(written)
}

/// `archive --verify`: every snapshot against its checksums, and the archive's.
fn verify(archive_dir: &Path) -> i32 {
    if !archive_dir.is_dir() {
        eprintln!(
            "error[archive]: {} does not exist: nothing to verify",
            archive_dir.display()
        );
        return EXIT_USAGE;
    }
    let (count, problems) = archive::verify(archive_dir, true);
    for p in &problems {
        eprintln!("  {p}");
    }
    if problems.is_empty() {
        eprintln!(
            "verified {count} snapshot(s) in {}: every file as written",
            archive_dir.display()
        );
        EXIT_OK
    } else {
        eprintln!(
            "error[archive-verify]: {} problem(s) in {}: a snapshot changed after it was written",
            problems.len(),
            archive_dir.display()
        );
        EXIT_CONTENT
    }
}
