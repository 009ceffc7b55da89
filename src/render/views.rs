//! The context of each HTML page: home, article, kind index, entity page
//! and archive. Each view holds only what its template shows; article cards
//! come shared from [`Cards`].

use serde::Serialize;
use tera::Value;

use super::context::{
    article_tags, group_by_kind, kind_view, page_view, KindView, PageView, TagGroup,
};
use super::{charts, home_pages, tagging_kinds, top_entities, Cards};
use crate::date;
use crate::link::{Relation, Site};
use crate::urls;

#[derive(Serialize)]
pub(super) struct Home<'a> {
    page: PageView,
    /// ArticleCards, shared through [`Cards`].
    articles: Vec<Value>,
    pagination: Pagination,
    top_entities: Vec<TagGroup<'a>>,
    /// Page 1 only: the companies most covered lately, as an SVG and as data.
    recent: Recent,
}

#[derive(Serialize, Default)]
struct Recent {
    /// Inline SVG; empty on later pages or without articles.
    chart: String,
    days: i64,
    entities: Vec<RecentEntity>,
}

#[derive(Serialize)]
struct RecentEntity {
    name: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
    pages: Vec<PageLink>,
}

/// One entry of the page list: a page link, or a gap (`…`) where pages
/// are left out.
#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
    /// Two or more pages from the current one: hidden on phones.
    far: bool,
    gap: bool,
}

/// The page list of home page `current` of `total`: the first and last
/// pages and the current one ± 2, with a gap for each run left out (a gap
/// that would stand for one page shows that page instead). Only these are
/// made, so each home page costs the same however many there are.
fn page_links(current: usize, total: usize, url: impl Fn(usize) -> String) -> Vec<PageLink> {
    let mut candidates: Vec<usize> = [1, 2, total.saturating_sub(1), total]
        .into_iter()
        .chain(current.saturating_sub(3)..=current + 3)
        .filter(|&n| (1..=total).contains(&n))
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    candidates
        .into_iter()
        .filter_map(|number| {
            let distance = number.abs_diff(current);
            let end = number == 1 || number == total;
            let shown =
                end || distance <= 2 || (distance == 3 && (number == 2 || number + 1 == total));
            (shown || distance == 3).then(|| PageLink {
                number,
                url: url(number),
                current: number == current,
                far: shown && distance >= 2 && !end,
                gap: !shown,
            })
        })
        .collect()
}

pub(super) fn home<'a>(site: &'a Site, cards: &Cards, n: usize, path: &str) -> Home<'a> {
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
            pages: page_links(n, total, url),
        },
        top_entities: group_by_kind(site, top),
        recent: if n == 1 {
            recent(site)
        } else {
            Recent::default()
        },
    }
}

/// The home page's "lately" chart: companies (the first kind) most covered
/// in the last days of content.
fn recent(site: &Site) -> Recent {
    let top = charts::recent_top(site, 0);
    let entities: Vec<RecentEntity> = top
        .iter()
        .map(|&(e, count)| RecentEntity {
            name: site.entities[e].name.clone(),
            url: site.urls.url(&site.entity_path(e)),
            count,
        })
        .collect();
    let bars: Vec<(String, usize)> = entities.iter().map(|e| (e.name.clone(), e.count)).collect();
    let title = format!(
        "Most covered {} in the last {} days",
        site.config.kinds[0].title.to_lowercase(),
        charts::RECENT_DAYS
    );
    Recent {
        chart: charts::ranking_chart(&title, &bars),
        days: charts::RECENT_DAYS,
        entities,
    }
}

#[derive(Serialize)]
pub(super) struct ArticlePage<'a> {
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

pub(super) fn article<'a>(site: &'a Site, cards: &Cards, i: usize, path: &str) -> ArticlePage<'a> {
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
pub(super) struct KindIndexPage<'a> {
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
    /// Inline SVG: articles per month, small (empty under two months).
    sparkline: String,
}

fn counts(site: &Site, entity: usize) -> (usize, usize, usize) {
    let articles = &site.graph.entity_articles[entity];
    let tagged = articles
        .iter()
        .filter(|(_, r)| *r == Relation::Tagged)
        .count();
    (articles.len(), tagged, articles.len() - tagged)
}

pub(super) fn kind_index<'a>(site: &'a Site, kind: usize, path: &str) -> KindIndexPage<'a> {
    // One time axis for every sparkline on the page.
    let span = charts::site_span(site);
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
                sparkline: match span {
                    Some(span) => charts::sparkline(
                        &e.name,
                        &charts::over_span(&charts::monthly_counts(site, i), span),
                    ),
                    None => String::new(),
                },
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
pub(super) struct EntityPage<'a> {
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
    /// Inline SVG of articles per month (empty without coverage).
    chart: String,
    /// The numbers the chart plots, oldest month first.
    coverage: Vec<MonthView>,
}

/// One month of an entity's coverage, for the table beside its chart.
#[derive(Serialize)]
struct MonthView {
    id: String,
    label: String,
    tagged: usize,
    mentioned: usize,
    total: usize,
}

/// Co-occurring entities shown per kind on an entity page.
const COOCCURRING: usize = 10;

pub(super) fn entity<'a>(site: &'a Site, cards: &Cards, i: usize, path: &str) -> EntityPage<'a> {
    let e = &site.entities[i];
    let kind = &site.config.kinds[e.kind];
    let months = charts::monthly_counts(site, i);
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
            chart: charts::coverage_chart(&e.name, &months),
            coverage: months
                .iter()
                .map(|m| MonthView {
                    id: m.id(),
                    label: m.label(),
                    tagged: m.tagged,
                    mentioned: m.mentioned,
                    total: m.total(),
                })
                .collect(),
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
pub(super) struct ArchivePage {
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

pub(super) fn archive(site: &Site, cards: &Cards, path: &str) -> ArchivePage {
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
pub(super) struct SearchPage<'a> {
    page: PageView,
    search: SearchView<'a>,
}

#[derive(Serialize)]
struct SearchView<'a> {
    bundle_url: String,
    base_path: &'a str,
    articles: usize,
    /// Titles of the kinds that tag some article: the search filters.
    filters: Vec<&'a str>,
}

pub(super) fn search<'a>(site: &'a Site, path: &str) -> SearchPage<'a> {
    let tagging = tagging_kinds(site, &site.entity_counts());
    SearchPage {
        page: page_view(site, path, Some("Search".into())),
        search: SearchView {
            bundle_url: site.urls.url(crate::search::BUNDLE_DIR),
            base_path: &site.config.base_path,
            articles: site.articles.len(),
            filters: tagging
                .into_iter()
                .map(|kind| site.config.kinds[kind].title.as_str())
                .collect(),
        },
    }
}
