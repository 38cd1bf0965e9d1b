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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: String,
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
        code: &str,
        file: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code: code.to_string(),
            message: message.into(),
            file: file.to_string(),
            line,
            column,
            width: 1,
            help: None,
        }
    }
    pub fn warning(
        code: &str,
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

    pub fn from_plan_error(code: &str, err: &PlanError, file: &str) -> Self {
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
            "unknown-indicator",
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
