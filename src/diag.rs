//! Diagnostics: every problem plansite finds in content, with its file, line,
//! column, a snippet of the source and a hint, printed for people (`human`), for
//! GitHub Actions annotations (`github`) or for tools (`json`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::plan::PlanError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// What kind of problem a diagnostic is: the code printed in brackets
/// (`error[unknown-area]`), the SARIF rule id and the JSON `code`. One list,
/// so that a code cannot be misspelt at one place and a tool's filter miss it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    AreaCount,
    AsOfBeforeYear,
    AsOfLate,
    BadDataStatus,
    BadDate,
    BadDimension,
    BadFlag,
    BadDirection,
    BadId,
    BadStatus,
    BadUrl,
    BadValue,
    Config,
    ControlCharacter,
    DateOutsideYear,
    DuplicateId,
    DuplicateKey,
    EmptyFile,
    FileTooLarge,
    FractionalCount,
    Glossary,
    ImpossibleValue,
    IndicatorOrigin,
    InvalidUtf8,
    Io,
    MissingField,
    MissingMetadata,
    MissingFile,
    MissingLanguage,
    MissingReason,
    MissingSource,
    MissingStatus,
    NoBaseUrl,
    NoTaskPart,
    NotAFile,
    NotReported,
    NulByte,
    OutsideRoot,
    OverrideReason,
    PageName,
    Placeholder,
    /// A warning of the plan's parser (a table row it skipped, a heading guessed).
    Plan,
    PlanEncoding,
    PlanStructure,
    ProgressFileName,
    QuoteNoNumber,
    QuoteNotFound,
    RouteConflict,
    SeedEncoding,
    TabIndent,
    TargetDirection,
    TargetUnreadable,
    Template,
    Theme,
    TranslationMissing,
    TranslationNote,
    TranslationOrphan,
    TranslationStale,
    UnknownArea,
    UnknownField,
    UnknownIndicator,
    UnknownRow,
    UntrackedRow,
    WrongType,
    YamlLimit,
    YamlSyntax,
    YearMismatch,
    YearOutsidePeriod,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::AreaCount => "area-count",
            Code::AsOfBeforeYear => "as-of-before-year",
            Code::AsOfLate => "as-of-late",
            Code::BadDataStatus => "bad-data-status",
            Code::BadDate => "bad-date",
            Code::BadDimension => "bad-dimension",
            Code::BadFlag => "bad-flag",
            Code::BadDirection => "bad-direction",
            Code::BadId => "bad-id",
            Code::BadStatus => "bad-status",
            Code::BadUrl => "bad-url",
            Code::BadValue => "bad-value",
            Code::Config => "config",
            Code::ControlCharacter => "control-character",
            Code::DateOutsideYear => "date-outside-year",
            Code::DuplicateId => "duplicate-id",
            Code::DuplicateKey => "duplicate-key",
            Code::EmptyFile => "empty-file",
            Code::FileTooLarge => "file-too-large",
            Code::FractionalCount => "fractional-count",
            Code::Glossary => "glossary",
            Code::ImpossibleValue => "impossible-value",
            Code::IndicatorOrigin => "indicator-origin",
            Code::InvalidUtf8 => "invalid-utf8",
            Code::Io => "io",
            Code::MissingField => "missing-field",
            Code::MissingMetadata => "missing-metadata",
            Code::MissingFile => "missing-file",
            Code::MissingLanguage => "missing-language",
            Code::MissingReason => "missing-reason",
            Code::MissingSource => "missing-source",
            Code::MissingStatus => "missing-status",
            Code::NoBaseUrl => "no-base-url",
            Code::NoTaskPart => "no-task-part",
            Code::NotAFile => "not-a-file",
            Code::NotReported => "not-reported",
            Code::NulByte => "nul-byte",
            Code::OutsideRoot => "outside-root",
            Code::OverrideReason => "override-reason",
            Code::PageName => "page-name",
            Code::Placeholder => "placeholder",
            Code::Plan => "plan",
            Code::PlanEncoding => "plan-encoding",
            Code::PlanStructure => "plan-structure",
            Code::ProgressFileName => "progress-file-name",
            Code::QuoteNoNumber => "quote-no-number",
            Code::QuoteNotFound => "quote-not-found",
            Code::RouteConflict => "route-conflict",
            Code::SeedEncoding => "seed-encoding",
            Code::TabIndent => "tab-indent",
            Code::TargetDirection => "target-direction",
            Code::TargetUnreadable => "target-unreadable",
            Code::Template => "template",
            Code::Theme => "theme",
            Code::TranslationMissing => "translation-missing",
            Code::TranslationNote => "translation-note",
            Code::TranslationOrphan => "translation-orphan",
            Code::TranslationStale => "translation-stale",
            Code::UnknownArea => "unknown-area",
            Code::UnknownField => "unknown-field",
            Code::UnknownIndicator => "unknown-indicator",
            Code::UnknownRow => "unknown-row",
            Code::UntrackedRow => "untracked-row",
            Code::WrongType => "wrong-type",
            Code::YamlLimit => "yaml-limit",
            Code::YamlSyntax => "yaml-syntax",
            Code::YearMismatch => "year-mismatch",
            Code::YearOutsidePeriod => "year-outside-period",
        }
    }
}

