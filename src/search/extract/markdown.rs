//! A Markdown body's text for the index, from its events: the elements
//! and text that pulldown-cmark's HTML writer would write for them, told
//! to a [`Transcript`] instead of written, so the body is never parsed back.
//! Line breaks the writer puts between elements are told too: whether a
//! block's own text ends in one decides whether it ends like a sentence.
//!
//! HTML in the events (the pipeline's own links, pictures and highlighted
//! code) is told tag by tag; it is always simple, well-formed markup. The
//! author's raw HTML can be anything, so a body with some is not read here
//! ([`super::read_fragment`] reads its HTML instead).

use std::collections::HashMap;

use pulldown_cmark::{Alignment, BlockQuoteKind, CodeBlockKind, Event, LinkType, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

use super::{PageText, Transcript};

/// A body's text from its events (`Err` when some HTML in them is not of
/// the simple kind, so the caller reads the HTML instead).
pub fn read_events(events: &[Event]) -> Result<PageText, String> {
    let mut walk = Walk {
        t: Transcript::body(),
        end_newline: true,
        table_head: true,
        alignments: Vec::new(),
        cell: 0,
        numbers: HashMap::new(),
    };
    let mut events = events.iter();
    while let Some(event) = events.next() {
        walk.event(event, &mut events)?;
    }
    Ok(walk.t.into_body())
}

struct Walk<'e> {
    t: Transcript,
    /// The last thing written ended a line (the writer's `end_newline`).
    end_newline: bool,
    table_head: bool,
    alignments: Vec<Alignment>,
    cell: usize,
    /// Footnote numbers, by label, in the order first met.
    numbers: HashMap<&'e str, usize>,
}

fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing to a String cannot fail.
    let _ = escape_html(&mut out, text);
    out
}

fn escaped_href(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    let _ = escape_href(&mut out, url);
    out
}

impl<'e> Walk<'e> {
    fn newline(&mut self) {
        self.t.text("\n");
        self.end_newline = true;
    }

    /// A block starts on a line of its own.
    fn own_line(&mut self) {
        if !self.end_newline {
            self.newline();
        }
    }

    fn open(&mut self, tag: &str, attributes: &[(&str, &str)]) {
        self.t.open(tag, attributes);
        self.end_newline = false;
    }

    /// A block element, which starts on a line of its own.
    fn block(&mut self, tag: &str, attributes: &[(&str, &str)]) {
        self.own_line();
        self.open(tag, attributes);
    }

    fn close(&mut self, tag: &str) {
        self.t.close(tag);
        self.end_newline = false;
    }

    /// A block's end, and the line break after it.
    fn close_line(&mut self, tag: &str) {
        self.t.close(tag);
        self.newline();
    }

    fn text(&mut self, text: &str) {
        self.t.text(text);
        if !text.is_empty() {
            self.end_newline = text.ends_with('\n');
        }
    }

    fn number(&mut self, label: &'e str) -> usize {
        let next = self.numbers.len() + 1;
        *self.numbers.entry(label).or_insert(next)
    }

    fn event(
        &mut self,
        event: &'e Event<'e>,
        rest: &mut std::slice::Iter<'e, Event<'e>>,
    ) -> Result<(), String> {
        match event {
            Event::Start(tag) => self.start(tag, rest),
            Event::End(tag) => {
                self.end(*tag);
                Ok(())
            }
            Event::Text(text) => {
                self.text(text);
                Ok(())
            }
            Event::Code(text) => {
                self.open("code", &[]);
                self.text(text);
                self.close("code");
                Ok(())
            }
            Event::InlineMath(text) | Event::DisplayMath(text) => {
                let class = match event {
                    Event::InlineMath(_) => "math math-inline",
                    _ => "math math-display",
                };
                self.open("span", &[("class", class)]);
                self.text(text);
                self.close("span");
                Ok(())
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                tell_html(&mut self.t, html)?;
                if !html.is_empty() {
                    self.end_newline = html.ends_with('\n');
                }
                Ok(())
            }
            Event::SoftBreak => {
                self.newline();
                Ok(())
            }
            Event::HardBreak => {
                self.open("br", &[]);
                self.newline();
                Ok(())
            }
            Event::Rule => {
                self.block("hr", &[]);
                self.newline();
                Ok(())
            }
            Event::FootnoteReference(name) => {
                let href = format!("#{}", escaped(name));
                let number = self.number(name).to_string();
                self.open("sup", &[("class", "footnote-reference")]);
                self.open("a", &[("href", &href)]);
                self.text(&number);
                self.close("a");
                self.close("sup");
                Ok(())
            }
            Event::TaskListMarker(done) => {
                let mut attributes = vec![("disabled", ""), ("type", "checkbox")];
                if *done {
                    attributes.push(("checked", ""));
                }
                self.open("input", &attributes);
                self.newline();
                Ok(())
            }
        }
    }

