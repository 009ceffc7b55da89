//! Coverage: how much each entity is written about, counted from the graph:
//! articles per month, the months the site spans, and the entities most
//! covered lately. The counting is data the pages show, so it sits with the
//! link stage, where a change can compare it before and after; drawing it
//! is the render stage's business (`render/charts.rs`).

use super::{Relation, Site};
use crate::config::AUTHORS;

/// Articles relating to an entity in one calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthCount {
    pub year: i32,
    /// 1–12.
    pub month: u8,
    /// Named in front matter (tagged, or by `author:`).
    pub tagged: usize,
    pub mentioned: usize,
}

impl MonthCount {
    pub fn total(&self) -> usize {
        self.tagged + self.mentioned
    }

    /// `2024-07`.
    pub fn id(&self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// `Jul 2024`.
    pub fn label(&self) -> String {
        const NAMES: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        format!(
            "{} {}",
            NAMES[usize::from(self.month.clamp(1, 12)) - 1],
            self.year
        )
    }
}

/// Articles per month for `entity`, from its first month of coverage to its
/// last, months without coverage included (as zeros), oldest first.
pub fn monthly_counts(site: &Site, entity: usize) -> Vec<MonthCount> {
    let months = site.graph.entity_articles[entity]
        .iter()
        .map(|&(article, relation)| {
            let date = site.articles[article].date;
            (date.year(), u8::from(date.month()), relation)
        });
    count_months(months)
}

/// The months the whole site spans, oldest and newest, as (year, month).
pub fn site_span(site: &Site) -> Option<((i32, u8), (i32, u8))> {
    let month = |date: time::OffsetDateTime| (date.year(), u8::from(date.month()));
    let newest = site.articles.first().map(|a| month(a.date))?;
    let oldest = site.articles.last().map(|a| month(a.date))?;
    Some((oldest.min(newest), oldest.max(newest)))
}

/// `counts` stretched over `span` with zero months, so that every entity's
/// sparkline on a page shares one time axis.
pub fn over_span(counts: &[MonthCount], span: ((i32, u8), (i32, u8))) -> Vec<MonthCount> {
    let ((mut year, mut month), last) = span;
    let mut out = Vec::new();
    while (year, month) <= last {
        let found = counts.iter().find(|c| (c.year, c.month) == (year, month));
        out.push(found.copied().unwrap_or(MonthCount {
            year,
            month,
            tagged: 0,
            mentioned: 0,
        }));
        (year, month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
    }
    out
}

/// The counting behind [`monthly_counts`], on (year, month, relation) triples.
pub fn count_months(items: impl IntoIterator<Item = (i32, u8, Relation)>) -> Vec<MonthCount> {
    let mut counts: std::collections::BTreeMap<(i32, u8), (usize, usize)> = Default::default();
    for (year, month, relation) in items {
        let entry = counts.entry((year, month)).or_default();
        // An author's articles count as named by it, like tags.
        match relation.is_named() {
            true => entry.0 += 1,
            false => entry.1 += 1,
        }
    }
    let (Some(&(first_year, first_month)), Some(&(last_year, last_month))) =
        (counts.keys().next(), counts.keys().next_back())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (mut year, mut month) = (first_year, first_month);
    while (year, month) <= (last_year, last_month) {
        let (tagged, mentioned) = counts.get(&(year, month)).copied().unwrap_or_default();
        out.push(MonthCount {
            year,
            month,
            tagged,
            mentioned,
        });
        (year, month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
    }
    out
}

/// Days of content the home page's "lately" chart looks back over.
pub const RECENT_DAYS: i64 = 90;
/// Companies that chart shows.
pub const RECENT_TOP: usize = 8;

/// The companies most covered in the last [`RECENT_DAYS`] days of content
/// (counted back from the newest article, not from the clock, so a build is
/// the same whenever it runs): (entity, articles), most first, ties by name.
pub fn recent_top(site: &Site, kind: usize) -> Vec<(usize, usize)> {
    let Some(newest) = site.articles.first().map(|a| a.date) else {
        return Vec::new();
    };
    let since = newest - time::Duration::days(RECENT_DAYS);
    let mut counts = vec![0usize; site.entities.len()];
    for (article, entities) in site.graph.article_entities.iter().enumerate() {
        if site.articles[article].date <= since {
            break; // newest first: the rest are older still
        }
        for &(entity, _) in entities {
            if site.entities[entity].kind == kind {
                counts[entity] += 1;
            }
        }
    }
    let mut ranked: Vec<(usize, usize)> = counts
        .into_iter()
        .enumerate()
        .filter(|&(_, n)| n > 0)
        .collect();
    ranked.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| site.entities[a.0].name.cmp(&site.entities[b.0].name))
    });
    ranked.truncate(RECENT_TOP);
    ranked
}

