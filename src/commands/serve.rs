//! `plansite serve`: builds into memory, serves on 127.0.0.1, rebuilds when the
//! site's files change and reloads open pages. A content error replaces every
//! page with an overlay naming `file:line`; the server keeps running and recovers
//! when the file is fixed. The reload hook exists only in served pages.

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::server::{self, Events, Response};

use crate::content;
use crate::pipeline;
use crate::render::{Files, Options, Theme};

use super::{EXIT_OK, EXIT_USAGE};

/// Reloads the page when the server announces a new version of the site.
const RELOAD_SCRIPT: &str = "<script>(function(){var seen=null;new EventSource('/__plansite/events').onmessage=function(e){if(seen!==null&&e.data!==seen){location.reload()}seen=e.data}})();</script>";

struct State {
    files: Files,
    error: Option<String>,
}

/// Builds the site into memory, or the text of the errors that stopped it.
pub fn build_in_memory(root: &Path, base_url: &str) -> Result<Files, String> {
    let mut input = match content::load(root) {
        Ok(i) => i,
        Err(f) => {
            return Err(f
                .diagnostics
                .iter()
                .map(|d| d.render_human(f.sources.get(&d.file)))
                .collect());
        }
    };
    input.config.base_url = base_url.to_string();
    let theme = Theme::with_overrides(&input.theme_files)?;
    let site = pipeline::model(&input, &theme, None);
    let options = Options {
        portable: false,
        inject: Some(RELOAD_SCRIPT.to_string()),
        archive_link: false,
        snapshot: None,
    };
    pipeline::render_to_memory(&input, &site, &theme, &options).map(|(files, _)| files)
}

fn overlay(error: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>plansite: content error</title><style>body{{font-family:system-ui,sans-serif;margin:2rem;background:#fff4f4;color:#1b1f24}}pre{{background:#fff;border:1px solid #d99;padding:1rem;overflow:auto;font-size:14px;line-height:1.4}}</style></head><body><main><h1>The site could not be rebuilt</h1><p>Fix the problem below and save: this page reloads by itself.</p><pre>{}</pre></main>{RELOAD_SCRIPT}</body></html>",
        crate::render::escape_html(error)
    )
}

fn respond(state: &RwLock<State>, path: &str) -> Response {
    let reply = |status, content_type, body| Response {
        status,
        content_type,
        body,
    };
    let Ok(state) = state.read() else {
        return reply(500, "text/plain", b"state lock poisoned".to_vec());
    };
    let mut rel = path.trim_start_matches('/').to_string();
    if rel.is_empty() || rel.ends_with('/') {
        rel.push_str("index.html");
    }
    if let Some(error) = &state.error
        && rel.ends_with(".html")
    {
        return reply(500, "text/html; charset=utf-8", overlay(error).into_bytes());
    }
    if let Some(bytes) = state
        .files
        .get(&rel)
        .or_else(|| state.files.get(&format!("{rel}/index.html")))
    {
        return reply(200, crate::routes::media_type(&rel), bytes.clone());
    }
    reply(
        404,
        "text/html; charset=utf-8",
        state
            .files
            .get("404.html")
            .cloned()
            .unwrap_or_else(|| b"not found".to_vec()),
    )
}

pub fn run(root: &Path, bind: IpAddr, port: u16, open: bool) -> i32 {
    let address = SocketAddr::new(bind, port);
    let listener = match server::bind(address) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error[serve]: cannot listen on {address}: {e}");
            return EXIT_USAGE;
        }
    };
    if !bind.is_loopback() {
        eprintln!(
            "warning: serving on {address}: other machines on the network can read the site (the default is 127.0.0.1)"
        );
    }
    let base = format!("http://{address}/");
    let started = Instant::now();
    // Taken before the first build, so an edit made while it runs (or before the
    // watcher thread is scheduled) still counts as a change.
    let before_first = crate::input::fingerprint(root);
    let first = build_in_memory(root, &base);
    let state = Arc::new(RwLock::new(State {
        files: Files::new(),
        error: None,
    }));
    let events = Arc::new(Events::default());
    events.publish(1);
    match first {
        Ok(files) => {
            eprintln!(
                "built in {} ms; serving {base} (Ctrl-C to stop)",
                started.elapsed().as_millis()
            );
            if let Ok(mut s) = state.write() {
                s.files = files;
            }
        }
        Err(e) => {
            eprintln!("{e}\nserving the error at {base} until it is fixed");
            if let Ok(mut s) = state.write() {
                s.error = Some(e);
            }
        }
    }
    if open {
        let _ = std::process::Command::new("xdg-open").arg(&base).spawn();
    }
    let watcher_state = Arc::clone(&state);
    let watcher_events = Arc::clone(&events);
    let root_owned = root.to_path_buf();
    std::thread::spawn(move || {
        let mut last = before_first;
        let mut version = 1;
        loop {
            std::thread::sleep(Duration::from_millis(WATCH_INTERVAL_MS));
            let now = crate::input::fingerprint(&root_owned);
            if now == last {
                continue;
            }
            // Debounce: wait until the files stop changing (editors write in steps).
            std::thread::sleep(Duration::from_millis(SETTLE_MS));
            let settled = crate::input::fingerprint(&root_owned);
            if settled != now {
                continue;
            }
            last = settled;
            let t = Instant::now();
            let result = build_in_memory(&root_owned, &base);
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            if let Ok(mut s) = watcher_state.write() {
                match result {
                    Ok(files) => {
                        s.files = files;
                        s.error = None;
                        eprintln!("rebuilt in {ms:.1} ms");
                    }
                    Err(e) => {
                        eprintln!("rebuild failed ({ms:.1} ms):\n{e}");
                        s.error = Some(e);
                    }
                }
            }
            version += 1;
            watcher_events.publish(version);
        }
    });
    let handler_state = Arc::clone(&state);
    server::run(
        listener,
        Arc::new(move |path: &str| respond(&handler_state, path)),
        events,
    );
    EXIT_OK
}

/// How often the site's files are looked at for changes.
const WATCH_INTERVAL_MS: u64 = 100;
/// How long files must stay unchanged before a rebuild (editors save in steps).
const SETTLE_MS: u64 = 50;
