//! Loading a site root: config, seed, registries, progress files, translation,
//! glossary and pages. Problems become diagnostics; loading goes on so that
//! `check` can report everything at once.

pub mod glossary;
pub mod pages;
pub mod progress;
pub mod registry;
pub mod text;
pub mod translation;
pub mod yaml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::diag::{Diagnostic, Sources};
use crate::plan::{Plan, decode, parse};

pub use progress::ProgressYear;
pub use registry::{AreaDef, IndicatorDef, Registry};
pub use text::Text;
pub use translation::Translation;

/// Largest content or seed file plansite reads.
pub const MAX_FILE_BYTES: u64 = 100 * 1024 * 1024;

pub struct SiteInput {
    pub root: PathBuf,
    pub config: Config,
    pub seed_file: String,
    pub seed_sha256: String,
    pub seed_encoding: &'static str,
    pub plan: Plan,
    pub areas: Vec<AreaDef>,
    pub registry: Registry,
    pub progress: Vec<ProgressYear>,
    pub translation: Translation,
    pub glossary: Vec<glossary::Term>,
    pub pages: Vec<pages::Page>,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

/// One progress file's result and its own diagnostics (loaded in parallel).
type LoadedYear = (Option<ProgressYear>, Vec<Diagnostic>);

/// Loading stopped early: the config or the seed could not be read or parsed.
pub struct LoadFailure {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
    /// An I/O or usage problem (exit 2) rather than bad content (exit 1).
    pub io: bool,
}

impl SiteInput {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
    /// Frees what only validation and the model read — the parsed progress
    /// files, the translation and the file texts kept for diagnostics — once the
    /// model is built: ~25 MB of peak RSS on a 10,000-page site, whose peak is
    /// while rendering. Rendering needs only the plan and the seed's details.
    pub fn drop_model_inputs(&mut self) {
        self.progress = Vec::new();
        self.translation = Translation::default();
        self.sources = Sources::default();
    }
}

/// Reads a file below the root as bytes, refusing links that leave the root and oversized files.
pub fn read_bytes(root: &Path, rel: &str) -> Result<Vec<u8>, Diagnostic> {
    let path = root.join(rel);
    let meta = std::fs::symlink_metadata(&path)
        .map_err(|e| Diagnostic::error("io", rel, 0, 0, format!("cannot read: {e}")))?;
    if meta.file_type().is_symlink() {
        let target = std::fs::canonicalize(&path)
            .map_err(|e| Diagnostic::error("io", rel, 0, 0, format!("broken link: {e}")))?;
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        if !target.starts_with(&root) {
            return Err(Diagnostic::error(
                "link-outside-root",
                rel,
                0,
                0,
                format!(
                    "is a link to {}, outside the site root; not followed",
                    target.display()
                ),
            )
            .help("copy the file into the site instead of linking to it"));
        }
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            "file-too-large",
            rel,
            0,
            0,
            format!("{size} bytes; the limit is {MAX_FILE_BYTES}"),
        ));
    }
    std::fs::read(&path)
        .map_err(|e| Diagnostic::error("io", rel, 0, 0, format!("cannot read: {e}")))
}

/// Reads a UTF-8 text file; invalid UTF-8 is an error at its line and column.
pub fn read_text(root: &Path, rel: &str) -> Result<String, Diagnostic> {
    let bytes = read_bytes(root, rel)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let before = String::from_utf8_lossy(&bytes[..valid]);
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Diagnostic::error(
            "invalid-utf8",
            rel,
            line,
            col,
            format!("invalid UTF-8 (byte 0x{:02X})", bytes[valid]),
        )
        .help("save the file as UTF-8")
    })
}

/// Files directly in `dir` (relative to root) with the given suffix, sorted, links skipped with a warning.
fn list(root: &Path, dir: &str, suffix: &str, diags: &mut Vec<Diagnostic>) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if !name.ends_with(suffix) || name.starts_with('.') {
            continue;
        }
        let rel = format!("{dir}/{name}");
        match entry.file_type() {
            Ok(t) if t.is_file() => out.push(rel),
            Ok(t) if t.is_symlink() => out.push(rel), // read_bytes refuses links leaving the root
            _ => diags.push(Diagnostic::warning(
                "not-a-file",
                &rel,
                0,
                0,
                "not a regular file; skipped",
            )),
        }
    }
    out.sort();
    out
}

