//! Related articles: each article's best [`RELATED`] by shared entities
//! (tagged counts more than mentioned), then recency, among the articles
//! near it in date order ([`RELATED_WINDOW`]). Scored through an inverted
//! index (entity -> articles) with per-thread buffers, never all pairs; and,
//! for `briefing serve`, carried over a scoped change ([`carry_over`]) so
//! that only lists that may have moved are ranked again.

use std::collections::BTreeSet;

use super::graph::{Graph, Relation};

/// Most related articles shown on an article page.
pub const RELATED: usize = 5;

/// Related articles are chosen among the articles at most this many places
/// away in date order, on either side. A site of up to `RELATED_WINDOW + 1`
/// articles ranks every article against every other; above that, the work
/// per article stops growing with the site, so related lists cost time in
/// proportion to the site instead of its square.
pub const RELATED_WINDOW: usize = 10_000;

/// The articles (by index) that may be related to `article`: those at most
/// `window` places away.
pub fn window_of(article: usize, window: usize) -> std::ops::RangeInclusive<usize> {
    article.saturating_sub(window)..=article.saturating_add(window)
}

/// The best [`RELATED`] of `candidates` within `window` places of `article`,
/// each scored directly: for re-ranking a list when only a few articles changed.
pub fn top_related(
    article: usize,
    mut candidates: Vec<usize>,
    article_entities: &[Vec<(usize, Relation)>],
    window: usize,
) -> Vec<usize> {
    candidates.sort_unstable();
    candidates.dedup();
    let near = window_of(article, window);
    let mut scored: Vec<(u32, usize)> = candidates
        .into_iter()
        .filter(|&c| c != article && near.contains(&c))
        .map(|c| (score(&article_entities[article], &article_entities[c]), c))
        .filter(|&(score, _)| score > 0)
        .collect();
    scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.truncate(RELATED);
    scored.into_iter().map(|(_, c)| c).collect()
}

/// Which related lists survive a change to some articles: per article (new
/// index), its list, kept or re-ranked, or `None` to compute afresh
/// ([`Graph::with_related`]). `kept_from[i]` is
/// article `i`'s old index (`None`: changed or new), and `old_to_new` the
/// other way round (`None`: changed or gone); `entities` are those a
/// changed article had or has; `changed` are the changed articles' new
/// indexes.
///
/// A list can only move for an article that shares one of `entities`, before
/// or after the change. For those, the old list stays valid unless it held a
/// changed article: then only changed articles can enter it. Apart from
/// that, an article's window of candidates moves when articles come, go or
/// change places; its list is then computed afresh.
pub fn carry_over(
    old: &Graph,
    article_entities: &[Vec<(usize, Relation)>],
    entity_articles: &[Vec<(usize, Relation)>],
    kept_from: &[Option<usize>],
    old_to_new: &[Option<usize>],
    entities: &BTreeSet<usize>,
    changed: &BTreeSet<usize>,
) -> Vec<Option<Vec<usize>>> {
    let old_count = old.related.len();
    let new_of = |old: usize| old_to_new.get(old).copied().flatten();
    let mut dirty: BTreeSet<usize> = BTreeSet::new();
    // A byline weighs nothing: its articles' lists stay.
    let counts = |r: &Relation| r.weight() > 0;
    for &e in entities {
        dirty.extend(
            entity_articles[e]
                .iter()
                .filter(|(_, r)| counts(r))
                .map(|&(a, _)| a),
        );
        dirty.extend(
            old.entity_articles[e]
                .iter()
                .filter(|(_, r)| counts(r))
                .filter_map(|&(a, _)| new_of(a)),
        );
    }
    let window = old.window;
    let moved = moved_windows(kept_from, old_count, window);
    let changed_list: Vec<usize> = changed.iter().copied().collect();
    (0..kept_from.len())
        .map(|i| {
            let from = kept_from[i]?;
            let mapped: Vec<usize> = old.related[from]
                .iter()
                .filter_map(|&r| new_of(r))
                .collect();
            // A member that went away changes the list whatever follows.
            let intact = mapped.len() == old.related[from].len();
            if moved.contains(&i) {
                return None;
            }
            if !dirty.contains(&i) {
                return Some(mapped);
            }
            if !intact || mapped.iter().any(|r| changed.contains(r)) {
                return None;
            }
            let mut candidates = mapped;
            candidates.extend(changed_list.iter().copied().filter(|&c| c != i));
            Some(top_related(i, candidates, article_entities, window))
        })
        .collect()
}

