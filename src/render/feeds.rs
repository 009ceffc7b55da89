//! The machine-read pages: Atom feeds (the site's and each entity's) and
//! the sitemap. Every URL in them is absolute; nothing depends on the clock.

use std::borrow::Cow;
use std::sync::Arc;

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
    title: Cow<'a, str>,
    id: String,
    url: String,
    published: String,
    updated: String,
    summary: Cow<'a, str>,
    content: Arc<crate::packed::Text>,
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
                title: Cow::Borrowed(&a.title),
                id: permalink.clone(),
                url: permalink,
                published: date::rfc3339(a.date),
                updated: date::rfc3339(a.last_modified()),
                summary: Cow::Borrowed(&body.summary),
                // Feeds are rendered before the article pages, which take it.
                content: body.html.peek().unwrap_or_default(),
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

/// `/editions/atom.xml`: one entry per edition, newest first, whose
/// content lists the week's articles with their summaries.
pub(super) fn edition_feed<'a>(r: &Reader<'a>, path: &str) -> Feed<'a> {
    let urls = r.urls();
    let escape = |text: &str| html_escape::encode_text(text).into_owned();
    let entries: Vec<Entry> = r
        .editions()
        .iter()
        .map(|edition| {
            let week = edition.week;
            let permalink = urls.permalink(&urls::edition(week));
            let mut content = String::from("<ul>");
            let mut newest = None;
            let mut changed = None;
            for &i in r.edition(week).unwrap_or_default() {
                let a = r.listing(i);
                newest = newest.max(Some(a.date));
                changed = changed.max(Some(a.last_modified()));
                content.push_str(&format!(
                    "<li><a href=\"{}\">{}</a>: {}</li>",
                    html_escape::encode_double_quoted_attribute(
                        &urls.permalink(&urls::article(&a.slug))
                    ),
                    escape(&a.title),
                    escape(r.summary(i)),
                ));
            }
            content.push_str("</ul>");
            let count = edition.articles.len();
            let stamp = |d: Option<time::OffsetDateTime>| d.map(date::rfc3339).unwrap_or_default();
            EditionEntry {
                title: week.title(),
                id: permalink.clone(),
                url: permalink,
                published: stamp(newest),
                updated: stamp(changed),
                summary: format!(
                    "{count} briefing{}, {}",
                    if count == 1 { "" } else { "s" },
                    week.days()
                ),
                content,
            }
        })
        .map(Entry::from)
        .collect();
    let updated = entries
        .iter()
        .map(|e| e.updated.clone())
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    Feed {
        feed: FeedHead {
            title: format!("Editions — {}", r.config().title),
            id: urls.permalink(path),
            self_url: urls.permalink(path),
            alternate_url: urls.permalink(urls::EDITIONS),
            updated,
            author: &r.config().author,
        },
        entries,
    }
}

/// An edition as a feed entry, before it takes the shape of an article's.
struct EditionEntry {
    title: String,
    id: String,
    url: String,
    published: String,
    updated: String,
    summary: String,
    content: String,
}

impl From<EditionEntry> for Entry<'_> {
    fn from(e: EditionEntry) -> Self {
        Entry {
            title: e.title.into(),
            id: e.id,
            url: e.url,
            published: e.published,
            updated: e.updated,
            summary: e.summary.into(),
            content: Arc::new(e.content.into()),
            author: None,
            authors: Vec::new(),
            image: None,
            categories: Vec::new(),
        }
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
    entries.push(entry(urls::ARCHIVE, all_newest.clone()));
    entries.push(entry(urls::EDITIONS, all_newest));
    for edition in r.editions() {
        let lastmod = r
            .edition(edition.week)
            .unwrap_or_default()
            .iter()
            .map(|&i| r.listing(i).last_modified())
            .max()
            .map(date::iso_day);
        entries.push(entry(&urls::edition(edition.week), lastmod));
    }
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
