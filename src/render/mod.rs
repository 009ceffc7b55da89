//! Render: turns the linked [`Site`] into pages. Every page is rendered in
//! parallel and handed to a sink as soon as it is ready, so the site is never
//! held in memory whole. This stage writes nothing itself.

pub mod cards;
pub mod context;
pub mod scope;
pub mod templates;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::date;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::link::{Relation, Site};
use crate::urls;
pub use cards::Cards;
use context::{
    article_tags, group_by_kind, kind_view, page_view, site_view, KindView, PageView, TagGroup,
};
pub use templates::Templates;
use tera::Value;

/// Entries in the site feed and in each entity's feed.
pub const FEED_ENTRIES: usize = 20;
/// Entities per kind beside the home page's list.
pub const TOP_ENTITIES: usize = 8;

/// Receives each rendered page: its site-relative file path and its bytes.
pub type Sink<'a> = dyn Fn(&str, &[u8]) -> Result<(), Diagnostic> + Sync + 'a;

/// One page of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Page {
    /// Home page `n`, 1-based.
    Home(usize),
    Article(usize),
    KindIndex(usize),
    Entity(usize),
    EntityFeed(usize),
    Archive,
    Feed,
    Sitemap,
    Robots,
    NotFound,
}

/// Every page the site has, in a stable order.
pub fn pages(site: &Site) -> Vec<Page> {
    let mut pages = Vec::new();
    pages.extend((1..=home_pages(site)).map(Page::Home));
    pages.extend((0..site.articles.len()).map(Page::Article));
    pages.extend((0..site.config.kinds.len()).map(Page::KindIndex));
    pages.extend((0..site.entities.len()).map(Page::Entity));
    pages.extend((0..site.entities.len()).map(Page::EntityFeed));
    pages.extend([
        Page::Archive,
        Page::Feed,
        Page::Sitemap,
        Page::Robots,
        Page::NotFound,
    ]);
    pages
}

/// How many home pages `articles` articles fill.
pub fn home_pages_for(articles: usize, per_page: usize) -> usize {
    articles.div_ceil(per_page).max(1)
}

fn home_pages(site: &Site) -> usize {
    home_pages_for(site.articles.len(), site.config.per_page)
}

/// The most-covered entities of each kind beside the home page's list:
/// (entity, articles), most articles first, ties by name.
pub fn top_entities(site: &Site, counts: &[usize]) -> Vec<(usize, usize)> {
    let mut ranked: Vec<usize> = (0..site.entities.len())
        .filter(|&e| counts[e] > 0)
        .collect();
    ranked.sort_by(|&a, &b| {
        counts[b]
            .cmp(&counts[a])
            .then(site.entities[a].name.cmp(&site.entities[b].name))
    });
    let mut per_kind = vec![0; site.config.kinds.len()];
    ranked
        .into_iter()
        .filter(|&e| {
            let kind = site.entities[e].kind;
            per_kind[kind] += 1;
            per_kind[kind] <= TOP_ENTITIES
        })
        .map(|e| (e, counts[e]))
        .collect()
}

/// Renders every page into `sink`. Returns the number of pages and the problems.
pub fn render_all(site: &Site, templates: &Templates, sink: &Sink) -> (usize, Diagnostics) {
    let pages = pages(site);
    let cards = Cards::new();
    (
        pages.len(),
        render_pages(site, templates, &cards, &pages, sink),
    )
}

/// Renders the given pages into `sink`, in parallel.
pub fn render_pages(
    site: &Site,
    templates: &Templates,
    cards: &Cards,
    pages: &[Page],
    sink: &Sink,
) -> Diagnostics {
    let mut tera_site = Context::new();
    tera_site.insert("site", &site_view(site));
    let problems: Vec<Diagnostic> = pages
        .par_iter()
        .filter_map(|&page| {
            let (path, template, mut context) = page_context(site, cards, page);
            context.extend(tera_site.clone());
            let rendered = templates
                .tera
                .render(template, &context)
                .map_err(|e| templates.diagnostic(&e, Some(&path)))
                .and_then(|html| sink(&urls::file_for(&path), html.as_bytes()));
            rendered.err()
        })
        .collect();
    let mut diagnostics = Diagnostics::new();
    diagnostics.extend(problems);
    diagnostics
}

