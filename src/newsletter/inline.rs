//! Mail clients ignore most `<style>` elements, so every style goes on its
//! element (the `css-inline` crate, built without its network and file
//! features so that it never fetches a stylesheet). The dark-mode media
//! query cannot be inlined: it stays, alone, in the one `<style>` left.

/// `html` with the rules of its `<style>` elements on their elements, and
/// only the at-rules (the dark-mode query) kept in a `<style>`.
pub(super) fn inline(html: &str) -> Result<String, String> {
    let inliner = css_inline::CSSInliner::options()
        .inline_style_tags(true)
        .keep_style_tags(false)
        .keep_link_tags(false)
        .keep_at_rules(true)
        .load_remote_stylesheets(false)
        .build();
    inliner
        .inline(html)
        .map_err(|e| format!("the newsletter's styles cannot be inlined: {e}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn rules_go_inline_and_the_dark_query_stays() {
        let html = "<html><head><style>p { color: red; } @media (prefers-color-scheme: dark) { p { color: white !important; } }</style></head><body><p>x</p></body></html>";
        let out = super::inline(html).unwrap();
        assert!(out.contains("<p style=\"color: red;\">x</p>"), "{out}");
        assert_eq!(out.matches("<style").count(), 1, "{out}");
        assert!(out.contains("@media (prefers-color-scheme: dark)"), "{out}");
    }
}
