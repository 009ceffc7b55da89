//! A page described element by element rather than parsed: the pipeline
//! says which elements open and close and what text is in them, and the
//! same walk as for a parsed page ([`super::reading`]) makes the page text.
//! The built-in article page is laid out this way from what the build
//! holds (the render stage's article view), and a Markdown body from its
//! events ([`super::read_events`]), so neither is read back from HTML.

use std::borrow::Cow;

use super::reading::Reading;
use super::{Element, Mark, PageText};

/// Elements that have no end tag: closed as soon as they open, as lol_html
/// does.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// An element of a described page. Attribute values are as the HTML
/// writes them (escaped), as the reading expects of a parsed page.
struct Described<'a> {
    tag: &'a str,
    attributes: &'a [(&'a str, &'a str)],
}

impl Element for Described<'_> {
    fn tag(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.tag)
    }

    fn attribute(&self, name: &str) -> Option<String> {
        self.attributes
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, value)| value.to_string())
    }
}

/// A page, or the body of one, as a sequence of elements and text.
#[derive(Default)]
pub struct Transcript {
    reading: Reading,
}

impl Transcript {
    /// A whole page.
    pub fn new() -> Self {
        Transcript::default()
    }

    /// The body of a page, read on its own to go after the page's title.
    pub fn body() -> Self {
        Transcript {
            reading: Reading {
                titled: true,
                ..Reading::default()
            },
        }
    }

    /// Opens an element (a void one is closed at once). Attribute values
    /// as written in HTML.
    pub fn open(&mut self, tag: &str, attributes: &[(&str, &str)]) {
        let id = self.reading.open(&Described { tag, attributes });
        if VOID.contains(&tag) {
            self.reading.close(id);
        }
    }

    /// Closes the innermost open `tag` and whatever is open inside it; an
    /// end tag with nothing to close is ignored, as by a parser.
    pub fn close(&mut self, tag: &str) {
        if let Some(id) = self.reading.open_id(tag) {
            self.reading.close(id);
        }
    }

    /// Text as it reads (not escaped).
    pub fn text(&mut self, text: &str) {
        self.reading.plain(text);
    }

    /// Text as written in HTML, entities and all.
    pub fn html_text(&mut self, raw: &str) {
        self.reading.text(raw);
    }

    /// A body read on its own ([`Transcript::body`]), where it stands: its
    /// text, weights, anchors, filters and meta follow what came before.
    /// The innermost open element must be a block without an anchor (the
    /// body's text belongs to no anchor outside it).
    pub fn append(&mut self, body: &PageText) {
        let page_text = &mut self.reading.page_text;
        let offset = page_text.text.len();
        let anchors = page_text.anchors.len();
        page_text.text.push_str(&body.text);
        page_text.marks.extend(body.marks.iter().map(|&(at, mark)| {
            let mark = match mark {
                Mark::Anchor(i) => Mark::Anchor(i + anchors),
                other => other,
            };
            (at + offset, mark)
        }));
        page_text.anchors.extend(body.anchors.iter().cloned());
        for (name, values) in &body.filters {
            let kept = page_text.filters.entry(name.clone()).or_default();
            kept.extend(values.iter().cloned());
        }
        let meta = body.meta.iter().map(|(k, v)| (k.clone(), v.clone()));
        page_text.meta.extend(meta);
        if page_text.image.is_none() {
            page_text.image.clone_from(&body.image);
        }
    }

    /// The text of a whole page, every element closed.
    pub fn finish(self) -> PageText {
        let mut page_text = self.into_body();
        page_text.settle();
        page_text
    }

    /// The text of a body, every element closed; its image not settled.
    /// Kept until its page is indexed, so it takes no more room than it needs.
    pub fn into_body(mut self) -> PageText {
        while let Some(id) = self.reading.innermost() {
            self.reading.close(id);
        }
        let mut page_text = self.reading.page_text;
        page_text.text.shrink_to_fit();
        page_text.marks.shrink_to_fit();
        page_text.anchors.shrink_to_fit();
        page_text
    }
}

#[cfg(test)]
mod tests {
    use super::super::read;
    use super::*;

    #[test]
    fn a_described_page_reads_as_its_html_does() {
        let mut t = Transcript::new();
        t.open("article", &[("data-pagefind-body", "")]);
        t.open("h1", &[]);
        t.text("Llama & friends");
        t.close("h1");
        t.open("p", &[("data-pagefind-ignore", "")]);
        t.open("a", &[("data-pagefind-filter", "Authors")]);
        t.text("Jane");
        t.close("a");
        t.close("p");
        t.open("div", &[]);
        let mut body = Transcript::body();
        body.open("h2", &[("id", "why")]);
        body.text("Why");
        body.close("h2");
        body.open("p", &[]);
        body.open("img", &[("src", "/a.png"), ("alt", "A &amp; B")]);
        body.text("Text");
        body.close("p");
        t.append(&body.into_body());
        t.close("div");
        let described = t.finish();
        let parsed = read(
            "<body><article data-pagefind-body><h1>Llama &amp; friends</h1>\
             <p data-pagefind-ignore><a data-pagefind-filter=\"Authors\">Jane</a></p>\
             <div><h2 id=\"why\">Why</h2><p><img src=\"/a.png\" alt=\"A &amp; B\">Text</p></div>\
             </article></body>",
        )
        .unwrap();
        assert_eq!(described.text, parsed.text);
        assert_eq!(described.marks, parsed.marks);
        assert_eq!(described.anchors, parsed.anchors);
        assert_eq!(described.filters, parsed.filters);
        assert_eq!(described.meta, parsed.meta);
        assert_eq!(described.meta["image_alt"], "A & B");
    }
}
