//! The cross-reference graph: which articles relate to which entities
//! (tagged or mentioned), which articles are related to each other, and which
//! entities occur together.

use std::collections::BTreeSet;

use rayon::prelude::*;

/// How an article relates to an entity. Tagged is the stronger tie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Relation {
    Tagged,
    Mentioned,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Tagged => "tagged",
            Relation::Mentioned => "mentioned",
        }
    }

    fn weight(self) -> u32 {
        match self {
            Relation::Tagged => 2,
            Relation::Mentioned => 1,
        }
    }
}

/// Most related articles shown on an article page.
pub const RELATED: usize = 5;

/// Related articles are chosen among the articles at most this many places
/// away in date order, on either side. A site of up to `RELATED_WINDOW + 1`
/// articles ranks every article against every other; above that, the work
/// per article stops growing with the site, so related lists cost time in
/// proportion to the site instead of its square.
pub const RELATED_WINDOW: usize = 10_000;

#[derive(Debug, Default)]
pub struct Graph {
    /// Per article (newest first): its entities, by entity index.
    pub article_entities: Vec<Vec<(usize, Relation)>>,
    /// Per entity: its articles, newest first.
    pub entity_articles: Vec<Vec<(usize, Relation)>>,
    /// Per article: up to [`RELATED`] related articles, best first.
    pub related: Vec<Vec<usize>>,
    /// How many places away in date order a related article may be.
    pub window: usize,
}

/// The articles (by index) that may be related to `article`: those at most
/// `window` places away.
pub fn window_of(article: usize, window: usize) -> std::ops::RangeInclusive<usize> {
    article.saturating_sub(window)..=article.saturating_add(window)
}

impl Graph {
    /// `tagged[a]` and `mentioned[a]` are article `a`'s entity indexes;
    /// articles are in display order (newest first). Related articles are
    /// at most `window` places apart.
    pub fn build(
        entity_count: usize,
        tagged: &[Vec<usize>],
        mentioned: &[&[usize]],
        window: usize,
    ) -> Graph {
        let article_entities: Vec<Vec<(usize, Relation)>> = tagged
            .iter()
            .zip(mentioned)
            .map(|(tagged, mentioned)| entities_of(tagged, mentioned))
            .collect();
        let entity_articles = invert(entity_count, &article_entities);
        let postings = postings(&entity_articles);
        let related = (0..article_entities.len())
            .into_par_iter()
            .map_init(
                || Scratch::new(article_entities.len()),
                |scratch, article| {
                    scratch.related_to(article, &article_entities, &postings, window)
                },
            )
            .collect();
        Graph {
            article_entities,
            entity_articles,
            related,
            window,
        }
    }

    /// A graph over new per-article entity lists (and their inversion) where
    /// only articles with `kept[a] == None` get a freshly computed related list.
    pub fn with_related(
        article_entities: Vec<Vec<(usize, Relation)>>,
        entity_articles: Vec<Vec<(usize, Relation)>>,
        kept: Vec<Option<Vec<usize>>>,
        window: usize,
    ) -> Graph {
        let articles = article_entities.len();
        // Packed only when some list is to be computed: most updates keep all.
        let postings = match kept.iter().any(Option::is_none) {
            true => postings(&entity_articles),
            false => Vec::new(),
        };
        let related = kept
            .into_par_iter()
            .enumerate()
            .map_init(
                // Most lists are usually kept: allocate the buffers only when needed.
                || None::<Scratch>,
                |scratch, (article, kept)| match kept {
                    Some(related) => related,
                    None => scratch
                        .get_or_insert_with(|| Scratch::new(articles))
                        .related_to(article, &article_entities, &postings, window),
                },
            )
            .collect();
        Graph {
            article_entities,
            entity_articles,
            related,
            window,
        }
    }

    /// Entities that share articles with `entity`, with the number shared,
    /// most shared first (ties by entity index).
    pub fn cooccurring(&self, entity: usize) -> Vec<(usize, usize)> {
        let mut shared = vec![0; self.entity_articles.len()];
        for &(article, _) in &self.entity_articles[entity] {
            for &(other, _) in &self.article_entities[article] {
                shared[other] += 1;
            }
        }
        shared[entity] = 0;
        let mut counts: Vec<(usize, usize)> = shared
            .into_iter()
            .enumerate()
            .filter(|&(_, n)| n > 0)
            .collect();
        counts.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        counts
    }
}

