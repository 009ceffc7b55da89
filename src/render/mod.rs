//! Render: turns the linked [`Site`] into pages. Every page is rendered in
//! parallel and handed to a sink as soon as it is ready, so the site is never
//! held in memory whole. This stage writes nothing itself.

pub mod cards;
pub mod charts;
pub mod context;
mod feeds;
pub mod scope;
pub mod templates;
mod views;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::link::Site;
use crate::urls;
pub use cards::Cards;
use context::{page_view, site_view, PageView};
use feeds::{feed, sitemap};
pub use templates::Templates;
use views::{archive, article, entity, home, kind_index, search};

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
    Search,
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
        Page::Search,
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

/// The kinds (indexes into `Config::kinds`) that tag at least one article,
/// given each entity's (articles, tagged articles): the search page's filters.
pub fn tagging_kinds(site: &Site, counts: &[(usize, usize)]) -> std::collections::BTreeSet<usize> {
    counts
        .iter()
        .enumerate()
        .filter(|(_, c)| c.1 > 0)
        .map(|(e, _)| site.entities[e].kind)
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
        Page::Search => urls::SEARCH.into(),
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
        Page::Search => {
            let path = urls::SEARCH.to_string();
            (path.clone(), "search.html", context(&search(site, &path)))
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