/// A content file to parse. They are parsed all at once, in parallel with the
/// seed, longest first: with each progress file parsed where it fell, one
/// core sat idle for the last file of a 10,000-page site (~60 ms).
enum YamlJob<'a> {
    Progress(usize, &'a str, &'a str),
    Translation(&'a str),
    Areas(&'a str),
    Indicators(&'a str),
}

enum YamlParsed {
    /// Boxed: a parsed progress file is the largest of these by far.
    Progress(usize, Box<progress::Parsed>),
    Translation(translation::Parsed),
    Areas(registry::AreasParsed),
    Indicators(registry::IndicatorsParsed),
}

impl YamlJob<'_> {
    fn len(&self) -> usize {
        match self {
            YamlJob::Progress(_, _, text)
            | YamlJob::Translation(text)
            | YamlJob::Areas(text)
            | YamlJob::Indicators(text) => text.len(),
        }
    }

    fn run(self) -> YamlParsed {
        match self {
            YamlJob::Progress(index, rel, text) => {
                YamlParsed::Progress(index, Box::new(progress::parse(rel, text)))
            }
            YamlJob::Translation(text) => YamlParsed::Translation(translation::parse(Some(text))),
            YamlJob::Areas(text) => YamlParsed::Areas(registry::parse_areas(text)),
            YamlJob::Indicators(text) => YamlParsed::Indicators(registry::parse_indicators(text)),
        }
    }
}

/// The content files to parse, longest first (a file's parse time is about
/// proportional to its length).
fn yaml_jobs<'a>(
    progress: &'a [(String, i32, String)],
    translation: Option<&'a str>,
    areas: Option<&'a str>,
    indicators: Option<&'a str>,
) -> Vec<YamlJob<'a>> {
    let mut jobs: Vec<YamlJob> = progress
        .iter()
        .enumerate()
        .map(|(index, (rel, _, text))| YamlJob::Progress(index, rel, text))
        .collect();
    jobs.extend(translation.map(YamlJob::Translation));
    jobs.extend(areas.map(YamlJob::Areas));
    jobs.extend(indicators.map(YamlJob::Indicators));
    jobs.sort_by_key(|job| std::cmp::Reverse(job.len()));
    jobs
}

