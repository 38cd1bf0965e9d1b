//! The one place plansite writes files (`input` is the one place it reads).
//!
//! - Every target is resolved (`..` and links at every level) and checked
//!   against the site's inputs ([`Guard`]): plansite never writes into
//!   `plansite.toml`, `seeds/`, `content/`, `themes/`, `templates/` or `static/`.
//! - Every file is written to a temporary name and then renamed, so a reader
//!   sees the old file or the new one, never half of one. [`create_new`] never
//!   replaces anything; [`replace`] replaces only what the caller accepts.
//! - A whole site is written into a staging folder beside the output and
//!   swapped in at once ([`Staging`]); on Linux the swap is one atomic
//!   exchange, so there is no moment without a complete output folder.
//! - A manifest (`.plansite-manifest`) lists every file plansite wrote into a
//!   folder. A file or folder that is not in it blocks the swap: plansite never
//!   deletes, adopts or overwrites what it did not write.
//! - Runs that write the same output take turns ([`OutputLock`]); a run killed
//!   at any instant leaves the previous output in place, and the next run
//!   removes the staging folders the killed one left (it knows them by name
//!   and marker).

use std::collections::{BTreeSet, HashSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::input::SiteRoot;
use crate::render::{Files, Sink, WriteFn};

/// The list of files plansite wrote into a folder, one relative path a line.
pub const MANIFEST: &str = ".plansite-manifest";
/// Marks a folder as one of plansite's staging folders while it is filled.
const STAGING_MARKER: &str = ".plansite-staging";
/// In names of plansite's temporary files and folders.
const TEMP_TAG: &str = ".plansite-";

/// The site's inputs, relative to its root: never a write target.
pub const INPUTS: [&str; 6] = [
    "plansite.toml",
    "seeds",
    "content",
    "themes",
    "templates",
    "static",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputError(pub String);

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err(msg: impl Into<String>) -> OutputError {
    OutputError(msg.into())
}

/// Absolute, normalised form of a path that may not exist yet: the part that
/// exists is resolved (links included), the rest is added without `.`/`..`.
pub fn absolute(path: &Path) -> PathBuf {
    use std::path::Component;
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    // Component by component, so that `..` after a link leaves the link's
    // target (as the system resolves it), and after a missing folder, the folder.
    let mut out = PathBuf::new();
    for component in abs.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => {
                out.push(other);
                if std::fs::symlink_metadata(&out).is_ok()
                    && let Ok(real) = std::fs::canonicalize(&out)
                {
                    out = real;
                }
            }
        }
    }
    out
}

/// What plansite must not write over: a site root's inputs, resolved.
#[derive(Debug, Clone)]
pub struct Guard {
    root: PathBuf,
    protected: Vec<PathBuf>,
}

impl Guard {
    /// The guard of a site root; `extra` are further input files (the seed,
    /// wherever the config puts it inside the root).
    pub fn new(root: &SiteRoot, extra: &[PathBuf]) -> Guard {
        let real = root.real().to_path_buf();
        let mut protected: Vec<PathBuf> = INPUTS
            .iter()
            .chain(&[".git", "src"])
            .map(|p| absolute(&real.join(p)))
            .collect();
        protected.extend(extra.iter().map(|p| absolute(p)));
        Guard {
            root: real,
            protected,
        }
    }

    /// The resolved path of a file to write, or why it must not be written.
    pub fn check_file(&self, target: &Path) -> Result<PathBuf, OutputError> {
        let resolved = absolute(target);
        if self.root.starts_with(&resolved) {
            return Err(err(format!(
                "refusing to write {}: it is the site root or a folder above it",
                target.display()
            )));
        }
        if let Some(input) = self.protected.iter().find(|p| resolved.starts_with(p)) {
            return Err(err(format!(
                "refusing to write {}: it is the site's input {} (plansite never writes into plansite.toml, seeds/, content/, themes/, templates/ or static/)",
                target.display(),
                input.strip_prefix(&self.root).unwrap_or(input).display()
            )));
        }
        Ok(resolved)
    }

    /// The resolved path of an output folder, or why it must not be one: the
    /// root, a folder above it, an input or a folder holding one.
    pub fn check_folder(&self, target: &Path) -> Result<PathBuf, OutputError> {
        let resolved = self.check_file(target)?;
        if let Some(input) = self.protected.iter().find(|p| p.starts_with(&resolved)) {
            return Err(err(format!(
                "refusing to write the site into {}: it holds the site's input {}",
                target.display(),
                input.display()
            )));
        }
        Ok(resolved)
    }
}

/// A relative path from content is safe to join: no `..`, no absolute parts.
pub fn safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains('\0')
        && path
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
}

/// A temporary name beside `target`: `.NAME.plansite-tmp-PID-N`.
fn temp_beside(target: &Path) -> Result<PathBuf, OutputError> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let name = target
        .file_name()
        .ok_or_else(|| err(format!("{} has no file name", target.display())))?;
    let parent = target.parent().unwrap_or(Path::new("."));
    Ok(parent.join(format!(
        ".{}{TEMP_TAG}tmp-{}-{}",
        name.to_string_lossy(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )))
}

