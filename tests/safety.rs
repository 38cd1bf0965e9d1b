//! Nothing the user owns is lost, overwritten or leaked (docs/SAFETY.md):
//! inputs are never written, foreign files never adopted or deleted, a killed
//! run leaves the previous output in place, only files inside the root are
//! read, one output path has one source, hostile values are neutralised, and
//! `serve` stays responsive.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

fn root_of(site: &tempfile::TempDir) -> &str {
    site.path().to_str().expect("utf8")
}

const SEED: &str = "seeds/hebei-education-14th-fyp.txt";

#[test]
fn packet_never_writes_over_an_input_and_replaces_only_its_own_packets() {
    let site = site_copy();
    let root = root_of(&site);
    let seed = site.path().join(SEED);
    let seed_before = std::fs::read(&seed).expect("seed");
    std::fs::create_dir_all(site.path().join("templates")).expect("mkdir");
    std::fs::write(site.path().join("templates/note.txt"), "mine").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&seed, site.path().join("innocent.html")).expect("link");
    for target in [
        seed.clone(),
        site.path()
            .join("seeds/../seeds/hebei-education-14th-fyp.txt"),
        site.path().join("plansite.toml"),
        site.path().join("content/indicators.yaml"),
        site.path().join("content/new.html"),
        site.path().join("templates/note.txt"),
        site.path().join("innocent.html"),
    ] {
        for force in [false, true] {
            let mut args = vec!["packet", "--root", root, "--year", "2024", "-o"];
            args.push(target.to_str().expect("utf8"));
            if force {
                args.push("--force");
            }
            let o = plansite(&args);
            assert_eq!(o.status.code(), Some(2), "{} accepted", target.display());
            assert!(stderr(&o).contains("error[output]"), "{}", stderr(&o));
        }
    }
    assert_eq!(std::fs::read(&seed).expect("seed"), seed_before);
    assert!(!site.path().join("content/new.html").exists());
    // A file the user wrote is replaced only with --force; a packet plansite wrote, always.
    let notes = site.path().join("notes.html");
    std::fs::write(&notes, "my notes").expect("write");
    let args = |force: bool| {
        let mut a = vec![
            "packet",
            "--root",
            root,
            "--year",
            "2024",
            "-o",
            notes.to_str().expect("utf8"),
        ];
        if force {
            a.push("--force");
        }
        a.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let run = |a: Vec<String>| plansite(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let o = run(args(false));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&notes).expect("kept"), "my notes");
    assert!(run(args(true)).status.success());
    assert!(
        run(args(false)).status.success(),
        "its own packet is replaced"
    );
    // Without -o the file is named by year and language, so runs do not collide.
    let o = Command::new(env!("CARGO_BIN_EXE_plansite"))
        .args(["packet", "--root", root, "--year", "2023", "--lang", "en"])
        .current_dir(site.path())
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(site.path().join("plansite-packet-2023-en.html").is_file());
}

#[test]
fn new_year_and_init_never_overwrite() {
    let site = site_copy();
    let root = root_of(&site);
    let file = site.path().join("content/progress/2025.yaml");
    let before = std::fs::read(&file).expect("read");
    let o = plansite(&["new", "year", "2025", "--root", root]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read(&file).expect("read"), before);
    let target = tempfile::tempdir().expect("tempdir");
    std::fs::write(target.path().join("keep.txt"), "mine").expect("write");
    let seed = site.path().join(SEED);
    let o = plansite(&[
        "init",
        target.path().to_str().expect("utf8"),
        "--seed",
        seed.to_str().expect("utf8"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read_dir(target.path()).expect("list").count(),
        1,
        "init wrote into a folder that was not empty"
    );
}

#[test]
fn a_file_put_in_archive_is_never_adopted_or_deleted() {
    let site = site_copy();
    let root = root_of(&site);
    assert!(plansite(&["build", "--root", root]).status.success());
    let out = site.path().join("public");
    std::fs::create_dir_all(out.join("archive")).expect("mkdir");
    std::fs::write(out.join("archive/official.pdf"), "the PDF").expect("write");
    for command in ["build", "archive"] {
        let o = plansite(&[command, "--root", root]);
        assert_eq!(o.status.code(), Some(2), "{command}: {}", stderr(&o));
        assert!(stderr(&o).contains("official.pdf"), "{}", stderr(&o));
        assert_eq!(
            std::fs::read_to_string(out.join("archive/official.pdf")).expect("kept"),
            "the PDF"
        );
    }
    let manifest = std::fs::read_to_string(out.join(".plansite-manifest")).expect("manifest");
    assert!(!manifest.contains("official.pdf"));
    // Moved away, both work again, and the snapshots survive a rebuild.
    std::fs::remove_file(out.join("archive/official.pdf")).expect("rm");
    assert!(plansite(&["archive", "--root", root]).status.success());
    assert!(plansite(&["build", "--root", root]).status.success());
    assert!(out.join("archive/2023/index.html").is_file());
    assert!(out.join("zh/index.html").is_file());
}

/// Every file of `dir` except plansite's own bookkeeping.
fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    read_tree(dir)
        .into_iter()
        .filter(|(p, _)| !p.ends_with(".plansite-manifest"))
        .collect()
}

fn leftovers(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.contains(".plansite-") && name != ".plansite-manifest" {
            out.push(entry.path().display().to_string());
        }
    }
    out
}

