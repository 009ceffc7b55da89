//! What a scoped update changed ([`SiteChange`]), for the render stage to
//! pick the pages to redo (`render/scope.rs`), and the comparisons of the
//! changed articles before and after the update that fill it in. The update
//! itself is in `update.rs`.

use std::collections::BTreeSet;

use time::OffsetDateTime;

use super::graph::Relation;
use super::Body;
use crate::model::Article;

/// What an update changed, for the render stage to pick the pages to redo.
#[derive(Debug, Default)]
pub struct SiteChange {
    /// Articles (new indexes) whose own data or HTML changed, or that are new.
    pub articles: BTreeSet<usize>,
    /// Article pages to render: the changed ones, their old and new
    /// neighbours, and every article whose related list changed or shows one.
    pub article_pages: BTreeSet<usize>,
    /// Entities whose article lists or co-occurrences may have changed.
    pub entities: BTreeSet<usize>,
    /// Entities whose profile (not names) changed.
    pub profiles: BTreeSet<usize>,
    /// The span of the article order that moved, over old and new indexes.
    pub span: Option<(usize, usize)>,
    pub old_article_count: usize,
    /// (articles, tagged articles) per entity before the update.
    pub old_counts: Vec<(usize, usize)>,
    /// Site-relative paths of pages that no longer exist.
    pub removed_paths: Vec<String>,
    /// Paths under `content/` of every article that changed or went away,
    /// for caches keyed by source.
    pub sources: Vec<String>,
    /// The site's newest change moved: feeds with no entries take their
    /// `updated` from it.
    pub newest_changed: bool,
    /// The dates of the oldest and newest article before the update.
    pub old_extent: Option<(OffsetDateTime, OffsetDateTime)>,
    /// Entities whose articles per month (tagged or mentioned) changed: their
    /// charts and sparklines are different.
    pub coverage_changed: BTreeSet<usize>,
    /// An article came, went, or changed what lists of every article show
    /// (slug, title, dates): the archive and the sitemap are different.
    pub listings_changed: bool,
    /// A changed article tags or mentions other entities than before (or
    /// the same in another way): what is taken from entities' article lists
    /// as a whole (the sitemap's dates, page 1's chart) may differ.
    pub memberships_changed: bool,
    /// An article came or went, or a changed article's card (its listing,
    /// author, summary or tags) is different: the pages that show its card
    /// (entity pages, its neighbours, related lists) must be redone. An
    /// edit further down an article's text leaves them as they are.
    pub cards_changed: bool,
}

impl SiteChange {
    /// Widens the moved span to take in the article at `index`.
    pub(super) fn touch(&mut self, index: usize) {
        self.span = Some(match self.span {
            Some((lo, hi)) => (lo.min(index), hi.max(index)),
            None => (index, index),
        });
    }
}

/// What lists of every article (the archive, the sitemap) show of an
/// article: its path under `content/`, slug, title and dates.
type Listing = (
    String,
    String,
    String,
    OffsetDateTime,
    Option<OffsetDateTime>,
);

/// What an article's card shows besides its listing and tags: its path
/// under `content/`, author and summary.
type Face = (String, Option<String>, String);

/// The faces of `cards` (articles with their bodies), to compare before and
/// after an update.
pub(super) fn faces<'a>(
    cards: impl IntoIterator<Item = (&'a Article, &'a Body)>,
) -> BTreeSet<Face> {
    cards
        .into_iter()
        .map(|(a, b)| (a.content_path.clone(), a.author.clone(), b.summary.clone()))
        .collect()
}

/// The listings of `articles`, to compare before and after an update.
pub(super) fn listings<'a>(articles: impl IntoIterator<Item = &'a Article>) -> BTreeSet<Listing> {
    articles
        .into_iter()
        .map(|a| {
            (
                a.content_path.clone(),
                a.slug.clone(),
                a.title.clone(),
                a.date,
                a.updated,
            )
        })
        .collect()
}

/// How one article relates to one entity, with the article's month: what
/// entity lists, charts and sparklines take from it.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct ArticleRelation {
    /// The article's path under `content/`.
    pub article: String,
    pub entity: usize,
    pub relation: Relation,
    pub month: (i32, u8),
}

/// The relations of the articles at `indexes`, `entities` being every
/// article's entity list.
pub(super) fn relations(
    articles: &[Article],
    entities: &[Vec<(usize, Relation)>],
    indexes: impl IntoIterator<Item = usize>,
) -> BTreeSet<ArticleRelation> {
    let mut found = BTreeSet::new();
    for i in indexes {
        let article = &articles[i];
        for &(entity, relation) in &entities[i] {
            found.insert(ArticleRelation {
                article: article.content_path.clone(),
                entity,
                relation,
                month: (article.date.year(), u8::from(article.date.month())),
            });
        }
    }
    found
}