impl Page {
    /// The site-relative file this page is written to.
    pub fn file(self, site: &Site) -> String {
        urls::file_for(&page_path(site, self))
    }
}

/// The site-relative path of a page (`articles/x/`, `atom.xml`).
fn page_path(site: &Site, page: Page) -> String {
    match page {
        Page::Home(n) => urls::home(n),
        Page::Article(i) => urls::article(&site.articles[i].slug),
        Page::KindIndex(k) => urls::kind_index(&site.config.kinds[k].id),
        Page::Entity(e) => site.entity_path(e),
        Page::EntityFeed(e) => {
            let entity = &site.entities[e];
            urls::entity_feed(&site.config.kinds[entity.kind].id, &entity.id)
        }
        Page::Archive => urls::ARCHIVE.into(),
        Page::Feed => urls::FEED.into(),
        Page::Sitemap => urls::SITEMAP.into(),
        Page::Robots => urls::ROBOTS.into(),
        Page::NotFound => urls::NOT_FOUND.into(),
    }
}

/// The site-relative path, template name and context of one page.
pub fn page_context(site: &Site, cards: &Cards, page: Page) -> (String, &'static str, Context) {
    match page {
        Page::Home(n) => {
            let path = urls::home(n);
            (
                path.clone(),
                "index.html",
                context(&home(site, cards, n, &path)),
            )
        }
        Page::Article(i) => {
            let path = urls::article(&site.articles[i].slug);
            (
                path.clone(),
                "article.html",
                context(&article(site, cards, i, &path)),
            )
        }
        Page::KindIndex(k) => {
            let path = urls::kind_index(&site.config.kinds[k].id);
            (
                path.clone(),
                "entity_index.html",
                context(&kind_index(site, k, &path)),
            )
        }
        Page::Entity(e) => {
            let path = site.entity_path(e);
            (
                path.clone(),
                "entity.html",
                context(&entity(site, cards, e, &path)),
            )
        }
        Page::EntityFeed(e) => {
            let entity = &site.entities[e];
            let kind = &site.config.kinds[entity.kind];
            let path = urls::entity_feed(&kind.id, &entity.id);
            let title = format!("{} — {}", entity.name, site.config.title);
            let articles = site.graph.entity_articles[e].iter().map(|&(a, _)| a);
            let feed = feed(site, &path, &site.entity_path(e), title, articles);
            (path, "atom.xml", context(&feed))
        }
        Page::Archive => {
            let path = urls::ARCHIVE.to_string();
            (
                path.clone(),
                "archive.html",
                context(&archive(site, cards, &path)),
            )
        }
        Page::Feed => {
            let path = urls::FEED.to_string();
            let feed = feed(
                site,
                &path,
                "",
                site.config.title.clone(),
                0..site.articles.len(),
            );
            (path, "atom.xml", context(&feed))
        }
        Page::Sitemap => (urls::SITEMAP.into(), "sitemap.xml", context(&sitemap(site))),
        Page::Robots => {
            #[derive(Serialize)]
            struct Robots {
                sitemap_url: String,
            }
            let robots = Robots {
                sitemap_url: site.urls.permalink(urls::SITEMAP),
            };
            (urls::ROBOTS.into(), "robots.txt", context(&robots))
        }
        Page::NotFound => {
            #[derive(Serialize)]
            struct NotFound {
                page: PageView,
            }
            let page = page_view(site, urls::NOT_FOUND, Some("Page not found".into()));
            (
                urls::NOT_FOUND.into(),
                "404.html",
                context(&NotFound { page }),
            )
        }
    }
}

