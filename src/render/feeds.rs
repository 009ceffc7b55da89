//! The machine-read pages: Atom feeds (the site's and each entity's) and
//! the sitemap. Every URL in them is absolute; nothing depends on the clock.

use serde::Serialize;

use super::pagination::pages_for;
use super::reader::Reader;
use super::FEED_ENTRIES;
use crate::date;
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
    /// The authors' names in one line; `None` without `author:`.
    author: Option<String>,
    /// Each author, with the absolute URL of their page.
    authors: Vec<Person<'a>>,
    /// The lead image, as an enclosure.
    image: Option<super::pictures::ImageView>,
    categories: Vec<Category<'a>>,
}

#[derive(Serialize)]
struct Person<'a> {
    name: &'a str,
    uri: String,
}

#[derive(Serialize)]
struct Category<'a> {
    term: &'a str,
    label: &'a str,
}

/// An Atom feed of `articles` (at most [`FEED_ENTRIES`], newest first).
pub(super) fn feed<'a>(
    r: &Reader<'a>,
    path: &str,
    alternate: &str,
    title: String,
    articles: impl Iterator<Item = usize>,
) -> Feed<'a> {
    let urls = r.urls();
    let entries: Vec<Entry> = articles
        .take(FEED_ENTRIES)
        .map(|i| {
            let (a, body) = r.article(i);
            let permalink = urls.permalink(&urls::article(&a.slug));
            let authors: Vec<Person> = r
                .authors(i)
                .into_iter()
                .map(|e| Person {
                    name: r.identity(e).name,
                    uri: urls.permalink(&r.entity_path(e)),
                })
                .collect();
            let names: Vec<&str> = authors.iter().map(|p| p.name).collect();
            Entry {
                title: &a.title,
                id: permalink.clone(),
                url: permalink,
                published: date::rfc3339(a.date),
                updated: date::rfc3339(a.last_modified()),
                summary: &body.summary,
                content: &body.html,
                author: super::context::byline(&names),
                authors,
                image: super::pictures::lead(r.fixed(), i),
                categories: r
                    .tagged(i)
                    .into_iter()
                    .map(|e| {
                        let entity = r.identity(e);
                        Category {
                            term: entity.id,
                            label: entity.name,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    // The newest entry; with none, the site's newest change, so output
    // never depends on the clock.
    let updated = match entries.iter().map(|e| e.updated.as_str()).max() {
        Some(newest) => newest.to_string(),
        None => r
            .newest_change()
            .map(date::rfc3339)
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string()),
    };
    Feed {
        feed: FeedHead {
            title,
            id: urls.permalink(path),
            self_url: urls.permalink(path),
            alternate_url: urls.permalink(alternate),
            updated,
            author: &r.config().author,
        },
        entries,
    }
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

pub(super) fn sitemap(r: &Reader) -> Sitemap {
    let entry = |path: &str, lastmod: Option<String>| SitemapEntry {
        loc: r.urls().permalink(path),
        lastmod,
    };
    let mut entries = Vec::new();
    let all_newest = r.newest_change().map(date::iso_day);
    let config = r.config();
    for n in 1..=pages_for(r.article_count(), config.per_page) {
        entries.push(entry(&urls::home(n), all_newest.clone()));
    }
    for i in r.slice(0, usize::MAX) {
        let a = r.listing(i);
        entries.push(entry(
            &urls::article(&a.slug),
            Some(date::iso_day(a.last_modified())),
        ));
    }
    for kind in &config.kinds {
        entries.push(entry(&urls::kind_index(&kind.id), None));
    }
    for e in 0..r.entity_total() {
        let lastmod = r.lastmod(e).map(date::iso_day);
        let who = r.identity(e);
        let kind = &config.kinds[who.kind].id;
        for n in 1..=pages_for(r.counts(e).0, config.per_page) {
            entries.push(entry(&urls::entity_page(kind, who.id, n), lastmod.clone()));
        }
    }
    entries.push(entry(urls::ARCHIVE, all_newest));
    if config.search {
        entries.push(entry(urls::SEARCH, None));
    }
    Sitemap { entries }
}

#[derive(Serialize)]
pub(super) struct NewsSitemap<'a> {
    publication: &'a str,
    language: String,
    entries: Vec<NewsEntry<'a>>,
}

#[derive(Serialize)]
struct NewsEntry<'a> {
    loc: String,
    title: &'a str,
    /// W3C datetime with the zone the article was written in.
    published: String,
}

/// Google's news sitemap: the articles of the last two days before the build.
pub(super) fn news_sitemap<'a>(r: &Reader<'a>) -> NewsSitemap<'a> {
    let config = r.config();
    let entries = r
        .news_window()
        .into_iter()
        .map(|i| {
            // The window's fact covers slug, title and date.
            let a = &r.fixed().articles[i];
            NewsEntry {
                loc: r.urls().permalink(&urls::article(&a.slug)),
                title: &a.title,
                published: date::rfc3339_in_offset(a.date),
            }
        })
        .collect();
    NewsSitemap {
        publication: &config.title,
        language: news_language(&config.language),
        entries,
    }
}

/// The language code Google News wants: ISO 639 in lower case, except
/// Chinese, which is `zh-cn` or `zh-tw`.
fn news_language(language: &str) -> String {
    let language = language.trim().to_ascii_lowercase().replace('_', "-");
    match language.as_str() {
        "zh-cn" | "zh-tw" => language,
        "zh-hant" | "zh-hk" | "zh-mo" => "zh-tw".into(),
        l if l.starts_with("zh") => "zh-cn".into(),
        l => l.split('-').next().unwrap_or(l).to_string(),
    }
}
