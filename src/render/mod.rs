//! Render: turns the linked [`Site`] into pages. Pages are rendered in
//! parallel and each is handed on as soon as it is ready, with the facts it
//! read ([`reader`]), so the site is never held in memory whole and a later
//! change can tell which pages it reaches. This stage writes nothing itself.

pub(crate) mod cards;
pub(crate) mod charts;
pub(crate) mod context;
mod feeds;
mod letter;
pub(crate) mod pagination;
pub(crate) mod pictures;
pub(crate) mod reader;
mod redirects;
pub(crate) mod social;
pub(crate) mod structured;
pub(crate) mod templates;
mod views;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::diagnostic::Diagnostic;
use crate::link::facts::{ArticleId, Target};
use crate::link::Site;
use crate::search::PageText;
use crate::urls;
use crate::week::Week;
pub(crate) use cards::Cards;
use context::{page_view, site_view, PageView};
use feeds::{edition_feed, feed, news_sitemap, sitemap};
pub(crate) use letter::letter;
use pagination::pages_for;
use reader::Reader;
pub(crate) use reader::Reads;
pub(crate) use redirects::clashes as redirect_clashes;
pub(crate) use templates::Templates;
use views::{archive, article, edition, edition_index, entity, home, kind_index, redirect, search};

/// Entries in the site feed and in each entity's feed.
pub(crate) const FEED_ENTRIES: usize = 20;

/// One page of the output, named so that the name survives a change that
/// moves articles in date order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Page {
    /// Home page `n`, 1-based.
    Home(usize),
    Article(ArticleId),
    KindIndex(usize),
    /// Page `n` (1-based) of entity `e`'s articles: (e, n).
    Entity(usize, usize),
    EntityFeed(usize),
    /// The `k`th old address of a page (`redirect_from`).
    Redirect(Target, usize),
    Archive,
    /// `/editions/`: every week with articles.
    EditionIndex,
    /// One week's edition.
    Edition(Week),
    /// `/editions/atom.xml`: one entry per edition.
    EditionFeed,
    Search,
    Feed,
    Sitemap,
    /// Google's news sitemap, while some article is recent enough for it.
    NewsSitemap,
    Robots,
    NotFound,
}

/// A page as rendered: where it goes, its bytes, and what it read.
pub(crate) struct Rendered {
    pub page: Page,
    /// Site-relative file (`articles/x/index.html`).
    pub file: String,
    pub text: String,
    pub reads: Reads,
    /// The social card beside the page, when it has one.
    pub card: Option<social::Card>,
    /// An article page's text as the search index reads it, laid out from
    /// what the build holds; `None` when the page itself is to be read (a
    /// site's own article layout).
    pub search: Option<PageText>,
}

/// Every page the site has, in a stable order.
pub(crate) fn pages(site: &Site) -> Vec<Page> {
    let per_page = site.config.per_page;
    let mut pages = Vec::new();
    pages.extend((1..=pages_for(site.articles.len(), per_page)).map(Page::Home));
    pages.extend(site.ids.iter().map(|&id| Page::Article(id)));
    pages.extend((0..site.config.kinds.len()).map(Page::KindIndex));
    for (e, list) in site.graph.entity_articles.iter().enumerate() {
        pages.extend((1..=pages_for(list.len(), per_page)).map(|n| Page::Entity(e, n)));
    }
    pages.extend((0..site.entities.len()).map(Page::EntityFeed));
    pages.extend(redirects::pages(site));
    pages.push(Page::Archive);
    pages.push(Page::EditionIndex);
    pages.extend(site.editions.iter().map(|e| Page::Edition(e.week)));
    pages.push(Page::EditionFeed);
    if site.config.search {
        pages.push(Page::Search);
    }
    pages.extend([Page::Feed, Page::Sitemap]);
    if !crate::link::coverage::news_window(site).is_empty() {
        pages.push(Page::NewsSitemap);
    }
    pages.extend([Page::Robots, Page::NotFound]);
    pages
}

/// Renders `pages` in parallel, handing each to `emit` as it is done
/// (from many threads at once). Returns the problems: a page that fails is
/// not emitted.
pub(crate) fn render_pages(
    site: &Site,
    templates: &Templates,
    cards: &Cards,
    pages: &[Page],
    emit: &(dyn Fn(Rendered) + Sync),
) -> Vec<Diagnostic> {
    let tera_site = site_context(site);
    pages
        .par_iter()
        .filter_map(|&page| {
            let rendered = render_page(site, templates, cards, &tera_site, page)?;
            match rendered {
                Ok(rendered) => {
                    emit(rendered);
                    None
                }
                Err(problem) => Some(problem),
            }
        })
        .collect()
}

/// Renders one page; `None` when it no longer exists (an article gone).
pub(crate) fn render_page(
    site: &Site,
    templates: &Templates,
    cards: &Cards,
    tera_site: &Context,
    page: Page,
) -> Option<Result<Rendered, Diagnostic>> {
    let reader = Reader::for_page(site, cards, templates);
    let lay_out = templates.builtin_article && site.config.search;
    let (path, template, mut context, search) = page_context(&reader, page, lay_out)?;
    context.extend(tera_site.clone());
    let html = templates
        .tera
        .render(template, &context)
        .map_err(|e| templates.diagnostic(&e, Some(&path)));
    // Made with the page's reader: what the card shows, the page read.
    let card = match page {
        _ if !site.config.social_cards => None,
        Page::Article(id) => site.position(id).map(|i| social::of_article(&reader, i)),
        Page::Entity(e, 1) => Some(social::of_entity(&reader, e)),
        _ => None,
    };
    Some(html.map(|html| Rendered {
        page,
        file: urls::file_for(&path),
        text: html,
        reads: reader.into_reads(template),
        card,
        search,
    }))
}