/// Writes `bytes` to a new temporary file beside `target` and returns its path.
fn write_temp(target: &Path, bytes: &[u8]) -> Result<PathBuf, OutputError> {
    remove_stale_temps(target);
    let temp = temp_beside(target)?;
    let result = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(err(format!("cannot write {}: {e}", target.display())));
    }
    Ok(temp)
}

/// Temporary files beside `target` left by runs that no longer exist.
fn remove_stale_temps(target: &Path) {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return;
    };
    let prefix = format!(".{}{TEMP_TAG}tmp-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    }) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().to_string();
        let Some(rest) = file.strip_prefix(&prefix) else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|pid| pid != std::process::id() && !process_alive(pid))
            && entry.file_type().is_ok_and(|t| t.is_file())
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether a process with this id runs (Linux; elsewhere assumed, so nothing is removed).
fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}

/// Writes a new file; never replaces one. For `init` and `new year`, which
/// write a site's inputs: `target` may be in `content/`, but must not exist.
pub fn create_new(target: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    if std::fs::symlink_metadata(target).is_ok() {
        return Err(err(format!(
            "{} already exists; plansite does not overwrite it",
            target.display()
        )));
    }
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| err(format!("cannot create {}: {e}", parent.display())))?;
    }
    let temp = write_temp(target, bytes)?;
    // A hard link fails when the target exists (a rename would replace it).
    let linked = std::fs::hard_link(&temp, target);
    let _ = std::fs::remove_file(&temp);
    match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(err(format!(
            "{} already exists; plansite does not overwrite it",
            target.display()
        ))),
        Err(_) => {
            // A file system without hard links: create it exclusively instead.
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(target)
                .and_then(|mut f| f.write_all(bytes))
                .map_err(|e| err(format!("cannot write {}: {e}", target.display())))
        }
    }
}

/// Why an existing file may be replaced.
pub enum Replace<'a> {
    /// Only a file that starts with these bytes within its first 4 KiB (a
    /// file plansite wrote carries its marker).
    IfMarked(&'a [u8]),
    /// Any regular file that is not an input (`--force`).
    Always,
}

/// Writes `bytes` to `target` through a temporary file and a rename. An
/// existing file is replaced only as `policy` allows; inputs never.
pub fn replace(
    guard: &Guard,
    target: &Path,
    bytes: &[u8],
    policy: Replace,
) -> Result<PathBuf, OutputError> {
    let resolved = guard.check_file(target)?;
    match std::fs::symlink_metadata(&resolved) {
        Ok(meta) if !meta.is_file() => {
            return Err(err(format!(
                "refusing to write {}: something other than a file is there",
                target.display()
            )));
        }
        Ok(_) => {
            if let Replace::IfMarked(marker) = policy
                && !starts_with_marker(&resolved, marker)
            {
                return Err(err(format!(
                    "refusing to replace {}: plansite did not write it (pass --force to replace it anyway)",
                    target.display()
                )));
            }
        }
        Err(_) => {}
    }
    write_whole(&resolved, &target.display().to_string(), bytes)?;
    Ok(resolved)
}

/// Writes `bytes` to `path` (its folder made first) through a temporary file
/// and a rename, so the file is whole before and after, never half-written.
/// `shown` names it in messages.
fn write_whole(path: &Path, shown: &str, bytes: &[u8]) -> Result<(), OutputError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| err(format!("cannot create {}: {e}", parent.display())))?;
    }
    let temp = write_temp(path, bytes)?;
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        err(format!("cannot write {shown}: {e}"))
    })
}

/// Rewrites the site's English edition (`content/plan.en.yaml`) with text
/// the user asked for (`translate import`): the one input plansite writes,
/// and only this file, inside the site root, through a temporary file and a
/// rename, so that it is whole before and after, never half-written.
pub fn rewrite_translation(root: &SiteRoot, bytes: &[u8]) -> Result<PathBuf, OutputError> {
    let rel = crate::content::translation::TRANSLATION_FILE;
    let target = root.real().join(rel);
    if std::fs::symlink_metadata(&target).is_ok_and(|m| !m.is_file()) {
        return Err(err(format!(
            "refusing to write {rel}: it is not a regular file"
        )));
    }
    write_whole(&target, rel, bytes)?;
    Ok(target)
}

/// Appends `bytes` to `target` (creating it): for files a CI system names for
/// a run's report, such as `$GITHUB_STEP_SUMMARY`. Never a site input.
pub fn append(guard: &Guard, target: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let resolved = guard.check_file(target)?;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&resolved)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(|e| err(format!("cannot append to {}: {e}", target.display())))
}

fn starts_with_marker(path: &Path, marker: &[u8]) -> bool {
    use std::io::Read as _;
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(path)
        .and_then(|f| f.take(4096).read_to_end(&mut head))
        .is_ok()
        && head.windows(marker.len()).any(|w| w == marker)
}

/// Runs that write the same output folder take turns: the lock is held on the
/// folder that holds the output (released by the system when a run dies).
pub struct OutputLock {
    _file: Option<std::fs::File>,
}

