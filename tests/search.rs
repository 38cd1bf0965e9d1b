//! The search client and the index cut text and pick shards alike: the
//! client's tokenizer (themes/default/static/search.js) runs on the cases the
//! index's is tested with (tests/search-tokens.json), and on shards the index
//! computed. Needs Node; skipped visibly without it, except under CI=true.

use std::process::Command;

use plansite::render::search::{CJK_RANGES, shard_key};

#[test]
fn the_client_tokenizes_and_shards_as_the_index_does() {
    if Command::new("node").arg("--version").output().is_err() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "node is missing under CI=true; .ci/run's machine has it"
        );
        eprintln!("skipped: search tokenizer in Node: node is not installed");
        return;
    }
    let cjk: Vec<[u32; 2]> = CJK_RANGES.iter().map(|&(lo, hi)| [lo, hi]).collect();
    let shards: Vec<(&str, u32, u32)> = [
        "近视",
        "视率",
        "myopia",
        "my",
        "education",
        "édu",
        "2022",
        "ⅻ",
        "𠀀𠀁",
        "兀x",
    ]
    .iter()
    .flat_map(|t| [1u32, 7, 64].map(|n| (*t, n, shard_key(t) % n)))
    .collect();
    let o = Command::new("node")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/search_tokens.mjs"
        ))
        .arg(serde_json::to_string(&cjk).expect("json"))
        .arg(serde_json::to_string(&shards).expect("json"))
        .output()
        .expect("node runs");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains(" 0 failed"), "{out}");
}
