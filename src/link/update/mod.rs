//! Scoped re-linking for `briefing serve`: applies a few changed files to a
//! linked [`Site`] and says whose data may have changed ([`SiteChange`]);
//! which pages that reaches follows from the facts they read
//! (`link/facts.rs`). The batch is sorted and checked in `batch.rs`; link
//! maps are changed with an undo log (`undo.rs`).
//!
//! The update either succeeds completely or leaves the site untouched. When a
//! change reaches further than a scoped update can follow (a new unknown id,
//! a renamed entity, new aliases), it answers [`Refused::Rebuild`] and the
//! caller rebuilds everything; the result is always what a clean build gives.

use std::collections::{BTreeSet, HashSet};

use rayon::prelude::*;

mod batch;
mod undo;

use batch::Batch;
use undo::{MapName, Undo};

use super::change::SiteChange;
use super::graph::{entities_of, invert, Graph, Relation};
use super::related::carry_over;
use super::{links, render_article, render_profile, Body, Site};
use crate::diagnostic::Diagnostic;
use crate::model::{Article, Entity, HeldBack};
use crate::urls;

/// One changed article file.
#[derive(Debug)]
pub enum Edit {
    /// A new or edited article, as loaded.
    Upsert(Box<Article>),
    /// The article at this path under `content/` is gone.
    Remove(String),
    /// The article at this path is now left out (a draft, or embargoed).
    Hold(String, HeldBack),
}

/// Why an update was not applied. The site is unchanged either way.
#[derive(Debug)]
pub enum Refused {
    /// The change has errors.
    Errors(Vec<Diagnostic>),
    /// The change reaches too far for a scoped update; rebuild everything.
    Rebuild(String),
}

impl Site {
    /// Applies changed article files.
    pub fn update_articles(&mut self, edits: Vec<Edit>) -> Result<SiteChange, Refused> {
        let batch = self.batch(edits);
        self.refuse_ids_without_profiles(&batch)?;
        let problems = self.slug_collisions(&batch);
        if !problems.is_empty() {
            return Err(Refused::Errors(problems));
        }
        let Batch {
            replaced,
            incoming,
            holding,
            paths: batch_paths,
        } = batch;

        let Relinked {
            relinked,
            fresh,
            again,
        } = self.relink(&replaced, &incoming)?;

        // Nothing can fail from here on: commit.
        for path in &batch_paths {
            self.held_back.remove(path);
        }
        self.held_back.extend(holding);
        let old_count = self.articles.len();
        let mut change = SiteChange::default();
        let mut old_graph = std::mem::take(&mut self.graph);
        let relinked_set: HashSet<usize> = relinked.iter().copied().collect();
        // Old indexes of articles that change or go.
        let mut old_changed: BTreeSet<usize> = replaced.clone();
        old_changed.extend(&relinked);
        // Entities whose article lists may change: those of the changed
        // articles, before and after.
        let mut entities: BTreeSet<usize> = old_changed
            .iter()
            .flat_map(|&i| old_graph.article_entities[i].iter().map(|&(e, _)| e))
            .collect();
        for &i in &old_changed {
            change.touch(&self.articles[i].content_path);
        }
        for article in &incoming {
            change.touch(&article.content_path);
        }
        // New indexes of the articles that changed or are new.
        let mut changed: BTreeSet<usize> = BTreeSet::new();

        // The new order: kept articles (some with new bodies) and incoming
        // ones, planned by index first, so that the common save (an article
        // edited where it stands) replaces it in place instead of moving
        // every article and body of the site.
        let plan = order(&self.articles, &replaced, &relinked_set, &incoming);
        let mut old_to_new: Vec<Option<usize>> = vec![None; old_count];
        let mut kept_from: Vec<Option<usize>> = Vec::with_capacity(plan.len());
        for (j, slot) in plan.iter().enumerate() {
            match *slot {
                Slot::Kept(old) => {
                    old_to_new[old] = Some(j);
                    kept_from.push(Some(old));
                }
                Slot::Relinked(_) | Slot::New(_) => {
                    changed.insert(j);
                    kept_from.push(None);
                }
            }
        }
        let in_place = plan.len() == old_count
            && plan.iter().enumerate().all(|(j, slot)| match *slot {
                Slot::Kept(old) | Slot::Relinked(old) => old == j,
                Slot::New(_) => replaced.contains(&j),
            });
        let mut again = again.into_iter();
        let mut arriving: Vec<Option<(Article, Body)>> =
            incoming.into_iter().zip(fresh).map(Some).collect();
        if in_place {
            for (j, slot) in plan.iter().enumerate() {
                match *slot {
                    Slot::Kept(_) => {}
                    Slot::Relinked(_) => {
                        if let Some(body) = again.next() {
                            self.bodies[j] = body;
                        }
                    }
                    Slot::New(k) => {
                        if let Some((article, body)) = arriving[k].take() {
                            self.articles[j] = article;
                            self.bodies[j] = body;
                        }
                    }
                }
            }
        } else {
            let articles = std::mem::take(&mut self.articles);
            let bodies = std::mem::take(&mut self.bodies);
            let mut old: Vec<Option<(Article, Body)>> =
                articles.into_iter().zip(bodies).map(Some).collect();
            self.articles.reserve(plan.len());
            self.bodies.reserve(plan.len());
            for slot in &plan {
                let row = match *slot {
                    Slot::Kept(i) => old[i].take(),
                    Slot::Relinked(i) => old[i]
                        .take()
                        .map(|(article, body)| (article, again.next().unwrap_or(body))),
                    Slot::New(k) => arriving[k].take(),
                };
                if let Some((article, body)) = row {
                    self.articles.push(article);
                    self.bodies.push(body);
                }
            }
        }

        // Entity lists: recomputed for changed articles, moved over for the rest.
        let article_entities: Vec<Vec<(usize, Relation)>> = (0..self.articles.len())
            .map(|i| match kept_from[i] {
                Some(old) => std::mem::take(&mut old_graph.article_entities[old]),
                None => entities_of(&self.named(&self.articles[i]), &self.bodies[i].mentions),
            })
            .collect();
        let entity_articles = invert(self.entities.len(), &article_entities);
        entities.extend(
            changed
                .iter()
                .flat_map(|&i| article_entities[i].iter().map(|&(e, _)| e)),
        );

        let carried = carry_over(
            &old_graph,
            &article_entities,
            &entity_articles,
            &kept_from,
            &old_to_new,
            &entities,
            &changed,
        );
        self.graph =
            Graph::with_related(article_entities, entity_articles, carried, old_graph.window);

        self.reindex();
        Ok(change)
    }

