//! Markdown to HTML, with the briefing's additions: internal `.md` links
//! resolved to page URLs, first mentions of entities linked, unique heading
//! ids and a table of contents, highlighted code, plain-text image alt text,
//! and external links marked.
//!
//! One pass over pulldown-cmark's events does all of it, so each body is
//! parsed exactly once. Mentions are recorded everywhere in the text except
//! code (Markdown's or the author's raw `<code>`, `<pre>`…); they are only
//! *linked* outside headings, links (Markdown's or raw `<a>`) and images.
//! This module walks the events; `links`, `headings`, `toc`, `code`,
//! `images`, `raw_html` and `autolink` handle the ones their names say.

mod autolink;
mod code;
mod files;
mod headings;
mod images;
mod links;
mod raw_html;
pub mod toc;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::mentions::MentionFinder;
use crate::diagnostic::Diagnostic;
use code::CodeBlock;
use headings::{Heading, Written};
use images::Image;
use raw_html::RawHtml;
use toc::TocEntry;

/// What the Markdown of one page may link to.
pub struct Links<'a> {
    /// Page URL of every `.md` file, by its path under `content/`.
    pub pages: &'a HashMap<String, String>,
    /// Page URL of every article, by slug (`@/articles/llama-3-1.md` works for
    /// `2024-07-23-llama-3-1.md`).
    pub article_slugs: &'a HashMap<String, String>,
    pub finder: &'a MentionFinder,
    /// URL of each entity's page, by entity index.
    pub entity_urls: &'a [String],
    pub autolink: bool,
    /// Absolute URLs starting with this are not external.
    pub base_url: &'a str,
    /// The path of `base_url`, which root-relative URLs start with.
    pub base_path: &'a str,
    /// The site's `static/` folder.
    pub static_dir: &'a Path,
    /// Every local raster image a body shows is processed here.
    pub images: &'a crate::images::Images,
    /// Keep each article's text for the search index ([`Rendered::text`]).
    pub search: bool,
}

/// One Markdown body and where it comes from.
pub struct Source<'a> {
    pub body: &'a str,
    /// 1-based line of the body in its file.
    pub body_line: usize,
    /// The file, for messages.
    pub file: &'a Path,
    /// The file's path under `content/` (`articles/x.md`), for relative links.
    pub content_path: &'a str,
    /// Never link an entity's profile to itself.
    pub own_entity: Option<usize>,
    /// The bundle the page is, whose files relative URLs name.
    pub bundle: Option<&'a crate::model::Bundle>,
    /// The page's root-relative URL (`/articles/x/`), which bundle files sit under.
    pub page_url: &'a str,
    /// The body is an article's: its text is kept for the index.
    pub article: bool,
}

#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// Entities mentioned anywhere in the text, sorted, each once.
    pub mentions: Vec<usize>,
    /// The first paragraph as plain text, for a default summary.
    pub first_paragraph: String,
    pub words: usize,
    /// Every page this text links to, as paths under `content/` (whether
    /// they exist or not), so a rebuild knows whom a new or renamed page affects.
    pub targets: Vec<String>,
    /// The headings, nested, with their final ids.
    pub toc: Vec<TocEntry>,
    /// The local raster images shown, processed.
    pub pictures: Vec<crate::images::Shown>,
    /// An article's text as the search index reads it, when the site has
    /// an index; `None` also when it could not be made from the events.
    pub text: Option<crate::search::PageText>,
    pub problems: Vec<Diagnostic>,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

