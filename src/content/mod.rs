//! Loading a site root: config, seed, registries, progress files, translation,
//! glossary and pages. Problems become diagnostics; loading goes on so that
//! `check` can report everything at once.

pub mod glossary;
pub mod metadata;
pub mod pages;
pub mod progress;
pub mod registry;
pub mod statics;
pub mod text;
pub mod theme;
pub mod translation;
pub mod xliff;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::diag::{Code, Diagnostic, Sources};
use crate::input::{MAX_FILE_BYTES, SiteRoot};
use crate::plan::{Plan, parse, read_source};

pub use progress::ProgressYear;
pub use registry::{AreaDef, IndicatorDef, Registry};
pub use text::Text;
pub use translation::Translation;

pub struct SiteInput {
    pub root: SiteRoot,
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
    /// Files of `static/`, copied as they are to the output root (relative
    /// paths, `static/…`; read when the site is written).
    pub static_files: Vec<String>,
    /// The site's own theme and template files (path in the theme → text),
    /// laid over the embedded default theme by `render::Theme`.
    pub theme_files: BTreeMap<String, String>,
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

/// A setting of `plansite.toml` that names a path which cannot be read:
/// reported at the setting, since that is what the user must change.
fn at_setting(d: Diagnostic, setting: &str, value: &str, at: (usize, usize)) -> Diagnostic {
    let mut moved = Diagnostic::error(
        d.code,
        crate::config::CONFIG_FILE,
        at.0,
        at.1,
        format!("{setting} `{value}` {}", d.message),
    )
    .width(value.chars().count() + 2);
    moved.help = d.help;
    moved
}

/// The site's inputs, loaded and checked, for the commands that build from
/// them: `Ok` holds no error (warnings only), so no caller can build from
/// content with errors; every error comes back in the `LoadFailure`, sorted
/// by file and line.
pub fn load(root: &Path) -> Result<SiteInput, LoadFailure> {
    let input = load_all(root)?;
    if !input.has_errors() {
        return Ok(input);
    }
    let mut diagnostics: Vec<Diagnostic> = input
        .diagnostics
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    diagnostics.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    Err(LoadFailure {
        diagnostics,
        sources: input.sources,
        io: false,
    })
}

/// Everything that could be loaded, with every diagnostic, errors included:
/// what `check` reports. Only a config or seed that cannot be read or parsed
/// stops it early.
pub fn load_all(root: &Path) -> Result<SiteInput, LoadFailure> {
    let mut diags = Vec::new();
    let mut sources = Sources::default();
    let fail = |diagnostics: Vec<Diagnostic>, sources: Sources, io: bool| LoadFailure {
        diagnostics,
        sources,
        io,
    };
    let root = match SiteRoot::open(root) {
        Ok(r) => r,
        Err(d) => return Err(fail(vec![d], sources, true)),
    };

    let (config, config_text) = match Config::load(&root) {
        Ok(c) => c,
        Err((d, text)) => {
            let io = d.line == 0;
            if let Some(text) = text {
                sources.add(crate::config::CONFIG_FILE, &text);
            }
            return Err(fail(vec![d], sources, io));
        }
    };
    sources.add(crate::config::CONFIG_FILE, &config_text);
    if config.base_url.is_empty() {
        let (line, col) = config.positions.base_url;
        diags.push(
            Diagnostic::warning(
                Code::NoBaseUrl,
                crate::config::CONFIG_FILE,
                line,
                col,
                "base_url is empty: the site has no sitemap, its feeds have no permanent ids and its pages no canonical links",
            )
            .help("write the address the site is published at: base_url = \"https://…/\" (build --base-url sets it for one build)"),
        );
    }

    let seed_file = config.seed.clone();
    let seed_bytes = match root.read(&seed_file, MAX_FILE_BYTES) {
        Ok(b) => b,
        Err(d) => {
            let io = d.code == Code::Io || d.code == Code::MissingFile;
            let d = at_setting(d, "seed", &seed_file, config.positions.seed);
            return Err(fail(vec![d], sources, io));
        }
    };
    let mut text_of = |rel: &str, diags: &mut Vec<Diagnostic>, required: bool| -> Option<String> {
        if !root.exists(rel) {
            if required {
                diags.push(Diagnostic::error(Code::MissingFile, rel, 0, 0, "file not found").help("every site root has content/areas.yaml and content/indicators.yaml (`plansite init` writes them)"));
            }
            return None;
        }
        let limit = if rel.ends_with(".yaml") {
            yaml::MAX_YAML_BYTES as u64
        } else {
            MAX_FILE_BYTES
        };
        match root.read_text(rel, limit) {
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
    for rel in root.list("content/progress", ".yaml", &mut diags) {
        let stem = Path::new(&rel)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("");
        let Some(file_year) = stem.parse::<i32>().ok().filter(|_| stem.len() == 4) else {
            diags.push(Diagnostic::error(
                Code::ProgressFileName,
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
    for rel in root.list("content/pages", ".md", &mut diags) {
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
        || read_source(&seed_file, &seed_bytes).map(|d| (parse(&d.text), d)),
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
                vec![Diagnostic::from_plan_error(
                    Code::PlanEncoding,
                    &e,
                    &seed_file,
                )],
                sources,
                false,
            ));
        }
    };
    if let Some(w) = &decoded.warning {
        diags.push(Diagnostic::warning(
            Code::SeedEncoding,
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
                    Code::PlanStructure,
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
            Code::Plan,
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
        .map(|p| {
            registry::load_indicators(p, &plan, &seed_file, &areas, config.period.end, &mut diags)
        })
        .unwrap_or(Registry {
            indicators: Vec::new(),
            group_names: Vec::new(),
            dimensions: Vec::new(),
        });
    let known = progress::Known {
        indicators: &registry.indicators,
        areas: &areas,
        dimensions: &registry.dimensions,
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
    let names: Vec<(&str, &str, &str, (usize, usize))> = registry
        .indicators
        .iter()
        .map(|i| {
            (
                registry::INDICATORS_FILE,
                i.name.zh.as_str(),
                i.name.en.as_str(),
                i.position,
            )
        })
        .chain(areas.iter().map(|a| {
            (
                registry::AREAS_FILE,
                a.short.zh.as_str(),
                a.short.en.as_str(),
                a.position,
            )
        }))
        .collect();
    glossary::check_usage(&glossary, &plan, &translation, &names, &mut diags);
    let pages = pages::load(&page_files, &mut diags);
    let static_files = statics::list(&root, &mut diags);
    let theme_files = match theme::files(&root, &config.theme, &mut diags) {
        Ok(files) => files,
        Err(d) => {
            diags.push(at_setting(
                d,
                "theme",
                &config.theme,
                config.positions.theme,
            ));
            BTreeMap::new()
        }
    };

    Ok(SiteInput {
        root,
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
        static_files,
        theme_files,
        diagnostics: diags,
        sources,
    })
}
