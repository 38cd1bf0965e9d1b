//! Golden files: the shipped site's key pages and data files, built from a
//! clean copy, compared with the snapshots in `tests/snapshots/`. Any change
//! in output is then a reviewed diff: run `cargo insta review` (or
//! `INSTA_UPDATE=always cargo test --profile ci --test golden`) after an
//! intended change, and commit the updated snapshots with it.

mod common;

use common::*;

/// The pages and files whose every byte is reviewed: the front page, both
/// dashboards, an indicator page (the issue that the status method fixed), an
/// area page, the open data, a feed and the sitemap.
const GOLDEN: [&str; 11] = [
    "index.html",
    "zh/index.html",
    "en/index.html",
    "en/indicators/dual-qualified-secondary-vocational/index.html",
    "zh/indicators/dual-qualified-secondary-vocational/index.html",
    "en/areas/teachers/index.html",
    "data/indicators.csv",
    "data/indicators.json",
    "en/changelog/atom.xml",
    "sitemap.xml",
    "en/methodology/index.html",
];

#[test]
fn the_shipped_site_matches_its_golden_files() {
    let site = site_copy();
    let root = site.path().to_str().expect("utf-8");
    let o = plansite(&["build", "--root", root]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = site.path().join("public");
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for path in GOLDEN {
            let text =
                std::fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
            let name = path.replace(['/', '.'], "_");
            insta::assert_snapshot!(name, text, path);
        }
    });
}