    fn start(
        &mut self,
        tag: &'e Tag<'e>,
        rest: &mut std::slice::Iter<'e, Event<'e>>,
    ) -> Result<(), String> {
        match tag {
            Tag::HtmlBlock | Tag::MetadataBlock(_) => {}
            Tag::Paragraph => {
                self.block("p", &[]);
            }
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => {
                let id = id.as_deref().map(escaped);
                let classes: Vec<String> = classes.iter().map(|c| escaped(c)).collect();
                let class = classes.join(" ");
                let others: Vec<(String, String)> = attrs
                    .iter()
                    .map(|(name, value)| {
                        (
                            escaped(name),
                            value.as_deref().map(escaped).unwrap_or_default(),
                        )
                    })
                    .collect();
                let mut attributes: Vec<(&str, &str)> = Vec::new();
                if let Some(id) = &id {
                    attributes.push(("id", id));
                }
                if !classes.is_empty() {
                    attributes.push(("class", &class));
                }
                attributes.extend(others.iter().map(|(n, v)| (n.as_str(), v.as_str())));
                self.open(&level.to_string(), &attributes);
            }
            Tag::Table(alignments) => {
                self.alignments = alignments.clone();
                self.open("table", &[]);
            }
            Tag::TableHead => {
                self.table_head = true;
                self.cell = 0;
                self.open("thead", &[]);
                self.open("tr", &[]);
            }
            Tag::TableRow => {
                self.cell = 0;
                self.open("tr", &[]);
            }
            Tag::TableCell => {
                let tag = if self.table_head { "th" } else { "td" };
                let style = match self.alignments.get(self.cell) {
                    Some(Alignment::Left) => Some("text-align: left"),
                    Some(Alignment::Center) => Some("text-align: center"),
                    Some(Alignment::Right) => Some("text-align: right"),
                    _ => None,
                };
                match style {
                    Some(style) => self.open(tag, &[("style", style)]),
                    None => self.open(tag, &[]),
                }
            }
            Tag::BlockQuote(kind) => {
                self.own_line();
                let class = kind.map(|kind| match kind {
                    BlockQuoteKind::Note => "markdown-alert-note",
                    BlockQuoteKind::Tip => "markdown-alert-tip",
                    BlockQuoteKind::Important => "markdown-alert-important",
                    BlockQuoteKind::Warning => "markdown-alert-warning",
                    BlockQuoteKind::Caution => "markdown-alert-caution",
                });
                match class {
                    Some(class) => self.open("blockquote", &[("class", class)]),
                    None => self.open("blockquote", &[]),
                }
                self.newline();
            }
            Tag::CodeBlock(kind) => {
                self.own_line();
                self.open("pre", &[]);
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split(' ').next().unwrap_or_default(),
                    CodeBlockKind::Indented => "",
                };
                if lang.is_empty() {
                    self.open("code", &[]);
                } else {
                    let class = format!("language-{}", escaped(lang));
                    self.open("code", &[("class", &class)]);
                }
            }
            Tag::List(start) => {
                self.own_line();
                match start {
                    Some(1) => self.open("ol", &[]),
                    Some(n) => self.open("ol", &[("start", &n.to_string())]),
                    None => self.open("ul", &[]),
                }
                self.newline();
            }
            Tag::Item => {
                self.block("li", &[]);
            }
            Tag::DefinitionList => {
                self.block("dl", &[]);
                self.newline();
            }
            Tag::DefinitionListTitle => {
                self.block("dt", &[]);
            }
            Tag::DefinitionListDefinition => {
                self.block("dd", &[]);
            }
            Tag::Subscript => self.open("sub", &[]),
            Tag::Superscript => self.open("sup", &[]),
            Tag::Emphasis => self.open("em", &[]),
            Tag::Strong => self.open("strong", &[]),
            Tag::Strikethrough => self.open("del", &[]),
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => {
                let href = match link_type {
                    LinkType::Email => format!("mailto:{}", escaped_href(dest_url)),
                    _ => escaped_href(dest_url),
                };
                let title = escaped(title);
                let mut attributes = vec![("href", href.as_str())];
                if !title.is_empty() {
                    attributes.push(("title", &title));
                }
                self.open("a", &attributes);
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                let src = escaped_href(dest_url);
                let alt = alt_text(rest, &mut self.numbers);
                let title = escaped(title);
                let mut attributes = vec![("src", src.as_str()), ("alt", &alt)];
                if !title.is_empty() {
                    attributes.push(("title", &title));
                }
                self.open("img", &attributes);
            }
            Tag::FootnoteDefinition(name) => {
                self.own_line();
                let id = escaped(name);
                let number = self.number(name).to_string();
                self.open("div", &[("class", "footnote-definition"), ("id", &id)]);
                self.open("sup", &[("class", "footnote-definition-label")]);
                self.text(&number);
                self.close("sup");
            }
        }
        Ok(())
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::HtmlBlock | TagEnd::MetadataBlock(_) | TagEnd::Image => {}
            TagEnd::Paragraph => self.close_line("p"),
            TagEnd::Heading(level) => self.close_line(&level.to_string()),
            TagEnd::Table => {
                self.t.close("tbody");
                self.close_line("table");
            }
            TagEnd::TableHead => {
                self.t.close("tr");
                self.t.close("thead");
                self.t.open("tbody", &[]);
                self.newline();
                self.table_head = false;
            }
            TagEnd::TableRow => self.close_line("tr"),
            TagEnd::TableCell => {
                self.close(if self.table_head { "th" } else { "td" });
                self.cell += 1;
            }
            TagEnd::BlockQuote(_) => self.close_line("blockquote"),
            TagEnd::CodeBlock => {
                self.t.close("code");
                self.close_line("pre");
            }
            TagEnd::List(true) => self.close_line("ol"),
            TagEnd::List(false) => self.close_line("ul"),
            TagEnd::Item => self.close_line("li"),
            TagEnd::DefinitionList => self.close_line("dl"),
            TagEnd::DefinitionListTitle => self.close_line("dt"),
            TagEnd::DefinitionListDefinition => self.close_line("dd"),
            TagEnd::Emphasis => self.close("em"),
            TagEnd::Superscript => self.close("sup"),
            TagEnd::Subscript => self.close("sub"),
            TagEnd::Strong => self.close("strong"),
            TagEnd::Strikethrough => self.close("del"),
            TagEnd::Link => self.close("a"),
            TagEnd::FootnoteDefinition => self.close_line("div"),
        }
    }
}

