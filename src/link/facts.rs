//! Facts: the pieces of linked data that pages read, each with a
//! fingerprint. A page records the facts it read while it rendered
//! (`render/reader.rs`); after a change, a fact whose fingerprint moved has
//! changed, and the pages that read it are rendered again. No list of
//! "which pages does this change touch" exists anywhere: a new page kind or
//! template variable reads facts, and its scope follows.
//!
//! Articles are named by [`ArticleId`], which survives reordering; entities
//! by index, which scoped changes never move (a change to the set of
//! entities or their names rebuilds everything).

use std::hash::{BuildHasher, Hash, Hasher};

use super::coverage;
use super::{Relation, Site};
use crate::config::AUTHORS;
use crate::week::Week;

/// An article by its path under `content/`: stable across edits that move
/// it in date order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArticleId(u64);

impl ArticleId {
    pub fn of(content_path: &str) -> ArticleId {
        ArticleId(fingerprint(&content_path))
    }
}

/// A page that readers may reach at old addresses (`redirect_from`): an
/// article or an entity's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    Article(ArticleId),
    Entity(usize),
}

/// One piece of data that some page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fact {
    /// What a card shows: title, slug, dates, summary, authors, tagged entities.
    Card(ArticleId),
    /// Everything about the article: its card, body (with its table of
    /// contents), sources and lede.
    Article(ArticleId),
    /// What a list of every article shows: slug, title, dates.
    Listing(ArticleId),
    /// A page's old addresses, and where and what the page is now.
    Redirects(Target),
    /// Which articles its related list holds, best first.
    Related(ArticleId),
    /// Which articles are just before and after it in date order.
    Neighbours(ArticleId),
    /// Which articles hold places `from..to` of the date order (clamped).
    Slice(usize, usize),
    /// How many articles the site has.
    ArticleCount,
    /// The site's newest `updated` or `date`.
    NewestChange,
    /// The months from the oldest article to the newest.
    Span,
    /// The companies most covered in the last days of content.
    Recent,
    /// The most-covered entities of each kind.
    Top,
    /// The articles of the news sitemap's window, with their titles and dates.
    NewsWindow,
    /// The kinds that tag some article.
    TaggingKinds,
    /// The weeks that have an edition, with how many articles each has.
    Editions,
    /// Which articles a week's edition holds, newest first.
    Edition(Week),
    /// The editions just before and after a week's.
    EditionNeighbours(Week),
    /// A week's most covered entities, with their counts then and the week before.
    EditionTop(Week),
    /// An entity's profile: summary, ticker, website, aliases, profile text.
    Profile(usize),
    /// Where else an entity is known: its `website` and `same_as:`.
    SameAs(usize),
    /// An entity's articles, newest first, with relations and dates.
    Members(usize),
    /// The first `n` of them.
    MembersHead(usize, usize),
    /// Which of them hold places `from..to` of that list (clamped), with
    /// their relations: one page of an entity's articles.
    MembersSlice(usize, usize, usize),
    /// How many articles tag or mention it.
    Counts(usize),
    /// Its articles per month.
    Coverage(usize),
    /// The newest change among its articles.
    Lastmod(usize),
    /// The entities most often in the same articles.
    Cooccurring(usize),
}

impl Fact {
    /// The article this fact is about, when it is about one article's own data.
    pub fn article(self) -> Option<ArticleId> {
        match self {
            Fact::Card(a)
            | Fact::Article(a)
            | Fact::Listing(a)
            | Fact::Redirects(Target::Article(a)) => Some(a),
            _ => None,
        }
    }

    /// The entity this fact is about, when it is about its own profile file.
    pub fn profile(self) -> Option<usize> {
        match self {
            Fact::Profile(e) | Fact::SameAs(e) | Fact::Redirects(Target::Entity(e)) => Some(e),
            _ => None,
        }
    }

    /// The entity whose article list this fact is derived from: it can
    /// only change when [`Fact::Members`] does.
    pub fn derived_from_members(self) -> Option<usize> {
        match self {
            Fact::Counts(e)
            | Fact::Coverage(e)
            | Fact::Lastmod(e)
            | Fact::MembersHead(e, _)
            | Fact::MembersSlice(e, _, _) => Some(e),
            _ => None,
        }
    }
}

