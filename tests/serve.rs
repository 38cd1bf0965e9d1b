//! `plansite serve`: answers, shows an edit, shows a content error in the page
//! without dying, recovers; the published build carries no reload code.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

struct Server(Child);
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    let text = String::from_utf8_lossy(&buf).to_string();
    let status = text.split(' ').nth(1)?.parse().ok()?;
    Some((status, text))
}

fn wait_for(deadline: Duration, mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < deadline {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

#[test]
fn serve_rebuilds_shows_errors_and_recovers() {
    let site = site_copy();
    let port = 20_000 + (std::process::id() % 20_000) as u16;
    let _server = Server(
        Command::new(env!("CARGO_BIN_EXE_plansite"))
            .args([
                "serve",
                "--root",
                site.path().to_str().expect("utf8"),
                "--port",
                &port.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve starts"),
    );
    assert!(
        wait_for(Duration::from_secs(20), || get(port, "/en/")
            .is_some_and(|r| r.0 == 200)),
        "serve does not answer"
    );
    let (_, page) = get(port, "/en/").expect("page");
    assert!(
        page.contains("/__plansite/events"),
        "served pages carry the reload hook"
    );
    assert!(
        !site.path().join("public").exists(),
        "serve wrote to public/"
    );

    // An edit shows within seconds.
    let progress = site.path().join("content/progress/2025.yaml");
    let original = std::fs::read_to_string(&progress).expect("read");
    let edited = original.replacen("value: 57.6", "value: 57.1", 1);
    assert_ne!(edited, original, "fixture value not found");
    std::fs::write(&progress, &edited).expect("write");
    assert!(
        wait_for(Duration::from_secs(10), || get(
            port,
            "/en/indicators/myopia-rate/"
        )
        .is_some_and(|r| r.1.contains("57.1%"))),
        "the edit did not show"
    );

    // A content error shows in the page, naming file:line; the server lives on.
    std::fs::write(
        &progress,
        original.replace("data_status: illustrative", "data_status: wrong"),
    )
    .expect("write");
    assert!(
        wait_for(Duration::from_secs(10), || get(port, "/en/").is_some_and(
            |r| r.1.contains("content/progress/2025.yaml:") && r.1.contains("bad-data-status")
        )),
        "no error overlay"
    );
    // Fixed: it recovers.
    std::fs::write(&progress, &original).expect("write");
    assert!(
        wait_for(Duration::from_secs(10), || get(port, "/en/")
            .is_some_and(|r| r.0 == 200)),
        "did not recover"
    );
}

#[test]
fn built_pages_carry_no_reload_code() {
    let site = site_copy();
    assert!(
        plansite(&["build", "--root", site.path().to_str().expect("utf8")])
            .status
            .success()
    );
    for (path, bytes) in read_tree(&site.path().join("public")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__plansite"),
            "{path} carries serve's reload hook"
        );
    }
}