impl OutputLock {
    /// Waits for the lock of output folder `out`; `on_wait` is called once if
    /// another run holds it.
    pub fn acquire(out: &Path, on_wait: impl FnOnce()) -> Result<OutputLock, OutputError> {
        let out = absolute(out);
        let parent = out
            .parent()
            .ok_or_else(|| err("the output folder has no parent"))?;
        std::fs::create_dir_all(parent)
            .map_err(|e| err(format!("cannot create {}: {e}", parent.display())))?;
        // Where a folder cannot be opened as a file (not on Unix), runs do not take turns.
        let Ok(file) = std::fs::File::open(parent) else {
            return Ok(OutputLock { _file: None });
        };
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                on_wait();
                file.lock()
                    .map_err(|e| err(format!("cannot lock {}: {e}", parent.display())))?;
            }
            Err(std::fs::TryLockError::Error(_)) => return Ok(OutputLock { _file: None }),
        }
        Ok(OutputLock { _file: Some(file) })
    }
}

/// Removes a folder plansite made, marking it as plansite's first, so that a
/// run killed half-way through leaves a folder the next run still knows.
fn remove_ours(dir: &Path) {
    let _ = std::fs::write(dir.join(STAGING_MARKER), b"");
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.file_name() == STAGING_MARKER {
                continue;
            }
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                let _ = std::fs::remove_dir_all(&path);
            } else {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    let _ = std::fs::remove_file(dir.join(STAGING_MARKER));
    let _ = std::fs::remove_dir(dir);
}

/// Removes what killed runs of plansite left in `dir`: hidden staging folders
/// (`.NAME.plansite-…`) that hold a staging marker or a manifest (or
/// nothing), and temporary files (`.NAME.plansite-tmp-PID-N`) of processes
/// that no longer run. Called under the output lock, so none is in use.
pub fn clean_stale(dir: &Path) {
    restore_set_aside(dir);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().to_string();
        if !file.starts_with('.') || !file.contains(TEMP_TAG) {
            continue;
        }
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => {
                let ours = path.join(STAGING_MARKER).is_file()
                    || path.join(MANIFEST).is_file()
                    || std::fs::read_dir(&path).is_ok_and(|mut d| d.next().is_none());
                if ours {
                    remove_ours(&path);
                }
            }
            Ok(t) if t.is_file() => {
                let pid = file
                    .split(&format!("{TEMP_TAG}tmp-"))
                    .nth(1)
                    .and_then(|rest| rest.split('-').next())
                    .and_then(|p| p.parse::<u32>().ok());
                if pid.is_some_and(|pid| pid != std::process::id() && !process_alive(pid)) {
                    let _ = std::fs::remove_file(&path);
                }
            }
            _ => {}
        }
    }
}

/// Where the folder swap is two renames (no atomic exchange: macOS, Windows,
/// some network file systems), a run killed between them leaves the
/// previous output set aside (`.NAME.plansite-new-PID.previous`) and no
/// `NAME`: put it back, so that the clean-up below does not remove it.
fn restore_set_aside(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().to_string();
        let Some(name) = file
            .strip_suffix(".previous")
            .and_then(|f| f.strip_prefix('.'))
            .and_then(|f| f.split_once(TEMP_TAG))
            .map(|(name, _)| name)
        else {
            continue;
        };
        let out = dir.join(name);
        if !name.is_empty()
            && std::fs::symlink_metadata(&out).is_err()
            && entry.path().join(MANIFEST).is_file()
        {
            let _ = std::fs::rename(entry.path(), &out);
        }
    }
}

/// Every file below `dir` as written (links not followed), relative path → bytes:
/// for commands that compare or verify what they wrote before.
pub fn read_folder(dir: &Path) -> Files {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((rel, std::fs::read(e.path()).ok()?))
        })
        .collect()
}

/// A file plansite wrote before, if it is there.
pub fn read_written(path: &Path) -> Option<Vec<u8>> {
    std::fs::read(path).ok()
}

/// The lines of a folder's manifest (empty when it has none).
pub fn read_manifest(dir: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(dir.join(MANIFEST))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Every file and folder under `dir` (links not followed), relative, `/`-separated;
/// folders end in `/`.
fn entries_under(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .min_depth(1)
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some(if e.file_type().is_dir() {
                format!("{rel}/")
            } else {
                rel
            })
        })
        .collect()
}

/// What in output folder `out` plansite did not write: entries that are in
/// neither its manifest nor, under a `keep` folder, that folder's own manifest.
pub fn foreign_entries(out: &Path, keep: &[&str]) -> Vec<String> {
    let top = read_manifest(out);
    let kept: Vec<(String, BTreeSet<String>)> = keep
        .iter()
        .map(|k| ((*k).to_string(), read_manifest(&out.join(k))))
        .collect();
    let listed = |path: &str| -> bool {
        if path == MANIFEST {
            return true;
        }
        for (k, manifest) in &kept {
            if path == format!("{k}/") {
                return true;
            }
            if let Some(rest) = path.strip_prefix(&format!("{k}/")) {
                return rest == MANIFEST
                    || match rest.strip_suffix('/') {
                        Some(folder) => manifest
                            .iter()
                            .any(|f| f.starts_with(folder) && f[folder.len()..].starts_with('/')),
                        None => manifest.contains(rest),
                    };
            }
        }
        match path.strip_suffix('/') {
            Some(folder) => top
                .iter()
                .any(|f| f.starts_with(folder) && f[folder.len()..].starts_with('/')),
            None => top.contains(path),
        }
    };
    let mut foreign: Vec<String> = entries_under(out)
        .into_iter()
        .filter(|p| !listed(p))
        .collect();
    // A foreign folder is named once, not with everything in it.
    foreign.sort();
    let mut shown: Vec<String> = Vec::new();
    for p in foreign {
        if !shown
            .iter()
            .any(|s| s.ends_with('/') && p.starts_with(s.as_str()))
        {
            shown.push(p);
        }
    }
    shown
}

