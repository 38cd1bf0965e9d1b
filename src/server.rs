//! A small HTTP/1.1 server for `plansite serve`: GET and HEAD of files held
//! in memory, and one event stream that tells open pages to reload.
//!
//! It is built to stay responsive, not to be fast: every connection has its
//! own thread (at most [`MAX_CONNECTIONS`] at once), a client has
//! [`IO_TIMEOUT`] to send its request and take its response, the request
//! line and headers are bounded ([`MAX_HEAD`]), and every response closes its
//! connection. A slow or stalled client holds one thread, never the others.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// Connections served at once; more are answered 503 and closed.
pub const MAX_CONNECTIONS: usize = 64;
/// The longest request line plus headers.
pub const MAX_HEAD: usize = 16 * 1024;
/// How long a client may take to send its request, or to take a response.
pub const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// Path of the event stream (`text/event-stream`) that announces rebuilds.
pub const EVENTS_PATH: &str = "/__plansite/events";
/// How often an idle event stream sends a comment, to notice closed pages.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// A response: status, content type, body.
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

/// Announces new versions of the site to every open event stream.
#[derive(Default)]
pub struct Events {
    version: Mutex<u64>,
    changed: Condvar,
}

impl Events {
    /// A new version is ready: wakes every stream.
    pub fn publish(&self, version: u64) {
        if let Ok(mut v) = self.version.lock() {
            *v = version;
        }
        self.changed.notify_all();
    }

    /// Waits until the version differs from `seen` or `timeout` passes.
    fn wait(&self, seen: u64, timeout: Duration) -> u64 {
        let Ok(guard) = self.version.lock() else {
            return seen;
        };
        match self
            .changed
            .wait_timeout_while(guard, timeout, |v| *v == seen)
        {
            Ok((v, _)) => *v,
            Err(_) => seen,
        }
    }

    fn current(&self) -> u64 {
        self.version.lock().map_or(0, |v| *v)
    }
}

/// Serves `listener` until the process ends; `handle` answers a path.
pub fn run(
    listener: TcpListener,
    handle: Arc<dyn Fn(&str) -> Response + Send + Sync>,
    events: Arc<Events>,
) {
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = write_head(&mut stream, 503, "text/plain; charset=utf-8", 0);
            continue;
        }
        let (handle, events, count) = (Arc::clone(&handle), Arc::clone(&events), Arc::clone(&open));
        let spawned = std::thread::Builder::new()
            .name("plansite-http".into())
            .spawn(move || {
                let _ = connection(stream, &*handle, &events);
                count.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            open.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// Binds `addr` (say 127.0.0.1:1111).
pub fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr)
}

/// A request as far as this server reads it.
#[derive(Debug, PartialEq, Eq)]
pub struct RequestHead {
    pub method: String,
    pub path: String,
}

/// Why a request head was refused, as an HTTP status.
#[derive(Debug, PartialEq, Eq)]
pub enum HeadError {
    /// 400: not HTTP.
    Malformed,
    /// 431: the request line and headers are longer than [`MAX_HEAD`].
    TooLarge,
    /// The client closed or stalled; nothing to answer.
    Gone,
}

/// Reads the request line and headers (bounded in size and time).
pub fn read_head(reader: &mut impl BufRead) -> Result<RequestHead, HeadError> {
    let mut total = 0usize;
    let mut first = None;
    loop {
        let mut line = Vec::new();
        let limit = (MAX_HEAD - total) as u64 + 1;
        let n = reader
            .take(limit)
            .read_until(b'\n', &mut line)
            .map_err(|_| HeadError::Gone)?;
        if n == 0 {
            return Err(if first.is_none() {
                HeadError::Gone
            } else {
                HeadError::Malformed
            });
        }
        total += n;
        if total > MAX_HEAD || !line.ends_with(b"\n") {
            return Err(if total > MAX_HEAD {
                HeadError::TooLarge
            } else {
                HeadError::Gone
            });
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if first.is_none() {
            let mut parts = text.split(' ');
            let (Some(method), Some(target), Some(version), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return Err(HeadError::Malformed);
            };
            if !version.starts_with("HTTP/1.") || !target.starts_with('/') {
                return Err(HeadError::Malformed);
            }
            first = Some(RequestHead {
                method: method.to_string(),
                path: target.to_string(),
            });
        } else if text.is_empty() {
            return first.ok_or(HeadError::Malformed);
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        _ => "Service Unavailable",
    }
}

fn write_head(
    out: &mut impl Write,
    status: u16,
    content_type: &str,
    length: usize,
) -> std::io::Result<()> {
    write!(
        out,
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        reason(status)
    )
}

fn connection(
    stream: TcpStream,
    handle: &dyn Fn(&str) -> Response,
    events: &Events,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let mut reader = BufReader::with_capacity(4096, stream.try_clone()?);
    let mut out = stream;
    let head = match read_head(&mut reader) {
        Ok(head) => head,
        Err(HeadError::Gone) => return Ok(()),
        Err(e) => {
            let status = if e == HeadError::TooLarge { 431 } else { 400 };
            return write_head(&mut out, status, "text/plain; charset=utf-8", 0);
        }
    };
    if head.method != "GET" && head.method != "HEAD" {
        return write_head(&mut out, 405, "text/plain; charset=utf-8", 0);
    }
    let path = head.path.split(['?', '#']).next().unwrap_or("/");
    if path == EVENTS_PATH {
        return event_stream(out, events);
    }
    let response = handle(path);
    write_head(
        &mut out,
        response.status,
        response.content_type,
        response.body.len(),
    )?;
    if head.method == "GET" {
        out.write_all(&response.body)?;
    }
    out.flush()
}

/// `text/event-stream`: the current version at once, then each new one.
fn event_stream(mut out: TcpStream, events: &Events) -> std::io::Result<()> {
    // A stream stays open for as long as its page does.
    out.set_read_timeout(None)?;
    write!(
        out,
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n"
    )?;
    let mut seen = events.current();
    writeln!(out, "data: {seen}\n")?;
    out.flush()?;
    loop {
        let now = events.wait(seen, HEARTBEAT);
        if now == seen {
            // A comment line; writing to a closed page fails and ends the thread.
            out.write_all(b": ping\n\n")?;
        } else {
            seen = now;
            writeln!(out, "data: {seen}\n")?;
        }
        out.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Result<RequestHead, HeadError> {
        read_head(&mut std::io::Cursor::new(text.as_bytes().to_vec()))
    }

    #[test]
    fn request_heads_are_read_within_bounds() {
        assert_eq!(
            head("GET /zh/ HTTP/1.1\r\nHost: x\r\n\r\n"),
            Ok(RequestHead {
                method: "GET".into(),
                path: "/zh/".into()
            })
        );
        assert_eq!(head("GET /zh/\r\n\r\n"), Err(HeadError::Malformed));
        assert_eq!(
            head("GET http://x/ HTTP/1.1\r\n\r\n"),
            Err(HeadError::Malformed)
        );
        assert_eq!(
            head("GET / HTTP/1.1\r\nHost: x\r\n"),
            Err(HeadError::Malformed)
        );
        assert_eq!(head(""), Err(HeadError::Gone));
        let long_line = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(head(&long_line), Err(HeadError::TooLarge));
        let many_headers = format!("GET / HTTP/1.1\r\n{}\r\n", "X-A: b\r\n".repeat(3000));
        assert_eq!(head(&many_headers), Err(HeadError::TooLarge));
    }
}
