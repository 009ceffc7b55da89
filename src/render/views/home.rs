//! Home pages: the newest articles, paginated, with the most-covered
//! entities beside them and, on page 1, what was covered most lately.

use serde::Serialize;
use tera::Value;

use super::super::cards::Layout;
use super::super::charts;
use super::super::context::{group_by_kind, page_view_with, PageView, TagGroup};
use super::super::pagination::{pages_for, places, Pagination};
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

pub(in crate::render) fn home<'a>(r: &Reader<'a>, n: usize, path: &str) -> Home<'a> {
    let site = r.fixed();
    let per_page = r.config().per_page;
    let total = pages_for(r.article_count(), per_page);
    let (from, to) = places(n, per_page);
    let url = |page: usize| r.urls().url(&urls::home(page));
    let top = r.top_entities().into_iter().map(|(e, n)| (e, Some(n)));
    Home {
        page: match n {
            1 => page_view_with(
                site,
                path,
                None,
                vec![super::super::structured::website(site)],
                &[],
            ),
            _ => {
                let title = format!("Page {n}");
                page_view_with(
                    site,
                    path,
                    Some(title.clone()),
                    Vec::new(),
                    &[(&title, path)],
                )
            }
        },
        articles: r
            .slice(from, to)
            .map(|a| r.card_in(a, Layout::LIST))
            .collect(),
        pagination: Pagination::new(n, total, url),
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
