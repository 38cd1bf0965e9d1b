//! A snapshot as a WACZ 1.1.1 package (Webrecorder's web archive zip), so
//! that web archivists can replay it in ReplayWeb.page or pywb and keep it
//! with their other captures. Inside the zip:
//!
//! ```text
//! archive/data.warc.gz     WARC/1.1: a warcinfo record, then one response record
//!                          per file (HTTP 200 with its content type), each a gzip member
//! indexes/index.cdxj       one CDXJ line per response: SURT key, time, JSON with
//!                          url, mime, status, digest, length and offset of its member
//! pages/pages.jsonl        a header line, then every HTML page (url, ts, title)
//! datapackage.json         every file above with its SHA-256 and size
//! datapackage-digest.json  the SHA-256 of datapackage.json
//! ```
//!
//! Every file is captured at the address it has below the live site's
//! `archive/NAME/` (or below `https://archive.plansite.invalid/NAME/` when the
//! site has no base URL), so the search script and its index, loaded by
//! `<script src>`, replay with the pages. Digests are SHA-256 in base32, as
//! warcio writes them; record ids are derived from the content, so the same
//! snapshot always gives the same package.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::render::Files;

/// What the package says about itself.
pub struct Package<'a> {
    /// The snapshot's name (`2023`, `2023-r2`).
    pub name: &'a str,
    pub title: &'a str,
    /// The live site's base URL; may be empty.
    pub base_url: &'a str,
    /// RFC 3339 UTC, to the second.
    pub built_at: &'a str,
}

/// Where the snapshot's files are captured.
pub fn prefix(name: &str, base_url: &str) -> String {
    if base_url.is_empty() {
        format!("https://archive.plansite.invalid/{name}/")
    } else {
        format!("{}/archive/{name}/", base_url.trim_end_matches('/'))
    }
}

/// `sha256:BASE32`, padded, as warcio writes and checks it.
fn digest(bytes: &[u8]) -> String {
    format!(
        "sha256:{}",
        data_encoding::BASE32.encode(&Sha256::digest(bytes))
    )
}

/// A record id from what it holds: `<urn:uuid:…>`.
fn record_id(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
        h.update([0]);
    }
    let b = h.finalize();
    let hex = crate::hex::hex(&b[..16]);
    format!(
        "<urn:uuid:{}-{}-4{}-8{}-{}>",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

/// One WARC record: headers and block, as its own gzip member.
fn record(headers: &[(&str, String)], block: &[u8]) -> Result<Vec<u8>, String> {
    let mut raw = Vec::with_capacity(block.len() + 512);
    raw.extend_from_slice(b"WARC/1.1\r\n");
    for (name, value) in headers {
        raw.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    raw.extend_from_slice(format!("Content-Length: {}\r\n\r\n", block.len()).as_bytes());
    raw.extend_from_slice(block);
    raw.extend_from_slice(b"\r\n\r\n");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&raw).map_err(|e| e.to_string())?;
    gz.finish().map_err(|e| e.to_string())
}

/// The SURT form of a URL, as CDX indexes sort them: `org,example)/archive/…`.
pub fn surt(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (host, path) = rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let (name, port) = host
        .split_once(':')
        .map_or((host, None), |(h, p)| (h, Some(p)));
    let mut labels: Vec<&str> = name.split('.').collect();
    labels.reverse();
    let port = port.map(|p| format!(":{p}")).unwrap_or_default();
    format!("{}{port})/{}", labels.join(","), path.to_ascii_lowercase())
}

/// `2026-01-02T03:04:05Z` → `20260102030405`.
fn cdx_time(rfc3339: &str) -> String {
    rfc3339
        .chars()
        .filter(char::is_ascii_digit)
        .take(14)
        .collect()
}

#[derive(Serialize)]
struct CdxFields<'a> {
    url: &'a str,
    mime: &'a str,
    status: &'a str,
    digest: &'a str,
    length: String,
    offset: String,
    filename: &'a str,
}

#[derive(Serialize)]
struct Resource {
    name: String,
    path: String,
    hash: String,
    bytes: usize,
}

/// `datapackage.json`, with the WACZ specification's own names.
#[derive(Serialize)]
struct DataPackage<'a> {
    profile: &'a str,
    wacz_version: &'a str,
    title: &'a str,
    created: &'a str,
    software: String,
    #[serde(rename = "mainPageUrl")]
    main_page_url: String,
    #[serde(rename = "mainPageDate")]
    main_page_date: &'a str,
    resources: Vec<Resource>,
}

/// The page title of an HTML file, for `pages.jsonl`.
fn title_of(html: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(html).ok()?;
    let start = text.find("<title>")? + "<title>".len();
    let end = start + text[start..].find("</title>")?;
    Some(
        text[start..end]
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'"),
    )
}