/// How far back the news sitemap reaches from the build time (SPEC §10).
pub const NEWS_WINDOW_HOURS: i64 = 48;
/// The most articles a news sitemap may hold (Google's limit).
pub const NEWS_MAX: usize = 1000;

/// The articles for the news sitemap: dated within [`NEWS_WINDOW_HOURS`]
/// before the build time, newest first, at most [`NEWS_MAX`]. Drafts and
/// articles dated after the build time never count, even when `--drafts`
/// or `--future` put them in the site.
pub fn news_window(site: &Site) -> Vec<usize> {
    let now = site.config.build_time;
    let since = now - time::Duration::hours(NEWS_WINDOW_HOURS);
    site.articles
        .iter()
        .enumerate()
        .skip_while(|(_, a)| a.date > now)
        .take_while(|(_, a)| a.date >= since)
        .filter(|(_, a)| !a.draft && a.date <= now)
        .map(|(i, _)| i)
        .take(NEWS_MAX)
        .collect()
}

/// Entities per kind beside the home page's list.
pub const TOP_ENTITIES: usize = 8;

/// The most-covered entities of each kind beside the home page's list:
/// (entity, articles), most articles first, ties by name. Authors are not
/// covered, they write.
pub fn top_entities(site: &Site) -> Vec<(usize, usize)> {
    let counts: Vec<usize> = site.graph.entity_articles.iter().map(Vec::len).collect();
    let mut ranked: Vec<usize> = (0..site.entities.len())
        .filter(|&e| counts[e] > 0 && site.entities[e].kind != AUTHORS)
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
/// authors included: the search page's filters.
pub fn tagging_kinds(site: &Site) -> std::collections::BTreeSet<usize> {
    site.graph
        .entity_articles
        .iter()
        .enumerate()
        .filter(|(_, list)| list.iter().any(|(_, r)| r.is_named()))
        .map(|(e, _)| site.entities[e].kind)
        .collect()
}

/// (articles, tagged articles, mentioned-only articles) of an entity; an
/// author's articles count as tagged.
pub fn counts(site: &Site, entity: usize) -> (usize, usize, usize) {
    let articles = &site.graph.entity_articles[entity];
    let tagged = articles.iter().filter(|(_, r)| r.is_named()).count();
    (articles.len(), tagged, articles.len() - tagged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_counted_and_gaps_filled() {
        let counts = count_months([
            (2024, 11, Relation::Tagged),
            (2024, 11, Relation::Mentioned),
            (2025, 2, Relation::Tagged),
            (2024, 11, Relation::Tagged),
        ]);
        let ids: Vec<String> = counts.iter().map(MonthCount::id).collect();
        assert_eq!(ids, ["2024-11", "2024-12", "2025-01", "2025-02"]);
        assert_eq!((counts[0].tagged, counts[0].mentioned), (2, 1));
        assert_eq!(counts[1].total(), 0);
        assert_eq!(counts[3].total(), 1);
        assert_eq!(counts[0].label(), "Nov 2024");
        assert!(count_months([]).is_empty());
    }

    #[test]
    fn spans_pad_with_empty_months() {
        let counts = count_months([(2024, 3, Relation::Tagged)]);
        let padded = over_span(&counts, ((2024, 1), (2024, 4)));
        let totals: Vec<usize> = padded.iter().map(MonthCount::total).collect();
        assert_eq!(totals, [0, 0, 1, 0]);
    }
}