fn foreign_error(out: &Path, foreign: &[String]) -> OutputError {
    let list: Vec<&str> = foreign.iter().take(5).map(String::as_str).collect();
    err(format!(
        "{} holds {} file(s) or folder(s) plansite did not write ({}{}); move them away (plansite never deletes them), or choose another --out",
        out.display(),
        foreign.len(),
        list.join(", "),
        if foreign.len() > list.len() {
            ", …"
        } else {
            ""
        }
    ))
}

#[derive(Debug)]
pub struct WriteReport {
    pub files: usize,
    pub bytes: usize,
}

/// A site build in progress on disk: files go into a hidden sibling folder as
/// they are rendered (from any thread), and `commit` swaps it in. Dropped
/// without a commit, it removes itself and the output stays as it was.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    keep: Vec<String>,
    written: Mutex<HashSet<String>>,
    bytes: AtomicUsize,
    /// The first failed write: an output problem, not a content one.
    write_error: Mutex<Option<String>>,
    committed: bool,
    _lock: OutputLock,
}

impl Staging {
    /// Checks output folder `out` and creates the staging folder beside it.
    /// `keep` names folders inside the output that other commands write
    /// (`archive`), each with its own manifest; they are carried over whole.
    pub fn begin(
        guard: &Guard,
        out: &Path,
        keep: &[&str],
        lock: OutputLock,
    ) -> Result<Self, OutputError> {
        let out = guard.check_folder(out)?;
        let parent = out
            .parent()
            .ok_or_else(|| err("the output folder has no parent"))?
            .to_path_buf();
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .ok_or_else(|| err("the output folder has no name"))?;
        clean_stale(&parent);
        clean_stale(&out);
        for k in keep {
            clean_stale(&out.join(k));
        }
        match std::fs::symlink_metadata(&out) {
            Ok(meta) if !meta.is_dir() => {
                return Err(err(format!("{} exists and is not a folder", out.display())));
            }
            Ok(_) => {
                let foreign = foreign_entries(&out, keep);
                if !foreign.is_empty() {
                    return Err(foreign_error(&out, &foreign));
                }
            }
            Err(_) => {}
        }
        let dir = parent.join(format!(".{name}{TEMP_TAG}new-{}", std::process::id()));
        if std::fs::symlink_metadata(&dir).is_ok() {
            remove_ours(&dir);
        }
        std::fs::create_dir_all(&dir)
            .map_err(|e| err(format!("cannot create {}: {e}", dir.display())))?;
        std::fs::write(dir.join(STAGING_MARKER), b"plansite staging folder\n")
            .map_err(|e| err(format!("cannot write in {}: {e}", dir.display())))?;
        Ok(Staging {
            out,
            dir,
            keep: keep.iter().map(|k| (*k).to_string()).collect(),
            written: Mutex::new(HashSet::new()),
            bytes: AtomicUsize::new(0),
            write_error: Mutex::new(None),
            committed: false,
            _lock: lock,
        })
    }

    /// Writes one file into the staging folder.
    pub fn put(&self, path: &str, data: &[u8]) -> Result<(), OutputError> {
        let target = self.target(path)?;
        // One write call per file: the pages are whole in memory already.
        std::fs::write(&target, data)
            .map_err(|e| err(format!("cannot write {}: {e}", target.display())))?;
        self.bytes.fetch_add(data.len(), Ordering::Relaxed);
        Ok(())
    }

    /// Writes one file into the staging folder as `write` produces it. A
    /// failure of `write` itself (say, a template error) is not a write error.
    pub fn put_with(&self, path: &str, write: &mut WriteFn) -> Result<usize, StreamError> {
        let target = self.target(path)?;
        let fail = |e: std::io::Error| err(format!("cannot write {}: {e}", target.display()));
        let file = std::fs::File::create(&target).map_err(fail)?;
        let mut out = Watched {
            inner: std::io::BufWriter::with_capacity(STREAM_BUFFER, file),
            bytes: 0,
            failed: None,
        };
        if let Err(e) = write(&mut out) {
            return Err(match out.failed {
                Some(io) => StreamError::Output(fail(io)),
                None => StreamError::Producer(e.to_string()),
            });
        }
        out.inner.into_inner().map_err(|e| fail(e.into_error()))?;
        self.bytes.fetch_add(out.bytes, Ordering::Relaxed);
        Ok(out.bytes)
    }