/// The WACZ file of a snapshot's `files`.
pub fn package(files: &Files, p: &Package) -> Result<Vec<u8>, String> {
    let prefix = prefix(p.name, p.base_url);
    let software = format!("plansite {}", env!("CARGO_PKG_VERSION"));
    // The WARC: warcinfo first, then the files in path order.
    let mut warc = Vec::new();
    let info_block = format!(
        "software: {software}\r\nformat: WARC File Format 1.1\r\nconformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\nisPartOf: {}\r\n",
        p.name
    );
    let info_id = record_id(&[p.name.as_bytes(), b"warcinfo"]);
    warc.extend(record(
        &[
            ("WARC-Type", "warcinfo".into()),
            ("WARC-Record-ID", info_id.clone()),
            ("WARC-Date", p.built_at.into()),
            ("WARC-Filename", "data.warc.gz".into()),
            ("Content-Type", "application/warc-fields".into()),
        ],
        info_block.as_bytes(),
    )?);
    let time = cdx_time(p.built_at);
    let mut cdx: Vec<String> = Vec::with_capacity(files.len());
    let mut pages = Vec::new();
    for (path, body) in files {
        let url = format!("{prefix}{path}");
        let mime = crate::routes::media_type(path);
        let mut block = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {mime}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        block.extend_from_slice(body);
        let payload_digest = digest(body);
        let member = record(
            &[
                ("WARC-Type", "response".into()),
                ("WARC-Record-ID", record_id(&[url.as_bytes(), body])),
                ("WARC-Date", p.built_at.into()),
                ("WARC-Target-URI", url.clone()),
                ("WARC-Warcinfo-ID", info_id.clone()),
                ("Content-Type", "application/http;msgtype=response".into()),
                ("WARC-Block-Digest", digest(&block)),
                ("WARC-Payload-Digest", payload_digest.clone()),
            ],
            &block,
        )?;
        let fields = CdxFields {
            url: &url,
            mime: mime.split(';').next().unwrap_or(mime),
            status: "200",
            digest: &payload_digest,
            length: member.len().to_string(),
            offset: warc.len().to_string(),
            filename: "data.warc.gz",
        };
        cdx.push(format!(
            "{} {time} {}",
            surt(&url),
            serde_json::to_string(&fields).map_err(|e| e.to_string())?
        ));
        warc.extend(member);
        if path.ends_with(".html") {
            pages.push(serde_json::json!({
                "id": crate::hex::hex(&Sha256::digest(url.as_bytes())[..8]),
                "url": url,
                "ts": p.built_at,
                "title": title_of(body).unwrap_or_else(|| path.clone()),
            }));
        }
    }
    cdx.sort();
    let index = cdx.join("\n") + "\n";
    let mut pages_jsonl =
        serde_json::json!({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"})
            .to_string();
    pages_jsonl.push('\n');
    for page in &pages {
        pages_jsonl.push_str(&page.to_string());
        pages_jsonl.push('\n');
    }
    let parts: BTreeMap<&str, Vec<u8>> = BTreeMap::from([
        ("archive/data.warc.gz", warc),
        ("indexes/index.cdxj", index.into_bytes()),
        ("pages/pages.jsonl", pages_jsonl.into_bytes()),
    ]);
    let main_page = if files.contains_key("zh/index.html") {
        "zh/index.html"
    } else {
        "index.html"
    };
    let datapackage = DataPackage {
        profile: "data-package",
        wacz_version: "1.1.1",
        title: p.title,
        created: p.built_at,
        software,
        main_page_url: format!("{prefix}{main_page}"),
        main_page_date: p.built_at,
        resources: parts
            .iter()
            .map(|(path, bytes)| Resource {
                name: path.rsplit('/').next().unwrap_or(path).to_string(),
                path: (*path).to_string(),
                hash: format!("sha256:{}", crate::hex::hex(&Sha256::digest(bytes))),
                bytes: bytes.len(),
            })
            .collect(),
    };
    let datapackage_json =
        serde_json::to_string_pretty(&datapackage).map_err(|e| e.to_string())? + "\n";
    let digest_json = serde_json::to_string_pretty(&serde_json::json!({
        "path": "datapackage.json",
        "hash": format!("sha256:{}", crate::hex::hex(&Sha256::digest(datapackage_json.as_bytes()))),
    }))
    .map_err(|e| e.to_string())?
        + "\n";

    // The zip: every entry stored, as the WACZ specification asks of the WARC
    // (readers seek into it), with fixed times so that packages are reproducible.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(false);
    let entries = parts
        .iter()
        .map(|(path, bytes)| (*path, bytes.as_slice()))
        .chain([
            ("datapackage.json", datapackage_json.as_bytes()),
            ("datapackage-digest.json", digest_json.as_bytes()),
        ]);
    for (path, bytes) in entries {
        zip.start_file(path, options).map_err(|e| e.to_string())?;
        zip.write_all(bytes).map_err(|e| e.to_string())?;
    }
    let cursor = zip.finish().map_err(|e| e.to_string())?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surt_keys_reverse_the_host() {
        assert_eq!(
            surt("https://www.Example.org/archive/2023/zh/index.html"),
            "org,example)/archive/2023/zh/index.html"
        );
        assert_eq!(surt("http://localhost:8080/a"), "localhost:8080)/a");
    }

    #[test]
    fn a_package_holds_the_warc_its_index_pages_and_hashes() {
        let mut files = Files::new();
        files.insert("zh/index.html".into(), b"<title>A &amp; B</title>".to_vec());
        files.insert("search/zh.js".into(), b"var x=1;".to_vec());
        let p = Package {
            name: "2023",
            title: "Snapshot 2023",
            base_url: "https://plan.example.org/",
            built_at: "2026-01-02T03:04:05Z",
        };
        let bytes = package(&files, &p).expect("package");
        assert_eq!(bytes, package(&files, &p).expect("again"), "reproducible");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let mut read = |name: &str| {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut zip.by_name(name).expect(name), &mut s)
                .expect("utf8");
            s
        };
        let index = read("indexes/index.cdxj");
        assert!(
            index.starts_with("org,example,plan)/archive/2023/search/zh.js 20260102030405 {"),
            "{index}"
        );
        let pages = read("pages/pages.jsonl");
        assert!(
            pages
                .lines()
                .next()
                .is_some_and(|l| l.contains("json-pages-1.0"))
        );
        assert!(pages.contains("\"title\":\"A & B\""), "{pages}");
        assert!(read("datapackage.json").contains("\"wacz_version\": \"1.1.1\""));
    }
}
