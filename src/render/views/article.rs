//! The article page: the text with its tags and sources, its related
//! articles, and the articles before and after it.

use serde::Serialize;
use tera::Value;

use super::super::context::{authors, card_view, page_view_with, EntityRef, PageView, TagGroup};
use super::super::pictures::{lead, ImageView};
use super::super::reader::Reader;
use super::super::structured;
use crate::date;
use crate::link::markdown::toc::{self, TocEntry};

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
    content: &'a str,
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
            content: &body.html,
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
        related: r.related(i).iter().map(|&a| r.card(a)).collect(),
        previous: older.map(|a| r.card(a)),
        next: newer.map(|a| r.card(a)),
    }
}
