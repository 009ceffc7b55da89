//! Reading a rendered page for the index, by the markup Pagefind documents
//! for templates, so that a site's own templates steer search as they would
//! steer Pagefind:
//!
//! - `data-pagefind-body`: only what is inside is indexed (without it on
//!   the page, the whole `<body>`);
//! - `data-pagefind-ignore`: left out of the text (`="all"`: also out of
//!   filters and meta); so are `nav`, `footer`, `form`, `label`, `svg`,
//!   `script`, `style`, `noscript`, `iframe` and `template`;
//! - `data-pagefind-filter="Companies"` (the element's text is the value),
//!   `="Companies:Meta"`, or `="Companies[data-id]"` (the value from an
//!   attribute); several, separated by commas;
//! - `data-pagefind-meta`, likewise; `title` defaults to the first `<h1>`;
//! - `data-pagefind-weight="2"`; headings weigh more by themselves
//!   (`h1` 7 down to `h6` 2);
//! - elements with an `id` become anchors, which the search page shows as
//!   sections of a result.
//!
//! Block elements end like sentences, so excerpts read as Pagefind's do.
//!
//! The walk itself (`reading`) does not care where its elements come from.
//! This module drives it with lol_html over a rendered page, for sites with
//! their own article template. With the built-in one, the pipeline drives
//! it with what it already holds: `markdown` walks a body's Markdown events
//! as pulldown-cmark's writer would write them, and `transcript` lays out
//! the article around the body as `article.html` does, so the index is the
//! same without reading any page back. `attributes` reads the values of the
//! `data-pagefind-*` attributes.

mod attributes;
mod markdown;
mod reading;
mod transcript;

pub use markdown::read_events;
pub use transcript::Transcript;

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::LazyLock;

use lol_html::errors::RewritingError;
use lol_html::{ElementContentHandlers, HtmlRewriter, Selector, Settings};
use reading::Reading;

/// A weight of 1, as Pagefind stores it.
pub const UNIT_WEIGHT: u8 = 24;

/// What a page gives the index: its text with the places where weights and
/// anchors start, and its filters and meta.
#[derive(Debug, Default, Clone)]
pub struct PageText {
    /// The indexed text, entities decoded, whitespace as in the page.
    pub text: String,
    /// Byte offsets into `text`, in order, where something applies.
    pub marks: Vec<(usize, Mark)>,
    pub filters: BTreeMap<String, Vec<String>>,
    pub meta: BTreeMap<String, String>,
    pub anchors: Vec<Anchor>,
    /// The first image after the title (`src`, `alt`): the page's `image`
    /// meta unless one is named, as Pagefind picks it ([`PageText::settle`]).
    pub image: Option<(String, String)>,
}

impl PageText {
    /// What is settled once the whole page is read: the image, when no
    /// `data-pagefind-meta` named one.
    pub fn settle(&mut self) {
        if let Some((src, alt)) = self.image.take() {
            if !self.meta.contains_key("image") {
                self.meta.insert("image".into(), src);
                self.meta.insert("image_alt".into(), alt);
            }
        }
    }
}

/// An element as the reading sees it: lol_html's, or one the pipeline
/// describes ([`Transcript`], [`read_events`]).
pub trait Element {
    /// The tag name, lowercase.
    fn tag(&self) -> Cow<'_, str>;
    /// An attribute's value as written in the HTML (entities not decoded).
    fn attribute(&self, name: &str) -> Option<String>;
}