    /// The checked path of `path` in the staging folder, its folder created;
    /// each path may be written once (two sources for one path is an error).
    fn target(&self, path: &str) -> Result<PathBuf, OutputError> {
        if !safe_relative(path) || path == MANIFEST || path.starts_with(STAGING_MARKER) {
            return Err(err(format!(
                "refusing to write `{path}`: not a plain relative path"
            )));
        }
        if self.keep.iter().any(|k| path.starts_with(&format!("{k}/"))) {
            return Err(err(format!(
                "refusing to write `{path}`: that folder belongs to another command"
            )));
        }
        let fresh = self
            .written
            .lock()
            .map_err(|_| err("a writer thread failed"))?
            .insert(path.to_string());
        if !fresh {
            return Err(err(format!(
                "two sources write `{path}`; each output path must have one"
            )));
        }
        let target = self.dir.join(path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| err(format!("cannot create {}: {e}", dir.display())))?;
        }
        Ok(target)
    }

    /// Why writing failed, when the render stopped because of it.
    pub fn write_error(&self) -> Option<String> {
        self.write_error.lock().ok().and_then(|e| e.clone())
    }

    /// Keeps the first write error, to report it rather than its consequences.
    fn note(&self, e: OutputError) -> String {
        if let Ok(mut first) = self.write_error.lock() {
            first.get_or_insert_with(|| e.0.clone());
        }
        e.0
    }

    /// Carries the `keep` folders over from the previous output (as hard links
    /// where the file system allows), writes the manifest and swaps the
    /// staging folder in.
    pub fn commit(mut self) -> Result<WriteReport, OutputError> {
        let written = std::mem::take(
            &mut *self
                .written
                .lock()
                .map_err(|_| err("a writer thread failed"))?,
        );
        let report = WriteReport {
            files: written.len(),
            bytes: self.bytes.load(Ordering::Relaxed),
        };
        let out = self.out.clone();
        if out.is_dir() {
            let keep: Vec<&str> = self.keep.iter().map(String::as_str).collect();
            let foreign = foreign_entries(&out, &keep);
            if !foreign.is_empty() {
                return Err(foreign_error(&out, &foreign));
            }
            for k in &keep {
                let from = out.join(k);
                let manifest = read_manifest(&from);
                if manifest.is_empty() {
                    continue;
                }
                for rel in manifest
                    .iter()
                    .chain(std::iter::once(&MANIFEST.to_string()))
                {
                    let source = from.join(rel);
                    if !source.is_file() {
                        // Listed but gone (a run killed before writing it): not carried.
                        continue;
                    }
                    let target = self.dir.join(k).join(rel);
                    if let Some(dir) = target.parent() {
                        std::fs::create_dir_all(dir)
                            .map_err(|e| err(format!("cannot create {}: {e}", dir.display())))?;
                    }
                    if std::fs::hard_link(&source, &target).is_err() {
                        std::fs::copy(&source, &target)
                            .map_err(|e| err(format!("cannot keep {k}/{rel}: {e}")))?;
                    }
                }
            }
        }
        let mut manifest: Vec<String> = written.into_iter().collect();
        manifest.sort_unstable();
        std::fs::write(self.dir.join(MANIFEST), manifest.join("\n") + "\n")
            .map_err(|e| err(format!("cannot write the manifest: {e}")))?;
        // From here the manifest marks the folder as plansite's.
        let _ = std::fs::remove_file(self.dir.join(STAGING_MARKER));
        swap_in(&self.dir, &out)?;
        self.committed = true;
        // `self.dir` now holds the previous output, all of it plansite's (checked above).
        remove_ours(&self.dir);
        Ok(report)
    }
}

/// Puts folder `new` in the place of `out`, leaving the previous `out` at
/// `new`. On Linux one atomic exchange; elsewhere (or where the file system
/// cannot exchange) two renames.
fn swap_in(new: &Path, out: &Path) -> Result<(), OutputError> {
    if std::fs::symlink_metadata(out).is_err() {
        return std::fs::rename(new, out)
            .map_err(|e| err(format!("cannot move the new output into place: {e}")));
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, new, CWD, out, RenameFlags::EXCHANGE).is_ok() {
            return Ok(());
        }
    }
    let aside = new.with_extension("previous");
    std::fs::rename(out, &aside)
        .map_err(|e| err(format!("cannot move the previous output aside: {e}")))?;
    if let Err(e) = std::fs::rename(new, out) {
        let _ = std::fs::rename(&aside, out);
        return Err(err(format!("cannot move the new output into place: {e}")));
    }
    std::fs::rename(&aside, new)
        .map_err(|e| err(format!("cannot move the previous output away: {e}")))
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            remove_ours(&self.dir);
        }
    }
}

impl Sink for Staging {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), String> {
        Staging::put(self, path, bytes).map_err(|e| self.note(e))
    }

    fn put_with(&self, path: &str, write: &mut WriteFn) -> Result<usize, String> {
        Staging::put_with(self, path, write).map_err(|e| match e {
            StreamError::Output(e) => self.note(e),
            StreamError::Producer(message) => message,
        })
    }
}

/// Why [`Staging::put_with`] failed.
#[derive(Debug)]
pub enum StreamError {
    /// Writing to disk failed.
    Output(OutputError),
    /// What produces the file failed.
    Producer(String),
}

impl From<OutputError> for StreamError {
    fn from(e: OutputError) -> Self {
        StreamError::Output(e)
    }
}

/// A writer that counts what it takes and remembers its own failure, to tell
/// it from the producer's.
struct Watched<W> {
    inner: W,
    bytes: usize,
    failed: Option<std::io::Error>,
}