pub fn load(root: &Path) -> Result<SiteInput, LoadFailure> {
    let mut diags = Vec::new();
    let mut sources = Sources::default();
    let fail = |diagnostics: Vec<Diagnostic>, sources: Sources, io: bool| LoadFailure {
        diagnostics,
        sources,
        io,
    };

    let (config, config_text) = match Config::load(root) {
        Ok(c) => c,
        Err(d) => {
            let io = d.line == 0;
            if let Ok(text) = std::fs::read_to_string(root.join(crate::config::CONFIG_FILE)) {
                sources.add(crate::config::CONFIG_FILE, &text);
            }
            return Err(fail(vec![d], sources, io));
        }
    };
    sources.add(crate::config::CONFIG_FILE, &config_text);

    let seed_file = config.seed.clone();
    let seed_bytes = match read_bytes(root, &seed_file) {
        Ok(b) => b,
        Err(d) => return Err(fail(vec![d], sources, true)),
    };
    let mut text_of = |rel: &str, diags: &mut Vec<Diagnostic>, required: bool| -> Option<String> {
        if !root.join(rel).exists() && std::fs::symlink_metadata(root.join(rel)).is_err() {
            if required {
                diags.push(Diagnostic::error("missing-file", rel, 0, 0, "file not found").help("every site root has content/areas.yaml and content/indicators.yaml (`plansite init` writes them)"));
            }
            return None;
        }
        match read_text(root, rel) {
            Ok(t) => {
                sources.add(rel, &t);
                Some(t)
            }
            Err(d) => {
                diags.push(d);
                None
            }
        }
    };
    // Read every file first, then parse the seed and every YAML file in
    // parallel (parsing dominates loading on large sites), then check them in
    // dependency order: plan → areas → indicators → progress and translation.
    let areas_text = text_of(registry::AREAS_FILE, &mut diags, true);
    let indicators_text = text_of(registry::INDICATORS_FILE, &mut diags, true);
    let mut texts = Vec::new();
    for rel in list(root, "content/progress", ".yaml", &mut diags) {
        let stem = Path::new(&rel)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("");
        let Some(file_year) = stem.parse::<i32>().ok().filter(|_| stem.len() == 4) else {
            diags.push(Diagnostic::error(
                "progress-file-name",
                &rel,
                0,
                0,
                "progress files are named by year, e.g. 2023.yaml",
            ));
            continue;
        };
        if let Some(text) = text_of(&rel, &mut diags, false) {
            texts.push((rel, file_year, text));
        }
    }
    let translation_text = text_of(translation::TRANSLATION_FILE, &mut diags, false);
    let glossary_text = text_of(glossary::GLOSSARY_FILE, &mut diags, false);
    let mut page_files = Vec::new();
    for rel in list(root, "content/pages", ".md", &mut diags) {
        if let Some(text) = text_of(&rel, &mut diags, false) {
            page_files.push((rel, text));
        }
    }

    let yaml_jobs = yaml_jobs(
        &texts,
        translation_text.as_deref(),
        areas_text.as_deref(),
        indicators_text.as_deref(),
    );
    let (seed, yaml) = rayon::join(
        || decode(&seed_bytes).map(|d| (parse(&d.text), d)),
        || {
            yaml_jobs
                .into_par_iter()
                .with_max_len(1)
                .map(YamlJob::run)
                .collect::<Vec<_>>()
        },
    );
    let mut progress_parsed = Vec::with_capacity(texts.len());
    let mut translation_parsed = translation::parse(None);
    let (mut areas_parsed, mut indicators_parsed) = (None, None);
    for parsed in yaml {
        match parsed {
            YamlParsed::Progress(index, p) => progress_parsed.push((index, p)),
            YamlParsed::Translation(t) => translation_parsed = t,
            YamlParsed::Areas(a) => areas_parsed = Some(a),
            YamlParsed::Indicators(i) => indicators_parsed = Some(i),
        }
    }
    progress_parsed.sort_by_key(|(index, _)| *index);
    let progress_parsed: Vec<progress::Parsed> =
        progress_parsed.into_iter().map(|(_, p)| *p).collect();
    let (plan, decoded) = match seed {
        Ok(d) => d,
        Err(e) => {
            return Err(fail(
                vec![Diagnostic::from_plan_error("plan-encoding", &e, &seed_file)],
                sources,
                false,
            ));
        }
    };
    if let Some(w) = &decoded.warning {
        diags.push(Diagnostic::warning(
            "seed-encoding",
            &seed_file,
            1,
            1,
            w.clone(),
        ));
    }
    sources.add(&seed_file, &decoded.text);
    let plan = match plan {
        Ok(p) => p,
        Err(e) => {
            return Err(fail(
                vec![Diagnostic::from_plan_error(
                    "plan-structure",
                    &e,
                    &seed_file,
                )],
                sources,
                false,
            ));
        }
    };
    for w in &plan.warnings {
        diags.push(Diagnostic::warning(
            "plan",
            &seed_file,
            w.line,
            1,
            w.message.clone(),
        ));
    }

    let areas = areas_parsed
        .map(|p| registry::load_areas(p, &plan, config.task_part.as_deref(), &mut diags))
        .unwrap_or_default();
    let registry = indicators_parsed
        .map(|p| registry::load_indicators(p, &plan, &areas, config.period.end, &mut diags))
        .unwrap_or(Registry {
            indicators: Vec::new(),
            group_names: Vec::new(),
        });
    let known = progress::Known {
        indicators: &registry.indicators,
        areas: &areas,
        period: (config.period.start, config.period.end),
    };
    let mut translation_diags = Vec::new();
    let (loaded, translation): (Vec<LoadedYear>, Translation) = rayon::join(
        || {
            texts
                .par_iter()
                .zip(progress_parsed)
                .map(|((rel, file_year, _), parsed)| {
                    let mut file_diags = Vec::new();
                    let year = progress::check(rel, *file_year, parsed, &known, &mut file_diags);
                    (year, file_diags)
                })
                .collect()
        },
        || {
            translation::load(
                translation_parsed,
                &plan,
                &seed_file,
                &mut translation_diags,
            )
        },
    );
    let mut years = Vec::new();
    for (year, mut file_diags) in loaded {
        diags.append(&mut file_diags);
        years.extend(year);
    }
    years.sort_by_key(|y| y.year);

    diags.append(&mut translation_diags);
    let glossary = glossary::load(glossary_text.as_deref(), &mut diags);
    glossary::check_usage(&glossary, &plan, &translation, &mut diags);
    let pages = pages::load(&page_files, &mut diags);

    Ok(SiteInput {
        root: root.to_path_buf(),
        config,
        seed_file,
        seed_sha256: crate::hex::hex(&Sha256::digest(&seed_bytes)),
        seed_encoding: decoded.encoding,
        plan,
        areas,
        registry,
        progress: years,
        translation,
        glossary,
        pages,
        diagnostics: diags,
        sources,
    })
}