    /// Points the link maps at the batch's articles (in place: undone if
    /// this fails), then renders the incoming articles' bodies and those of
    /// the kept articles whose links point at a page that moved.
    fn relink(
        &mut self,
        replaced: &BTreeSet<usize>,
        incoming: &[Article],
    ) -> Result<Relinked, Refused> {
        // The link maps as they will be (changed in place, undone if refused),
        // and the link keys whose target moved.
        let mut undo = Undo::default();
        let mut moved: HashSet<String> = HashSet::new();
        for &i in replaced {
            let old = &self.articles[i];
            undo.set(&mut self.index, MapName::Pages, &old.content_path, None);
            undo.set(&mut self.index, MapName::Slugs, &old.slug, None);
            let same = incoming
                .iter()
                .any(|a| a.content_path == old.content_path && a.slug == old.slug);
            if !same {
                moved.insert(old.content_path.clone());
                moved.insert(format!("articles/{}.md", old.slug));
            }
        }
        for article in incoming {
            let url = self.urls.url(&urls::article(&article.slug));
            undo.set(
                &mut self.index,
                MapName::Pages,
                &article.content_path,
                Some(url.clone()),
            );
            undo.set(&mut self.index, MapName::Slugs, &article.slug, Some(url));
            let same = replaced.iter().any(|&i| {
                self.articles[i].content_path == article.content_path
                    && self.articles[i].slug == article.slug
            });
            if !same {
                moved.insert(article.content_path.clone());
                moved.insert(format!("articles/{}.md", article.slug));
            }
        }

        // A profile that links to a moved page: rare enough to rebuild for.
        if self
            .profile_targets
            .iter()
            .flatten()
            .any(|t| moved.contains(t))
        {
            undo.apply(&mut self.index);
            return Err(Refused::Rebuild(
                "a profile links to a page that moved".into(),
            ));
        }

        // Render the new articles, and the kept ones whose links point at a moved page.
        let relinked: Vec<usize> = (0..self.articles.len())
            .filter(|i| !replaced.contains(i))
            .filter(|&i| self.bodies[i].targets.iter().any(|t| moved.contains(t)))
            .collect();
        let links = links(
            &self.config,
            &self.index,
            &self.index.pages,
            &self.index.article_slugs,
        );
        let fresh: Vec<(Body, Vec<Diagnostic>)> = incoming
            .par_iter()
            .map(|a| render_article(a, &links))
            .collect();
        let again: Vec<(Body, Vec<Diagnostic>)> = relinked
            .par_iter()
            .map(|&i| render_article(&self.articles[i], &links))
            .collect();
        let problems: Vec<Diagnostic> = fresh
            .iter()
            .chain(&again)
            .flat_map(|(_, p)| p.iter().cloned())
            .collect();
        if !problems.is_empty() {
            undo.apply(&mut self.index);
            return Err(Refused::Errors(problems));
        }
        let bodies =
            |rendered: Vec<(Body, Vec<Diagnostic>)>| rendered.into_iter().map(|(b, _)| b).collect();
        Ok(Relinked {
            relinked,
            fresh: bodies(fresh),
            again: bodies(again),
        })
    }

