//! The one place plansite reads a site's files. Every path is resolved —
//! `..` and symbolic links at every level — and must lie inside the site root;
//! only regular files are read (a FIFO or a device is an error, never a wait),
//! and size limits count the bytes actually read, not what metadata claims.
//! `output` is the one place plansite writes; together they keep a site's
//! inputs and everything outside it safe (docs/SAFETY.md).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::diag::{Code, Diagnostic};

/// Largest content or seed file plansite reads.
pub const MAX_FILE_BYTES: u64 = 100 * 1024 * 1024;

/// A site root, resolved once.
#[derive(Debug, Clone)]
pub struct SiteRoot {
    /// As the user gave it (for messages and for output paths).
    given: PathBuf,
    /// Canonical: every input must resolve to a path under it.
    real: PathBuf,
    /// Every file read so far (relative paths), for provenance records.
    read: std::sync::Arc<std::sync::Mutex<std::collections::BTreeSet<String>>>,
}

fn io_error(rel: &str, message: String) -> Diagnostic {
    Diagnostic::error(Code::Io, rel, 0, 0, message)
}

impl SiteRoot {
    /// The site root at `root`, which must be a folder.
    pub fn open(root: &Path) -> Result<SiteRoot, Diagnostic> {
        let real = std::fs::canonicalize(root).map_err(|e| {
            io_error(
                &root.display().to_string(),
                format!("cannot open the site root: {e}"),
            )
            .help("run plansite in a site root, pass --root DIR, or create one with `plansite init DIR --seed FILE`")
        })?;
        if !real.is_dir() {
            return Err(io_error(
                &root.display().to_string(),
                "the site root is not a folder".into(),
            ));
        }
        Ok(SiteRoot {
            given: root.to_path_buf(),
            real,
            read: std::sync::Arc::default(),
        })
    }

    /// The root as given.
    pub fn path(&self) -> &Path {
        &self.given
    }

    /// The root with every link resolved.
    pub fn real(&self) -> &Path {
        &self.real
    }