/// One hasher family for every fingerprint of a process: foldhash (the
/// hasher of hashbrown), which is fast on small keys and spreads well.
/// Fingerprints are compared within one process only.
static PRINTS: std::sync::LazyLock<hashbrown::DefaultHashBuilder> =
    std::sync::LazyLock::new(Default::default);

fn hasher() -> impl Hasher {
    PRINTS.build_hasher()
}

/// The fingerprint of any hashable value.
fn fingerprint<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut hasher = hasher();
    value.hash(&mut hasher);
    hasher.finish()
}

/// The fingerprint of the values `items` hands to the hasher.
fn fingerprint_with(items: impl FnOnce(&mut dyn Hasher)) -> u64 {
    let mut hasher = hasher();
    items(&mut hasher);
    hasher.finish()
}

/// A date as pages show it: the instant and the offset it was written in.
/// (`OffsetDateTime`'s own `Hash` leaves the offset out, but pages show
/// the day in the article's own offset.)
fn stamp(date: time::OffsetDateTime) -> (i128, i32) {
    (date.unix_timestamp_nanos(), date.offset().whole_seconds())
}

/// What a fact about an article that is gone hashes as.
const ABSENT: u64 = 0x0bad_cafe_0bad_cafe;

impl Site {
    /// The fingerprint of `fact` as the site is now.
    pub fn fingerprint(&self, fact: Fact) -> u64 {
        let article = |id: ArticleId| self.position(id);
        match fact {
            Fact::Card(id) => article(id).map_or(ABSENT, |i| fingerprint(&self.card_data(i))),
            Fact::Article(id) => article(id).map_or(ABSENT, |i| {
                let a = &self.articles[i];
                let b = &self.bodies[i];
                fingerprint_with(|mut h| {
                    self.card_data(i).hash(&mut h);
                    // The toc follows from the html; hashed too, so that
                    // a page reading only the toc is never left stale.
                    (&a.summary, &b.html, b.words, &b.toc).hash(&mut h);
                    for source in &a.sources {
                        (&source.title, &source.url).hash(&mut h);
                    }
                })
            }),
            Fact::Listing(id) => article(id).map_or(ABSENT, |i| {
                let a = &self.articles[i];
                fingerprint(&(&a.slug, &a.title, stamp(a.date), a.updated.map(stamp)))
            }),
            Fact::Redirects(Target::Article(id)) => article(id).map_or(ABSENT, |i| {
                let a = &self.articles[i];
                fingerprint(&(&a.slug, &a.title, &a.redirect_from.paths))
            }),
            // An entity's name and page are fixed between full rebuilds.
            Fact::Redirects(Target::Entity(e)) => {
                fingerprint(&self.entities[e].redirect_from.paths)
            }
            Fact::Related(id) => article(id).map_or(ABSENT, |i| {
                fingerprint_with(|mut h| {
                    for &r in &self.graph.related[i] {
                        self.ids[r].hash(&mut h);
                    }
                })
            }),
            Fact::Neighbours(id) => article(id).map_or(ABSENT, |i| {
                let at = |n: Option<usize>| n.and_then(|n| self.ids.get(n).copied());
                fingerprint(&(at(i.checked_sub(1)), at(Some(i + 1))))
            }),
            Fact::Slice(from, to) => {
                let to = to.min(self.ids.len());
                fingerprint(&self.ids[from.min(to)..to])
            }
            Fact::ArticleCount => fingerprint(&self.articles.len()),
            Fact::NewestChange => fingerprint(&self.newest_change().map(stamp)),
            Fact::Span => fingerprint(&coverage::site_span(self)),
            Fact::Recent => fingerprint(&coverage::recent_top(self, 0)),
            Fact::Top => fingerprint(&coverage::top_entities(self)),
            Fact::NewsWindow => fingerprint_with(|mut h| {
                for i in coverage::news_window(self) {
                    let a = &self.articles[i];
                    (self.ids[i], &a.slug, &a.title, stamp(a.date)).hash(&mut h);
                }
            }),
            Fact::TaggingKinds => fingerprint(&coverage::tagging_kinds(self)),
            Fact::Editions => fingerprint_with(|mut h| {
                for edition in &self.editions {
                    (edition.week, edition.articles.len()).hash(&mut h);
                }
            }),
            Fact::Edition(week) => self.edition(week).map_or(ABSENT, |edition| {
                fingerprint_with(|mut h| {
                    for &i in &edition.articles {
                        self.ids[i].hash(&mut h);
                    }
                })
            }),
            Fact::EditionNeighbours(week) => fingerprint(&self.edition_neighbours(week)),
            Fact::EditionTop(week) => fingerprint(&self.most_covered(week)),
            Fact::Profile(e) => {
                let entity = &self.entities[e];
                fingerprint(&(
                    (&entity.summary, &entity.ticker, &entity.website),
                    (&entity.aliases, &entity.image, &entity.same_as),
                    (&self.profiles[e], &self.portraits[e]),
                ))
            }
            Fact::SameAs(e) => {
                let entity = &self.entities[e];
                fingerprint(&(&entity.website, &entity.same_as))
            }
            Fact::Members(e) => fingerprint_with(|mut h| {
                for &(a, relation) in &self.graph.entity_articles[e] {
                    let article = &self.articles[a];
                    let dates = (stamp(article.date), article.updated.map(stamp));
                    (self.ids[a], relation, dates).hash(&mut h);
                }
            }),
            Fact::MembersHead(e, n) => fingerprint_with(|mut h| {
                for &(a, _) in self.graph.entity_articles[e].iter().take(n) {
                    self.ids[a].hash(&mut h);
                }
            }),
            Fact::MembersSlice(e, from, to) => fingerprint_with(|mut h| {
                let list = &self.graph.entity_articles[e];
                let to = to.min(list.len());
                for &(a, relation) in &list[from.min(to)..to] {
                    (self.ids[a], relation).hash(&mut h);
                }
            }),
            Fact::Counts(e) => fingerprint(&coverage::counts(self, e)),
            Fact::Coverage(e) => fingerprint_with(|mut h| {
                for m in coverage::monthly_counts(self, e) {
                    (m.year, m.month, m.tagged, m.mentioned).hash(&mut h);
                }
            }),
            Fact::Lastmod(e) => fingerprint(&self.lastmod(e).map(stamp)),
            Fact::Cooccurring(e) => fingerprint(&self.graph.cooccurring(e)),
        }
    }

