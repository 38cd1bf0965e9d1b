//! A snapshot as a BagIt bag (RFC 8493, BagIt 1.0), for digital-preservation
//! teams: the snapshot's files under `data/`, a SHA-256 manifest of them, the
//! bag's description (`bag-info.txt`) and a manifest of those tag files.
//! `bagit.py --validate` accepts it.

use sha2::{Digest, Sha256};

use crate::render::Files;

/// What `bag-info.txt` says.
pub struct BagInfo<'a> {
    /// `YYYY-MM-DD`.
    pub bagging_date: &'a str,
    pub source_organization: Option<&'a str>,
    pub external_identifier: &'a str,
    pub description: &'a str,
}

/// A path as BagIt manifests write it: `%`, CR and LF percent-encoded.
fn manifest_path(path: &str) -> String {
    path.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A bag-info value on one line.
fn one_line(value: &str) -> String {
    value.replace(['\r', '\n'], " ")
}

/// The files of a bag holding `payload`, by path inside the bag.
pub fn bag(payload: &Files, info: &BagInfo) -> Files {
    let mut out = Files::new();
    let mut manifest = String::new();
    let mut bytes = 0usize;
    for (path, data) in payload {
        bytes += data.len();
        manifest.push_str(&format!(
            "{}  data/{}\n",
            crate::hex::hex(&Sha256::digest(data)),
            manifest_path(path)
        ));
        out.insert(format!("data/{path}"), data.clone());
    }
    out.insert(
        "bagit.txt".into(),
        b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".to_vec(),
    );
    let mut bag_info = format!(
        "Bagging-Date: {}\nPayload-Oxum: {bytes}.{}\nBag-Software-Agent: plansite {}\nExternal-Identifier: {}\nExternal-Description: {}\n",
        info.bagging_date,
        payload.len(),
        env!("CARGO_PKG_VERSION"),
        one_line(info.external_identifier),
        one_line(info.description)
    );
    if let Some(org) = info.source_organization {
        bag_info.push_str(&format!("Source-Organization: {}\n", one_line(org)));
    }
    out.insert("bag-info.txt".into(), bag_info.into_bytes());
    out.insert("manifest-sha256.txt".into(), manifest.into_bytes());
    let mut tags = String::new();
    for tag in ["bag-info.txt", "bagit.txt", "manifest-sha256.txt"] {
        if let Some(data) = out.get(tag) {
            tags.push_str(&format!(
                "{}  {tag}\n",
                crate::hex::hex(&Sha256::digest(data))
            ));
        }
    }
    out.insert("tagmanifest-sha256.txt".into(), tags.into_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bag_lists_every_payload_file_and_its_tag_files() {
        let mut payload = Files::new();
        payload.insert("index.html".into(), b"<p>".to_vec());
        payload.insert("docs/规划 全文%.pdf".into(), b"pdf".to_vec());
        let bag = bag(
            &payload,
            &BagInfo {
                bagging_date: "2026-01-01",
                source_organization: Some("Bureau"),
                external_identifier: "2023",
                description: "snapshot",
            },
        );
        let manifest = String::from_utf8_lossy(&bag["manifest-sha256.txt"]).to_string();
        assert!(manifest.contains("  data/index.html\n"));
        assert!(manifest.contains("  data/docs/规划 全文%25.pdf\n"));
        let info = String::from_utf8_lossy(&bag["bag-info.txt"]).to_string();
        assert!(info.contains("Payload-Oxum: 6.2\n"), "{info}");
        assert!(bag.contains_key("data/docs/规划 全文%.pdf"));
        assert_eq!(
            String::from_utf8_lossy(&bag["tagmanifest-sha256.txt"])
                .lines()
                .count(),
            3
        );
    }
}