/// The kept articles (by new index) whose window of related candidates now
/// holds other kept articles than before. `kept_from[i]` is article `i`'s
/// old index, `None` for a changed article. Kept articles stay in order, so
/// a window holds the same kept articles exactly when it starts and ends at
/// the same count of kept articles before it.
pub fn moved_windows(
    kept_from: &[Option<usize>],
    old_count: usize,
    window: usize,
) -> BTreeSet<usize> {
    let mut old_kept = vec![false; old_count];
    for &old in kept_from.iter().flatten() {
        old_kept[old] = true;
    }
    let new_counts = counts_before(kept_from.iter().map(Option::is_some));
    let old_counts = counts_before(old_kept);
    // Kept articles before the window's start, and up to its end.
    let span = |counts: &[usize], at: usize| {
        let end = at.saturating_add(window).min(counts.len() - 2);
        (counts[at.saturating_sub(window)], counts[end + 1])
    };
    kept_from
        .iter()
        .enumerate()
        .filter_map(|(new, old)| Some((new, (*old)?)))
        .filter(|&(new, old)| span(&new_counts, new) != span(&old_counts, old))
        .map(|(new, _)| new)
        .collect()
}

/// `counts[i]`: how many of the first `i` flags are set.
fn counts_before(flags: impl IntoIterator<Item = bool>) -> Vec<usize> {
    let running = flags.into_iter().scan(0, |count, flag| {
        *count += usize::from(flag);
        Some(*count)
    });
    std::iter::once(0).chain(running).collect()
}

/// How related two articles are: their shared entities, weighted by relation.
/// Both lists are sorted by entity, as [`entities_of`] makes them.
fn score(a: &[(usize, Relation)], b: &[(usize, Relation)]) -> u32 {
    let (mut i, mut j, mut total) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                total += a[i].1.weight() * b[j].1.weight();
                i += 1;
                j += 1;
            }
        }
    }
    total
}

/// Each entity's articles packed for scoring: the article index shifted
/// left by two (a site has far fewer than 2^30 articles), its relation's
/// weight in the low bits: a quarter of the memory of `(usize, Relation)`
/// pairs, which scoring reads over and over.
pub(super) fn postings(entity_articles: &[Vec<(usize, Relation)>]) -> Vec<Vec<u32>> {
    entity_articles
        .iter()
        .map(|list| {
            list.iter()
                .filter(|(_, r)| r.weight() > 0)
                .map(|&(a, r)| ((a as u32) << 2) | r.weight())
                .collect()
        })
        .collect()
}

/// Per-thread buffers for scoring related articles: a dense score per article
/// and the list of articles touched, so each article costs only its shared
/// entities' lists, with no allocation and no sort.
pub(super) struct Scratch {
    scores: Vec<u32>,
    touched: Vec<usize>,
}

impl Scratch {
    pub(super) fn new(articles: usize) -> Self {
        Scratch {
            scores: vec![0; articles],
            touched: Vec::new(),
        }
    }

