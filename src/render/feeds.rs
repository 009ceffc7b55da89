//! The machine-read pages: Atom feeds (the site's and each entity's) and
//! the sitemap. Every URL in them is absolute; nothing depends on the clock.

use serde::Serialize;

use super::{home_pages, FEED_ENTRIES};
use crate::date;
use crate::link::{Relation, Site};
use crate::urls;

#[derive(Serialize)]
pub(super) struct Feed<'a> {
    feed: FeedHead<'a>,
    entries: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct FeedHead<'a> {
    title: String,
    id: String,
    self_url: String,
    alternate_url: String,
    updated: String,
    author: &'a str,
}

#[derive(Serialize)]
struct Entry<'a> {
    title: &'a str,
    id: String,
    url: String,
    published: String,
    updated: String,
    summary: &'a str,
    content: &'a str,
    author: Option<&'a str>,
    categories: Vec<Category<'a>>,
}

#[derive(Serialize)]
struct Category<'a> {
    term: &'a str,
    label: &'a str,
}

/// An Atom feed of the newest [`FEED_ENTRIES`] of `articles` (given newest first).
pub(super) fn feed<'a>(
    site: &'a Site,
    path: &str,
    alternate: &str,
    title: String,
    articles: impl Iterator<Item = usize>,
) -> Feed<'a> {
    let entries: Vec<Entry> = articles
        .take(FEED_ENTRIES)
        .map(|i| {
            let a = &site.articles[i];
            let permalink = site.urls.permalink(&urls::article(&a.slug));
            Entry {
                title: &a.title,
                id: permalink.clone(),
                url: permalink,
                published: date::rfc3339(a.date),
                updated: date::rfc3339(a.last_modified()),
                summary: &site.bodies[i].summary,
                content: &site.bodies[i].html,
                author: a.author.as_deref(),
                categories: site.graph.article_entities[i]
                    .iter()
                    .filter(|(_, r)| *r == Relation::Tagged)
                    .map(|&(e, _)| Category {
                        term: &site.entities[e].id,
                        label: &site.entities[e].name,
                    })
                    .collect(),
            }
        })
        .collect();
    let updated = newest_change(site, entries.iter().map(|e| e.updated.as_str()));
    Feed {
        feed: FeedHead {
            title,
            id: site.urls.permalink(path),
            self_url: site.urls.permalink(path),
            alternate_url: site.urls.permalink(alternate),
            updated,
            author: &site.config.author,
        },
        entries,
    }
}

/// The newest of the given RFC 3339 stamps; else the site's newest change, so
/// output never depends on the clock.
fn newest_change<'s>(site: &Site, stamps: impl Iterator<Item = &'s str>) -> String {
    stamps
        .max()
        .map(str::to_string)
        .or_else(|| {
            site.articles
                .iter()
                .map(|a| a.last_modified())
                .max()
                .map(date::rfc3339)
        })
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string())
}

#[derive(Serialize)]
pub(super) struct Sitemap {
    entries: Vec<SitemapEntry>,
}

#[derive(Serialize)]
struct SitemapEntry {
    loc: String,
    lastmod: Option<String>,
}

pub(super) fn sitemap(site: &Site) -> Sitemap {
    let newest = |articles: &mut dyn Iterator<Item = usize>| {
        articles
            .map(|a| site.articles[a].last_modified())
            .max()
            .map(date::iso_day)
    };
    let entry = |path: &str, lastmod: Option<String>| SitemapEntry {
        loc: site.urls.permalink(path),
        lastmod,
    };
    let mut entries = Vec::new();
    let all_newest = newest(&mut (0..site.articles.len()));
    for n in 1..=home_pages(site) {
        entries.push(entry(&urls::home(n), all_newest.clone()));
    }
    for (i, a) in site.articles.iter().enumerate() {
        entries.push(entry(
            &urls::article(&a.slug),
            newest(&mut std::iter::once(i)),
        ));
    }
    for kind in &site.config.kinds {
        entries.push(entry(&urls::kind_index(&kind.id), None));
    }
    for e in 0..site.entities.len() {
        let lastmod = newest(&mut site.graph.entity_articles[e].iter().map(|&(a, _)| a));
        entries.push(entry(&site.entity_path(e), lastmod));
    }
    entries.push(entry(urls::ARCHIVE, all_newest));
    entries.push(entry(urls::SEARCH, None));
    Sitemap { entries }
}
