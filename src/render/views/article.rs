//! The article page: the text with its tags and sources, its related
//! articles, and the articles before and after it.

use std::sync::Arc;

use serde::Serialize;
use tera::Value;

use super::super::cards::Layout;
use super::super::context::{authors, card_view, page_view_with, EntityRef, PageView, TagGroup};
use super::super::pictures::{lead, ImageView};
use super::super::reader::Reader;
use super::super::structured;
use crate::date;
use crate::link::markdown::toc::{self, TocEntry};
use crate::search::{PageText, Transcript};

#[derive(Serialize)]
pub(in crate::render) struct ArticlePage<'a> {
    page: PageView,
    article: ArticleView<'a>,
    /// The body's headings, nested; empty when it has none.
    toc: &'a [TocEntry],
    /// How many headings `toc` holds at every depth.
    toc_count: usize,
    related: Vec<Value>,
    previous: Option<Value>,
    next: Option<Value>,
}

#[derive(Serialize)]
struct ArticleView<'a> {
    title: &'a str,
    url: String,
    date: String,
    date_iso: String,
    updated: Option<String>,
    updated_iso: Option<String>,
    /// The authors' names in one line, and each as a link.
    author: Option<String>,
    authors: Vec<EntityRef<'a>>,
    summary: &'a str,
    /// The summary from front matter only: a derived one repeats the first paragraph.
    lede: Option<&'a str>,
    /// The body's HTML, which this page is the last to read in a one-off build.
    content: Arc<crate::packed::Text>,
    image: Option<ImageView>,
    tags: Vec<TagGroup<'a>>,
    sources: Vec<SourceView<'a>>,
    reading_minutes: usize,
}

#[derive(Serialize)]
struct SourceView<'a> {
    title: &'a str,
    url: &'a str,
}

pub(in crate::render) fn article<'a>(r: &Reader<'a>, i: usize, path: &str) -> ArticlePage<'a> {
    let (a, body) = r.article(i);
    let (older, newer) = r.neighbours(i);
    let image = lead(r.fixed(), i);
    let structured = structured::news_article(r, i, path);
    let trail = [(a.title.as_str(), path)];
    let mut page = page_view_with(
        r.fixed(),
        path,
        Some(a.title.clone()),
        vec![structured],
        &trail,
    );
    page.image = image.clone();
    page.card = card_view(r.fixed(), path, &a.title);
    let (author, authors) = authors(r.fixed(), &r.authors(i));
    ArticlePage {
        page,
        article: ArticleView {
            title: &a.title,
            url: r.urls().url(path),
            date: date::display(a.date),
            date_iso: date::iso_day(a.date),
            updated: a.updated.map(date::display),
            updated_iso: a.updated.map(date::iso_day),
            author,
            authors,
            summary: &body.summary,
            lede: a.summary.as_deref(),
            content: body.html.read().unwrap_or_default(),
            image,
            tags: r.article_tags(i),
            sources: a
                .sources
                .iter()
                .map(|s| SourceView {
                    title: &s.title,
                    url: &s.url,
                })
                .collect(),
            reading_minutes: body.words.div_ceil(220).max(1),
        },
        toc: &body.toc,
        toc_count: toc::count(&body.toc),
        related: r
            .related(i)
            .iter()
            .map(|&a| r.card_in(a, Layout::RELATED))
            .collect(),
        previous: older.map(|a| r.card(a)),
        next: newer.map(|a| r.card(a)),
    }
}

impl ArticlePage<'_> {
    /// The page as the search index reads it, laid out element by element
    /// as the built-in `article.html` lays it out around the body's own
    /// text: the title, the lede, the authors and tags as filters (their
    /// lines are `data-pagefind-ignore`), the lead image, the body and the
    /// sources. `tests/search_format.rs` holds the two layouts to each other
    /// by comparing the index with Pagefind's, read from the built pages.
    pub(in crate::render) fn search_text(&self, body: &PageText) -> PageText {
        let a = &self.article;
        let escaped = |text: &str| {
            let mut out = Vec::with_capacity(text.len());
            // Writing to a Vec cannot fail.
            let _ = tera::escape_html(text, &mut out);
            String::from_utf8(out).unwrap_or_default()
        };
        let mut t = Transcript::new();
        t.open(
            "article",
            &[("class", "article"), ("data-pagefind-body", "")],
        );
        t.open("header", &[]);
        t.open("h1", &[]);
        t.text(a.title);
        t.close("h1");
        if let Some(lede) = a.lede {
            t.open("p", &[]);
            t.text(lede);
            t.close("p");
        }
        t.open("p", &[("data-pagefind-ignore", "")]);
        for person in &a.authors {
            t.open("a", &[("data-pagefind-filter", "Authors")]);
            t.text(person.name);
            t.close("a");
        }
        t.close("p");
        if !a.tags.is_empty() {
            t.open("dl", &[("data-pagefind-ignore", "")]);
            for group in a.tags.iter().filter(|g| !g.entities.is_empty()) {
                let filter = escaped(group.title);
                t.open("div", &[]);
                t.open("dt", &[]);
                t.text(group.title);
                t.close("dt");
                for e in &group.entities {
                    t.open("dd", &[]);
                    t.open("a", &[("data-pagefind-filter", &filter)]);
                    t.text(e.name);
                    t.close("a");
                    t.close("dd");
                }
                t.close("div");
            }
            t.close("dl");
        }
        t.close("header");
        if let Some(image) = &a.image {
            t.open("figure", &[]);
            t.open(
                "img",
                &[("src", &escaped(&image.url)), ("alt", &escaped(&image.alt))],
            );
            t.close("figure");
        }
        // The table of contents is a `nav`: never indexed.
        t.open("div", &[("class", "prose")]);
        t.text("\n");
        t.append(body);
        t.text("\n");
        t.close("div");
        if !a.sources.is_empty() {
            t.open("section", &[]);
            t.open("h2", &[("id", "briefing-sources")]);
            t.text("Sources");
            t.close("h2");
            t.open("ol", &[]);
            for source in &a.sources {
                t.open("li", &[]);
                t.open("a", &[]);
                t.text(source.title);
                t.close("a");
                t.close("li");
            }
            t.close("ol");
            t.text("\n");
            t.close("section");
        }
        t.text("\n");
        t.close("article");
        t.finish()
    }
}
