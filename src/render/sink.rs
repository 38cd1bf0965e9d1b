//! Where rendered files go: to disk through `output::Staging` (which
//! implements `Sink` there), into memory for `serve` and tests (`Memory`), or
//! nowhere but a list of paths for `check` (`PathsOnly`). Every sink refuses a
//! second file for one path.

use std::sync::{Mutex, PoisonError};

use super::Files;

/// Where rendered files go. `render` hands each file over as soon as it is
/// made, from whichever thread made it, so a build to disk never holds the
/// whole site in memory (`output::Staging`), and `serve` keeps it all (`Memory`).
pub trait Sink: Sync {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), String>;

    /// Hands over a file that `write` produces piece by piece, so that a big
    /// file (a search index, the whole plan) need not be whole in memory first.
    /// Returns the file's size.
    fn put_with(&self, path: &str, write: &mut WriteFn) -> Result<usize, String>;
}

/// What [`Sink::put_with`] calls to produce a file.
pub type WriteFn<'a> = dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()> + 'a;

/// The in-memory sink.
#[derive(Default)]
pub struct Memory(Mutex<Files>);

impl Memory {
    pub fn into_files(self) -> Files {
        self.0.into_inner().unwrap_or_else(PoisonError::into_inner)
    }

    /// Each path may be written once: two sources for one path is an error.
    fn insert(&self, path: &str, bytes: Vec<u8>) -> Result<(), String> {
        let mut files = self
            .0
            .lock()
            .map_err(|_| "a rendering thread failed".to_string())?;
        if files.contains_key(path) {
            return Err(format!(
                "two sources write `{path}`; each output path must have one"
            ));
        }
        files.insert(path.to_string(), bytes);
        Ok(())
    }
}

impl Sink for Memory {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), String> {
        self.insert(path, bytes.to_vec())
    }

    /// Keeps the file as made, without copying it.
    fn put_with(&self, path: &str, write: &mut WriteFn) -> Result<usize, String> {
        let mut bytes = Vec::new();
        write(&mut bytes).map_err(|e| format!("{path}: {e}"))?;
        let size = bytes.len();
        self.insert(path, bytes)?;
        Ok(size)
    }
}

/// A sink that keeps only the paths it was given: `check` renders every page
/// to find template errors without holding the site in memory.
#[derive(Default)]
pub struct PathsOnly(Mutex<std::collections::BTreeSet<String>>);

impl PathsOnly {
    fn insert(&self, path: &str) -> Result<(), String> {
        let mut paths = self
            .0
            .lock()
            .map_err(|_| "a rendering thread failed".to_string())?;
        if !paths.insert(path.to_string()) {
            return Err(format!(
                "two sources write `{path}`; each output path must have one"
            ));
        }
        Ok(())
    }
}

impl Sink for PathsOnly {
    fn put(&self, path: &str, _: &[u8]) -> Result<(), String> {
        self.insert(path)
    }

    fn put_with(&self, path: &str, write: &mut WriteFn) -> Result<usize, String> {
        let mut counter = Counter(0);
        write(&mut counter).map_err(|e| format!("{path}: {e}"))?;
        self.insert(path)?;
        Ok(counter.0)
    }
}

/// Counts the bytes written to it.
struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