pub fn render(source: &Source, links: &Links) -> Rendered {
    let mut state = State {
        source,
        links,
        out: Vec::new(),
        mentions: HashSet::new(),
        linked: HashSet::new(),
        heading: None,
        headings: Vec::new(),
        footnotes: Vec::new(),
        no_link_depth: 0,
        code: None,
        image: None,
        raw: RawHtml::default(),
        authored_html: false,
        pictures: Vec::new(),
        external_stack: Vec::new(),
        paragraph: ParagraphState::Before,
        first_paragraph: String::new(),
        words: 0,
        targets: Vec::new(),
        problems: Vec::new(),
    };
    let mut pending_text: Option<(String, usize)> = None;
    for (event, range) in Parser::new_ext(source.body, options()).into_offset_iter() {
        // pulldown-cmark splits text at some characters; merge it back so that
        // a name such as "Google DeepMind" is seen whole.
        if let Event::Text(text) = event {
            match &mut pending_text {
                Some((buffer, _)) => buffer.push_str(&text),
                None => pending_text = Some((text.into_string(), range.start)),
            }
            continue;
        }
        if let Some((text, _)) = pending_text.take() {
            state.text(text);
        }
        state.event(event, range.start);
    }
    if let Some((text, _)) = pending_text.take() {
        state.text(text);
    }
    let toc = state.finish_headings();

    // The author's HTML can be anything: only its parse says how it reads.
    let events_text = (links.search && source.article && !state.authored_html).then(|| {
        let text = crate::search::read_events(&state.out);
        // Only the author's HTML may be beyond the events' reader.
        debug_assert!(
            text.is_ok(),
            "our own HTML is read from the events: {text:?}"
        );
        text.ok()
    });
    let events_text = events_text.flatten();
    let mut html = String::with_capacity(source.body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, state.out.into_iter());
    let text = match events_text {
        Some(text) => Some(text),
        None if links.search && source.article => crate::search::read_fragment(&html).ok(),
        None => None,
    };
    let mut mentions: Vec<usize> = state.mentions.into_iter().collect();
    mentions.sort_unstable();
    Rendered {
        html,
        mentions,
        first_paragraph: state.first_paragraph.trim().to_string(),
        words: state.words,
        targets: state.targets,
        toc,
        pictures: state.pictures,
        text,
        problems: state.problems,
    }
}

#[derive(PartialEq)]
enum ParagraphState {
    Before,
    Inside,
    Done,
}

struct State<'s, 'a> {
    source: &'s Source<'s>,
    links: &'s Links<'s>,
    out: Vec<Event<'a>>,
    mentions: HashSet<usize>,
    linked: HashSet<usize>,
    heading: Option<Heading<'a>>,
    /// Headings read so far, waiting for their ids.
    headings: Vec<Written>,
    /// Footnote labels, which are ids on the page too.
    footnotes: Vec<String>,
    /// Inside a link: mentions are recorded, not linked.
    no_link_depth: usize,
    /// The code block being read: no mentions in it at all.
    code: Option<CodeBlock>,
    /// The image whose alt text is being read.
    image: Option<Image<'a>>,
    /// Which of the author's raw HTML elements are open.
    raw: RawHtml,
    /// The body holds some of the author's own HTML.
    authored_html: bool,
    /// The local raster images shown so far.
    pictures: Vec<crate::images::Shown>,
    /// For each open link, whether we replaced its tags with our own HTML.
    external_stack: Vec<bool>,
    paragraph: ParagraphState,
    first_paragraph: String,
    words: usize,
    targets: Vec<String>,
    problems: Vec<Diagnostic>,
}

