//! Scope: which pages read which facts, and what each fact was when they
//! read it. After a change, the facts whose fingerprints moved give the
//! pages to render again; nothing here knows what any page shows.
//!
//! Only the facts of the articles and entities that a change names are
//! fingerprinted again, plus every fact about the order and the graph
//! (related lists, neighbours, entity lists, site-wide counts), which are
//! small. The facts derived from an entity's article list (its counts,
//! coverage, newest change, and the pages of it that pages show) are looked
//! at only when that list moved, and co-occurrences only when some list
//! moved.

use std::collections::BTreeSet;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::link::change::SiteChange;
use crate::link::facts::Fact;
use crate::link::Site;
use crate::render::{self, Page, Reads, Templates};

#[derive(Default)]
pub(crate) struct Scope {
    facts: FxHashMap<Fact, Known>,
    pages: FxHashMap<Page, Recorded>,
    /// The page that writes each file.
    owners: FxHashMap<String, Page>,
    /// Each entity's article list ([`Fact::Members`]) as the pages were
    /// rendered against: whether pages read the whole list or not, the
    /// facts derived from it are looked at again only when it moved.
    lists: Vec<u64>,
}

struct Known {
    fingerprint: u64,
    readers: FxHashSet<Page>,
}

struct Recorded {
    file: String,
    reads: Reads,
}

/// What a change asks for: pages to render, and pages that are gone.
pub(crate) struct Stale {
    pub render: Vec<Page>,
    pub gone: Vec<Page>,
}

impl Scope {
    /// Notes pages as rendered against `site`: the file each wrote and the
    /// facts each read. Returns the files that pages wrote before and no
    /// page writes now (an article whose slug changed), to remove.
    pub(crate) fn record(
        &mut self,
        site: &Site,
        rendered: impl IntoIterator<Item = (Page, String, Reads)>,
    ) -> Vec<String> {
        let rendered: Vec<(Page, String, Reads)> = rendered.into_iter().collect();
        if self.lists.len() != site.entities.len() {
            self.lists = list_prints(site);
        }
        let mut vacated = Vec::new();
        for (page, _, _) in &rendered {
            vacated.extend(self.forget(*page));
        }
        // Fingerprint the facts met for the first time, in parallel: a full
        // build meets every one.
        let new: Vec<Fact> = rendered
            .iter()
            .flat_map(|(_, _, reads)| &reads.facts)
            .filter(|f| !self.facts.contains_key(f))
            .copied()
            .collect::<FxHashSet<Fact>>()
            .into_iter()
            .collect();
        let prints: Vec<u64> = new.par_iter().map(|&f| site.fingerprint(f)).collect();
        for (fact, fingerprint) in new.into_iter().zip(prints) {
            self.facts.insert(
                fact,
                Known {
                    fingerprint,
                    readers: FxHashSet::default(),
                },
            );
        }
        for (page, file, reads) in rendered {
            for fact in &reads.facts {
                if let Some(known) = self.facts.get_mut(fact) {
                    known.readers.insert(page);
                }
            }
            self.owners.insert(file.clone(), page);
            self.pages.insert(page, Recorded { file, reads });
        }
        vacated.retain(|file| !self.owners.contains_key(file));
        vacated
    }

    /// Drops what a page read; returns the file it wrote, if it still owns it.
    fn forget(&mut self, page: Page) -> Option<String> {
        let recorded = self.pages.remove(&page)?;
        for fact in &recorded.reads.facts {
            if let Some(known) = self.facts.get_mut(fact) {
                known.readers.remove(&page);
                if known.readers.is_empty() {
                    self.facts.remove(fact);
                }
            }
        }
        if self.owners.get(&recorded.file) == Some(&page) {
            self.owners.remove(&recorded.file);
            return Some(recorded.file);
        }
        None
    }

    /// Forgets pages that are gone; returns the files to remove.
    pub(crate) fn drop_pages(&mut self, gone: &[Page]) -> Vec<String> {
        gone.iter().filter_map(|&page| self.forget(page)).collect()
    }

    /// The pages that `change` makes stale on `site` (which has the change
    /// applied): those that read a fact that is now different, and those
    /// that are new. Facts that changed take their new fingerprints.
    pub(crate) fn stale(&mut self, site: &Site, change: &SiteChange) -> Stale {
        // Each entity's article list as it is now, fingerprinted once.
        let lists = list_prints(site);
        let moved_lists: FxHashSet<usize> = (0..site.entities.len())
            .filter(|&e| self.lists.get(e).is_none_or(|&print| print != lists[e]))
            .collect();
        let needs_look = |fact: &Fact| {
            if let Some(article) = fact.article() {
                return change.articles.contains(&article);
            }
            if let Some(e) = fact.profile() {
                return change.profiles.contains(&e);
            }
            if let Some(e) = fact.derived_from_members() {
                return moved_lists.contains(&e);
            }
            if let Fact::Cooccurring(_) = fact {
                // Also moves when another article of the entity gains or
                // loses some other entity, which moves that one's list.
                return !moved_lists.is_empty();
            }
            true
        };
        let changed: Vec<(Fact, u64)> = self
            .facts
            .par_iter()
            .filter(|(fact, _)| needs_look(fact))
            .filter_map(|(&fact, known)| {
                let now = match fact {
                    Fact::Members(e) => lists[e],
                    _ => site.fingerprint(fact),
                };
                (now != known.fingerprint).then_some((fact, now))
            })
            .collect();
        let mut render: FxHashSet<Page> = FxHashSet::default();
        for (fact, now) in changed {
            if let Some(known) = self.facts.get_mut(&fact) {
                known.fingerprint = now;
                render.extend(known.readers.iter().copied());
            }
        }
        let all: FxHashSet<Page> = render::pages(site).into_iter().collect();
        render.extend(all.iter().filter(|p| !self.pages.contains_key(p)));
        render.retain(|p| all.contains(p));
        let gone: Vec<Page> = self
            .pages
            .keys()
            .filter(|p| !all.contains(p))
            .copied()
            .collect();
        let mut render: Vec<Page> = render.into_iter().collect();
        render.sort_unstable();
        self.lists = lists;
        Stale { render, gone }
    }

    /// The pages that a change to the templates `names` reaches, by the
    /// templates before the change or after it (an edit may add a use or
    /// take one away).
    pub(crate) fn laid_out_by(
        &self,
        before: &Templates,
        after: &Templates,
        names: &BTreeSet<String>,
    ) -> Vec<Page> {
        // Pages are laid out by a handful of templates: decide each once.
        let mut decided: FxHashMap<(&str, bool), bool> = FxHashMap::default();
        let mut pages: Vec<Page> = self
            .pages
            .iter()
            .filter(|(_, recorded)| {
                let reads = &recorded.reads;
                *decided
                    .entry((reads.template, reads.cards))
                    .or_insert_with(|| reads.reaches(before, names) || reads.reaches(after, names))
            })
            .map(|(&page, _)| page)
            .collect();
        pages.sort_unstable();
        pages
    }

    /// How many pages are recorded.
    pub(crate) fn len(&self) -> usize {
        self.pages.len()
    }

    /// Every file a page writes.
    pub(crate) fn files(&self) -> impl Iterator<Item = &str> {
        self.owners.keys().map(String::as_str)
    }
}

/// The fingerprint of each entity's article list.
fn list_prints(site: &Site) -> Vec<u64> {
    (0..site.entities.len())
        .into_par_iter()
        .map(|e| site.fingerprint(Fact::Members(e)))
        .collect()
}
