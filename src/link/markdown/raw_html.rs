//! Raw HTML in a body is the author's: text inside an `<a>` they wrote must
//! not get a mention link (a link inside a link), and text inside their
//! `<code>`, `<kbd>`, `<pre>`, `<script>`, `<style>` or `<textarea>` is not
//! prose at all. pulldown-cmark hands raw tags over as HTML events, apart
//! from the text between them, so this follows which of those elements are
//! open from the tags it is shown.
//!
//! It is a tolerant scanner, not an HTML parser: names are matched without
//! regard to case, attributes (quoted `>` included) are skipped, `<x/>`
//! opens nothing, a stray close tag is ignored, and comments and the
//! contents of `<script>`, `<style>` and `<textarea>` are not read for tags.
//! One value lives for one body, so an element left open cannot reach past it.

/// Elements whose text is left unlinked. `a` first: its text is still prose.
const TRACKED: [&str; 7] = ["a", "code", "kbd", "pre", "script", "style", "textarea"];

/// Elements whose content is raw text in HTML: only their close tag ends them.
const RAW_TEXT: [usize; 3] = [4, 5, 6];

#[derive(Debug, Default)]
pub(super) struct RawHtml {
    /// How many of each tracked element are open, parallel to `TRACKED`.
    open: [usize; TRACKED.len()],
    /// Inside a `<!-- … -->` that an earlier event began.
    in_comment: bool,
    /// Inside a raw-text element (by index in `TRACKED`): only its close tag counts.
    raw_text: Option<usize>,
}

impl RawHtml {
    /// Inside an author's `<a>`: mentions are recorded but not linked.
    pub(super) fn in_link(&self) -> bool {
        self.open[0] > 0
    }

    /// Inside an author's code-like element: no mentions at all.
    pub(super) fn in_code(&self) -> bool {
        self.open[1..].iter().any(|&n| n > 0)
    }

    /// Reads the tags in one piece of raw HTML.
    pub(super) fn feed(&mut self, html: &str) {
        let bytes = html.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            if self.in_comment {
                match find(html, at, "-->") {
                    Some(end) => {
                        self.in_comment = false;
                        at = end + 3;
                    }
                    None => return,
                }
                continue;
            }
            if let Some(element) = self.raw_text {
                match find_close(html, at, TRACKED[element]) {
                    Some((_, end)) => {
                        self.raw_text = None;
                        self.close(element);
                        at = end;
                    }
                    None => return,
                }
                continue;
            }
            let Some(lt) = html[at..].find('<').map(|i| at + i) else {
                return;
            };
            if html[lt..].starts_with("<!--") {
                self.in_comment = true;
                at = lt + 4;
                continue;
            }
            at = match tag(html, lt) {
                Some(t) => {
                    if let Some(element) =
                        TRACKED.iter().position(|n| n.eq_ignore_ascii_case(t.name))
                    {
                        if t.closing {
                            self.close(element);
                        } else if !t.self_closing {
                            self.open[element] += 1;
                            if RAW_TEXT.contains(&element) {
                                self.raw_text = Some(element);
                            }
                        }
                    }
                    t.end
                }
                None => lt + 1,
            };
        }
    }

    fn close(&mut self, element: usize) {
        self.open[element] = self.open[element].saturating_sub(1);
    }
}

struct RawTag<'h> {
    name: &'h str,
    closing: bool,
    self_closing: bool,
    /// Just past the tag's `>` (or the end of the text, when it has none).
    end: usize,
}

/// The tag that starts at `lt` (a `<`), if one does.
fn tag(html: &str, lt: usize) -> Option<RawTag<'_>> {
    let bytes = html.as_bytes();
    let mut at = lt + 1;
    let closing = bytes.get(at) == Some(&b'/');
    if closing {
        at += 1;
    }
    let name_start = at;
    if !bytes.get(at).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    while bytes
        .get(at)
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-')
    {
        at += 1;
    }
    let name = &html[name_start..at];
    // Skip the attributes; a quoted value may hold a `>`.
    let mut quote: Option<u8> = None;
    let mut last = 0u8;
    while let Some(&b) = bytes.get(at) {
        at += 1;
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => {
                return Some(RawTag {
                    name,
                    closing,
                    self_closing: last == b'/',
                    end: at,
                })
            }
            None if !b.is_ascii_whitespace() => last = b,
            None => {}
        }
    }
    // A tag cut off by the end of this piece of HTML still counts.
    Some(RawTag {
        name,
        closing,
        self_closing: false,
        end: html.len(),
    })
}

/// Where `needle` next occurs in `html` from `from`.
fn find(html: &str, from: usize, needle: &str) -> Option<usize> {
    html.get(from..)?.find(needle).map(|i| from + i)
}

/// The next `</name …>` from `from`, any case: its start and just past its end.
fn find_close(html: &str, from: usize, name: &str) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(lt) = find(html, at, "</") {
        if let Some(t) = tag(html, lt) {
            if t.name.eq_ignore_ascii_case(name) {
                return Some((lt, t.end));
            }
        }
        at = lt + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after(pieces: &[&str]) -> RawHtml {
        let mut raw = RawHtml::default();
        for piece in pieces {
            raw.feed(piece);
        }
        raw
    }

    #[test]
    fn follows_links_and_code_like_elements_in_any_case() {
        assert!(after(&["<a href=\"/y\">"]).in_link());
        assert!(!after(&["<a href=\"/y\">", "</a>"]).in_link());
        assert!(after(&["<A HREF='/y' title=\"a > b\">"]).in_link());
        assert!(after(&["<kbd>"]).in_code());
        assert!(after(&["<Code class=x>"]).in_code());
        assert!(!after(&["<code>", "</CODE >"]).in_code());
        assert!(
            !after(&["<abbr>", "<article>"]).in_link(),
            "names are whole"
        );
        assert!(after(&["<a href=x><b>"]).in_link());
        assert!(!after(&["<a href=x><b>", "</b></a>"]).in_link());
    }

    #[test]
    fn tolerates_self_closing_stray_and_unbalanced_tags() {
        assert!(!after(&["<a/>"]).in_link());
        assert!(!after(&["<a name=x />"]).in_link());
        assert!(!after(&["</a>", "</code>"]).in_link());
        assert!(!after(&["</a>", "</code>"]).in_code());
        assert!(
            after(&["</a>", "<a>"]).in_link(),
            "a stray close does not go negative"
        );
        assert!(after(&["<a>", "<a>", "</a>"]).in_link());
        for junk in [
            "<",
            "<<>>",
            "</",
            "<a",
            "<a href=\"x",
            "<!--",
            "<1a>",
            "< a>",
            "<\u{e9}>",
        ] {
            let _ = after(&[junk]);
        }
        assert!(!after(&["< a>"]).in_link());
    }

    #[test]
    fn skips_comments_and_raw_text() {
        assert!(!after(&["<!-- <a> -->"]).in_link());
        assert!(!after(&["<!-- ", "<a>", " -->"]).in_link());
        assert!(after(&["<!-- x -->", "<a>"]).in_link());
        let script = after(&["<script>", "if (a <b) { x = '<a>'; }"]);
        assert!(script.in_code() && !script.in_link());
        let closed = after(&["<script>", "var s = '<a>';", "</Script>", "<a>"]);
        assert!(!closed.in_code() && closed.in_link());
        assert!(!after(&["<textarea><a></textarea>"]).in_link());
        assert!(!after(&["<style>a>b{}</style>"]).in_code());
    }
}