impl<'a> State<'_, 'a> {
    fn emit(&mut self, event: Event<'a>) {
        match &mut self.heading {
            Some(heading) => heading.events.push(event),
            None => self.out.push(event),
        }
    }

    /// Words a reader sees: counted, and kept for the summary and for the
    /// heading they are in.
    fn read(&mut self, text: &str) {
        self.words += count_words(text);
        if self.paragraph == ParagraphState::Inside {
            self.first_paragraph.push_str(text);
        }
        if let Some(heading) = &mut self.heading {
            heading.text.push_str(text);
        }
    }

    /// A line break, as a space in the summary and the heading's text.
    fn space(&mut self) {
        if self.paragraph == ParagraphState::Inside {
            self.first_paragraph.push(' ');
        }
        if let Some(heading) = &mut self.heading {
            heading.text.push(' ');
        }
    }

    fn text(&mut self, text: String) {
        self.read(&text);
        if let Some(code) = &mut self.code {
            code.text.push_str(&text);
            return;
        }
        if let Some(image) = &mut self.image {
            image.alt.push_str(&text);
            if !self.raw.in_code() {
                self.record_mentions(&text);
            }
            return;
        }
        if self.raw.in_code() {
            self.emit(Event::Text(text.into()));
            return;
        }
        self.link_mentions(text);
    }

    fn event(&mut self, event: Event<'a>, offset: usize) {
        if self.image.is_some() {
            self.image_event(event);
            return;
        }
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => self.open_heading(level, id, classes, attrs),
            Event::End(TagEnd::Heading(level)) => self.close_heading(level),
            Event::Start(Tag::Paragraph) => {
                if self.paragraph == ParagraphState::Before && self.heading.is_none() {
                    self.paragraph = ParagraphState::Inside;
                }
                self.emit(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                if self.paragraph == ParagraphState::Inside {
                    self.paragraph = ParagraphState::Done;
                }
                self.emit(Event::End(TagEnd::Paragraph));
            }
            Event::Code(code) => {
                self.read(&code);
                self.emit(Event::Code(code));
            }
            Event::SoftBreak | Event::HardBreak => {
                self.space();
                self.emit(event);
            }
            Event::Start(Tag::CodeBlock(kind)) => self.open_code(kind),
            Event::End(TagEnd::CodeBlock) => self.close_code(),
            Event::Html(ref html) | Event::InlineHtml(ref html) => {
                self.authored_html = true;
                self.raw.feed(html);
                self.emit(event);
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.footnotes.push(label.to_string());
                self.emit(Event::Start(Tag::FootnoteDefinition(label)));
            }
            // Wide tables scroll sideways; tabindex lets a keyboard user
            // scroll them too.
            Event::Start(Tag::Table(alignments)) => {
                self.emit(Event::Html(
                    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table\">\n".into(),
                ));
                self.emit(Event::Start(Tag::Table(alignments)));
            }
            Event::End(TagEnd::Table) => {
                self.emit(Event::End(TagEnd::Table));
                self.emit(Event::Html("</div>\n".into()));
            }
            Event::TaskListMarker(done) => {
                let (checked, label) = if done {
                    (" checked", "done")
                } else {
                    ("", "not done")
                };
                self.emit(Event::InlineHtml(
                    format!("<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> ")
                        .into(),
                ));
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => self.open_image(dest_url, title, offset),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => self.open_link(link_type, dest_url, title, id, offset),
            Event::End(TagEnd::Link) => self.close_link(),
            other => self.emit(other),
        }
    }
}

fn count_words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Entity;

    fn entity(name: &str) -> Entity {
        Entity {
            kind: 0,
            id: name.to_lowercase(),
            name: name.into(),
            aliases: vec![],
            ticker: None,
            website: None,
            same_as: Vec::new(),
            summary: None,
            redirect_from: Default::default(),
            image: None,
            body: String::new(),
            body_line: 1,
            file: None,
            content_path: None,
            bundle: None,
        }
    }

    pub(super) fn render_with(body: &str, autolink: bool) -> Rendered {
        let entities = [entity("Meta"), entity("OpenAI")];
        let finder = MentionFinder::new(&entities);
        let mut pages = HashMap::new();
        pages.insert(
            "articles/2024-07-23-llama.md".to_string(),
            "/articles/llama/".to_string(),
        );
        pages.insert(
            "companies/meta.md".to_string(),
            "/companies/meta/".to_string(),
        );
        pages.insert(
            "articles/2024-09-01-chart/index.md".to_string(),
            "/articles/chart/".to_string(),
        );
        let mut slugs = HashMap::new();
        slugs.insert("llama".to_string(), "/articles/llama/".to_string());
        let urls = vec![
            "/companies/meta/".to_string(),
            "/companies/openai/".to_string(),
        ];
        let images = crate::images::Images::new(None);
        let links = Links {
            pages: &pages,
            article_slugs: &slugs,
            finder: &finder,
            entity_urls: &urls,
            autolink,
            base_url: "https://example.org/",
            base_path: "/",
            static_dir: Path::new("static"),
            images: &images,
            search: true,
        };
        let source = Source {
            body,
            body_line: 5,
            file: Path::new("content/articles/a.md"),
            content_path: "articles/a.md",
            own_entity: None,
            bundle: None,
            page_url: "/articles/a/",
            article: true,
        };
        render(&source, &links)
    }

    #[test]
    fn code_blocks_scroll_by_keyboard_and_keep_their_text() {
        let r = render_with("```klingon\nlet meta = \"<Meta>\";\n```\n", true);
        assert_eq!(
            r.html,
            "<pre tabindex=\"0\"><code class=\"language-klingon\">let meta = \"&lt;Meta&gt;\";\n</code></pre>\n"
        );
        assert!(r.mentions.is_empty(), "no mentions inside code");
    }

    #[test]
    fn first_paragraph_and_words() {
        let r = render_with("# T\n\nOne *two*\nthree `four`.\n\nFive.", false);
        assert_eq!(r.first_paragraph, "One two three four.");
        assert_eq!(r.words, 6);
    }

    #[test]
    fn gfm_extensions_render() {
        let r = render_with(
            "|a|b|\n|-|-|\n|1|2|\n\n~~x~~\n\n- [x] done\n\nNote[^1]\n\n[^1]: Foot.\n",
            false,
        );
        for needle in [
            "<table>",
            "<del>x</del>",
            "type=\"checkbox\"",
            "footnote-definition",
        ] {
            assert!(r.html.contains(needle), "{needle} in {}", r.html);
        }
    }
}

