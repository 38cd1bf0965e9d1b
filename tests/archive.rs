//! Snapshots, changelog, feeds and review packets.

mod common;

use sha2::{Digest, Sha256};

use common::*;

#[test]
fn snapshots_verify_hold_no_later_data_and_work_from_disk() {
    let site = site_copy();
    let root = site.path().to_str().expect("utf8");
    assert!(plansite(&["build", "--root", root]).status.success());
    let o = plansite(&["archive", "--root", root]);
    assert!(o.status.success(), "{}", stderr(&o));
    let archive = site.path().join("public/archive");
    let first = read_tree(&archive);
    for year in 2021..=2025 {
        let dir = archive.join(year.to_string());
        let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).expect("SHA256SUMS");
        let files = read_tree(&dir);
        assert_eq!(
            sums.lines().count(),
            files.len() - 1,
            "{year}: SHA256SUMS must cover every file"
        );
        for line in sums.lines() {
            let (hash, path) = line.split_once("  ").expect("sha256sum format");
            let digest: String = Sha256::digest(&files[path])
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(hash, digest, "{year}/{path}");
        }
        let data: serde_json::Value =
            serde_json::from_slice(&files["data/indicators.json"]).expect("json");
        for ind in data["indicators"].as_array().expect("list") {
            for v in ind["values"].as_array().expect("values") {
                assert!(
                    v["year"].as_i64().expect("year") <= year,
                    "{year} snapshot holds a later value"
                );
            }
        }
        let page = String::from_utf8_lossy(&files["en/index.html"]).to_string();
        assert!(
            page.contains(&format!("archived snapshot of the end of {year}")),
            "{year}: no snapshot notice"
        );
        // The only absolute addresses point at the live page: the canonical
        // link and the notice's "current version". Everything else is relative.
        let live = page.matches("https://plansite.example.org").count();
        let canonical = page
            .matches("rel=\"canonical\" href=\"https://plansite.example.org")
            .count();
        let current = page
            .matches("<a href=\"https://plansite.example.org/en/\">See the current")
            .count();
        assert_eq!(
            (live, canonical, current),
            (2, 1, 1),
            "{year}: absolute URLs in a snapshot"
        );
    }
    // Every link works inside the archive (a snapshot's "Snapshots" leads to the archive's index).
    let broken = broken_links(&archive, true);
    assert!(broken.is_empty(), "{:?}", &broken[..broken.len().min(5)]);
    // Re-archiving unchanged content gives identical bytes; the site links to the archive.
    assert!(plansite(&["archive", "--root", root]).status.success());
    assert_eq!(read_tree(&archive), first);
    assert!(plansite(&["build", "--root", root]).status.success());
    let index = std::fs::read_to_string(archive.join("index.html")).expect("archive index");
    assert!(index.contains("2021/index.html") && index.contains("2025/index.html"));
    assert!(
        std::fs::read_to_string(site.path().join("public/en/index.html"))
            .expect("page")
            .contains("archive/")
    );
    assert!(
        archive.join("2023/SHA256SUMS").exists(),
        "a rebuild must keep the snapshots"
    );
}

#[test]
fn as_of_shows_the_site_as_it_stood() {
    let site = site_copy();
    let root = site.path().to_str().expect("utf8");
    let out = site.path().join("y2022");
    assert!(
        plansite(&[
            "build",
            "--root",
            root,
            "--as-of",
            "2022",
            "--out",
            out.to_str().expect("utf8")
        ])
        .status
        .success()
    );
    let changelog =
        std::fs::read_to_string(out.join("en/changelog/index.html")).expect("changelog");
    assert!(changelog.contains("id=\"y2022\"") && changelog.contains("id=\"y2021\""));
    assert!(
        !changelog.contains("id=\"y2023\""),
        "--as-of 2022 shows 2023 changes"
    );
    let csv = std::fs::read_to_string(out.join("data/indicators.csv")).expect("csv");
    assert!(
        !csv.contains(",2023,") && !csv.contains(",2024,"),
        "later values leaked"
    );
}