    /// Where `rel` leads, with every link resolved; `None` when nothing is
    /// there. A path that leads outside the root is an `outside-root` error.
    pub fn resolve(&self, rel: &str) -> Result<Option<PathBuf>, Diagnostic> {
        let joined = self.real.join(rel);
        let resolved = match std::fs::canonicalize(&joined) {
            Ok(p) => p,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // A dangling link is missing too, but say where it points.
                if let Ok(target) = std::fs::read_link(&joined) {
                    return Err(io_error(
                        rel,
                        format!("is a link to {}, which does not exist", target.display()),
                    ));
                }
                return Ok(None);
            }
            Err(e) => return Err(io_error(rel, format!("cannot read: {e}"))),
        };
        if !resolved.starts_with(&self.real) {
            return Err(outside_root(rel, &resolved));
        }
        Ok(Some(resolved))
    }

    /// Whether anything (a file, a folder, a link) is at `rel`.
    pub fn exists(&self, rel: &str) -> bool {
        std::fs::symlink_metadata(self.real.join(rel)).is_ok()
    }

    /// The bytes of the regular file at `rel`, at most `limit` of them.
    pub fn read(&self, rel: &str, limit: u64) -> Result<Vec<u8>, Diagnostic> {
        let path = self
            .resolve(rel)?
            .ok_or_else(|| Diagnostic::error(Code::MissingFile, rel, 0, 0, "file not found"))?;
        let file = open_regular(&path).map_err(|e| match e {
            OpenError::NotAFile(kind) => not_a_file(rel, kind),
            OpenError::Io(e) => io_error(rel, format!("cannot read: {e}")),
        })?;
        let mut bytes = Vec::new();
        file.take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| io_error(rel, format!("cannot read: {e}")))?;
        if bytes.len() as u64 > limit {
            return Err(Diagnostic::error(
                Code::FileTooLarge,
                rel,
                0,
                0,
                format!("more than {limit} bytes; plansite reads at most {limit}"),
            ));
        }
        if let Ok(mut read) = self.read.lock() {
            read.insert(rel.to_string());
        }
        Ok(bytes)
    }

    /// Every file read from this root so far, as sorted relative paths.
    pub fn files_read(&self) -> Vec<String> {
        self.read
            .lock()
            .map(|r| r.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// A UTF-8 text file (a BOM is dropped); invalid UTF-8 is an error at its line and column.
    pub fn read_text(&self, rel: &str, limit: u64) -> Result<String, Diagnostic> {
        let bytes = self.read(rel, limit)?;
        utf8(rel, bytes)
    }

    /// What is at `rel` (inside the root, links resolved): a regular file, a
    /// folder, or nothing usable (then why, in `diags`, unless it is missing).
    fn entry(&self, rel: &str, diags: &mut Vec<Diagnostic>) -> Option<Entry> {
        match self.resolve(rel) {
            Ok(Some(path)) => match std::fs::metadata(&path) {
                Ok(meta) if meta.is_file() => Some(Entry::File),
                Ok(meta) if meta.is_dir() => Some(Entry::Folder),
                Ok(meta) => {
                    diags.push(not_a_file(rel, kind_name(&meta)));
                    None
                }
                Err(e) => {
                    diags.push(io_error(rel, format!("cannot read: {e}")));
                    None
                }
            },
            Ok(None) => None,
            Err(d) => {
                diags.push(d);
                None
            }
        }
    }

    /// The regular files directly in folder `dir` whose names end in `suffix`,
    /// as sorted relative paths. Hidden files are passed over; a folder inside
    /// is passed over with a warning; anything else that is not a regular file
    /// inside the root is an error.
    pub fn list(&self, dir: &str, suffix: &str, diags: &mut Vec<Diagnostic>) -> Vec<String> {
        let folder = match self.resolve(dir) {
            Ok(Some(folder)) => folder,
            Ok(None) => return Vec::new(),
            Err(d) => {
                diags.push(d);
                return Vec::new();
            }
        };
        let Ok(entries) = std::fs::read_dir(&folder) else {
            if folder.is_file() {
                diags.push(not_a_file(dir, "a file where a folder belongs"));
            }
            return Vec::new();
        };
        let mut out = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if name.starts_with('.') || !name.ends_with(suffix) {
                continue;
            }
            let rel = format!("{dir}/{name}");
            match self.entry(&rel, diags) {
                Some(Entry::File) => out.push(rel),
                Some(Entry::Folder) => diags.push(Diagnostic::warning(
                    Code::NotAFile,
                    &rel,
                    0,
                    0,
                    "a folder; skipped",
                )),
                None => {}
            }
        }
        out.sort();
        out
    }

    /// Every regular file below folder `dir`, recursively, as sorted relative
    /// paths. Hidden files and folders are passed over unless `hidden` (then
    /// only `.git` and `.DS_Store` are).
    pub fn walk(&self, dir: &str, hidden: bool, diags: &mut Vec<Diagnostic>) -> Vec<String> {
        let mut out = Vec::new();
        let mut folders = vec![dir.to_string()];
        while let Some(folder) = folders.pop() {
            let resolved = match self.resolve(&folder) {
                Ok(Some(p)) => p,
                Ok(None) => continue,
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            };
            let Ok(entries) = std::fs::read_dir(&resolved) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().to_string();
                if name.starts_with('.') && (!hidden || name == ".git" || name == ".DS_Store") {
                    continue;
                }
                let rel = format!("{folder}/{name}");
                match self.entry(&rel, diags) {
                    Some(Entry::File) => out.push(rel),
                    Some(Entry::Folder) => folders.push(rel),
                    None => {}
                }
            }
        }
        out.sort();
        out
    }
}