/// Runs plansite with `args` and kills it (SIGKILL) after `delay`.
fn kill_after(args: &[&str], delay: Duration) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_plansite"))
        .args(args)
        .env("CI", "true")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    std::thread::sleep(delay);
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(unix)]
#[test]
fn a_run_killed_at_any_instant_leaves_the_previous_output_whole() {
    let site = site_copy();
    let root = root_of(&site);
    let out = site.path().join("public");
    // Two versions of the output: A (built now) and B (after an edit).
    assert!(plansite(&["build", "--root", root]).status.success());
    let a = tree(&out);
    let progress = site.path().join("content/progress/2025.yaml");
    let text = std::fs::read_to_string(&progress).expect("read");
    std::fs::write(&progress, text.replacen("value: 57.6", "value: 57.1", 1)).expect("edit");
    let reference = tempfile::tempdir().expect("tempdir");
    let b_out = reference.path().join("b");
    assert!(
        plansite(&[
            "build",
            "--root",
            root,
            "--out",
            b_out.to_str().expect("utf8")
        ])
        .status
        .success()
    );
    let b = tree(&b_out);
    assert_ne!(a, b);
    // How long a whole build takes here, to spread the kills over it.
    let started = Instant::now();
    assert!(
        plansite(&[
            "build",
            "--root",
            root,
            "--out",
            b_out.to_str().expect("utf8")
        ])
        .status
        .success()
    );
    let span = started.elapsed().as_micros().max(20_000) as u64;
    std::fs::write(&progress, &text).expect("restore A");
    assert!(plansite(&["build", "--root", root]).status.success());
    std::fs::write(&progress, text.replacen("value: 57.6", "value: 57.1", 1)).expect("edit");
    let mut outcomes = [0usize; 2];
    for step in 0..40u64 {
        kill_after(
            &["build", "--root", root],
            Duration::from_micros(step * span / 32),
        );
        let now = tree(&out);
        assert!(
            now == a || now == b,
            "after a kill at step {step}, public/ is neither the old output nor the new one ({} files)",
            now.len()
        );
        outcomes[usize::from(now == b)] += 1;
        if now == b {
            // Back to A, so that the next kill again interrupts a change.
            std::fs::write(&progress, &text).expect("restore A");
            assert!(plansite(&["build", "--root", root]).status.success());
            std::fs::write(&progress, text.replacen("value: 57.6", "value: 57.1", 1))
                .expect("edit");
        }
    }
    assert!(outcomes[0] > 0, "no kill interrupted a build: {outcomes:?}");
    // The next run just works and removes what the killed ones left.
    assert!(plansite(&["build", "--root", root]).status.success());
    assert_eq!(tree(&out), b);
    assert!(
        leftovers(site.path()).is_empty(),
        "{:?}",
        leftovers(site.path())
    );
}

