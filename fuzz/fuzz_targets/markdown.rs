#![no_main]
//! Any text as user Markdown: the sanitised HTML never carries a script.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let html = plansite::render::markdown::to_safe_html(text).to_lowercase();
    for tag in html.split('<').skip(1).map(|t| t.split('>').next().unwrap_or("")) {
        let name = tag.split([' ', '/']).next().unwrap_or("");
        assert!(name != "script" && name != "iframe", "{html}");
        assert!(!tag.contains("javascript:"), "{html}");
        assert!(!tag.split_whitespace().any(|a| a.starts_with("on")), "{html}");
    }
});
