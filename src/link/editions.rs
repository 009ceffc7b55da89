//! Editions: the site's articles grouped by ISO week in the site's
//! `timezone` (`week.rs`), and the entities each week covered most, with
//! their change against the week before. Like coverage, this is data that
//! pages show, counted where a change can compare it before and after; the
//! pages and the newsletter are the render stage's.
//!
//! Drafts and embargoed articles never count, even when `--drafts` or
//! `--future` puts them in the site: an edition is what was published.

use super::{Relation, Site};
use crate::config::AUTHORS;
use crate::model::Article;
use crate::week::Week;

/// How many entities "most covered this week" shows.
pub const MOST_COVERED: usize = 5;

/// One week's articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition {
    pub week: Week,
    /// Places in the site's date order, newest first.
    pub articles: Vec<usize>,
}

/// How an entity's coverage moved against the week before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    Up,
    Down,
    Same,
    /// Not covered the week before.
    New,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Up => "up",
            Change::Down => "down",
            Change::Same => "same",
            Change::New => "new",
        }
    }

    fn between(before: usize, now: usize) -> Change {
        match (before, now) {
            (0, _) => Change::New,
            (b, n) if n > b => Change::Up,
            (b, n) if n < b => Change::Down,
            _ => Change::Same,
        }
    }
}

/// An entity among the most covered of a week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Covered {
    pub entity: usize,
    /// Articles of the week that tag or mention it.
    pub count: usize,
    /// The same, the week before.
    pub before: usize,
    pub change: Change,
}

/// Groups `articles` (newest first) into editions, newest week first.
pub fn group(
    articles: &[Article],
    zone: &jiff::tz::TimeZone,
    now: time::OffsetDateTime,
) -> Vec<Edition> {
    let mut editions: Vec<Edition> = Vec::new();
    for (i, article) in articles.iter().enumerate() {
        if article.draft || article.date > now {
            continue;
        }
        let week = Week::of(article.date, zone);
        match editions.last_mut() {
            Some(edition) if edition.week == week => edition.articles.push(i),
            _ => editions.push(Edition {
                week,
                articles: vec![i],
            }),
        }
    }
    editions
}

impl Site {
    /// The edition of `week`, if it has articles.
    pub fn edition(&self, week: Week) -> Option<&Edition> {
        // Newest first: search with the order reversed.
        self.editions
            .binary_search_by(|e| week.cmp(&e.week))
            .ok()
            .map(|at| &self.editions[at])
    }

    /// The editions just older and just newer than `week`'s.
    pub fn edition_neighbours(&self, week: Week) -> (Option<Week>, Option<Week>) {
        let at = self.editions.partition_point(|e| e.week > week);
        let newer = at.checked_sub(1).map(|n| self.editions[n].week);
        let older_at = if self.editions.get(at).is_some_and(|e| e.week == week) {
            at + 1
        } else {
            at
        };
        (self.editions.get(older_at).map(|e| e.week), newer)
    }

    /// The entities `week`'s articles cover most (authors aside), most
    /// articles first, then in kind and id order; each with its count the
    /// calendar week before.
    pub fn most_covered(&self, week: Week) -> Vec<Covered> {
        let count = |week: Option<Week>| {
            let mut counts: rustc_hash::FxHashMap<usize, usize> = Default::default();
            let Some(edition) = week.and_then(|w| self.edition(w)) else {
                return counts;
            };
            for &i in &edition.articles {
                for &(e, relation) in &self.graph.article_entities[i] {
                    if relation != Relation::Authored && self.entities[e].kind != AUTHORS {
                        *counts.entry(e).or_default() += 1;
                    }
                }
            }
            counts
        };
        let now = count(Some(week));
        let before = count(week.previous());
        let mut ranked: Vec<(usize, usize)> = now.into_iter().collect();
        ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(MOST_COVERED);
        ranked
            .into_iter()
            .map(|(entity, count)| {
                let before = before.get(&entity).copied().unwrap_or(0);
                Covered {
                    entity,
                    count,
                    before,
                    change: Change::between(before, count),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_against_the_week_before() {
        assert_eq!(Change::between(0, 3), Change::New);
        assert_eq!(Change::between(1, 3), Change::Up);
        assert_eq!(Change::between(4, 3), Change::Down);
        assert_eq!(Change::between(3, 3), Change::Same);
    }
}
