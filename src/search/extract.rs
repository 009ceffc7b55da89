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

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::LazyLock;

use lol_html::errors::RewritingError;
use lol_html::html_content::Element;
use lol_html::{ElementContentHandlers, HtmlRewriter, Selector, Settings};

/// Elements whose text is not indexed.
const LEFT_OUT: &[&str] = &[
    "head", "style", "script", "noscript", "label", "form", "svg", "footer", "nav", "iframe",
    "template",
];

/// Elements that end a sentence.
const BLOCKS: &[&str] = &[
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "td", "div", "ul", "li", "article", "section",
];

/// Elements that run on within the text around them: an anchor's text
/// continues into them.
const INLINE: &[&str] = &[
    "a", "abbr", "acronym", "b", "bdo", "big", "br", "button", "cite", "code", "dfn", "em", "i",
    "img", "input", "kbd", "label", "map", "object", "output", "q", "samp", "script", "select",
    "small", "span", "strong", "sub", "sup", "textarea", "time", "tt", "var",
];

/// A weight of 1, as Pagefind stores it.
pub const UNIT_WEIGHT: u8 = 24;
const MAX_WEIGHT: f32 = 10.0;

/// What a page gives the index: its text with the places where weights and
/// anchors start, and its filters and meta.
#[derive(Debug, Default)]
pub struct Digest {
    /// The indexed text, entities decoded, whitespace as in the page.
    pub text: String,
    /// Byte offsets into `text`, in order, where something applies.
    pub marks: Vec<(usize, Mark)>,
    pub filters: BTreeMap<String, Vec<String>>,
    pub meta: BTreeMap<String, String>,
    pub anchors: Vec<Anchor>,
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
    /// The anchor of this index in `Digest::anchors` starts here.
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
pub fn read(html: &str) -> Result<Digest, String> {
    // Parsed once: every page is read with one of these.
    static MARKED: LazyLock<Selector> =
        LazyLock::new(|| selector("[data-pagefind-body], [data-pagefind-body] *"));
    static WHOLE: LazyLock<Selector> = LazyLock::new(|| selector("body, body *"));
    let marked = html.matches(BODY).count();
    if marked > 0 {
        let reading = read_within(&html[first_tag_with(html, BODY)..], &MARKED, marked)?;
        // The words could be in the text itself rather than an attribute.
        if reading.found_root {
            return Ok(reading.digest);
        }
    }
    Ok(read_within(html, &WHOLE, 0)?.digest)
}

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

#[derive(Default)]
struct Reading {
    digest: Digest,
    found_root: bool,
    /// The open elements, innermost last.
    open: Vec<Open>,
    next_id: usize,
    /// Marked bodies that may still come (0: read to the end).
    bodies_left: usize,
    /// The last marked body has closed.
    done: bool,
}

struct Open {
    id: usize,
    tag: String,
    /// Where its text starts in the digest's text, and how many marks
    /// there were before it.
    start: usize,
    marks: usize,
    ignored: bool,
    excluded: bool,
    body: bool,
    inline: bool,
    weighted: bool,
    anchor: Option<usize>,
    filters: Vec<String>,
    meta: Vec<String>,
}

fn read_within(html: &str, root: &Selector, bodies: usize) -> Result<Reading, String> {
    let reading = Rc::new(RefCell::new(Reading {
        bodies_left: bodies,
        ..Reading::default()
    }));
    let on_element = Rc::clone(&reading);
    let on_text = Rc::clone(&reading);
    // One selector for both handlers, so that each element is matched once.
    let handlers = ElementContentHandlers::default()
        .element(move |el: &mut Element| {
            let id = on_element.borrow_mut().open(el);
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

impl Reading {
    fn open(&mut self, el: &Element) -> usize {
        self.found_root = true;
        let tag = el.tag_name();
        let parent = self.open.last();
        let ignore = el.get_attribute("data-pagefind-ignore");
        let excluded = parent.is_some_and(|p| p.excluded) || ignore.as_deref() == Some("all");
        let ignored = excluded
            || parent.is_some_and(|p| p.ignored)
            || ignore.is_some()
            || LEFT_OUT.contains(&tag.as_str());
        let body = el.has_attribute(BODY);
        let digest = &mut self.digest;
        let marks = digest.marks.len();
        if BLOCKS.contains(&tag.as_str()) || tag == "br" {
            digest.text.push(' ');
        }
        let mut anchor = None;
        if let (Some(id), false) = (el.get_attribute("id"), ignored) {
            let id: String = id.split_whitespace().collect();
            anchor = Some(digest.anchors.len());
            digest
                .marks
                .push((digest.text.len(), Mark::Anchor(digest.anchors.len())));
            digest.anchors.push(Anchor {
                element: tag.clone(),
                id,
                text: String::new(),
            });
        }
        let weight = match el.get_attribute("data-pagefind-weight") {
            Some(weight) => Some((weight_of(&weight), false)),
            None => heading_weight(&tag).map(|weight| (weight, true)),
        };
        if let (Some((weight, automatic)), false) = (weight, ignored) {
            digest
                .marks
                .push((digest.text.len(), Mark::Weight { weight, automatic }));
        }
        let id = self.next_id;
        self.next_id += 1;
        self.open.push(Open {
            id,
            start: self.digest.text.len(),
            marks,
            ignored,
            excluded,
            body,
            inline: INLINE.contains(&tag.as_str()),
            weighted: weight.is_some() && !ignored,
            anchor,
            filters: specs(el, "data-pagefind-filter"),
            meta: specs(el, "data-pagefind-meta"),
            tag,
        });
        id
    }

    fn text(&mut self, raw: &str) {
        if raw.is_empty() {
            return;
        }
        let text = html_escape::decode_html_entities(raw);
        self.digest.text.push_str(&text);
        // The text belongs to the anchor of the element it is in, and of
        // the elements that element runs on within.
        for open in self.open.iter().rev() {
            if open.ignored {
                break;
            }
            if let Some(anchor) = open.anchor {
                self.digest.anchors[anchor].text.push_str(&text);
            }
            if !open.inline {
                break;
            }
        }
    }

    /// Closes the element `id`, and any left open inside it.
    fn close(&mut self, id: usize) {
        if !self.open.iter().any(|open| open.id == id) {
            return;
        }
        while let Some(open) = self.open.pop() {
            let done = open.id == id;
            self.finish(open);
            if done {
                break;
            }
        }
    }

    fn finish(&mut self, open: Open) {
        if open.body && self.bodies_left > 0 {
            self.bodies_left -= 1;
            self.done = self.bodies_left == 0;
        }
        let digest = &mut self.digest;
        let own = &digest.text[open.start..];
        if !open.excluded {
            for spec in &open.filters {
                if let Some((name, value)) = pair(spec, own) {
                    digest.filters.entry(name).or_default().push(value);
                }
            }
            for spec in &open.meta {
                if let Some((name, value)) = pair(spec, own) {
                    digest.meta.insert(name, value);
                }
            }
            if open.tag == "h1" && !digest.meta.contains_key("title") && !own.trim().is_empty() {
                digest.meta.insert("title".to_string(), collapse(own));
            }
        }
        if open.ignored {
            digest.text.truncate(open.start);
            digest.marks.truncate(open.marks);
            return;
        }
        if BLOCKS.contains(&open.tag.as_str()) {
            if own.chars().next_back().is_some_and(ends_sentence) {
                digest.text.push('.');
            }
            digest.text.push(' ');
        }
        if open.weighted {
            digest.marks.push((digest.text.len(), Mark::End));
        }
        if let Some(anchor) = open.anchor {
            let text = &mut digest.anchors[anchor].text;
            *text = collapse(text);
        }
    }
}

/// Characters after which a block's end gets a full stop.
fn ends_sentence(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '\'' | '"' | ')' | '$' | '*')
}

fn heading_weight(tag: &str) -> Option<u8> {
    let level = match tag {
        "h1" => 7,
        "h2" => 6,
        "h3" => 5,
        "h4" => 4,
        "h5" => 3,
        "h6" => 2,
        _ => return None,
    };
    Some(level * UNIT_WEIGHT)
}

/// `data-pagefind-weight` as stored: 0 keeps words out of ranking, and any
/// weight above it counts for at least the smallest step.
fn weight_of(value: &str) -> u8 {
    let weight = value.trim().parse::<f32>().unwrap_or(1.0);
    if weight <= 0.0 {
        0
    } else {
        ((weight.min(MAX_WEIGHT) * f32::from(UNIT_WEIGHT)) as u8).max(1)
    }
}

/// The entries of a filter or meta attribute: `name`, `name:value` (the
/// value may hold commas and colons) or `name[attribute]`, resolved to
/// `name:value` where the value is known now.
fn specs(el: &Element, attribute: &str) -> Vec<String> {
    let Some(value) = el.get_attribute(attribute) else {
        return Vec::new();
    };
    let (names, literal) = match value.split_once(':') {
        Some((names, literal)) => (names, Some(literal)),
        None => (value.as_str(), None),
    };
    let mut specs: Vec<String> = names
        .split(',')
        .map(|chunk| {
            let chunk = chunk.trim();
            match chunk.strip_suffix(']').and_then(|c| c.split_once('[')) {
                Some((name, attribute)) if !name.trim().is_empty() => {
                    let value = el.get_attribute(attribute.trim()).unwrap_or_default();
                    format!("{}:{value}", name.trim())
                }
                _ => chunk.to_string(),
            }
        })
        .collect();
    if let (Some(last), Some(literal)) = (specs.last_mut(), literal) {
        last.push(':');
        last.push_str(literal);
    }
    specs
}

/// A filter or meta entry with its value: the literal after the colon, or
/// else the element's own text.
fn pair(spec: &str, own_text: &str) -> Option<(String, String)> {
    match spec.split_once(':') {
        Some((name, value)) => Some((name.to_string(), collapse(value))),
        None if own_text.trim().is_empty() => None,
        None => Some((spec.to_string(), collapse(own_text))),
    }
}

/// Whitespace runs as single spaces, none at the ends.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> String {
        format!("<!doctype html><html><head><title>T</title></head><body>{body}</body></html>")
    }

    #[test]
    fn reads_only_the_marked_body_and_ends_blocks_like_sentences() {
        let digest = read(&page(
            "<nav>Home</nav><article data-pagefind-body><h1>Llama 3.1</h1>\
             <p>Meta released it &amp; more</p><p>Done?</p></article><p>Footer text</p>",
        ))
        .unwrap();
        assert_eq!(
            collapse(&digest.text),
            "Llama 3.1. Meta released it & more. Done?"
        );
        assert_eq!(digest.meta["title"], "Llama 3.1");
    }

    #[test]
    fn every_marked_body_is_read_and_nothing_after_the_last() {
        let digest = read(&page(
            "<p>Before</p><div data-pagefind-body>One</div><p>Between</p>\
             <div data-pagefind-body>Two <span data-pagefind-body>three</span></div><p>After</p>",
        ))
        .unwrap();
        assert_eq!(collapse(&digest.text), "One. Two three.");
    }

    #[test]
    fn without_a_marked_body_reads_the_body_but_not_navigation() {
        let digest = read(&page(
            "<nav>Home</nav><main><p>Text</p></main><footer>F</footer>",
        ))
        .unwrap();
        assert_eq!(collapse(&digest.text), "Text.");
    }

    #[test]
    fn the_words_data_pagefind_body_in_the_text_do_not_count_as_the_attribute() {
        let digest = read(&page("<p>About data-pagefind-body</p>")).unwrap();
        assert_eq!(collapse(&digest.text), "About data-pagefind-body.");
    }

    #[test]
    fn filters_take_the_text_a_literal_or_an_attribute() {
        let digest = read(&page(
            "<div data-pagefind-body><a data-pagefind-filter=\"Companies\">Meta  AI</a>\
             <span data-pagefind-filter=\"Topics:Open, weights\"></span>\
             <b data-id=\"x\" data-pagefind-filter=\"Id[data-id]\"></b>\
             <i data-pagefind-ignore data-pagefind-filter=\"Companies\">OpenAI</i>\
             <i data-pagefind-ignore=\"all\" data-pagefind-filter=\"Companies\">Gone</i></div>",
        ))
        .unwrap();
        assert_eq!(digest.filters["Companies"], ["Meta AI", "OpenAI"]);
        assert_eq!(digest.filters["Topics"], ["Open, weights"]);
        assert_eq!(digest.filters["Id"], ["x"]);
        assert_eq!(collapse(&digest.text), "Meta AI.");
    }

    #[test]
    fn anchors_weights_and_ignored_parts_are_marked() {
        let digest = read(&page(
            "<h2 id=\"why\">Why <em>it</em> matters</h2><p>Body <span data-pagefind-ignore>skip</span>text</p>",
        ))
        .unwrap();
        assert_eq!(
            digest.anchors,
            [Anchor {
                element: "h2".into(),
                id: "why".into(),
                text: "Why it matters".into()
            }]
        );
        let kinds: Vec<Mark> = digest.marks.iter().map(|(_, mark)| *mark).collect();
        assert_eq!(
            kinds,
            [
                Mark::Anchor(0),
                Mark::Weight {
                    weight: 6 * UNIT_WEIGHT,
                    automatic: true
                },
                Mark::End
            ]
        );
        assert_eq!(collapse(&digest.text), "Why it matters. Body text.");
    }

    #[test]
    fn unclosed_elements_are_closed_by_their_parent() {
        let digest = read(&page("<div data-pagefind-body><p>One<p>Two</div><p>Out")).unwrap();
        // As in Pagefind, an implied end is not seen: the first paragraph
        // ends with the second.
        assert_eq!(collapse(&digest.text), "One Two.");
    }

    #[test]
    fn weights_are_stored_as_pagefind_does() {
        assert_eq!(weight_of("2"), 48);
        assert_eq!(weight_of("0"), 0);
        assert_eq!(weight_of("0.00001"), 1);
        assert_eq!(weight_of("99"), 240);
        assert_eq!(weight_of("junk"), 24);
    }
}