/// The context every template gets as `site`.
pub(crate) fn site_context(site: &Site) -> Context {
    let mut context = Context::new();
    context.insert("site", &site_view(site));
    context
}

/// Where a page is, site-relative (`articles/x/`, `atom.xml`); `None` for
/// a page that is not in the site (an article gone). The one place that
/// says where each page goes: rendering and the redirects' clash check
/// both ask it.
pub(crate) fn page_path(site: &Site, page: Page) -> Option<String> {
    Some(match page {
        Page::Home(n) => urls::home(n),
        Page::Article(id) => urls::article(&site.articles[site.position(id)?].slug),
        Page::KindIndex(k) => urls::kind_index(&site.config.kinds[k].id),
        Page::Entity(e, n) => {
            let entity = &site.entities[e];
            urls::entity_page(&site.config.kinds[entity.kind].id, &entity.id, n)
        }
        Page::EntityFeed(e) => {
            let entity = &site.entities[e];
            urls::entity_feed(&site.config.kinds[entity.kind].id, &entity.id)
        }
        Page::Redirect(target, k) => redirects::paths(site, target)?.get(k)?.clone(),
        Page::Archive => urls::ARCHIVE.into(),
        Page::EditionIndex => urls::EDITIONS.into(),
        Page::Edition(week) => {
            site.edition(week)?;
            urls::edition(week)
        }
        Page::EditionFeed => urls::EDITIONS_FEED.into(),
        Page::Search => urls::SEARCH.into(),
        Page::Feed => urls::FEED.into(),
        Page::Sitemap => urls::SITEMAP.into(),
        Page::NewsSitemap => urls::NEWS_SITEMAP.into(),
        Page::Robots => urls::ROBOTS.into(),
        Page::NotFound => urls::NOT_FOUND.into(),
    })
}

/// The context of one page, and with `search_text` an article's text as
/// the index reads it.
type PageContext = (String, &'static str, Context, Option<PageText>);

/// The site-relative path, template name and context of one page; `None`
/// for a page that is not in the site. With `search_text`, an article's
/// text for the index is laid out from its view too.
fn page_context(r: &Reader, page: Page, search_text: bool) -> Option<PageContext> {
    let site = r.fixed();
    let path = page_path(site, page)?;
    let (template, context) = match page {
        Page::Home(n) => ("index.html", context(&home(r, n, &path))),
        Page::Article(id) => {
            let i = site.position(id)?;
            let view = article(r, i, &path);
            let body = &r.article(i).1.text;
            let search = search_text
                .then(|| body.read().map(|body| view.search_text(&body)))
                .flatten();
            return Some((path, "article.html", context(&view), search));
        }
        Page::KindIndex(k) => ("entity_index.html", context(&kind_index(r, k, &path))),
        Page::Entity(e, n) => ("entity.html", context(&entity(r, e, n, &path))),
        Page::EntityFeed(e) => {
            let title = format!("{} — {}", r.identity(e).name, site.config.title);
            let articles = r.members_head(e, FEED_ENTRIES).iter().map(|&(a, _)| a);
            let feed = feed(r, &path, &site.entity_path(e), title, articles);
            ("atom.xml", context(&feed))
        }
        Page::Redirect(target, _) => ("redirect.html", context(&redirect(r, target, &path)?)),
        Page::Archive => ("archive.html", context(&archive(r, &path))),
        Page::EditionIndex => ("editions.html", context(&edition_index(r, &path))),
        Page::Edition(week) => ("edition.html", context(&edition(r, week, &path)?)),
        Page::EditionFeed => ("atom.xml", context(&edition_feed(r, &path))),
        Page::Search => ("search.html", context(&search(r, &path))),
        Page::Feed => {
            let articles = r.slice(0, FEED_ENTRIES);
            let feed = feed(r, &path, "", site.config.title.clone(), articles);
            ("atom.xml", context(&feed))
        }
        Page::Sitemap => ("sitemap.xml", context(&sitemap(r))),
        Page::NewsSitemap => ("news-sitemap.xml", context(&news_sitemap(r))),
        Page::Robots => {
            #[derive(Serialize)]
            struct Robots {
                sitemap_url: String,
                news_sitemap_url: Option<String>,
            }
            let robots = Robots {
                sitemap_url: site.urls.permalink(urls::SITEMAP),
                news_sitemap_url: (!r.news_window().is_empty())
                    .then(|| site.urls.permalink(urls::NEWS_SITEMAP)),
            };
            ("robots.txt", context(&robots))
        }
        Page::NotFound => {
            #[derive(Serialize)]
            struct NotFound {
                page: PageView,
            }
            let page = page_view(site, &path, Some("Page not found".into()));
            ("404.html", context(&NotFound { page }))
        }
    };
    Some((path, template, context, None))
}

fn context<T: Serialize>(value: &T) -> Context {
    // Our views only hold strings, numbers, lists and maps: they always serialize.
    Context::from_serialize(value).unwrap_or_default()
}