fn context<T: Serialize>(value: &T) -> Context {
    // Our views only hold strings, numbers, lists and maps: they always serialize.
    Context::from_serialize(value).unwrap_or_default()
}

#[derive(Serialize)]
struct Home<'a> {
    page: PageView,
    /// ArticleCards, shared through [`Cards`].
    articles: Vec<Value>,
    pagination: Pagination,
    top_entities: Vec<TagGroup<'a>>,
}

#[derive(Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
    pages: Vec<PageLink>,
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
}

fn home<'a>(site: &'a Site, cards: &Cards, n: usize, path: &str) -> Home<'a> {
    let per_page = site.config.per_page;
    let total = home_pages(site);
    let start = (n - 1) * per_page;
    let end = (start + per_page).min(site.articles.len());
    let url = |page: usize| site.urls.url(&urls::home(page));
    let counts: Vec<usize> = site.graph.entity_articles.iter().map(Vec::len).collect();
    let top = top_entities(site, &counts)
        .into_iter()
        .map(|(e, n)| (e, Some(n)));
    Home {
        page: page_view(site, path, (n > 1).then(|| format!("Page {n}"))),
        articles: (start..end).map(|a| cards.card(site, a)).collect(),
        pagination: Pagination {
            current: n,
            total,
            prev_url: (n > 1).then(|| url(n - 1)),
            next_url: (n < total).then(|| url(n + 1)),
            pages: (1..=total)
                .map(|number| PageLink {
                    number,
                    url: url(number),
                    current: number == n,
                })
                .collect(),
        },
        top_entities: group_by_kind(site, top),
    }
}

#[derive(Serialize)]
struct ArticlePage<'a> {
    page: PageView,
    article: ArticleView<'a>,
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
    author: Option<&'a str>,
    summary: &'a str,
    /// The summary from front matter only: a derived one repeats the first paragraph.
    lede: Option<&'a str>,
    content: &'a str,
    tags: Vec<TagGroup<'a>>,
    sources: Vec<SourceView<'a>>,
    reading_minutes: usize,
}

#[derive(Serialize)]
struct SourceView<'a> {
    title: &'a str,
    url: &'a str,
}

fn article<'a>(site: &'a Site, cards: &Cards, i: usize, path: &str) -> ArticlePage<'a> {
    let a = &site.articles[i];
    let body = &site.bodies[i];
    ArticlePage {
        page: page_view(site, path, Some(a.title.clone())),
        article: ArticleView {
            title: &a.title,
            url: site.urls.url(path),
            date: date::display(a.date),
            date_iso: date::iso_day(a.date),
            updated: a.updated.map(date::display),
            updated_iso: a.updated.map(date::iso_day),
            author: a.author.as_deref(),
            summary: &body.summary,
            lede: a.summary.as_deref(),
            content: &body.html,
            tags: article_tags(site, i),
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
        related: site.graph.related[i]
            .iter()
            .map(|&r| cards.card(site, r))
            .collect(),
        previous: (i + 1 < site.articles.len()).then(|| cards.card(site, i + 1)),
        next: (i > 0).then(|| cards.card(site, i - 1)),
    }
}

#[derive(Serialize)]
struct KindIndexPage<'a> {
    page: PageView,
    kind: KindView<'a>,
    entities: Vec<EntitySummary<'a>>,
}

#[derive(Serialize)]
struct EntitySummary<'a> {
    id: &'a str,
    name: &'a str,
    url: String,
    summary: Option<&'a str>,
    ticker: Option<&'a str>,
    count: usize,
    tagged_count: usize,
    mentioned_count: usize,
}

fn counts(site: &Site, entity: usize) -> (usize, usize, usize) {
    let articles = &site.graph.entity_articles[entity];
    let tagged = articles
        .iter()
        .filter(|(_, r)| *r == Relation::Tagged)
        .count();
    (articles.len(), tagged, articles.len() - tagged)
}

