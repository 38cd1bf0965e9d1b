//! Diagnostics for CI systems: GitHub Actions workflow commands, SARIF 2.1.0
//! (GitHub code scanning and most CI systems read it), and a Markdown summary
//! for the job page (`$GITHUB_STEP_SUMMARY`). Paths are made relative to the
//! repository, so that annotations attach to the pull request's files when
//! the site lives in a subfolder.

use serde::Serialize;

use crate::diag::{Diagnostic, Severity};

/// A diagnostic's file as the repository names it.
fn repo_path(prefix: &str, file: &str) -> String {
    format!("{prefix}{file}")
}

/// One GitHub Actions workflow command: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`.
/// A problem with a whole file (line 0) is annotated on the file alone.
pub fn github(d: &Diagnostic, prefix: &str) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\n\nhelp: ");
        message.push_str(help);
    }
    let escape = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let prop = |s: &str| escape(s).replace(':', "%3A").replace(',', "%2C");
    let mut props = format!("file={}", prop(&repo_path(prefix, &d.file)));
    if d.line > 0 {
        let col = d.column.max(1);
        props.push_str(&format!(
            ",line={},col={col},endLine={},endColumn={}",
            d.line,
            d.line,
            col + d.width.max(1)
        ));
    }
    props.push_str(&format!(",title={}", prop(&format!("plansite {}", d.code))));
    format!("::{kind} {props}::{}", escape(&message))
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'a str,
    version: &'a str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    column_kind: &'a str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'a str,
    version: &'a str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    short_description: Text,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'a str,
    message: Text,
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

/// The diagnostics as a SARIF 2.1.0 log, one rule per diagnostic code.
pub fn sarif(diags: &[Diagnostic], prefix: &str) -> String {
    let mut codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let rules = codes
        .iter()
        .map(|code| Rule {
            id: (*code).to_string(),
            short_description: Text {
                text: format!("plansite {code}"),
            },
        })
        .collect();
    let results = diags
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str(" — help: ");
                text.push_str(help);
            }
            SarifResult {
                rule_id: d.code.as_str(),
                rule_index: codes.binary_search(&d.code.as_str()).unwrap_or(0),
                level: match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                message: Text { text },
                locations: vec![Location {
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation {
                            uri: repo_path(prefix, &d.file),
                        },
                        region: (d.line > 0).then(|| Region {
                            start_line: d.line,
                            start_column: d.column.max(1),
                            end_line: d.line,
                            end_column: d.column.max(1) + d.width.max(1),
                        }),
                    },
                }],
            }
        })
        .collect();
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "plansite",
                    version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_string_pretty(&log).unwrap_or_default() + "\n"
}

/// What every SARIF log plansite writes holds in its first lines (the tool's
/// name comes before its rules): `check --sarif` replaces only such a file.
pub const SARIF_MARKER: &str = "\"name\": \"plansite\"";

/// A Markdown summary of a check for the job page: counts, then each problem
/// (at most 50) with its place.
pub fn step_summary(diags: &[Diagnostic], prefix: &str, headline: &str) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let mut s = format!(
        "### plansite check: {}\n\n{headline}\n\n**{errors}** error(s), **{warnings}** warning(s)\n",
        if errors > 0 { "failed" } else { "passed" }
    );
    if !diags.is_empty() {
        s.push_str("\n| | code | where | message |\n|---|---|---|---|\n");
        let cell = |t: &str| t.replace('|', "\\|").replace('\n', " ");
        for d in diags.iter().take(50) {
            let place = if d.line > 0 {
                format!("{}:{}", repo_path(prefix, &d.file), d.line)
            } else {
                repo_path(prefix, &d.file)
            };
            s.push_str(&format!(
                "| {} | `{}` | `{}` | {} |\n",
                if d.is_error() { "❌" } else { "⚠️" },
                d.code,
                cell(&place),
                cell(&d.message)
            ));
        }
        if diags.len() > 50 {
            s.push_str(&format!(
                "\n… and {} more; run `plansite check` for all.\n",
                diags.len() - 50
            ));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;

    #[test]
    fn annotations_name_repository_paths_and_ranges() {
        let d = Diagnostic::warning(Code::Glossary, "a,b.yaml", 2, 3, "50% done\nnext").width(4);
        assert_eq!(
            github(&d, "sites/hebei/"),
            "::warning file=sites/hebei/a%2Cb.yaml,line=2,col=3,endLine=2,endColumn=7,title=plansite glossary::50%25 done%0Anext"
        );
        let whole = Diagnostic::error(Code::Io, "content/areas.yaml", 0, 0, "cannot read");
        assert_eq!(
            github(&whole, ""),
            "::error file=content/areas.yaml,title=plansite io::cannot read"
        );
    }

    #[test]
    fn sarif_has_rules_results_and_regions() {
        let diags = vec![
            Diagnostic::error(
                Code::BadValue,
                "content/progress/2023.yaml",
                5,
                12,
                "not a number",
            )
            .width(3),
            Diagnostic::warning(Code::Glossary, "content/plan.en.yaml", 0, 0, "term"),
        ];
        let log: serde_json::Value = serde_json::from_str(&sarif(&diags, "site/")).expect("json");
        assert_eq!(log["version"], "2.1.0");
        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["rules"][0]["id"], "bad-value");
        let first = &run["results"][0];
        assert_eq!(first["level"], "error");
        assert_eq!(first["ruleIndex"], 0);
        let loc = &first["locations"][0]["physicalLocation"];
        assert_eq!(
            loc["artifactLocation"]["uri"],
            "site/content/progress/2023.yaml"
        );
        assert_eq!(loc["region"]["endColumn"], 15);
        assert!(run["results"][1]["locations"][0]["physicalLocation"]["region"].is_null());
    }
}