/// Where the site root lies inside its git repository: `""` at its top, else
/// `sites/hebei/` (found by looking for `.git` above the root); `""` outside one.
pub fn repo_prefix(root: &Path) -> String {
    let Ok(real) = std::fs::canonicalize(root) else {
        return String::new();
    };
    let mut dir = real.as_path();
    loop {
        if dir.join(".git").exists() {
            let rel = real.strip_prefix(dir).unwrap_or(Path::new(""));
            let rel = rel.to_string_lossy().replace('\\', "/");
            return if rel.is_empty() {
                String::new()
            } else {
                format!("{}/", rel.trim_end_matches('/'))
            };
        }
        match dir.parent() {
            Some(parent) => dir = parent,
            None => return String::new(),
        }
    }
}

/// Reads a file named on the command line (`plan FILE`, `init --seed FILE`):
/// a regular file, at most `limit` bytes; it need not lie in a site root.
pub fn read_given_file(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let file = open_regular(path).map_err(|e| match e {
        OpenError::NotAFile(kind) => {
            format!("{} is not a regular file ({kind})", path.display())
        }
        OpenError::Io(e) => format!("cannot read {}: {e}", path.display()),
    })?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "{} is larger than {limit} bytes, the most plansite reads",
            path.display()
        ));
    }
    Ok(bytes)
}

enum Entry {
    File,
    Folder,
}

enum OpenError {
    NotAFile(&'static str),
    Io(std::io::Error),
}

/// Opens `path` for reading without waiting: a FIFO opened with O_NONBLOCK
/// does not block for a writer, and the type is checked on the open file.
fn open_regular(path: &Path) -> Result<File, OpenError> {
    #[cfg(unix)]
    let file = {
        use rustix::fs::{Mode, OFlags, open};
        open(
            path,
            OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map(File::from)
        .map_err(|e| OpenError::Io(e.into()))?
    };
    #[cfg(not(unix))]
    let file = File::open(path).map_err(OpenError::Io)?;
    let meta = file.metadata().map_err(OpenError::Io)?;
    if !meta.is_file() {
        return Err(OpenError::NotAFile(kind_name(&meta)));
    }
    Ok(file)
}

fn kind_name(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

fn not_a_file(rel: &str, kind: &str) -> Diagnostic {
    Diagnostic::error(
        Code::NotAFile,
        rel,
        0,
        0,
        format!("is {kind}; plansite reads only regular files"),
    )
    .help("replace it with a regular file")
}

fn outside_root(rel: &str, resolved: &Path) -> Diagnostic {
    Diagnostic::error(
        Code::OutsideRoot,
        rel,
        0,
        0,
        format!(
            "leads to {}, outside the site root; plansite reads only files inside it",
            resolved.display()
        ),
    )
    .help("copy the file or folder into the site root instead of linking to it")
}

/// Text from bytes: a BOM is dropped, invalid UTF-8 is an error at its line and column.
pub fn utf8(rel: &str, mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let before = String::from_utf8_lossy(&bytes[..valid]);
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Diagnostic::error(
            Code::InvalidUtf8,
            rel,
            line,
            col,
            format!("invalid UTF-8 (byte 0x{:02X})", bytes[valid]),
        )
        .help("save the file as UTF-8")
    })
}

/// Every input file a rebuild depends on, with its modification time and
/// size: what `serve` compares to notice an edit (metadata only).
pub fn fingerprint(root: &Path) -> BTreeMap<PathBuf, (SystemTime, u64)> {
    let mut out = BTreeMap::new();
    for entry in crate::output::INPUTS {
        for e in walkdir::WalkDir::new(root.join(entry))
            .follow_links(false)
            .into_iter()
            .flatten()
        {
            if let Ok(meta) = e.metadata()
                && meta.is_file()
            {
                out.insert(
                    e.path().to_path_buf(),
                    (
                        meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                        meta.len(),
                    ),
                );
            }
        }
    }
    out
}