/// Serialised as its name (`as_str`): one spelling everywhere.
impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    /// Path relative to the site root, `/`-separated.
    pub file: String,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    pub column: usize,
    /// How many characters the caret underlines (at least 1).
    #[serde(skip)]
    pub width: usize,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(
        code: Code,
        file: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: file.to_string(),
            line,
            column,
            width: 1,
            help: None,
        }
    }
    pub fn warning(
        code: Code,
        file: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, line, column, message)
        }
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn width(mut self, width: usize) -> Self {
        self.width = width.max(1);
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn from_plan_error(code: Code, err: &PlanError, file: &str) -> Self {
        let mut d = Diagnostic::error(code, file, err.line, err.column, err.message.clone());
        d.help = err.help.clone();
        d
    }

    /// `error[CODE]: message` / `--> file:line:col` / snippet / `help:`.
    pub fn render_human(&self, source: Option<&Source>) -> String {
        let mut out = String::new();
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{kind}[{}]: {}", self.code, self.message);
        let gutter = self.line.to_string().len().max(1);
        let pad = " ".repeat(gutter);
        if self.line > 0 {
            let _ = writeln!(
                out,
                "{pad}--> {}:{}:{}",
                self.file,
                self.line,
                self.column.max(1)
            );
        } else {
            let _ = writeln!(out, "{pad}--> {}", self.file);
        }
        if let Some(text) = source.and_then(|s| s.line(self.line)) {
            let shown: String = text
                .chars()
                .take(160)
                .collect::<String>()
                .replace('\t', " ");
            let caret_at = self.column.max(1) - 1;
            // Wide (CJK) characters take two terminal columns.
            let indent: usize = shown.chars().take(caret_at).map(display_width).sum();
            let carets: usize = shown
                .chars()
                .skip(caret_at)
                .take(self.width)
                .map(display_width)
                .sum::<usize>()
                .max(1);
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{} | {shown}", self.line);
            let _ = writeln!(out, "{pad} | {}{}", " ".repeat(indent), "^".repeat(carets));
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "{pad} = help: {help}");
        }
        out
    }
}

fn display_width(c: char) -> usize {
    if crate::plan::is_cjk(c) { 2 } else { 1 }
}

/// A file's text, split into lines once, for snippets.
pub struct Source {
    pub name: String,
    text: String,
    /// Byte offset of the start of each line (one string, not one per line:
    /// a large site keeps megabytes of sources for its diagnostics).
    starts: Vec<usize>,
}

impl Source {
    pub fn new(name: &str, text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Source {
            name: name.to_string(),
            text: text.to_string(),
            starts,
        }
    }
    pub fn line(&self, line: usize) -> Option<&str> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self
            .starts
            .get(line)
            .map_or(self.text.len(), |next| next - 1);
        Some(self.text[start..end].trim_end_matches('\r'))
    }
}

/// Every source text that diagnostics may point into, by file name.
#[derive(Default)]
pub struct Sources(BTreeMap<String, Source>);

impl Sources {
    pub fn add(&mut self, name: &str, text: &str) {
        self.0.insert(name.to_string(), Source::new(name, text));
    }
    pub fn get(&self, name: &str) -> Option<&Source> {
        self.0.get(name)
    }
}

/// The closest known name to a mistyped one, for "did you mean".
pub fn did_you_mean<'a>(
    unknown: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_lines_are_numbered_from_one() {
        let src = Source::new("f", "one\r\ntwo\n\nfour");
        assert_eq!(src.line(0), None);
        assert_eq!(src.line(1), Some("one"));
        assert_eq!(src.line(2), Some("two"));
        assert_eq!(src.line(3), Some(""));
        assert_eq!(src.line(4), Some("four"));
        assert_eq!(src.line(5), None);
        assert_eq!(Source::new("g", "end\n").line(2), Some(""));
    }

    #[test]
    fn human_rendering_points_at_the_column() {
        let src = Source::new(
            "content/progress/2023.yaml",
            "year: 2023\nindicators:\n  myopia-rat:\n",
        );
        let d = Diagnostic::error(
            Code::UnknownIndicator,
            "content/progress/2023.yaml",
            3,
            3,
            "unknown indicator `myopia-rat`",
        )
        .width(10)
        .help("did you mean `myopia-rate`?");
        let text = d.render_human(Some(&src));
        assert!(text.starts_with("error[unknown-indicator]: unknown indicator `myopia-rat`\n"));
        assert!(text.contains(" --> content/progress/2023.yaml:3:3\n"));
        assert!(text.contains("3 |   myopia-rat:\n"));
        assert!(text.contains("  |   ^^^^^^^^^^\n"));
        assert!(text.contains("= help: did you mean `myopia-rate`?"));
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("myopia-rat", ["myopia-rate", "wireless-coverage"]),
            Some("myopia-rate")
        );
        assert_eq!(did_you_mean("zzz", ["myopia-rate"]), None);
    }
}