/// An image's alt attribute as the writer writes it: the text of the events
/// up to the image's end, escaped.
fn alt_text<'e>(
    rest: &mut std::slice::Iter<'e, Event<'e>>,
    numbers: &mut HashMap<&'e str, usize>,
) -> String {
    let mut alt = String::new();
    let mut nest = 0;
    for event in rest.by_ref() {
        match event {
            Event::Start(_) => nest += 1,
            Event::End(_) => {
                if nest == 0 {
                    break;
                }
                nest -= 1;
            }
            Event::Html(_) => {}
            Event::InlineHtml(text) | Event::Code(text) | Event::Text(text) => {
                alt.push_str(&escaped(text));
            }
            Event::InlineMath(text) => alt.push_str(&format!("${}$", escaped(text))),
            Event::DisplayMath(text) => alt.push_str(&format!("$${}$$", escaped(text))),
            Event::SoftBreak | Event::HardBreak | Event::Rule => alt.push(' '),
            Event::FootnoteReference(name) => {
                let next = numbers.len() + 1;
                let number = *numbers.entry(name).or_insert(next);
                alt.push_str(&format!("[{number}]"));
            }
            Event::TaskListMarker(true) => alt.push_str("[x]"),
            Event::TaskListMarker(false) => alt.push_str("[ ]"),
        }
    }
    alt
}

/// Tells the transcript the tags and text of a piece of simple HTML: tags
/// with quoted attribute values, end tags, and text. Anything else (a
/// comment, a doctype, a bare `<`) is an error.
fn tell_html(t: &mut Transcript, html: &str) -> Result<(), String> {
    let mut rest = html;
    while !rest.is_empty() {
        let Some(at) = rest.find('<') else {
            t.html_text(rest);
            break;
        };
        t.html_text(&rest[..at]);
        rest = &rest[at + 1..];
        let end = rest.find('>').ok_or("a tag is not closed")?;
        let inside = &rest[..end];
        rest = &rest[end + 1..];
        if let Some(name) = inside.strip_prefix('/') {
            t.close(&tag_name(name.trim_end())?);
            continue;
        }
        let inside = inside.strip_suffix('/').unwrap_or(inside);
        let name_end = inside
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(inside.len());
        let name = tag_name(&inside[..name_end])?;
        let mut attributes: Vec<(&str, &str)> = Vec::new();
        let mut attrs = inside[name_end..].trim_start();
        while !attrs.is_empty() {
            let key_end = attrs
                .find(|c: char| c == '=' || c.is_ascii_whitespace())
                .unwrap_or(attrs.len());
            let key = &attrs[..key_end];
            if key.is_empty() || key.contains(['"', '\'', '<']) {
                return Err(format!("an attribute of <{name}> is not simple"));
            }
            attrs = &attrs[key_end..];
            let value = match attrs.strip_prefix('=') {
                Some(quoted) => {
                    let quote = quoted.chars().next().filter(|&c| c == '"' || c == '\'');
                    let quote = quote.ok_or("an attribute value is not quoted")?;
                    let body = &quoted[1..];
                    let close = body.find(quote).ok_or("an attribute value is not closed")?;
                    attrs = &body[close + 1..];
                    &body[..close]
                }
                None => "",
            };
            attributes.push((key, value));
            attrs = attrs.trim_start();
        }
        // lol_html lowercases attribute names as it does tag names.
        let lowered: Vec<(String, &str)> = attributes
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), *v))
            .collect();
        let attributes: Vec<(&str, &str)> = lowered.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        if matches!(name.as_str(), "script" | "style" | "textarea" | "title") {
            return Err(format!("<{name}> holds raw text"));
        }
        t.open(&name, &attributes);
    }
    Ok(())
}

fn tag_name(name: &str) -> Result<String, String> {
    let simple = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    match simple {
        true => Ok(name.to_ascii_lowercase()),
        false => Err(format!("<{name}> is not a simple tag")),
    }
}
