//! The site as one page reads it. Views get a [`Reader`], never the site
//! itself: every piece of linked data they take goes through a method here,
//! which notes the [`Fact`] it read. The page's facts are its scope: when
//! one of them changes, the page is rendered again (see `pipeline/scope.rs`).
//!
//! What a reader hands out without noting a fact is what only a full
//! rebuild changes: the settings, the URLs, and entities' identities (kind,
//! id, name), which a scoped update never touches.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::ops::Range;

use tera::Value;

use super::cards::{Layout, CARD_TEMPLATE};
use super::{Cards, Templates};
use crate::config::Config;
use crate::link::coverage::{self, MonthCount};
use crate::link::editions::{Covered, Edition};
use crate::link::facts::{Fact, Target};
use crate::link::{Body, Relation, Site};
use crate::model::{Article, Entity};
use crate::urls::Urls;
use crate::week::Week;

pub(crate) struct Reader<'a> {
    site: &'a Site,
    cards: &'a Cards,
    /// What lays out cards in lists ([`Reader::card_in`]), when the page
    /// is a site page (not the newsletter).
    templates: Option<&'a Templates>,
    reads: RefCell<Vec<Fact>>,
    /// Whether a card was laid out by `card.html` for this page.
    cards_laid_out: Cell<bool>,
}

/// What one page read: the facts, and the templates that laid it out.
pub(crate) struct Reads {
    pub facts: Vec<Fact>,
    /// The page's own template.
    pub template: &'static str,
    /// Whether cards were laid out by [`CARD_TEMPLATE`] for it.
    pub cards: bool,
}

impl Reads {
    /// Whether a change to the templates `names` reaches this page, by
    /// `templates` (the old set or the new).
    pub(crate) fn reaches(&self, templates: &Templates, names: &BTreeSet<String>) -> bool {
        templates.reaches(self.template, names)
            || (self.cards && templates.reaches(CARD_TEMPLATE, names))
    }
}

impl<'a> Reader<'a> {
    pub(crate) fn new(site: &'a Site, cards: &'a Cards) -> Self {
        Reader {
            site,
            cards,
            templates: None,
            reads: RefCell::new(Vec::new()),
            cards_laid_out: Cell::new(false),
        }
    }

    /// A reader for a page of the site laid out by `templates`.
    pub(crate) fn for_page(site: &'a Site, cards: &'a Cards, templates: &'a Templates) -> Self {
        Reader {
            templates: Some(templates),
            ..Reader::new(site, cards)
        }
    }

    /// What the page read, each fact once, laid out by `template`.
    pub(crate) fn into_reads(self, template: &'static str) -> Reads {
        let mut facts = self.reads.into_inner();
        let mut seen = rustc_hash::FxHashSet::default();
        facts.retain(|f| seen.insert(*f));
        Reads {
            facts,
            template,
            cards: self.cards_laid_out.get(),
        }
    }

    fn note(&self, fact: Fact) {
        self.reads.borrow_mut().push(fact);
    }

    // What only a full rebuild changes.