/// One article's entities, tagged before mentioned, each once with its strongest relation.
pub fn entities_of(tagged: &[usize], mentioned: &[usize]) -> Vec<(usize, Relation)> {
    let mut entities: Vec<(usize, Relation)> =
        tagged.iter().map(|&e| (e, Relation::Tagged)).collect();
    entities.extend(mentioned.iter().map(|&e| (e, Relation::Mentioned)));
    // Tagged sorts first, so dedup keeps the stronger relation.
    entities.sort_unstable();
    entities.dedup_by_key(|(e, _)| *e);
    entities
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

/// Entity -> its articles (in article order, so newest first).
pub fn invert(
    entity_count: usize,
    article_entities: &[Vec<(usize, Relation)>],
) -> Vec<Vec<(usize, Relation)>> {
    let mut entity_articles = vec![Vec::new(); entity_count];
    for (article, entities) in article_entities.iter().enumerate() {
        for &(entity, relation) in entities {
            entity_articles[entity].push((article, relation));
        }
    }
    entity_articles
}

/// Each entity's articles packed for scoring: the article index shifted
/// left by two (a site has far fewer than 2^30 articles), its relation's
/// weight in the low bits: a quarter of the memory of `(usize, Relation)`
/// pairs, which scoring reads over and over.
fn postings(entity_articles: &[Vec<(usize, Relation)>]) -> Vec<Vec<u32>> {
    entity_articles
        .iter()
        .map(|list| {
            list.iter()
                .map(|&(a, r)| ((a as u32) << 2) | r.weight())
                .collect()
        })
        .collect()
}

/// Per-thread buffers for scoring related articles: a dense score per article
/// and the list of articles touched, so each article costs only its shared
/// entities' lists, with no allocation and no sort.
struct Scratch {
    scores: Vec<u32>,
    touched: Vec<usize>,
}

impl Scratch {
    fn new(articles: usize) -> Self {
        Scratch {
            scores: vec![0; articles],
            touched: Vec::new(),
        }
    }

    /// Scores every article within `window` places that shares an entity
    /// with `article`, through the inverted index (entity -> articles), not
    /// all pairs.
    fn related_to(
        &mut self,
        article: usize,
        article_entities: &[Vec<(usize, Relation)>],
        postings: &[Vec<u32>],
        window: usize,
    ) -> Vec<usize> {
        let near = window_of(article, window);
        for &(entity, relation) in &article_entities[article] {
            let weight = relation.weight();
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

    #[test]
    fn tagged_beats_mentioned_and_recency_breaks_ties() {
        // Articles 0..4, newest first. Entities: 0 meta, 1 openai.
        let tagged = vec![vec![0], vec![], vec![0], vec![1], vec![]];
        let mentioned = [vec![1], vec![0], vec![], vec![0], vec![1]];
        let mentioned: Vec<&[usize]> = mentioned.iter().map(Vec::as_slice).collect();
        let graph = Graph::build(2, &tagged, &mentioned, RELATED_WINDOW);
        // Article 0: meta tagged (2), openai mentioned (1).
        // 1: meta mentioned -> 2*1 = 2. 2: meta tagged -> 4.
        // 3: openai tagged (1*2) + meta mentioned (2*1) = 4. 4: openai mentioned -> 1.
        assert_eq!(graph.related[0], [2, 3, 1, 4]);
        assert_eq!(
            graph.entity_articles[0],
            [
                (0, Relation::Tagged),
                (1, Relation::Mentioned),
                (2, Relation::Tagged),
                (3, Relation::Mentioned)
            ]
        );
        assert_eq!(graph.cooccurring(0), [(1, 2)]);
    }

    #[test]
    fn direct_scores_rank_like_the_full_computation() {
        let tagged = [vec![0], vec![], vec![0], vec![1], vec![]];
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
                tagged.push(with(2));
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
        let tagged = [vec![0, 1], vec![0], vec![], vec![0, 1]];
        let mentioned: Vec<&[usize]> = vec![&[]; 4];
        let whole = Graph::build(2, &tagged, &mentioned, RELATED_WINDOW);
        assert_eq!(whole.related[0], [3, 1]);
        let near = Graph::build(2, &tagged, &mentioned, 2);
        assert_eq!(near.related[0], [1]);
        assert_eq!(near.related[3], [1]);
    }

    #[test]
    fn tagged_and_mentioned_counts_once_as_tagged() {
        let graph = Graph::build(1, &[vec![0]], &[&[0]], RELATED_WINDOW);
        assert_eq!(graph.article_entities[0], [(0, Relation::Tagged)]);
    }
}