fn kind_index<'a>(site: &'a Site, kind: usize, path: &str) -> KindIndexPage<'a> {
    let entities = site
        .entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == kind)
        .map(|(i, e)| {
            let (count, tagged_count, mentioned_count) = counts(site, i);
            EntitySummary {
                id: &e.id,
                name: &e.name,
                url: site.urls.url(&site.entity_path(i)),
                summary: e.summary.as_deref(),
                ticker: e.ticker.as_deref(),
                count,
                tagged_count,
                mentioned_count,
            }
        })
        .collect();
    KindIndexPage {
        page: page_view(site, path, Some(site.config.kinds[kind].title.clone())),
        kind: kind_view(site, kind),
        entities,
    }
}

#[derive(Serialize)]
struct EntityPage<'a> {
    page: PageView,
    kind: KindView<'a>,
    entity: EntityView<'a>,
    articles: Vec<Value>,
    cooccurring: Vec<TagGroup<'a>>,
}

#[derive(Serialize)]
struct EntityView<'a> {
    id: &'a str,
    name: &'a str,
    url: String,
    feed_url: String,
    summary: Option<&'a str>,
    ticker: Option<&'a str>,
    website: Option<&'a str>,
    aliases: &'a [String],
    content: &'a str,
    count: usize,
    tagged_count: usize,
    mentioned_count: usize,
}

/// Co-occurring entities shown per kind on an entity page.
const COOCCURRING: usize = 10;

fn entity<'a>(site: &'a Site, cards: &Cards, i: usize, path: &str) -> EntityPage<'a> {
    let e = &site.entities[i];
    let kind = &site.config.kinds[e.kind];
    let (count, tagged_count, mentioned_count) = counts(site, i);
    let mut per_kind = vec![0; site.config.kinds.len()];
    let cooccurring = site.graph.cooccurring(i).into_iter().filter(|&(other, _)| {
        let k = site.entities[other].kind;
        per_kind[k] += 1;
        per_kind[k] <= COOCCURRING
    });
    EntityPage {
        page: page_view(site, path, Some(e.name.clone())),
        kind: kind_view(site, e.kind),
        entity: EntityView {
            id: &e.id,
            name: &e.name,
            url: site.urls.url(path),
            feed_url: site.urls.url(&urls::entity_feed(&kind.id, &e.id)),
            summary: e.summary.as_deref(),
            ticker: e.ticker.as_deref(),
            website: e.website.as_deref(),
            aliases: &e.aliases,
            content: &site.profiles[i],
            count,
            tagged_count,
            mentioned_count,
        },
        articles: site.graph.entity_articles[i]
            .iter()
            .map(|&(a, relation)| cards.card_with(site, a, relation))
            .collect(),
        cooccurring: group_by_kind(
            site,
            cooccurring.map(|(e, n)| (e, Some(n))).collect::<Vec<_>>(),
        ),
    }
}

#[derive(Serialize)]
struct ArchivePage {
    page: PageView,
    months: Vec<Month>,
}

#[derive(Serialize)]
struct Month {
    id: String,
    label: String,
    /// One line each (title, url, date, date_iso), shared through [`Cards`].
    articles: Vec<Value>,
}

fn archive(site: &Site, cards: &Cards, path: &str) -> ArchivePage {
    let mut months: Vec<Month> = Vec::new();
    for i in 0..site.articles.len() {
        let (id, label, row) = cards.archive_row(site, i);
        if months.last().is_none_or(|m| m.id != id) {
            months.push(Month {
                id,
                label,
                articles: Vec::new(),
            });
        }
        if let Some(month) = months.last_mut() {
            month.articles.push(row);
        }
    }
    ArchivePage {
        page: page_view(site, path, Some("Archive".into())),
        months,
    }
}

#[derive(Serialize)]
struct Feed<'a> {
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
fn feed<'a>(
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
struct Sitemap {
    entries: Vec<SitemapEntry>,
}

#[derive(Serialize)]
struct SitemapEntry {
    loc: String,
    lastmod: Option<String>,
}

fn sitemap(site: &Site) -> Sitemap {
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
    Sitemap { entries }
}
