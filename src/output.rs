//! Writing the rendered site. One function for disk: it refuses dangerous
//! output folders, writes into a temporary sibling folder, then swaps it in, so a
//! failed build leaves the previous output untouched. A manifest records every
//! file plansite wrote; plansite never deletes a file that is not in it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::render::{Files, Sink, WriteFn};

pub const MANIFEST: &str = ".plansite-manifest";

#[derive(Debug)]
pub struct OutputError(pub String);

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err(msg: impl Into<String>) -> OutputError {
    OutputError(msg.into())
}

/// Absolute, normalised form of a path that may not exist yet.
fn absolute(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = std::fs::canonicalize(&existing).unwrap_or(existing);
    for name in rest.into_iter().rev() {
        if name == ".." {
            out.pop();
        } else if name != "." {
            out.push(name);
        }
    }
    out
}

/// Refuses output folders that would clobber the site's own files.
pub fn check_target(root: &Path, out: &Path) -> Result<(), OutputError> {
    let root = absolute(root);
    let out = absolute(out);
    if out == root || root.starts_with(&out) {
        return Err(err(format!(
            "refusing to write the site into {}: it is (or contains) the site root",
            out.display()
        )));
    }
    for protected in ["content", "seeds", "themes", "templates", "src", ".git"] {
        if out.starts_with(root.join(protected)) {
            return Err(err(format!(
                "refusing to write the site into {}: it is inside the site's {protected}/ folder",
                out.display()
            )));
        }
    }
    if out.exists() {
        if !out.is_dir() {
            return Err(err(format!("{} exists and is not a folder", out.display())));
        }
        let empty = std::fs::read_dir(&out)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        let owned = out.join(MANIFEST).is_file() || {
            let before = written_before(&out);
            existing_files(&out).iter().all(|f| before.contains(f))
        };
        if !empty && !owned {
            return Err(err(format!(
                "refusing to write into {}: the folder is not empty and plansite did not create it (no {MANIFEST}); choose another --out or empty it",
                out.display()
            )));
        }
    }
    Ok(())
}

/// Relative paths of every file under `dir` (links included, not followed).
fn existing_files(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .flatten()
        .filter(|e| !e.file_type().is_dir())
        .filter_map(|e| {
            e.path()
                .strip_prefix(dir)
                .ok()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
        })
        .collect()
}

/// Files plansite wrote into `dir` before: its own manifest, or the entries under
/// it in the manifest of the folder above (`archive/` inside a built site).
fn written_before(dir: &Path) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = std::fs::read_to_string(dir.join(MANIFEST))
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect();
    if let (Some(parent), Some(name)) = (dir.parent(), dir.file_name().and_then(|n| n.to_str())) {
        let prefix = format!("{name}/");
        for line in std::fs::read_to_string(parent.join(MANIFEST))
            .unwrap_or_default()
            .lines()
        {
            if let Some(rest) = line.strip_prefix(&prefix) {
                set.insert(rest.to_string());
            }
        }
    }
    set
}

/// A relative path from content is safe to join: no `..`, no absolute parts.
pub fn safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && path
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
}

pub struct WriteReport {
    pub files: usize,
    pub bytes: usize,
}

/// A build in progress on disk: files go into a hidden sibling folder as they
/// are rendered (from any thread), and `commit` swaps it in. Dropped without
/// a commit, it removes itself, so a failed build leaves the previous output as it was.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    written: Mutex<Vec<String>>,
    bytes: AtomicUsize,
    /// The first failed write: an output problem, not a content one.
    write_error: Mutex<Option<String>>,
    committed: bool,
}

impl Staging {
    /// Checks `out` (see `check_target`) and creates the staging folder beside it.
    pub fn begin(root: &Path, out: &Path) -> Result<Self, OutputError> {
        check_target(root, out)?;
        let out = absolute(out);
        let parent = out
            .parent()
            .ok_or_else(|| err("the output folder has no parent"))?;
        std::fs::create_dir_all(parent)
            .map_err(|e| err(format!("cannot create {}: {e}", parent.display())))?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "public".into());
        let dir = parent.join(format!(".{name}.plansite-new-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .map_err(|e| err(format!("cannot create {}: {e}", dir.display())))?;
        Ok(Staging {
            out,
            dir,
            written: Mutex::new(Vec::new()),
            bytes: AtomicUsize::new(0),
            write_error: Mutex::new(None),
            committed: false,
        })
    }

    /// Writes one file into the staging folder.
    pub fn put(&self, path: &str, data: &[u8]) -> Result<(), OutputError> {
        let target = self.target(path)?;
        // One write call per file: the pages are whole in memory already.
        std::fs::write(&target, data)
            .map_err(|e| err(format!("cannot write {}: {e}", target.display())))?;
        self.wrote(path, data.len())
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
        self.wrote(path, out.bytes)?;
        Ok(out.bytes)
    }

    /// The checked path of `path` in the staging folder, its folder created.
    fn target(&self, path: &str) -> Result<PathBuf, OutputError> {
        if !safe_relative(path) {
            return Err(err(format!(
                "refusing to write `{path}`: not a plain relative path"
            )));
        }
        let target = self.dir.join(path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| err(format!("cannot create {}: {e}", dir.display())))?;
        }
        Ok(target)
    }

