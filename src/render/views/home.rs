//! Home pages: the newest articles, paginated, with the most-covered
//! entities beside them and, on page 1, what was covered most lately.

use serde::Serialize;
use tera::Value;

use super::super::charts;
use super::super::context::{group_by_kind, page_view, PageView, TagGroup};
use super::super::reader::Reader;
use crate::link::coverage;
use crate::urls;

#[derive(Serialize)]
pub(in crate::render) struct Home<'a> {
    page: PageView,
    /// ArticleCards, shared through [`super::super::Cards`].
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

pub(in crate::render) fn home<'a>(r: &Reader<'a>, n: usize, path: &str) -> Home<'a> {
    let site = r.fixed();
    let per_page = r.config().per_page;
    let total = super::super::home_pages_for(r.article_count(), per_page);
    let start = (n - 1) * per_page;
    let url = |page: usize| r.urls().url(&urls::home(page));
    let top = r.top_entities().into_iter().map(|(e, n)| (e, Some(n)));
    Home {
        page: page_view(site, path, (n > 1).then(|| format!("Page {n}"))),
        articles: r
            .slice(start, start + per_page)
            .map(|a| r.card(a))
            .collect(),
        pagination: Pagination {
            current: n,
            total,
            prev_url: (n > 1).then(|| url(n - 1)),
            next_url: (n < total).then(|| url(n + 1)),
            pages: page_links(n, total, url),
        },
        top_entities: group_by_kind(site, top),
        recent: if n == 1 { recent(r) } else { Recent::default() },
    }
}

/// The home page's "lately" chart: companies (the first kind) most covered
/// in the last days of content.
fn recent(r: &Reader) -> Recent {
    let entities: Vec<RecentEntity> = r
        .recent()
        .iter()
        .map(|&(e, count)| RecentEntity {
            name: r.identity(e).name.to_string(),
            url: r.urls().url(&r.entity_path(e)),
            count,
        })
        .collect();
    let bars: Vec<(String, usize)> = entities.iter().map(|e| (e.name.clone(), e.count)).collect();
    let title = format!(
        "Most covered {} in the last {} days",
        r.config().kinds[0].title.to_lowercase(),
        coverage::RECENT_DAYS
    );
    Recent {
        chart: charts::ranking_chart(&title, &bars),
        days: coverage::RECENT_DAYS,
        entities,
    }
}