    /// What an article's card is made of.
    fn card_data(&self, i: usize) -> impl Hash + '_ {
        let a = &self.articles[i];
        let tagged: Vec<usize> = self.graph.article_entities[i]
            .iter()
            .filter(|(_, r)| *r == Relation::Tagged)
            .map(|&(e, _)| e)
            .collect();
        (
            (&a.slug, &a.title, stamp(a.date), a.updated.map(stamp)),
            // Authors by id, in their order; their names are identities.
            (
                &self.bodies[i].summary,
                a.tags.get(AUTHORS).map(|t| &t.ids),
                &self.bodies[i].lead,
            ),
            tagged,
        )
    }

    /// The newest change among an entity's articles.
    pub fn lastmod(&self, entity: usize) -> Option<time::OffsetDateTime> {
        self.graph.entity_articles[entity]
            .iter()
            .map(|&(a, _)| self.articles[a].last_modified())
            .max()
    }

    /// Where the article is in date order now, if it is still there.
    pub fn position(&self, id: ArticleId) -> Option<usize> {
        self.positions.get(&id).copied()
    }

    /// Names every article anew after the order changed.
    pub(super) fn reindex(&mut self) {
        self.ids = self
            .articles
            .iter()
            .map(|a| ArticleId::of(&a.content_path))
            .collect();
        self.positions = self
            .ids
            .iter()
            .enumerate()
            .map(|(i, &id)| (id, i))
            .collect();
        self.editions =
            super::editions::group(&self.articles, &self.config.zone, self.config.build_time);
    }
}