    fn wrote(&self, path: &str, bytes: usize) -> Result<(), OutputError> {
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        self.written
            .lock()
            .map_err(|_| err("a writer thread failed"))?
            .push(path.to_string());
        Ok(())
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

    /// Carries the `keep` folders over from the previous output, writes the
    /// manifest and swaps the staging folder in.
    pub fn commit(mut self, keep: &[&str]) -> Result<WriteReport, OutputError> {
        let mut manifest = std::mem::take(
            &mut *self
                .written
                .lock()
                .map_err(|_| err("a writer thread failed"))?,
        );
        let report = WriteReport {
            files: manifest.len(),
            bytes: self.bytes.load(Ordering::Relaxed),
        };
        let out = self.out.clone();
        if out.is_dir() {
            let previous = written_before(&out);
            let existing = existing_files(&out);
            let foreign: Vec<&String> = existing
                .iter()
                .filter(|p| {
                    p.as_str() != MANIFEST
                        && !previous.contains(*p)
                        && !keep.iter().any(|k| p.starts_with(&format!("{k}/")))
                })
                .collect();
            if !foreign.is_empty() {
                let list: Vec<&str> = foreign.iter().take(5).map(|s| s.as_str()).collect();
                return Err(err(format!(
                    "{} holds {} file(s) plansite did not write ({}); move them away, plansite never deletes them",
                    out.display(),
                    foreign.len(),
                    list.join(", ")
                )));
            }
            let fresh: BTreeSet<&str> = manifest.iter().map(String::as_str).collect();
            let mut kept = Vec::new();
            for k in keep {
                let from = out.join(k);
                if from.is_dir() {
                    for rel in existing_files(&from) {
                        let path = format!("{k}/{rel}");
                        if fresh.contains(path.as_str()) {
                            continue;
                        }
                        let target = self.dir.join(&path);
                        if let Some(dir) = target.parent() {
                            std::fs::create_dir_all(dir).map_err(|e| {
                                err(format!("cannot create {}: {e}", dir.display()))
                            })?;
                        }
                        std::fs::copy(from.join(&rel), &target)
                            .map_err(|e| err(format!("cannot keep {path}: {e}")))?;
                        kept.push(path);
                    }
                }
            }
            manifest.extend(kept);
        }
        manifest.sort_unstable();
        std::fs::write(self.dir.join(MANIFEST), manifest.join("\n") + "\n")
            .map_err(|e| err(format!("cannot write the manifest: {e}")))?;
        let retired = self.dir.with_file_name(
            self.dir
                .file_name()
                .map(|n| {
                    n.to_string_lossy()
                        .replace(".plansite-new-", ".plansite-old-")
                })
                .unwrap_or_default(),
        );
        if out.exists() {
            std::fs::rename(&out, &retired)
                .map_err(|e| err(format!("cannot move the previous output aside: {e}")))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &out) {
            let _ = std::fs::rename(&retired, &out);
            return Err(err(format!("cannot move the new output into place: {e}")));
        }
        self.committed = true;
        // Everything in the retired folder was written (or kept) by plansite: checked above.
        let _ = std::fs::remove_dir_all(&retired);
        Ok(report)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
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

/// Writes `files` to `out` atomically. `keep` names top-level folders of the
/// previous output to carry over (e.g. `archive`, which `archive` writes).
pub fn write_site(
    root: &Path,
    out: &Path,
    files: &Files,
    keep: &[&str],
) -> Result<WriteReport, OutputError> {
    let staging = Staging::begin(root, out)?;
    for (path, data) in files {
        staging.put(path, data)?;
    }
    staging.commit(keep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert!(safe_relative("zh/areas/x/index.html"));
        assert!(!safe_relative("../etc/passwd"));
        assert!(!safe_relative("/abs"));
        assert!(!safe_relative("a//b"));
        assert!(!safe_relative("a/./b"));
    }

    #[test]
    fn dangerous_targets_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).expect("mkdir");
        assert!(check_target(root, root).is_err());
        assert!(check_target(root, &root.join("content")).is_err());
        assert!(check_target(root, &root.join("content/x")).is_err());
        assert!(check_target(root, &root.join("seeds")).is_err());
        assert!(check_target(root, &root.join("..")).is_err());
        assert!(check_target(root, &root.join("public")).is_ok());
        std::fs::create_dir_all(root.join("mine")).expect("mkdir");
        std::fs::write(root.join("mine/keep.txt"), "x").expect("write");
        assert!(check_target(root, &root.join("mine")).is_err());
    }

    #[test]
    fn a_failed_write_is_reported_as_an_output_error_and_leaves_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("public");
        let staging = Staging::begin(dir.path(), &out).expect("begin");
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
    fn a_streamed_file_is_written_whole_and_a_failing_producer_is_no_write_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("public");
        let staging = Staging::begin(dir.path(), &out).expect("begin");
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
        let report = {
            let staging = Staging::begin(dir.path(), &out).expect("begin again");
            staging
                .put_with("a.txt", &mut |w| w.write_all(b"abc"))
                .expect("written");
            staging.commit(&[]).expect("commit")
        };
        assert_eq!((report.files, report.bytes), (1, 3));
        assert_eq!(std::fs::read(out.join("a.txt")).expect("read"), b"abc");
    }

    #[test]
    fn swap_keeps_previous_output_on_failure_and_never_deletes_foreign_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        let out = root.join("public");
        let mut files = Files::new();
        files.insert("index.html".into(), b"one".to_vec());
        write_site(root, &out, &files, &[]).expect("first write");
        // A bad path fails the build; the previous output stays.
        let mut bad = files.clone();
        bad.insert("../escape.html".into(), b"x".to_vec());
        assert!(write_site(root, &out, &bad, &[]).is_err());
        assert_eq!(std::fs::read(out.join("index.html")).expect("read"), b"one");
        assert!(!root.join("escape.html").exists());
        // A file someone else put there blocks the swap instead of being deleted.
        std::fs::write(out.join("notes.txt"), "mine").expect("write");
        files.insert("index.html".into(), b"two".to_vec());
        assert!(write_site(root, &out, &files, &[]).is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("notes.txt")).expect("read"),
            "mine"
        );
    }
}