    /// When the site last changed: the newest `updated` or `date`.
    pub fn newest_change(&self) -> Option<time::OffsetDateTime> {
        self.articles.iter().map(Article::last_modified).max()
    }

    /// Applies an edited entity profile whose names are unchanged.
    pub fn update_entity(&mut self, entity: Entity) -> Result<SiteChange, Refused> {
        let key = (entity.kind, entity.id.clone());
        let Some(&index) = self.index.entity_ids.get(&key) else {
            return Err(Refused::Rebuild(format!("new entity `{}`", entity.id)));
        };
        let old = &self.entities[index];
        // `Meta.md` beside `meta.md` is a collision a full build reports.
        if old.file.is_none()
            || old.content_path != entity.content_path
            || old.name != entity.name
            || old.aliases != entity.aliases
        {
            return Err(Refused::Rebuild(format!(
                "names of `{}` changed",
                entity.id
            )));
        }
        let links = links(
            &self.config,
            &self.index,
            &self.index.pages,
            &self.index.article_slugs,
        );
        let (profile, problems) = render_profile(index, &entity, &links);
        if !problems.is_empty() {
            return Err(Refused::Errors(problems));
        }
        self.entities[index] = entity;
        self.profiles[index] = profile.html;
        self.profile_targets[index] = profile.targets;
        self.profile_pictures[index] = profile.pictures;
        self.portraits[index] = profile.picture;
        let mut change = SiteChange::default();
        change.profiles.insert(index);
        Ok(change)
    }
}

/// What [`Site::relink`] made.
struct Relinked {
    /// Kept articles (old indexes) whose links point at a page that moved.
    relinked: Vec<usize>,
    /// The bodies of the incoming articles, in their order.
    fresh: Vec<Body>,
    /// The new bodies of `relinked`, in its order.
    again: Vec<Body>,
}

/// Where an article of the updated site comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// The old article at this index, as it was.
    Kept(usize),
    /// The old article at this index, with its body rendered again.
    Relinked(usize),
    /// The batch's incoming article at this index.
    New(usize),
}

/// The updated site's order: the old articles that stay, still in order,
/// merged with the incoming ones, newest first.
fn order(
    articles: &[Article],
    replaced: &BTreeSet<usize>,
    relinked: &HashSet<usize>,
    incoming: &[Article],
) -> Vec<Slot> {
    let mut arriving: Vec<usize> = (0..incoming.len()).collect();
    arriving.sort_by(|&a, &b| Article::newest_first(&incoming[a], &incoming[b]));
    let mut arriving = arriving.into_iter().peekable();
    let mut plan = Vec::with_capacity(articles.len() + incoming.len());
    for (i, article) in articles.iter().enumerate() {
        if replaced.contains(&i) {
            continue;
        }
        while let Some(&k) = arriving.peek() {
            if Article::newest_first(&incoming[k], article).is_ge() {
                break;
            }
            plan.push(Slot::New(k));
            arriving.next();
        }
        plan.push(match relinked.contains(&i) {
            true => Slot::Relinked(i),
            false => Slot::Kept(i),
        });
    }
    plan.extend(arriving.map(Slot::New));
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(days: &[(&str, i64)]) -> Vec<Article> {
        let day = time::macros::datetime!(2024-07-23 0:00 UTC);
        days.iter()
            .map(|&(slug, d)| Article::dated(slug, day + time::Duration::days(d)))
            .collect()
    }

    #[test]
    fn an_article_saved_where_it_stands_keeps_every_index() {
        let old = site(&[("c", 3), ("b", 2), ("a", 1)]);
        let incoming = site(&[("b", 2)]);
        let relinked = HashSet::from([2]);
        let plan = order(&old, &BTreeSet::from([1]), &relinked, &incoming);
        assert_eq!(plan, [Slot::Kept(0), Slot::New(0), Slot::Relinked(2)]);
    }

    #[test]
    fn redated_and_new_articles_move_to_their_dates() {
        let old = site(&[("c", 3), ("b", 2), ("a", 1)]);
        let incoming = site(&[("z", 0), ("c", 1), ("d", 9)]);
        let plan = order(&old, &BTreeSet::from([0]), &HashSet::new(), &incoming);
        // d (day 9), b (2), then a and c on day 1 by slug, then z (0).
        assert_eq!(
            plan,
            [
                Slot::New(2),
                Slot::Kept(1),
                Slot::Kept(2),
                Slot::New(1),
                Slot::New(0)
            ]
        );
    }
}
