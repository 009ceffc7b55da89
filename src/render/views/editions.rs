//! The weekly editions: `/editions/`, every week with articles, newest
//! first; and `/editions/<year>-w<week>/`, one week's briefing: its articles
//! with their cards, the entities it covered most with their change against
//! the week before (and a chart of them), and the editions around it.

use serde::Serialize;
use tera::Value;

use super::super::cards::Layout;
use super::super::charts;
use super::super::context::{page_view_with, PageView};
use super::super::reader::Reader;
use crate::link::editions::Covered;
use crate::urls;
use crate::week::Week;

#[derive(Serialize)]
pub(in crate::render) struct EditionIndexPage<'a> {
    page: PageView,
    editions: Vec<EditionRow<'a>>,
    feed_url: String,
}

#[derive(Serialize)]
struct EditionRow<'a> {
    id: String,
    title: String,
    url: String,
    days: String,
    count: usize,
    /// The titles of its newest articles (at most [`ROW_TITLES`]).
    titles: Vec<&'a str>,
}

/// How many article titles the index shows under each edition.
const ROW_TITLES: usize = 3;

pub(in crate::render) fn edition_index<'a>(r: &Reader<'a>, path: &str) -> EditionIndexPage<'a> {
    let editions = r
        .editions()
        .iter()
        .map(|edition| EditionRow {
            id: edition.week.id(),
            title: edition.week.title(),
            url: r.urls().url(&urls::edition(edition.week)),
            days: edition.week.days(),
            count: edition.articles.len(),
            titles: r
                .edition(edition.week)
                .unwrap_or_default()
                .iter()
                .take(ROW_TITLES)
                .map(|&i| r.listing(i).title.as_str())
                .collect(),
        })
        .collect();
    EditionIndexPage {
        page: page_view_with(
            r.fixed(),
            path,
            Some("Editions".into()),
            Vec::new(),
            &[("Editions", path)],
        ),
        editions,
        feed_url: r.urls().permalink(urls::EDITIONS_FEED),
    }
}

#[derive(Serialize)]
pub(in crate::render) struct EditionPage {
    page: PageView,
    edition: EditionView,
}

#[derive(Serialize)]
struct EditionView {
    /// `2024-w31`.
    id: String,
    /// `2024-W31`.
    name: String,
    /// `Week 31, 2024`.
    title: String,
    /// `29 July – 4 August 2024`.
    days: String,
    /// The Monday, `2024-07-29`.
    start_iso: String,
    count: usize,
    /// Newest first, as cards.
    articles: Vec<Value>,
    covered: Vec<CoveredView>,
    /// The most covered entities as an inline SVG bar chart.
    chart: String,
    previous: Option<EditionLink>,
    next: Option<EditionLink>,
    feed_url: String,
}

#[derive(Serialize)]
pub(in crate::render) struct CoveredView {
    pub name: String,
    pub kind: String,
    pub url: String,
    pub count: usize,
    pub before: usize,
    /// `up`, `down`, `same` or `new` (not covered the week before).
    pub change: &'static str,
}

#[derive(Serialize)]
struct EditionLink {
    title: String,
    url: String,
    days: String,
}

/// One week's edition; `None` when the week has no articles.
pub(in crate::render) fn edition(r: &Reader, week: Week, path: &str) -> Option<EditionPage> {
    let articles = r.edition(week)?;
    let covered = covered(r, &r.most_covered(week), false);
    let link = |week: Option<Week>| {
        week.map(|week| EditionLink {
            title: week.title(),
            url: r.urls().url(&urls::edition(week)),
            days: week.days(),
        })
    };
    let (older, newer) = r.edition_neighbours(week);
    let title = week.title();
    let site = r.fixed();
    let start_iso = week
        .start(&site.config.zone)
        .map(crate::date::iso_day)
        .unwrap_or_default();
    Some(EditionPage {
        page: page_view_with(
            site,
            path,
            Some(title.clone()),
            Vec::new(),
            &[("Editions", urls::EDITIONS), (&title, path)],
        ),
        edition: EditionView {
            id: week.id(),
            name: week.name(),
            chart: chart(week, &covered),
            title,
            days: week.days(),
            start_iso,
            count: articles.len(),
            articles: articles
                .iter()
                .map(|&i| r.card_in(i, Layout::LIST))
                .collect(),
            covered,
            previous: link(older),
            next: link(newer),
            feed_url: r.urls().permalink(urls::EDITIONS_FEED),
        },
    })
}

/// The most covered entities as templates show them; with absolute URLs
/// for the newsletter.
pub(in crate::render) fn covered(
    r: &Reader,
    covered: &[Covered],
    absolute: bool,
) -> Vec<CoveredView> {
    covered
        .iter()
        .map(|c| {
            let who = r.identity(c.entity);
            let path = r.entity_path(c.entity);
            CoveredView {
                name: who.name.to_string(),
                kind: r.config().kinds[who.kind].id.clone(),
                url: match absolute {
                    true => r.urls().permalink(&path),
                    false => r.urls().url(&path),
                },
                count: c.count,
                before: c.before,
                change: c.change.as_str(),
            }
        })
        .collect()
}

fn chart(week: Week, covered: &[CoveredView]) -> String {
    let bars: Vec<(String, usize)> = covered.iter().map(|c| (c.name.clone(), c.count)).collect();
    charts::ranking_chart(&format!("Most covered in {}", week.label()), &bars)
}