    pub(crate) fn config(&self) -> &'a Config {
        &self.site.config
    }

    pub(crate) fn urls(&self) -> &'a Urls {
        &self.site.urls
    }

    /// An entity's kind, id and name (not its profile: see [`Reader::profile`]).
    pub(crate) fn identity(&self, entity: usize) -> Identity<'a> {
        let e = &self.site.entities[entity];
        Identity {
            kind: e.kind,
            id: &e.id,
            name: &e.name,
        }
    }

    /// Every entity of `kind`, by index.
    pub(crate) fn entities_of_kind(&self, kind: usize) -> impl Iterator<Item = usize> + 'a {
        let entities = &self.site.entities;
        (0..entities.len()).filter(move |&e| entities[e].kind == kind)
    }

    /// How many entities there are.
    pub(crate) fn entity_total(&self) -> usize {
        self.site.entities.len()
    }

    pub(crate) fn entity_path(&self, entity: usize) -> String {
        self.site.entity_path(entity)
    }

    /// The site, for helpers that read only what a scoped update never
    /// changes: settings, URLs, assets and entities' identities
    /// (`context.rs`). Anything else goes through the methods below.
    pub(crate) fn fixed(&self) -> &'a Site {
        self.site
    }

    // Articles.

    /// Everything about article `i`.
    pub(crate) fn article(&self, i: usize) -> (&'a Article, &'a Body) {
        self.note(Fact::Article(self.site.ids[i]));
        (&self.site.articles[i], &self.site.bodies[i])
    }

    /// The entities article `i` is tagged with, grouped by kind, as its card shows them.
    pub(crate) fn article_tags(&self, i: usize) -> Vec<super::context::TagGroup<'a>> {
        self.note(Fact::Card(self.site.ids[i]));
        super::context::article_tags(self.site, i)
    }

    /// The entities article `i` is tagged with, in kind and id order.
    pub(crate) fn tagged(&self, i: usize) -> Vec<usize> {
        self.note(Fact::Card(self.site.ids[i]));
        self.site.graph.article_entities[i]
            .iter()
            .filter(|(_, relation)| *relation == Relation::Tagged)
            .map(|&(e, _)| e)
            .collect()
    }

    /// The entities article `i` relates to, in kind and id order: those it
    /// is tagged with, and those it only mentions (its body says which).
    pub(crate) fn related_entities(&self, i: usize) -> (Vec<usize>, Vec<usize>) {
        self.note(Fact::Card(self.site.ids[i]));
        self.note(Fact::Article(self.site.ids[i]));
        let entities = &self.site.graph.article_entities[i];
        let with = |wanted: Relation| {
            entities
                .iter()
                .filter(|(_, relation)| *relation == wanted)
                .map(|&(e, _)| e)
                .collect()
        };
        (with(Relation::Tagged), with(Relation::Mentioned))
    }

    /// Article `i`'s authors, as `author:` lists them (entity indexes).
    pub(crate) fn authors(&self, i: usize) -> Vec<usize> {
        self.note(Fact::Card(self.site.ids[i]));
        self.site.authors(i)
    }

    /// Article `i`'s summary, as its card shows it.
    pub(crate) fn summary(&self, i: usize) -> &'a str {
        self.note(Fact::Card(self.site.ids[i]));
        &self.site.bodies[i].summary
    }

    /// Article `i`'s card.
    pub(crate) fn card(&self, i: usize) -> Value {
        self.note(Fact::Card(self.site.ids[i]));
        self.cards.card(self.site, i)
    }

    /// Article `i`'s card, marked with how it relates to an entity.
    pub(crate) fn card_with(&self, i: usize, relation: Relation) -> Value {
        self.note(Fact::Card(self.site.ids[i]));
        self.cards.card_with(self.site, i, relation)
    }

    /// Article `i`'s card as a list shows it, laid out once for every
    /// page with `layout` ([`Cards::laid_out`]).
    pub(crate) fn card_in(&self, i: usize, layout: Layout) -> Value {
        match self.templates {
            Some(templates) => {
                self.note(Fact::Card(self.site.ids[i]));
                self.cards_laid_out.set(true);
                self.cards.laid_out(self.site, templates, i, layout)
            }
            None => match layout.relation {
                Some(relation) => self.card_with(i, relation),
                None => self.card(i),
            },
        }
    }

    /// Article `i`'s line in the archive, with its month's id and label.
    pub(crate) fn archive_row(&self, i: usize) -> (String, String, Value) {
        self.note(Fact::Listing(self.site.ids[i]));
        self.cards.archive_row(self.site, i)
    }

    /// What lists of every article show of article `i`.
    pub(crate) fn listing(&self, i: usize) -> &'a Article {
        self.note(Fact::Listing(self.site.ids[i]));
        &self.site.articles[i]
    }

    /// How many articles there are.
    pub(crate) fn article_count(&self) -> usize {
        self.note(Fact::ArticleCount);
        self.site.articles.len()
    }

    /// The places `from..to` of the date order that hold an article.
    pub(crate) fn slice(&self, from: usize, to: usize) -> Range<usize> {
        self.note(Fact::Slice(from, to));
        let to = to.min(self.site.articles.len());
        from.min(to)..to
    }

    /// Article `i`'s related articles, best first.
    pub(crate) fn related(&self, i: usize) -> &'a [usize] {
        self.note(Fact::Related(self.site.ids[i]));
        &self.site.graph.related[i]
    }

    /// The articles just older and just newer than article `i`.
    pub(crate) fn neighbours(&self, i: usize) -> (Option<usize>, Option<usize>) {
        self.note(Fact::Neighbours(self.site.ids[i]));
        let older = (i + 1 < self.site.articles.len()).then_some(i + 1);
        (older, i.checked_sub(1))
    }

    /// The newest `updated` or `date` of the site.
    pub(crate) fn newest_change(&self) -> Option<time::OffsetDateTime> {
        self.note(Fact::NewestChange);
        self.site.newest_change()
    }

    /// Where a page with old addresses is now, and its title.
    pub(crate) fn redirected(&self, target: Target) -> Option<Redirected<'a>> {
        self.note(Fact::Redirects(target));
        let site = self.site;
        Some(match target {
            Target::Article(id) => {
                let a = &site.articles[site.position(id)?];
                Redirected {
                    path: crate::urls::article(&a.slug),
                    title: &a.title,
                }
            }
            Target::Entity(e) => Redirected {
                path: site.entity_path(e),
                title: &site.entities[e].name,
            },
        })
    }

    // Coverage.

    pub(crate) fn span(&self) -> Option<((i32, u8), (i32, u8))> {
        self.note(Fact::Span);
        coverage::site_span(self.site)
    }

    pub(crate) fn recent(&self) -> Vec<(usize, usize)> {
        self.note(Fact::Recent);
        coverage::recent_top(self.site, 0)
    }

    /// The articles of the news sitemap, newest first.
    pub(crate) fn news_window(&self) -> Vec<usize> {
        self.note(Fact::NewsWindow);
        coverage::news_window(self.site)
    }

    pub(crate) fn top_entities(&self) -> Vec<(usize, usize)> {
        self.note(Fact::Top);
        coverage::top_entities(self.site)
    }

    pub(crate) fn tagging_kinds(&self) -> std::collections::BTreeSet<usize> {
        self.note(Fact::TaggingKinds);
        coverage::tagging_kinds(self.site)
    }

    // Editions.

    /// Every week with articles, newest first, with how many each has
    /// (which articles a page takes from one goes through [`Reader::edition`]).
    pub(crate) fn editions(&self) -> &'a [Edition] {
        self.note(Fact::Editions);
        &self.site.editions
    }

    /// The articles of `week`, newest first; `None` when it has none.
    pub(crate) fn edition(&self, week: Week) -> Option<&'a [usize]> {
        self.note(Fact::Edition(week));
        self.site.edition(week).map(|e| e.articles.as_slice())
    }

    /// The weeks of the editions just older and just newer than `week`'s.
    pub(crate) fn edition_neighbours(&self, week: Week) -> (Option<Week>, Option<Week>) {
        self.note(Fact::EditionNeighbours(week));
        self.site.edition_neighbours(week)
    }

    /// The entities `week` covered most, with their change.
    pub(crate) fn most_covered(&self, week: Week) -> Vec<Covered> {
        self.note(Fact::EditionTop(week));
        self.site.most_covered(week)
    }

    // Entities.

    /// An entity with its profile text.
    pub(crate) fn profile(&self, entity: usize) -> (&'a Entity, &'a str) {
        self.note(Fact::Profile(entity));
        (&self.site.entities[entity], &self.site.profiles[entity])
    }

    /// Where else an entity is known: its `website`, then its `same_as:` list.
    pub(crate) fn same_as(&self, entity: usize) -> Vec<String> {
        self.note(Fact::SameAs(entity));
        let e = &self.site.entities[entity];
        e.website.iter().chain(&e.same_as).cloned().collect()
    }

    /// Places `from..to` of them (clamped): one page of the list.
    pub(crate) fn members_slice(
        &self,
        entity: usize,
        from: usize,
        to: usize,
    ) -> &'a [(usize, Relation)] {
        self.note(Fact::MembersSlice(entity, from, to));
        let list = &self.site.graph.entity_articles[entity];
        let to = to.min(list.len());
        &list[from.min(to)..to]
    }

    /// The newest `n` of them.
    pub(crate) fn members_head(&self, entity: usize, n: usize) -> &'a [(usize, Relation)] {
        self.note(Fact::MembersHead(entity, n));
        let list = &self.site.graph.entity_articles[entity];
        &list[..n.min(list.len())]
    }

    /// (articles, tagged, mentioned only).
    pub(crate) fn counts(&self, entity: usize) -> (usize, usize, usize) {
        self.note(Fact::Counts(entity));
        coverage::counts(self.site, entity)
    }

    pub(crate) fn coverage(&self, entity: usize) -> Vec<MonthCount> {
        self.note(Fact::Coverage(entity));
        coverage::monthly_counts(self.site, entity)
    }

    pub(crate) fn lastmod(&self, entity: usize) -> Option<time::OffsetDateTime> {
        self.note(Fact::Lastmod(entity));
        self.site.lastmod(entity)
    }

    pub(crate) fn cooccurring(&self, entity: usize) -> Vec<(usize, usize)> {
        self.note(Fact::Cooccurring(entity));
        self.site.graph.cooccurring(entity)
    }
}

/// What names an entity; fixed between full rebuilds.
#[derive(Clone, Copy)]
pub(crate) struct Identity<'a> {
    pub kind: usize,
    pub id: &'a str,
    pub name: &'a str,
}

/// Where a page that readers may reach at old addresses is now.
pub(crate) struct Redirected<'a> {
    /// Site-relative.
    pub path: String,
    pub title: &'a str,
}
