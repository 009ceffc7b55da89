//! Entity pages and the index of each kind: profiles, coverage charts,
//! co-occurring entities and the articles that tag or mention each. An
//! entity's articles are paginated like the home page; the profile, the
//! chart and the co-occurring entities are on its first page only, so a
//! later page reads (and is rendered again for) its slice of the list and
//! the count alone.

use serde::Serialize;
use tera::Value;

use super::super::cards::Layout;
use super::super::charts;
use super::super::context::{
    card_view, group_by_kind, kind_view, page_view_with, KindView, PageView, TagGroup,
};
use super::super::pagination::{pages_for, places, Pagination};
use super::super::reader::Reader;
use super::super::structured;
use crate::config::AUTHORS;
use crate::link::coverage;
use crate::urls;

#[derive(Serialize)]
pub(in crate::render) struct KindIndexPage<'a> {
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

pub(in crate::render) fn kind_index<'a>(
    r: &Reader<'a>,
    kind: usize,
    path: &str,
) -> KindIndexPage<'a> {
    // One time axis for every sparkline on the page.
    let span = r.span();
    let entities = r
        .entities_of_kind(kind)
        .map(|i| {
            let (e, _) = r.profile(i);
            let (count, tagged_count, mentioned_count) = r.counts(i);
            EntitySummary {
                id: &e.id,
                name: &e.name,
                url: r.urls().url(&r.entity_path(i)),
                summary: e.summary.as_deref(),
                ticker: e.ticker.as_deref(),
                count,
                tagged_count,
                mentioned_count,
                sparkline: match span {
                    Some(span) => {
                        charts::sparkline(&e.name, &coverage::over_span(&r.coverage(i), span))
                    }
                    None => String::new(),
                },
            }
        })
        .collect();
    KindIndexPage {
        page: {
            let title = &r.config().kinds[kind].title;
            page_view_with(
                r.fixed(),
                path,
                Some(title.clone()),
                Vec::new(),
                &[(title, path)],
            )
        },
        kind: kind_view(r.fixed(), kind),
        entities,
    }
}

#[derive(Serialize)]
pub(in crate::render) struct EntityPage<'a> {
    page: PageView,
    kind: KindView<'a>,
    entity: EntityView<'a>,
    /// This page's ArticleCards, newest first.
    articles: Vec<Value>,
    pagination: Pagination,
    cooccurring: Vec<TagGroup<'a>>,
}

#[derive(Serialize, Default)]
struct EntityView<'a> {
    id: &'a str,
    name: &'a str,
    url: String,
    feed_url: String,
    summary: Option<&'a str>,
    ticker: Option<&'a str>,
    website: Option<&'a str>,
    aliases: &'a [String],
    /// The entity's own picture (an author's portrait).
    image: Option<super::super::pictures::ImageView>,
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

pub(in crate::render) fn entity<'a>(
    r: &Reader<'a>,
    i: usize,
    n: usize,
    path: &str,
) -> EntityPage<'a> {
    let who = r.identity(i);
    let kind = &r.config().kinds[who.kind];
    let per_page = r.config().per_page;
    let (count, tagged_count, mentioned_count) = r.counts(i);
    let total = pages_for(count, per_page);
    let (from, to) = places(n, per_page);
    // An author's articles are all theirs: no relation to mark.
    let articles = r
        .members_slice(i, from, to)
        .iter()
        .map(|&(a, relation)| match who.kind {
            AUTHORS => r.card_in(a, Layout::entity(None)),
            _ => r.card_in(a, Layout::entity(Some(relation))),
        })
        .collect();
    let url = |page: usize| r.urls().url(&urls::entity_page(&kind.id, who.id, page));
    let title = match n {
        1 => who.name.to_string(),
        _ => format!("{}, page {n}", who.name),
    };
    let kind_path = urls::kind_index(&kind.id);
    let first_path = urls::entity_page(&kind.id, who.id, 1);
    let mut trail = vec![
        (kind.title.as_str(), kind_path.as_str()),
        (who.name, first_path.as_str()),
    ];
    let mut nodes = Vec::new();
    if n == 1 {
        let summary = r.profile(i).0.summary.clone();
        nodes.push(structured::profile_page(r, i, path, summary));
    } else {
        trail.push((title.as_str(), path));
    }
    let mut page = EntityPage {
        page: page_view_with(r.fixed(), path, Some(title.clone()), nodes, &trail),
        kind: kind_view(r.fixed(), who.kind),
        entity: EntityView {
            id: who.id,
            name: who.name,
            url: url(1),
            feed_url: r.urls().url(&urls::entity_feed(&kind.id, who.id)),
            count,
            tagged_count,
            mentioned_count,
            ..EntityView::default()
        },
        articles,
        pagination: Pagination::new(n, total, url),
        cooccurring: Vec::new(),
    };
    if n == 1 {
        page.page.card = card_view(r.fixed(), path, who.name);
        first_page(r, i, &mut page);
    }
    page
}

/// What only the first page shows: the profile, the chart and the
/// entities covered with this one.
fn first_page<'a>(r: &Reader<'a>, i: usize, page: &mut EntityPage<'a>) {
    let (e, profile) = r.profile(i);
    let months = r.coverage(i);
    let mut per_kind = vec![0; r.config().kinds.len()];
    let cooccurring = r.cooccurring(i).into_iter().filter(|&(other, _)| {
        let k = r.identity(other).kind;
        per_kind[k] += 1;
        per_kind[k] <= COOCCURRING
    });
    let cooccurring: Vec<(usize, Option<usize>)> = cooccurring.map(|(e, n)| (e, Some(n))).collect();
    page.cooccurring = group_by_kind(r.fixed(), cooccurring);
    let view = &mut page.entity;
    view.summary = e.summary.as_deref();
    view.ticker = e.ticker.as_deref();
    view.website = e.website.as_deref();
    view.aliases = &e.aliases;
    view.image = super::super::pictures::portrait(r.fixed(), i);
    view.content = profile;
    view.chart = charts::coverage_chart(&e.name, &months);
    view.coverage = months
        .iter()
        .map(|m| MonthView {
            id: m.id(),
            label: m.label(),
            tagged: m.tagged,
            mentioned: m.mentioned,
            total: m.total(),
        })
        .collect();
}