#[test]
fn changelog_runs_newest_first_and_feeds_have_an_entry_per_year() {
    let site = site_copy();
    let root = site.path().to_str().expect("utf8");
    assert!(plansite(&["build", "--root", root]).status.success());
    for lang in ["zh", "en"] {
        let page = std::fs::read_to_string(
            site.path()
                .join(format!("public/{lang}/changelog/index.html")),
        )
        .expect("page");
        let positions: Vec<usize> = (2021..=2025)
            .rev()
            .map(|y| page.find(&format!("id=\"y{y}\"")).expect("year section"))
            .collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "{lang}: years are not newest first"
        );
        let feed = std::fs::read_to_string(
            site.path()
                .join(format!("public/{lang}/changelog/atom.xml")),
        )
        .expect("feed");
        assert!(feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""));
        assert_eq!(feed.matches("<entry>").count(), 5);
        for tag in ["<id>", "<title>", "<updated>", "<author>"] {
            assert!(feed.contains(tag), "{lang}: feed lacks {tag}");
        }
        assert_eq!(
            feed.matches('<').count() - 1,
            feed.matches('>').count() - 1,
            "unbalanced markup"
        );
    }
}

#[test]
fn packet_is_one_self_contained_file_naming_every_indicator() {
    let site = site_copy();
    let root = site.path().to_str().expect("utf8");
    let out = site.path().join("packet.html");
    let o = plansite(&[
        "packet",
        "--root",
        root,
        "--year",
        "2024",
        "-o",
        out.to_str().expect("utf8"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(&out).expect("packet");
    assert!(
        html.len() < 3 * 1024 * 1024,
        "packet is {} bytes",
        html.len()
    );
    assert!(
        !html.contains("<link") && !html.contains("<script") && !html.contains("src=\"http"),
        "packet makes external requests"
    );
    assert!(html.contains("<style>") && html.contains("<svg"));
    let Ok(input) = plansite::content::load(site.path()) else {
        panic!("loads")
    };
    for ind in &input.registry.indicators {
        assert!(
            html.contains(&ind.name.zh) && html.contains(&ind.name.en),
            "packet lacks {}",
            ind.id
        );
    }
    // Broken content: exit 1 and no file.
    std::fs::write(
        site.path().join("content/progress/2024.yaml"),
        "year: 2024\nas_of: 2024-12-31\ndata_status: nope\n",
    )
    .expect("write");
    let bad = site.path().join("bad.html");
    let o = plansite(&[
        "packet",
        "--root",
        root,
        "--year",
        "2024",
        "-o",
        bad.to_str().expect("utf8"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!bad.exists());
}

#[test]
fn the_packet_reads_as_a_report() {
    let site = site_copy();
    let root = site.path().to_str().expect("utf8");
    let out = site.path().join("packet.html");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_plansite"))
        .args([
            "packet",
            "--root",
            root,
            "--year",
            "2025",
            "-o",
            out.to_str().expect("utf8"),
        ])
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .env("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567")
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(&out).expect("packet");
    for expected in [
        "Hebei District Education Bureau",                  // the publisher
        "2026-01-01",                                       // issued (SOURCE_DATE_EPOCH)
        "0123456789ab",                                     // the commit
        &format!("plansite {}", env!("CARGO_PKG_VERSION")), // the version
        "id=\"summary\"",
        "id=\"period\"", // 2025 is the final year
        "id=\"signoff\"",
        "id=\"methods\"",
        "class=\"toc\"",
        "counter(page) \" / \" counter(pages)", // page numbers when printed
        "Values by year",
        ">better<", // direction-aware wording
    ] {
        assert!(html.contains(expected), "the packet lacks {expected}");
    }
    // The data version is the SHA-256 of the inputs' list, shown with each input.
    assert!(html.contains("seeds/hebei-education-14th-fyp.txt"));
    // Both languages, every number once: no "91.2% / 91.2%".
    assert!(!html.contains("91.2%</span><span class=\"sep\"> / </span><span lang=\"en\">91.2%"));
    let cells: Vec<&str> = html
        .split("<td>")
        .skip(1)
        .map(|c| c.split("</td>").next().unwrap_or(""))
        .collect();
    for cell in cells {
        let parts: Vec<&str> = cell.split("<span class=\"sep\"> / </span>").collect();
        if parts.len() == 2 {
            let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
            assert!(
                digits(parts[0]).is_empty() || digits(parts[0]) != digits(parts[1]),
                "a number twice: {cell}"
            );
        }
    }
    // A lower-is-better indicator that fell is better, not an alarming ▼ alone.
    let en = site.path().join("packet-en.html");
    let o = plansite(&[
        "packet",
        "--root",
        root,
        "--year",
        "2024",
        "--lang",
        "en",
        "-o",
        en.to_str().expect("utf8"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(&en).expect("packet");
    assert!(!html.contains("id=\"period\""), "not the final year");
    assert!(
        html.contains("down ") && html.contains("(better)"),
        "falling myopia is better"
    );
}