#[cfg(test)]
mod search_text {
    use super::tests::render_with;

    /// The text kept from the events must read as the written HTML reads.
    fn same_as_the_html(body: &str) {
        let r = render_with(body, true);
        let from_events = r.text.expect("the text is kept");
        let from_html = crate::search::read_fragment(&r.html).unwrap();
        assert_eq!(
            from_events.text, from_html.text,
            "text of {body:?}\n{}",
            r.html
        );
        assert_eq!(from_events.marks, from_html.marks, "marks of {body:?}");
        assert_eq!(
            from_events.anchors, from_html.anchors,
            "anchors of {body:?}"
        );
        assert_eq!(
            from_events.filters, from_html.filters,
            "filters of {body:?}"
        );
        assert_eq!(from_events.meta, from_html.meta, "meta of {body:?}");
        assert_eq!(from_events.image, from_html.image, "image of {body:?}");
    }

    #[test]
    fn every_kind_of_markdown_reads_as_its_html() {
        for body in [
            "One paragraph.",
            "Meta and OpenAI & friends <3 \"quoted\" 'single'",
            "# Title\n\nText\n\n## Why it matters {#why .big data-pagefind-weight=3}\n\nMore",
            "## Same\n\n## Same\n\n### Deeper\n\ntext",
            "- one\n- two\n  - nested\n  - more\n- three",
            "1. one\n\n2. two\n\n   loose para\n",
            "3. three\n4. four",
            "|a|b|c|\n|:-|:-:|-:|\n|1|2|3|\n|x|y|z|",
            "> quoted\n> lines\n\n> [!NOTE]\n> note",
            "```\nplain code\n```\n\n```rust\nlet x = \"<y>\";\n```\n\n    indented\n",
            "Inline `code & <b>` and *em* **strong** ~~gone~~.",
            "A [link](https://example.com \"t & t\") and [internal](@/articles/2024-07-23-llama.md) and <https://auto.example>.",
            "![alt *text* `c`](https://example.com/x.png \"title\") after",
            "Note[^1] and again[^1] and other[^2].\n\n[^1]: First.\n[^2]: Second *one*.",
            "- [x] done\n- [ ] not yet",
            "line one  \nline two\\\nline three\nsoft",
            "---\n\nafter rule\n\n***",
            "Ends with a question?\n\nEnds with (parens)\n\nEnds with 'quote'\n\nEnds with $",
            "Café naïve — “curly” 日本語のテキスト",
            "# \n\nempty heading",
        ] {
            same_as_the_html(body);
        }
    }
}
