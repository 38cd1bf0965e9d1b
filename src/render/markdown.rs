//! User Markdown → sanitised HTML: pulldown-cmark renders, ammonia removes
//! scripts, event handlers, `javascript:` URLs and anything else unsafe.

use pulldown_cmark::{Options, Parser, html};

pub fn to_safe_html(markdown: &str) -> String {
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, parser);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

    #[test]
    fn hostile_markdown_is_neutralised() {
        let evil = "Hi <script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3)) <a href=\"JaVaScRiPt:alert(4)\">y</a> <iframe src=//e.example></iframe> <svg onload=alert(5)>";
        let html = to_safe_html(evil);
        let lower = html.to_lowercase();
        for bad in [
            "<script",
            "onerror",
            "javascript:",
            "<iframe",
            "onload",
            "alert(1)",
        ] {
            assert!(!lower.contains(bad), "{bad} survived in {html}");
        }
    }

    #[test]
    fn ordinary_markdown_survives() {
        let html = to_safe_html(
            "# T\n\n**bold** [link](https://example.org) `code`\n\n| a |\n|---|\n| 1 |\n",
        );
        assert!(html.contains("<strong>bold</strong>"));
        assert!(html.contains("href=\"https://example.org\""));
        assert!(html.contains("<table>"));
    }
}