    /// Scores every article within `window` places that shares an entity
    /// with `article`, through the inverted index (entity -> articles), not
    /// all pairs.
    pub(super) fn related_to(
        &mut self,
        article: usize,
        article_entities: &[Vec<(usize, Relation)>],
        postings: &[Vec<u32>],
        window: usize,
    ) -> Vec<usize> {
        let near = window_of(article, window);
        for &(entity, relation) in &article_entities[article] {
            let weight = relation.weight();
            if weight == 0 {
                continue; // a byline relates nothing
            }
            let list = &postings[entity];
            // Postings are in article order: the window is one run of them.
            let from = list.partition_point(|&p| ((p >> 2) as usize) < *near.start());
            let to = list.partition_point(|&p| ((p >> 2) as usize) <= *near.end());
            for &posting in &list[from..to] {
                let other = (posting >> 2) as usize;
                if other != article {
                    if self.scores[other] == 0 {
                        self.touched.push(other);
                    }
                    self.scores[other] += weight * (posting & 3);
                }
            }
        }
        // Keep the best RELATED: highest score first, then the newer (lower index).
        let mut best: Vec<(u32, usize)> = Vec::with_capacity(RELATED + 1);
        for &other in &self.touched {
            let candidate = (self.scores[other], other);
            let better =
                |a: &(u32, usize), b: &(u32, usize)| a.0 > b.0 || (a.0 == b.0 && a.1 < b.1);
            if best.len() < RELATED || better(&candidate, &best[best.len() - 1]) {
                let at = best.partition_point(|b| better(b, &candidate));
                best.insert(at, candidate);
                best.truncate(RELATED);
            }
            self.scores[other] = 0;
        }
        self.touched.clear();
        best.into_iter().map(|(_, a)| a).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::graph::tests::tags;

    #[test]
    fn direct_scores_rank_like_the_full_computation() {
        let tagged = tags(&[&[0], &[], &[0], &[1], &[]]);
        let mentioned = [vec![1], vec![0], vec![], vec![0], vec![1]];
        let mentioned: Vec<&[usize]> = mentioned.iter().map(Vec::as_slice).collect();
        let graph = Graph::build(2, &tagged, &mentioned, RELATED_WINDOW);
        for article in 0..5 {
            let top = top_related(
                article,
                (0..5).collect(),
                &graph.article_entities,
                RELATED_WINDOW,
            );
            assert_eq!(top, graph.related[article], "article {article}");
        }
    }

    #[test]
    fn the_inverted_index_ranks_like_scoring_every_article() {
        // Random small sites: few entities, each article tagged with or
        // mentioning each at random, so scores tie often and an article
        // sharing only weak entities can still score above the fifth; half
        // of them with a window smaller than the site.
        for seed in 0..200 {
            let mut rng = fastrand::Rng::with_seed(seed);
            let (articles, entities) = (rng.usize(8..80), rng.usize(1..6));
            let window = match seed % 2 {
                0 => RELATED_WINDOW,
                _ => rng.usize(1..articles),
            };
            let (mut tagged, mut mentioned) = (Vec::new(), Vec::new());
            for _ in 0..articles {
                let relations: Vec<u8> = (0..entities).map(|_| rng.u8(0..3)).collect();
                let with = |r: u8| {
                    (0..entities)
                        .filter(|&e| relations[e] == r)
                        .collect::<Vec<_>>()
                };
                tagged.push(with(2).into_iter().map(|e| (e, Relation::Tagged)).collect());
                mentioned.push(with(1));
            }
            let mentioned: Vec<&[usize]> = mentioned.iter().map(Vec::as_slice).collect();
            let graph = Graph::build(entities, &tagged, &mentioned, window);
            for article in 0..articles {
                let every = top_related(
                    article,
                    (0..articles).collect(),
                    &graph.article_entities,
                    window,
                );
                assert_eq!(
                    graph.related[article], every,
                    "seed {seed}, article {article}"
                );
                assert!(every.iter().all(|&r| r.abs_diff(article) <= window));
            }
        }
    }

    #[test]
    fn related_articles_are_chosen_within_the_window() {
        // Article 0 shares both entities with article 3 and one with article 1.
        let tagged = tags(&[&[0, 1], &[0], &[], &[0, 1]]);
        let mentioned: Vec<&[usize]> = vec![&[]; 4];
        let whole = Graph::build(2, &tagged, &mentioned, RELATED_WINDOW);
        assert_eq!(whole.related[0], [3, 1]);
        let near = Graph::build(2, &tagged, &mentioned, 2);
        assert_eq!(near.related[0], [1]);
        assert_eq!(near.related[3], [1]);
    }
}
