//! Entity pages and the index of each kind: profiles, coverage charts,
//! co-occurring entities and the articles that tag or mention each.

use serde::Serialize;
use tera::Value;

use super::super::charts;
use super::super::context::{group_by_kind, kind_view, page_view, KindView, PageView, TagGroup};
use super::super::reader::Reader;
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
        page: page_view(r.fixed(), path, Some(r.config().kinds[kind].title.clone())),
        kind: kind_view(r.fixed(), kind),
        entities,
    }
}

#[derive(Serialize)]
pub(in crate::render) struct EntityPage<'a> {
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

pub(in crate::render) fn entity<'a>(r: &Reader<'a>, i: usize, path: &str) -> EntityPage<'a> {
    let (e, profile) = r.profile(i);
    let kind = &r.config().kinds[e.kind];
    let months = r.coverage(i);
    let (count, tagged_count, mentioned_count) = r.counts(i);
    let mut per_kind = vec![0; r.config().kinds.len()];
    let cooccurring = r.cooccurring(i).into_iter().filter(|&(other, _)| {
        let k = r.identity(other).kind;
        per_kind[k] += 1;
        per_kind[k] <= COOCCURRING
    });
    let cooccurring: Vec<(usize, Option<usize>)> = cooccurring.map(|(e, n)| (e, Some(n))).collect();
    EntityPage {
        page: page_view(r.fixed(), path, Some(e.name.clone())),
        kind: kind_view(r.fixed(), e.kind),
        entity: EntityView {
            id: &e.id,
            name: &e.name,
            url: r.urls().url(path),
            feed_url: r.urls().url(&urls::entity_feed(&kind.id, &e.id)),
            summary: e.summary.as_deref(),
            ticker: e.ticker.as_deref(),
            website: e.website.as_deref(),
            aliases: &e.aliases,
            content: profile,
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
        articles: r
            .members(i)
            .iter()
            .map(|&(a, relation)| r.card_with(a, relation))
            .collect(),
        cooccurring: group_by_kind(r.fixed(), cooccurring),
    }
}