#[cfg(unix)]
#[test]
fn an_archive_killed_at_any_instant_leaves_the_snapshots_it_had() {
    let site = site_copy();
    let root = root_of(&site);
    let out = site.path().join("public");
    assert!(plansite(&["build", "--root", root]).status.success());
    let started = Instant::now();
    let probe = tempfile::tempdir().expect("tempdir");
    assert!(
        plansite(&[
            "archive",
            "--root",
            root,
            "--out",
            probe.path().to_str().expect("utf8")
        ])
        .status
        .success()
    );
    let span = started.elapsed().as_micros().max(20_000) as u64;
    let site_files = tree(&out);
    for step in 0..24u64 {
        kill_after(
            &["archive", "--root", root],
            Duration::from_micros(step * span / 20),
        );
        let now = tree(&out);
        // The site is untouched, and every snapshot there is whole.
        for (path, bytes) in &site_files {
            assert_eq!(now.get(path), Some(bytes), "{path} changed at step {step}");
        }
        for entry in std::fs::read_dir(out.join("archive"))
            .into_iter()
            .flatten()
            .flatten()
        {
            let dir = entry.path();
            let name = entry.file_name().to_string_lossy().to_string();
            // Snapshots are the year folders (2023, 2023-r2).
            if !name.starts_with(|c: char| c.is_ascii_digit()) || !dir.is_dir() {
                continue;
            }
            assert!(
                dir.join("SHA256SUMS").is_file(),
                "a half-written snapshot {name} at step {step}"
            );
        }
    }
    assert!(plansite(&["archive", "--root", root]).status.success());
    assert!(plansite(&["build", "--root", root]).status.success());
    assert!(
        leftovers(site.path()).is_empty(),
        "{:?}",
        leftovers(site.path())
    );
    let check = Command::new("sha256sum")
        .args(["-c", "--quiet", "SHA256SUMS"])
        .current_dir(out.join("archive/2023"))
        .output()
        .expect("sha256sum");
    assert!(check.status.success(), "{}", stderr(&check));
}

#[cfg(unix)]
#[test]
fn only_regular_files_inside_the_root_are_read() {
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        outside.path().join("secret.zh.md"),
        "# 秘密\n\nSECRET-TEXT\n",
    )
    .expect("write");
    std::fs::write(
        outside.path().join("secret.en.md"),
        "# Secret\n\nSECRET-TEXT\n",
    )
    .expect("write");
    std::fs::write(outside.path().join("plan.txt"), "SECRET-PLAN").expect("write");
    std::fs::create_dir_all(outside.path().join("templates")).expect("mkdir");
    std::fs::write(
        outside.path().join("templates/about.html"),
        "SECRET-TEMPLATE",
    )
    .expect("write");

    // A linked folder under content/.
    let site = site_copy();
    std::fs::remove_dir_all(site.path().join("content/pages")).expect("rm");
    std::os::unix::fs::symlink(outside.path(), site.path().join("content/pages")).expect("link");
    let o = plansite(&["build", "--root", root_of(&site)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("error[outside-root]"), "{}", stderr(&o));
    assert!(!site.path().join("public").exists());

    // The seed named outside the root: the error points at the setting.
    let site = site_copy();
    let config = site.path().join("plansite.toml");
    let text = std::fs::read_to_string(&config).expect("config");
    let seed_line = text
        .lines()
        .position(|l| l.starts_with("seed"))
        .expect("seed line")
        + 1;
    let outside_seed = outside.path().join("plan.txt");
    std::fs::write(
        &config,
        text.replace(
            "seed = \"seeds/hebei-education-14th-fyp.txt\"",
            &format!("seed = \"{}\"", outside_seed.display()),
        ),
    )
    .expect("write");
    let o = plansite(&["check", "--root", root_of(&site)]);
    let out = stdout(&o) + &stderr(&o);
    assert_ne!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("outside-root") && out.contains(&format!("plansite.toml:{seed_line}:")),
        "{out}"
    );
    assert!(!out.contains("SECRET"), "{out}");

    // A linked templates/ folder.
    let site = site_copy();
    std::os::unix::fs::symlink(
        outside.path().join("templates"),
        site.path().join("templates"),
    )
    .expect("link");
    let o = plansite(&["build", "--root", root_of(&site)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("outside-root"), "{}", stderr(&o));

    // A FIFO where a progress file belongs: an error, not a wait.
    let site = site_copy();
    let fifo = site.path().join("content/progress/2023.yaml");
    std::fs::remove_file(&fifo).expect("rm");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success()
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_plansite"))
        .args(["check", "--root", root_of(&site)])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("check waited on a FIFO");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut text = String::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut text)
        .expect("read");
    assert!(text.contains("not-a-file"), "{text}");
}

