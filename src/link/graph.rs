//! The cross-reference graph: which articles relate to which entities
//! (tagged or mentioned), which articles are related to each other (ranked
//! by [`super::related`]), and which entities occur together.

use rayon::prelude::*;

use super::related::{postings, Scratch};

/// How an article relates to an entity. Tagged is the stronger tie;
/// Authored is the byline (`author:`), which says who wrote it, not what
/// it is about: it counts for no related article and no co-occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Relation {
    Tagged,
    Mentioned,
    Authored,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Tagged => "tagged",
            Relation::Mentioned => "mentioned",
            Relation::Authored => "authored",
        }
    }

    /// Whether front matter names the entity (tags it, or as an author).
    pub fn is_named(self) -> bool {
        self != Relation::Mentioned
    }

    pub(super) fn weight(self) -> u32 {
        match self {
            Relation::Tagged => 2,
            Relation::Mentioned => 1,
            Relation::Authored => 0,
        }
    }
}

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

impl Graph {
    /// `named[a]` (from front matter, with their relations) and
    /// `mentioned[a]` are article `a`'s entity indexes; articles are in
    /// display order (newest first). Related articles are at most `window`
    /// places apart.
    pub fn build(
        entity_count: usize,
        named: &[Vec<(usize, Relation)>],
        mentioned: &[&[usize]],
        window: usize,
    ) -> Graph {
        let article_entities: Vec<Vec<(usize, Relation)>> = named
            .iter()
            .zip(mentioned)
            .map(|(named, mentioned)| entities_of(named, mentioned))
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
    /// most shared first (ties by entity index). Authors are in no one's
    /// list, though their own lists hold what they write about.
    pub fn cooccurring(&self, entity: usize) -> Vec<(usize, usize)> {
        let mut shared = vec![0; self.entity_articles.len()];
        for &(article, _) in &self.entity_articles[entity] {
            for &(other, relation) in &self.article_entities[article] {
                if relation != Relation::Authored {
                    shared[other] += 1;
                }
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

/// One article's entities, named in front matter before mentioned, each
/// once with its strongest relation, sorted by entity.
pub fn entities_of(named: &[(usize, Relation)], mentioned: &[usize]) -> Vec<(usize, Relation)> {
    let mut entities: Vec<(usize, Relation)> = named.to_vec();
    entities.extend(mentioned.iter().map(|&e| (e, Relation::Mentioned)));
    // Tagged sorts first, so dedup keeps the stronger relation.
    entities.sort_unstable();
    entities.dedup_by_key(|(e, _)| *e);
    entities
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::link::related::RELATED_WINDOW;

    #[test]
    fn tagged_beats_mentioned_and_recency_breaks_ties() {
        // Articles 0..4, newest first. Entities: 0 meta, 1 openai.
        let tagged = tags(&[&[0], &[], &[0], &[1], &[]]);
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
    fn tagged_and_mentioned_counts_once_as_tagged() {
        let graph = Graph::build(1, &tags(&[&[0]]), &[&[0]], RELATED_WINDOW);
        assert_eq!(graph.article_entities[0], [(0, Relation::Tagged)]);
    }

    #[test]
    fn authors_relate_no_articles_and_cooccur_with_nobody() {
        // Entity 2 wrote all three; 0 and 1 are subjects.
        let by = |e: &[usize]| {
            let mut named: Vec<(usize, Relation)> =
                e.iter().map(|&e| (e, Relation::Tagged)).collect();
            named.push((2, Relation::Authored));
            named
        };
        let named = vec![by(&[0]), by(&[1]), by(&[0])];
        let graph = Graph::build(3, &named, &[&[], &[], &[]], RELATED_WINDOW);
        assert_eq!(graph.related[0], [2]);
        assert!(graph.related[1].is_empty());
        assert_eq!(graph.cooccurring(0), []);
        assert_eq!(graph.cooccurring(2), [(0, 2), (1, 1)]);
        assert_eq!(graph.entity_articles[2].len(), 3);
    }

    /// Tags only, per article.
    pub(crate) fn tags(lists: &[&[usize]]) -> Vec<Vec<(usize, Relation)>> {
        lists
            .iter()
            .map(|l| l.iter().map(|&e| (e, Relation::Tagged)).collect())
            .collect()
    }
}