impl<W> Watched<W> {
    fn remember(&mut self, e: &std::io::Error) {
        // An interrupted write is retried, not a failure.
        if e.kind() != std::io::ErrorKind::Interrupted {
            self.failed
                .get_or_insert_with(|| std::io::Error::new(e.kind(), e.to_string()));
        }
    }
}

impl<W: std::io::Write> std::io::Write for Watched<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let result = self.inner.write(buf);
        match &result {
            Ok(n) => self.bytes += n,
            Err(e) => self.remember(e),
        }
        result
    }
    fn flush(&mut self) -> std::io::Result<()> {
        let result = self.inner.flush();
        if let Err(e) = &result {
            self.remember(e);
        }
        result
    }
}

/// The write buffer of a file that is written as it is produced.
const STREAM_BUFFER: usize = 256 * 1024;

/// Whether `dir` is missing or an empty folder (what `init` may fill).
pub fn is_empty_or_missing(dir: &Path) -> bool {
    !dir.exists() || std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

/// Writes a folder that must not exist yet (an archive snapshot) in one step:
/// staged beside it, then renamed into place; never over anything. A file
/// of the same name left by a killed run of this command is replaced.
pub fn create_folder(guard: &Guard, target: &Path, files: &Files) -> Result<(), OutputError> {
    let target = guard.check_folder(target)?;
    if std::fs::symlink_metadata(&target).is_ok() {
        return Err(err(format!(
            "{} already exists; plansite does not overwrite it",
            target.display()
        )));
    }
    let parent = target
        .parent()
        .ok_or_else(|| err("the folder has no parent"))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .ok_or_else(|| err("the folder has no name"))?;
    std::fs::create_dir_all(parent)
        .map_err(|e| err(format!("cannot create {}: {e}", parent.display())))?;
    clean_stale(parent);
    let dir = parent.join(format!(".{name}{TEMP_TAG}new-{}", std::process::id()));
    std::fs::create_dir_all(&dir)
        .map_err(|e| err(format!("cannot create {}: {e}", dir.display())))?;
    let fill = || -> Result<(), OutputError> {
        std::fs::write(dir.join(STAGING_MARKER), b"plansite staging folder\n")
            .map_err(|e| err(format!("cannot write in {}: {e}", dir.display())))?;
        for (path, bytes) in files {
            if !safe_relative(path) {
                return Err(err(format!(
                    "refusing to write `{path}`: not a plain relative path"
                )));
            }
            let file = dir.join(path);
            if let Some(d) = file.parent() {
                std::fs::create_dir_all(d)
                    .map_err(|e| err(format!("cannot create {}: {e}", d.display())))?;
            }
            std::fs::write(&file, bytes)
                .map_err(|e| err(format!("cannot write {}: {e}", file.display())))?;
        }
        std::fs::remove_file(dir.join(STAGING_MARKER))
            .map_err(|e| err(format!("cannot write in {}: {e}", dir.display())))?;
        rename_new(&dir, &target)
    };
    fill().inspect_err(|_| remove_ours(&dir))
}

/// Renames folder `from` to `to`, which must not exist.
fn rename_new(from: &Path, to: &Path) -> Result<(), OutputError> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
            Ok(()) => return Ok(()),
            Err(rustix::io::Errno::EXIST) => {
                return Err(err(format!("{} already exists", to.display())));
            }
            Err(_) => {}
        }
    }
    if std::fs::symlink_metadata(to).is_ok() {
        return Err(err(format!("{} already exists", to.display())));
    }
    std::fs::rename(from, to)
        .map_err(|e| err(format!("cannot move {} into place: {e}", to.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> (tempfile::TempDir, SiteRoot, Guard) {
        let dir = tempfile::tempdir().expect("tempdir");
        for d in ["content", "seeds", "templates"] {
            std::fs::create_dir_all(dir.path().join(d)).expect("mkdir");
        }
        std::fs::write(dir.path().join("plansite.toml"), "x").expect("write");
        std::fs::write(dir.path().join("seeds/plan.txt"), "plan").expect("write");
        let site = SiteRoot::open(dir.path()).expect("root");
        let guard = Guard::new(&site, &[]);
        (dir, site, guard)
    }

    fn lock(out: &Path) -> OutputLock {
        OutputLock::acquire(out, || {}).expect("lock")
    }

    /// A run killed between the two renames of a non-atomic swap: the next
    /// run puts the previous output back and removes the half-done staging.
    #[test]
    fn a_swap_killed_between_its_renames_is_undone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let aside = dir.path().join(".public.plansite-new-999999.previous");
        let staging = dir.path().join(".public.plansite-new-999999");
        std::fs::create_dir_all(&aside).expect("mkdir");
        std::fs::write(aside.join(MANIFEST), "index.html\n").expect("write");
        std::fs::write(aside.join("index.html"), "old").expect("write");
        std::fs::create_dir_all(&staging).expect("mkdir");
        std::fs::write(staging.join(STAGING_MARKER), "").expect("write");
        clean_stale(dir.path());
        let public = dir.path().join("public");
        assert_eq!(
            std::fs::read_to_string(public.join("index.html")).expect("restored"),
            "old"
        );
        assert!(!aside.exists() && !staging.exists());
    }

    fn write_site(
        guard: &Guard,
        out: &Path,
        files: &Files,
        keep: &[&str],
    ) -> Result<WriteReport, OutputError> {
        let staging = Staging::begin(guard, out, keep, lock(out))?;
        for (path, data) in files {
            staging.put(path, data)?;
        }
        staging.commit()
    }

    #[test]
    fn relative_paths() {
        assert!(safe_relative("zh/areas/x/index.html"));
        assert!(!safe_relative("../etc/passwd"));
        assert!(!safe_relative("/abs"));
        assert!(!safe_relative("a//b"));
        assert!(!safe_relative("a/./b"));
    }

    #[test]
    fn inputs_are_refused_whatever_the_spelling() {
        let (dir, _site, guard) = root();
        let r = dir.path();
        for target in [
            r.to_path_buf(),
            r.join("content"),
            r.join("content/x"),
            r.join("seeds"),
            r.join("seeds/plan.txt"),
            r.join("public/../seeds/plan.txt"),
            r.join("seeds/./plan.txt"),
            r.join("plansite.toml"),
            r.join("templates/base.html"),
            r.join(".."),
        ] {
            assert!(guard.check_file(&target).is_err(), "{}", target.display());
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(r.join("seeds"), r.join("innocent")).expect("link");
            std::os::unix::fs::symlink(r.join("seeds/plan.txt"), r.join("packet.html"))
                .expect("link");
            assert!(guard.check_file(&r.join("innocent/plan.txt")).is_err());
            assert!(guard.check_file(&r.join("packet.html")).is_err());
            assert!(guard.check_folder(&r.join("innocent")).is_err());
        }
        assert!(guard.check_folder(&r.join("public")).is_ok());
        assert!(guard.check_file(&r.join("packet-2024.html")).is_ok());
    }

    #[test]
    fn create_new_never_replaces_and_replace_only_what_it_may() {
        let (dir, _site, guard) = root();
        let file = dir.path().join("content/progress/2026.yaml");
        create_new(&file, b"one").expect("new");
        assert!(create_new(&file, b"two").is_err());
        assert_eq!(std::fs::read(&file).expect("read"), b"one");
        // Only a file carrying the marker is replaced, unless forced; inputs never.
        let packet = dir.path().join("packet.html");
        std::fs::write(&packet, "someone's notes").expect("write");
        assert!(replace(&guard, &packet, b"<p>", Replace::IfMarked(b"plansite")).is_err());
        replace(&guard, &packet, b"made by plansite", Replace::Always).expect("forced");
        replace(
            &guard,
            &packet,
            b"plansite again",
            Replace::IfMarked(b"plansite"),
        )
        .expect("ours");
        assert_eq!(std::fs::read(&packet).expect("read"), b"plansite again");
        let seed = dir.path().join("seeds/plan.txt");
        assert!(replace(&guard, &seed, b"html", Replace::Always).is_err());
        assert_eq!(std::fs::read(&seed).expect("read"), b"plan");
        // No temporary files are left behind.
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains(TEMP_TAG))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn a_failed_write_is_reported_as_an_output_error_and_leaves_nothing() {
        let (dir, _site, guard) = root();
        let out = dir.path().join("public");
        let staging = Staging::begin(&guard, &out, &[], lock(&out)).expect("begin");
        // A file where a folder must go makes the next write fail.
        std::fs::write(staging.dir.join("zh"), "in the way").expect("write");
        let sink: &dyn Sink = &staging;
        assert!(sink.put("index.html", b"ok").is_ok());
        assert!(staging.write_error().is_none());
        assert!(sink.put("zh/areas/x/index.html", b"page").is_err());
        assert!(
            staging
                .write_error()
                .is_some_and(|e| e.contains("cannot create")),
            "{:?}",
            staging.write_error()
        );
        let staging_dir = staging.dir.clone();
        drop(staging);
        assert!(!staging_dir.exists() && !out.exists());
    }

    #[test]
    fn one_path_one_source() {
        let (dir, _site, guard) = root();
        let out = dir.path().join("public");
        let staging = Staging::begin(&guard, &out, &["archive"], lock(&out)).expect("begin");
        staging.put("zh/areas/index.html", b"one").expect("first");
        let second = staging
            .put("zh/areas/index.html", b"two")
            .expect_err("second");
        assert!(second.0.contains("two sources"), "{second}");
        assert!(staging.put("archive/index.html", b"x").is_err());
        assert!(staging.put(MANIFEST, b"x").is_err());
    }

    #[test]
    fn a_streamed_file_is_written_whole_and_a_failing_producer_is_no_write_error() {
        let (dir, _site, guard) = root();
        let out = dir.path().join("public");
        let staging = Staging::begin(&guard, &out, &[], lock(&out)).expect("begin");
        let sink: &dyn Sink = &staging;
        let big = vec![b'x'; 3 * STREAM_BUFFER + 17];
        let size = sink
            .put_with("search/zh.js", &mut |w| {
                w.write_all(b"head ")?;
                w.write_all(&big)
            })
            .expect("streamed");
        assert_eq!(size, big.len() + 5);
        let failed = sink.put_with("zh/plan/index.html", &mut |w| {
            w.write_all(b"<html>")?;
            Err(std::io::Error::other("template error: no such variable"))
        });
        assert_eq!(
            failed.err().as_deref(),
            Some("template error: no such variable")
        );
        assert!(
            staging.write_error().is_none(),
            "a producer's failure is not an output error"
        );
        // An output failure is one.
        std::fs::write(staging.dir.join("data"), "in the way").expect("write");
        assert!(
            sink.put_with("data/plan.json", &mut |w| w.write_all(b"{}"))
                .is_err()
        );
        assert!(staging.write_error().is_some());
        drop(staging);
        let report = {
            let staging = Staging::begin(&guard, &out, &[], lock(&out)).expect("begin again");
            staging
                .put_with("a.txt", &mut |w| w.write_all(b"abc"))
                .expect("written");
            staging.commit().expect("commit")
        };
        assert_eq!((report.files, report.bytes), (1, 3));
        assert_eq!(std::fs::read(out.join("a.txt")).expect("read"), b"abc");
    }

    #[test]
    fn swap_keeps_previous_output_on_failure_and_never_deletes_foreign_files() {
        let (dir, _site, guard) = root();
        let out = dir.path().join("public");
        let mut files = Files::new();
        files.insert("index.html".into(), b"one".to_vec());
        write_site(&guard, &out, &files, &[]).expect("first write");
        // A bad path fails the build; the previous output stays.
        let mut bad = files.clone();
        bad.insert("../escape.html".into(), b"x".to_vec());
        assert!(write_site(&guard, &out, &bad, &[]).is_err());
        assert_eq!(std::fs::read(out.join("index.html")).expect("read"), b"one");
        assert!(!dir.path().join("escape.html").exists());
        // A file or a folder someone else put there blocks the swap instead of being deleted.
        std::fs::write(out.join("notes.txt"), "mine").expect("write");
        files.insert("index.html".into(), b"two".to_vec());
        let e = write_site(&guard, &out, &files, &[]).expect_err("foreign file");
        assert!(e.0.contains("notes.txt"), "{e}");
        assert_eq!(
            std::fs::read_to_string(out.join("notes.txt")).expect("read"),
            "mine"
        );
        std::fs::remove_file(out.join("notes.txt")).expect("rm");
        std::fs::create_dir_all(out.join("photos")).expect("mkdir");
        let e = write_site(&guard, &out, &files, &[]).expect_err("foreign folder");
        assert!(e.0.contains("photos/"), "{e}");
        std::fs::remove_dir(out.join("photos")).expect("rm");
        write_site(&guard, &out, &files, &[]).expect("clean again");
        assert_eq!(std::fs::read(out.join("index.html")).expect("read"), b"two");
    }

    #[test]
    fn a_kept_folder_is_carried_over_by_its_own_manifest_and_foreign_files_in_it_block() {
        let (dir, _site, guard) = root();
        let out = dir.path().join("public");
        let mut files = Files::new();
        files.insert("index.html".into(), b"site".to_vec());
        write_site(&guard, &out, &files, &["archive"]).expect("build");
        let mut snapshot = Files::new();
        snapshot.insert("index.html".into(), b"2023".to_vec());
        create_folder(&guard, &out.join("archive/2023"), &snapshot).expect("snapshot");
        std::fs::write(out.join("archive").join(MANIFEST), "2023/index.html\n").expect("manifest");
        write_site(&guard, &out, &files, &["archive"]).expect("rebuild");
        assert_eq!(
            std::fs::read(out.join("archive/2023/index.html")).expect("kept"),
            b"2023"
        );
        // A user's file in archive/ is not adopted: it blocks, and stays.
        std::fs::write(out.join("archive/mine.pdf"), "pdf").expect("write");
        let e = write_site(&guard, &out, &files, &["archive"]).expect_err("foreign");
        assert!(e.0.contains("archive/mine.pdf"), "{e}");
        assert!(out.join("archive/mine.pdf").exists());
        assert!(!read_manifest(&out).iter().any(|f| f.contains("mine")));
        // An existing snapshot is never written over.
        assert!(create_folder(&guard, &out.join("archive/2023"), &snapshot).is_err());
    }

    #[test]
    fn stale_staging_folders_of_killed_runs_are_removed_and_others_kept() {
        let (dir, _site, guard) = root();
        let out = dir.path().join("public");
        let stale_new = dir.path().join(".public.plansite-new-99999999");
        std::fs::create_dir_all(stale_new.join("zh")).expect("mkdir");
        std::fs::write(stale_new.join(STAGING_MARKER), "").expect("marker");
        let stale_old = dir.path().join(".public.plansite-new-99999998");
        std::fs::create_dir_all(&stale_old).expect("mkdir");
        std::fs::write(stale_old.join(MANIFEST), "index.html\n").expect("manifest");
        let not_ours = dir.path().join(".public.plansite-new-mine");
        std::fs::create_dir_all(&not_ours).expect("mkdir");
        std::fs::write(not_ours.join("notes.txt"), "x").expect("write");
        let mut files = Files::new();
        files.insert("index.html".into(), b"x".to_vec());
        write_site(&guard, &out, &files, &[]).expect("build");
        assert!(!stale_new.exists() && !stale_old.exists());
        assert!(not_ours.join("notes.txt").exists());
    }
}