#[test]
fn one_output_path_has_one_source() {
    for (name, code) in [
        ("areas", "route-conflict"),
        ("search", "route-conflict"),
        ("con", "route-conflict"),
    ] {
        let site = site_copy();
        for lang in ["zh", "en"] {
            std::fs::write(
                site.path().join(format!("content/pages/{name}.{lang}.md")),
                "# Page\n\ntext\n",
            )
            .expect("write");
        }
        let o = plansite(&["check", "--root", root_of(&site)]);
        assert_eq!(o.status.code(), Some(1), "{name}");
        assert!(stdout(&o).contains(code), "{name}: {}", stdout(&o));
        let o = plansite(&["build", "--root", root_of(&site)]);
        assert_eq!(o.status.code(), Some(1), "{name}");
    }
    let site = site_copy();
    let areas = site.path().join("content/areas.yaml");
    let text = std::fs::read_to_string(&areas).expect("read");
    std::fs::write(&areas, text.replacen("slug: campus-safety", "slug: aux", 1)).expect("write");
    let o = plansite(&["check", "--root", root_of(&site)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("route-conflict"), "{}", stdout(&o));
}

#[test]
fn spreadsheet_formulas_and_hostile_urls_are_neutralised() {
    let site = site_copy();
    let progress = site.path().join("content/progress/2024.yaml");
    let text = std::fs::read_to_string(&progress).expect("read");
    let (head, rest) = text.split_once("source: {").expect("a source in 2024.yaml");
    let rest = rest.split_once('}').expect("closing brace").1;
    std::fs::write(
        &progress,
        format!("{head}source: {{zh: \"=HYPERLINK(\\\"http://evil.example\\\",\\\"x\\\")\", en: \"@SUM(1+1)\"}}{rest}"),
    )
    .expect("write");
    assert!(
        plansite(&["build", "--root", root_of(&site)])
            .status
            .success()
    );
    let csv = std::fs::read_to_string(site.path().join("public/data/indicators.csv")).expect("csv");
    assert!(
        csv.contains("\"'=HYPERLINK(") && csv.contains("'@SUM(1+1)"),
        "{csv}"
    );
    assert!(!csv.lines().any(|l| {
        l.split(',')
            .any(|c| c.starts_with('=') || c.starts_with('@'))
    }));

    for bad in [
        "javascript:alert(1)",
        "https://example.org/\nSitemap: http://evil.example/",
        "https://example.org/\"><script>alert(1)</script>",
        "example.org",
    ] {
        let o = plansite(&["build", "--root", root_of(&site), "--base-url", bad]);
        assert_eq!(o.status.code(), Some(2), "--base-url {bad:?} accepted");
        let config = site.path().join("plansite.toml");
        let original = std::fs::read_to_string(&config).expect("config");
        std::fs::write(
            &config,
            original.replace(
                "base_url = \"https://plansite.example.org/\"",
                &format!("base_url = {}", serde_json::to_string(bad).expect("json")),
            ),
        )
        .expect("write");
        let o = plansite(&["check", "--root", root_of(&site)]);
        assert_ne!(o.status.code(), Some(0), "base_url {bad:?} accepted");
        assert!(
            (stdout(&o) + &stderr(&o)).contains("base_url"),
            "{}",
            stderr(&o)
        );
        std::fs::write(&config, original).expect("restore");
    }
}

#[test]
fn a_template_that_grows_its_output_or_memory_is_stopped_by_name() {
    for (name, template, body) in [
        // Output: 100,000 × 1 MB.
        (
            "output",
            "about.html",
            "{% set mb = \"x\" * 1000000 %}{% for i in range(100000) %}{{ mb }}{% endfor %}",
        ),
        // Memory in one string: 100 MB doubled three times in a handful of steps.
        (
            "memory",
            "about.html",
            "{% set a = \"x\" * 100000000 %}{% set b = a ~ a %}{% set c = b ~ b %}{% set d = c ~ c %}{{ d | length }}",
        ),
        // Memory across threads: 200 MB on each of 63 indicator pages, within
        // one page's budget, rendered 16 at a time.
        (
            "parallel",
            "indicator.html",
            "{% set a = \"x\" * 200000000 %}{{ a | length }}",
        ),
    ] {
        let site = site_copy();
        std::fs::create_dir_all(site.path().join("templates")).expect("mkdir");
        std::fs::write(
            site.path().join("templates").join(template),
            format!("{{% extends \"base.html\" %}}{{% block content %}}{body}{{% endblock %}}"),
        )
        .expect("write");
        let started = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_plansite"))
            .args(["build", "--root", root_of(&site)])
            .env("CI", "true")
            .env("RAYON_NUM_THREADS", "16")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let pid = child.id();
        let mut peak_kib = 0u64;
        while child.try_wait().expect("wait").is_none() {
            if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status"))
                && let Some(kib) = status
                    .lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|k| k.parse::<u64>().ok())
            {
                peak_kib = peak_kib.max(kib);
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{name}: still running"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        let status = child.wait().expect("wait");
        let mut err = String::new();
        child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut err)
            .expect("read");
        assert_eq!(status.code(), Some(1), "{name}: {err}");
        assert!(
            err.contains("error[render]") && err.contains(template),
            "{name}: {err}"
        );
        assert!(peak_kib < 900 * 1024, "{name}: peak {peak_kib} KiB");
        assert!(
            !site.path().join("public").exists(),
            "{name}: output written"
        );
    }
}

#[cfg(unix)]
#[test]
fn serve_answers_others_while_a_client_stalls_and_bounds_request_heads() {
    let site = site_copy();
    let port = 21_000 + (std::process::id() % 20_000) as u16;
    let mut child = Command::new(env!("CARGO_BIN_EXE_plansite"))
        .args([
            "serve",
            "--root",
            root_of(&site),
            "--port",
            &port.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve");
    let get = |request: &str| -> Option<String> {
        let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
        s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        s.write_all(request.as_bytes()).ok()?;
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
        Some(String::from_utf8_lossy(&buf).to_string())
    };
    let started = Instant::now();
    while get("GET /zh/ HTTP/1.1\r\nHost: x\r\n\r\n").is_none_or(|r| !r.starts_with("HTTP/1.1 200"))
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "serve does not answer"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // Three clients that connect and send nothing, and one that sends half a request.
    let mut stalled: Vec<TcpStream> = (0..3)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).expect("connect"))
        .collect();
    let mut half = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    half.write_all(b"GET /zh/ HTTP/1.1\r\nHost:")
        .expect("write");
    stalled.push(half);
    let t = Instant::now();
    let page = get("GET /en/ HTTP/1.1\r\nHost: x\r\n\r\n").expect("answer");
    assert!(
        page.starts_with("HTTP/1.1 200"),
        "{}",
        &page[..page.len().min(200)]
    );
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "took {:?}",
        t.elapsed()
    );
    // Oversized request heads are refused, not read without end.
    let huge = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(64 * 1024));
    let answer = get(&huge).unwrap_or_default();
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 431"),
        "{}",
        &answer[..answer.len().min(100)]
    );
    let answer = get("POST / HTTP/1.1\r\n\r\n").expect("answer");
    assert!(answer.starts_with("HTTP/1.1 405"), "{answer}");
    // Only loopback: the default address is 127.0.0.1.
    let listening = std::fs::read_to_string("/proc/net/tcp").unwrap_or_default();
    let hex_port = format!(":{port:04X}");
    assert!(
        listening
            .lines()
            .any(|l| l.contains(&format!("0100007F{hex_port}"))),
        "not bound to 127.0.0.1"
    );
    drop(stalled);
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn static_files_are_published_as_they_are_but_never_over_generated_ones() {
    let site = site_copy();
    let root = root_of(&site);
    std::fs::create_dir_all(site.path().join("static/docs")).expect("mkdir");
    std::fs::write(site.path().join("static/CNAME"), "plan.example.org\n").expect("write");
    std::fs::write(
        site.path().join("static/docs/规划全文.pdf"),
        b"%PDF-1.4 bytes",
    )
    .expect("write");
    std::fs::write(site.path().join("static/.nojekyll"), "").expect("write");
    let o = plansite(&["build", "--root", root]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = site.path().join("public");
    assert_eq!(
        std::fs::read_to_string(out.join("CNAME")).expect("CNAME"),
        "plan.example.org\n"
    );
    assert_eq!(
        std::fs::read(out.join("docs/规划全文.pdf")).expect("pdf"),
        b"%PDF-1.4 bytes"
    );
    assert!(out.join(".nojekyll").is_file());
    // A rebuild replaces them (they are plansite's to write now), and a removed one goes.
    std::fs::remove_file(site.path().join("static/CNAME")).expect("rm");
    assert!(plansite(&["build", "--root", root]).status.success());
    assert!(!out.join("CNAME").exists());
    for clash in [
        "sitemap.xml",
        "zh/index.html",
        "DOCS/规划全文.pdf",
        "nul.txt",
        "Data/indicators.json",
        "ZH/index.html",
        ".plansite-manifest",
        "docs/a:b.pdf",
        "docs/notes.",
    ] {
        let path = site.path().join("static").join(clash);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, "clash").expect("write");
        let o = plansite(&["check", "--root", root]);
        assert_eq!(o.status.code(), Some(1), "{clash}");
        assert!(
            stdout(&o).contains("route-conflict"),
            "{clash}: {}",
            stdout(&o)
        );
        let o = plansite(&["build", "--root", root]);
        assert_eq!(o.status.code(), Some(1), "{clash}");
        std::fs::remove_file(&path).expect("rm");
        let _ = std::fs::remove_dir(path.parent().expect("parent"));
    }
    assert_ne!(
        std::fs::read_to_string(out.join("sitemap.xml")).expect("sitemap"),
        "clash"
    );
}