impl<H: lol_html::HandlerTypes> Element for lol_html::html_content::Element<'_, '_, H> {
    fn tag(&self) -> Cow<'_, str> {
        Cow::Owned(self.tag_name())
    }

    fn attribute(&self, name: &str) -> Option<String> {
        self.get_attribute(name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// The words from here weigh this much, until the matching `End`. An
    /// automatic weight (a heading's) gives way to one set around it.
    Weight {
        weight: u8,
        automatic: bool,
    },
    End,
    /// The anchor of this index in `PageText::anchors` starts here.
    Anchor(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub element: String,
    pub id: String,
    pub text: String,
}

/// The attribute that marks the part of a page to index.
const BODY: &str = "data-pagefind-body";

/// Reads a page. Pages that mark a body are read from it alone: from the
/// tag of the first marked body until the last one closes.
pub fn read(html: &str) -> Result<PageText, String> {
    // Parsed once: every page is read with one of these.
    static MARKED: LazyLock<Selector> =
        LazyLock::new(|| selector("[data-pagefind-body], [data-pagefind-body] *"));
    let marked = html.matches(BODY).count();
    if marked > 0 {
        let reading = read_within(&html[first_tag_with(html, BODY)..], &MARKED, marked, false)?;
        // The words could be in the text itself rather than an attribute.
        if reading.found_root {
            let mut page_text = reading.page_text;
            page_text.settle();
            return Ok(page_text);
        }
    }
    let mut page_text = read_within(html, &WHOLE, 0, false)?.page_text;
    page_text.settle();
    Ok(page_text)
}

/// Reads a body's HTML on its own, as the part of a page after its title
/// (the image is not settled: the page around it may have one first).
pub fn read_fragment(html: &str) -> Result<PageText, String> {
    let page = format!("<body>{html}</body>");
    let mut page_text = read_within(&page, &WHOLE, 0, true)?.page_text;
    page_text.text.shrink_to_fit();
    Ok(page_text)
}

/// The whole `<body>` of a page.
static WHOLE: LazyLock<Selector> = LazyLock::new(|| selector("body, body *"));

fn selector(text: &str) -> Selector {
    text.parse().expect("the selector is valid")
}

/// Where the tag holding the first `attribute` starts, or else 0.
fn first_tag_with(html: &str, attribute: &str) -> usize {
    let Some(at) = html.find(attribute) else {
        return 0;
    };
    match html[..at].rfind('<') {
        Some(open) if !html[open..at].contains('>') => open,
        _ => 0,
    }
}

/// What a content handler returns to stop the parser once the last marked
/// body has closed: the rest of the page is not read.
#[derive(Debug)]
struct Done;

impl std::fmt::Display for Done {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("done")
    }
}

impl std::error::Error for Done {}

fn read_within(
    html: &str,
    root: &Selector,
    bodies: usize,
    titled: bool,
) -> Result<Reading, String> {
    let reading = Rc::new(RefCell::new(Reading {
        bodies_left: bodies,
        titled,
        ..Reading::default()
    }));
    let on_element = Rc::clone(&reading);
    let on_text = Rc::clone(&reading);
    // One selector for both handlers, so that each element is matched once.
    let handlers = ElementContentHandlers::default()
        .element(move |el: &mut lol_html::html_content::Element| {
            let id = on_element.borrow_mut().open(&*el);
            if let Some(handlers) = el.end_tag_handlers() {
                let on_end = Rc::clone(&on_element);
                handlers.push(Box::new(move |_| {
                    let mut reading = on_end.borrow_mut();
                    reading.close(id);
                    match reading.done {
                        true => Err(Box::new(Done)),
                        false => Ok(()),
                    }
                }));
            } else {
                on_element.borrow_mut().close(id);
            }
            Ok(())
        })
        .text(move |chunk: &mut lol_html::html_content::TextChunk| {
            on_text.borrow_mut().text(chunk.as_str());
            Ok(())
        });
    let settings = Settings::new().append_element_content_handler((Cow::Borrowed(root), handlers));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    match rewriter.write(html.as_bytes()) {
        Ok(()) => rewriter.end().map_err(|e| e.to_string())?,
        Err(RewritingError::ContentHandlerError(e)) if e.is::<Done>() => {}
        Err(e) => return Err(e.to_string()),
    }
    let mut reading = reading.take();
    while let Some(open) = reading.open.last() {
        let id = open.id;
        reading.close(id);
    }
    Ok(reading)
}

#[cfg(test)]
mod tests {
    use super::attributes::collapse;
    use super::*;

    pub(super) fn page(body: &str) -> String {
        format!("<!doctype html><html><head><title>T</title></head><body>{body}</body></html>")
    }

    #[test]
    fn reads_only_the_marked_body_and_ends_blocks_like_sentences() {
        let page_text = read(&page(
            "<nav>Home</nav><article data-pagefind-body><h1>Llama 3.1</h1>\
             <p>Meta released it &amp; more</p><p>Done?</p></article><p>Footer text</p>",
        ))
        .unwrap();
        assert_eq!(
            collapse(&page_text.text),
            "Llama 3.1. Meta released it & more. Done?"
        );
        assert_eq!(page_text.meta["title"], "Llama 3.1");
    }

    #[test]
    fn the_first_image_after_the_title_is_the_page_s_picture() {
        let page_text = read(&page(
            "<article data-pagefind-body><img src=\"/logo.png\" alt=\"Logo\"><h1>T</h1>\
             <img src=\"/a.png\" alt=\"Cat &amp;\n dog\"><img src=\"/b.png\"></article>",
        ))
        .unwrap();
        assert_eq!(page_text.meta["image"], "/a.png");
        assert_eq!(page_text.meta["image_alt"], "Cat & dog");
        let named = read(&page(
            "<div data-pagefind-body><h1>T</h1><img src=\"/a.png\"><span data-pagefind-meta=\"image:/b.png\"></span></div>",
        ))
        .unwrap();
        assert_eq!(named.meta["image"], "/b.png", "a named image wins");
        assert!(!named.meta.contains_key("image_alt"));
    }

    #[test]
    fn every_marked_body_is_read_and_nothing_after_the_last() {
        let page_text = read(&page(
            "<p>Before</p><div data-pagefind-body>One</div><p>Between</p>\
             <div data-pagefind-body>Two <span data-pagefind-body>three</span></div><p>After</p>",
        ))
        .unwrap();
        assert_eq!(collapse(&page_text.text), "One. Two three.");
    }

    #[test]
    fn without_a_marked_body_reads_the_body_but_not_navigation() {
        let page_text = read(&page(
            "<nav>Home</nav><main><p>Text</p></main><footer>F</footer>",
        ))
        .unwrap();
        assert_eq!(collapse(&page_text.text), "Text.");
    }

    #[test]
    fn the_words_data_pagefind_body_in_the_text_do_not_count_as_the_attribute() {
        let page_text = read(&page("<p>About data-pagefind-body</p>")).unwrap();
        assert_eq!(collapse(&page_text.text), "About data-pagefind-body.");
    }

    #[test]
    fn unclosed_elements_are_closed_by_their_parent() {
        let page_text = read(&page("<div data-pagefind-body><p>One<p>Two</div><p>Out")).unwrap();
        // As in Pagefind, an implied end is not seen: the first paragraph
        // ends with the second.
        assert_eq!(collapse(&page_text.text), "One Two.");
    }
}
