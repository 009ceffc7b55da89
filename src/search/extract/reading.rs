//! The walk through a page's elements: what each opened element sets going
//! (an anchor, a weight, whether its text counts), where its text goes, and
//! what its end settles (filters and meta from its text, a sentence's full
//! stop, the end of its weight). lol_html calls it as it parses.

use super::attributes::{collapse, heading_weight, pair, specs, weight_of};
use super::{Anchor, Element, Mark, PageText, BODY};

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

#[derive(Default)]
pub(super) struct Reading {
    pub(super) page_text: PageText,
    pub(super) found_root: bool,
    /// The open elements, innermost last.
    pub(super) open: Vec<Open>,
    pub(super) next_id: usize,
    /// Marked bodies that may still come (0: read to the end).
    pub(super) bodies_left: usize,
    /// The last marked body has closed.
    pub(super) done: bool,
    /// The page has a title before this reading starts: a body read on its
    /// own, to go after the header that holds the title.
    pub(super) titled: bool,
}

pub(super) struct Open {
    pub(super) id: usize,
    tag: String,
    /// Where its text starts in the page text, and how many marks
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

impl Reading {
    pub(super) fn open(&mut self, el: &dyn Element) -> usize {
        self.found_root = true;
        let tag = el.tag().into_owned();
        let parent = self.open.last();
        let ignore = el.attribute("data-pagefind-ignore");
        let excluded = parent.is_some_and(|p| p.excluded) || ignore.as_deref() == Some("all");
        let ignored = excluded
            || parent.is_some_and(|p| p.ignored)
            || ignore.is_some()
            || LEFT_OUT.contains(&tag.as_str());
        let body = el.attribute(BODY).is_some();
        let titled = self.titled || self.page_text.meta.contains_key("title");
        if tag == "img" && self.page_text.image.is_none() && titled {
            if let Some(src) = el.attribute("src") {
                let alt = el.attribute("alt").unwrap_or_default();
                self.page_text.image = Some((normalized(&src), normalized(&alt)));
            }
        }
        let page_text = &mut self.page_text;
        let marks = page_text.marks.len();
        if BLOCKS.contains(&tag.as_str()) || tag == "br" {
            page_text.text.push(' ');
        }
        let mut anchor = None;
        if let (Some(id), false) = (el.attribute("id"), ignored) {
            let id: String = id.split_whitespace().collect();
            anchor = Some(page_text.anchors.len());
            page_text
                .marks
                .push((page_text.text.len(), Mark::Anchor(page_text.anchors.len())));
            page_text.anchors.push(Anchor {
                element: tag.clone(),
                id,
                text: String::new(),
            });
        }
        let weight = match el.attribute("data-pagefind-weight") {
            Some(weight) => Some((weight_of(&weight), false)),
            None => heading_weight(&tag).map(|weight| (weight, true)),
        };
        if let (Some((weight, automatic)), false) = (weight, ignored) {
            page_text
                .marks
                .push((page_text.text.len(), Mark::Weight { weight, automatic }));
        }
        let id = self.next_id;
        self.next_id += 1;
        self.open.push(Open {
            id,
            start: self.page_text.text.len(),
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

    /// Text as written in HTML: entities are decoded.
    pub(super) fn text(&mut self, raw: &str) {
        if raw.is_empty() {
            return;
        }
        self.plain(&html_escape::decode_html_entities(raw));
    }

    /// Text as it reads.
    pub(super) fn plain(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.page_text.text.push_str(text);
        // The text belongs to the anchor of the element it is in, and of
        // the elements that element runs on within.
        for open in self.open.iter().rev() {
            if open.ignored {
                break;
            }
            if let Some(anchor) = open.anchor {
                self.page_text.anchors[anchor].text.push_str(text);
            }
            if !open.inline {
                break;
            }
        }
    }

    /// The innermost open element named `tag`.
    pub(super) fn open_id(&self, tag: &str) -> Option<usize> {
        self.open
            .iter()
            .rev()
            .find(|open| open.tag == tag)
            .map(|open| open.id)
    }

    /// The innermost open element.
    pub(super) fn innermost(&self) -> Option<usize> {
        self.open.last().map(|open| open.id)
    }

    /// Closes the element `id`, and any left open inside it.
    pub(super) fn close(&mut self, id: usize) {
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
        let page_text = &mut self.page_text;
        let own = &page_text.text[open.start..];
        if !open.excluded {
            for spec in &open.filters {
                if let Some((name, value)) = pair(spec, own) {
                    page_text.filters.entry(name).or_default().push(value);
                }
            }
            for spec in &open.meta {
                if let Some((name, value)) = pair(spec, own) {
                    page_text.meta.insert(name, value);
                }
            }
            let titled = self.titled || page_text.meta.contains_key("title");
            if open.tag == "h1" && !titled && !own.trim().is_empty() {
                page_text.meta.insert("title".to_string(), collapse(own));
            }
        }
        if open.ignored {
            page_text.text.truncate(open.start);
            page_text.marks.truncate(open.marks);
            return;
        }
        if BLOCKS.contains(&open.tag.as_str()) {
            if own.chars().next_back().is_some_and(ends_sentence) {
                page_text.text.push('.');
            }
            page_text.text.push(' ');
        }
        if open.weighted {
            page_text.marks.push((page_text.text.len(), Mark::End));
        }
        if let Some(anchor) = open.anchor {
            let text = &mut page_text.anchors[anchor].text;
            *text = collapse(text);
        }
    }
}

/// An attribute's value as Pagefind keeps it: entities decoded, runs of
/// whitespace made one space, the ends trimmed.
fn normalized(value: &str) -> String {
    collapse(&html_escape::decode_html_entities(value))
}

/// Characters after which a block's end gets a full stop.
fn ends_sentence(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '\'' | '"' | ')' | '$' | '*')
}

#[cfg(test)]
mod tests {
    use super::super::tests::page;
    use super::super::*;
    use super::collapse;

    #[test]
    fn anchors_weights_and_ignored_parts_are_marked() {
        let page_text = read(&page(
            "<h2 id=\"why\">Why <em>it</em> matters</h2><p>Body <span data-pagefind-ignore>skip</span>text</p>",
        ))
        .unwrap();
        assert_eq!(
            page_text.anchors,
            [Anchor {
                element: "h2".into(),
                id: "why".into(),
                text: "Why it matters".into()
            }]
        );
        let kinds: Vec<Mark> = page_text.marks.iter().map(|(_, mark)| *mark).collect();
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
        assert_eq!(collapse(&page_text.text), "Why it matters. Body text.");
    }
}
