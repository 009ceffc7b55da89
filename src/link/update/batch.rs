//! A batch of edits, sorted and checked before anything changes: which
//! articles it replaces, brings and holds back, and whether it can be
//! applied in scope at all (ids without profiles, slugs taken).

use std::collections::{BTreeSet, HashSet};

use super::{Edit, Refused};
use crate::config::AUTHORS;
use crate::diagnostic::Diagnostic;
use crate::link::{author_name, Site};
use crate::model::{Article, HeldBack};

/// A batch of edits, sorted by [`Site::batch`].
#[derive(Default)]
pub(super) struct Batch {
    /// Indexes of the articles that the batch replaces or removes.
    pub replaced: BTreeSet<usize>,
    pub incoming: Vec<Article>,
    pub holding: Vec<(String, HeldBack)>,
    /// Every path the batch speaks for; held-back entries for them are replaced.
    pub paths: HashSet<String>,
}

impl Site {
    /// Sorts a batch's edits: the articles they replace or remove, the
    /// articles they bring, the ones they hold back. A later edit of the same
    /// file wins.
    pub(super) fn batch(&self, edits: Vec<Edit>) -> Batch {
        // A linear scan per edit is cheaper than hashing every path.
        let position = |path: &str| self.articles.iter().position(|a| a.content_path == path);
        let mut batch = Batch::default();
        for edit in edits {
            let path = match &edit {
                Edit::Upsert(article) => article.content_path.clone(),
                Edit::Remove(path) | Edit::Hold(path, _) => path.clone(),
            };
            batch.paths.insert(path.clone());
            batch.replaced.extend(position(&path));
            batch.incoming.retain(|a| a.content_path != path);
            batch.holding.retain(|(p, _)| *p != path);
            match edit {
                Edit::Upsert(article) => batch.incoming.push(*article),
                Edit::Hold(path, held) => batch.holding.push((path, held)),
                Edit::Remove(_) => {}
            }
        }
        batch
    }

    /// Ids without a profile make (or drop) pages of their own, with a
    /// warning a scoped update cannot give: rebuild. An author without a
    /// profile has no warning; only its page coming or going, or its name
    /// changing, takes a rebuild.
    pub(super) fn refuse_ids_without_profiles(&self, batch: &Batch) -> Result<(), Refused> {
        let has_profile = |kind: usize, id: &str| {
            self.index
                .entity_ids
                .get(&(kind, id.to_string()))
                .is_some_and(|&e| self.entities[e].file.is_some())
        };
        let touched = batch
            .replaced
            .iter()
            .map(|&i| &self.articles[i])
            .chain(&batch.incoming);
        let mut authors_kept: HashSet<&str> = HashSet::new();
        for article in touched {
            for (kind, list) in article.tags.iter().enumerate() {
                for id in &list.ids {
                    if has_profile(kind, id) || authors_kept.contains(id.as_str()) {
                        continue;
                    }
                    if kind == AUTHORS && self.author_stays(batch, id) {
                        authors_kept.insert(id);
                        continue;
                    }
                    return Err(Refused::Rebuild(format!(
                        "{} names `{id}`, which has no profile",
                        article.file.display()
                    )));
                }
            }
        }
        Ok(())
    }

    /// Whether the author `id`, who has no profile, has a page before the
    /// batch and after it, under the same name.
    fn author_stays(&self, batch: &Batch, id: &str) -> bool {
        let Some(&e) = self.index.entity_ids.get(&(AUTHORS, id.to_string())) else {
            return false;
        };
        let kept = self
            .articles
            .iter()
            .enumerate()
            .filter(|(i, _)| !batch.replaced.contains(i))
            .map(|(_, a)| a);
        let name = kept
            .chain(&batch.incoming)
            .filter_map(|a| {
                let n = a.tags.get(AUTHORS)?.ids.iter().position(|i| i == id)?;
                a.authors.get(n).map(String::as_str)
            })
            .reduce(author_name);
        name == Some(self.entities[e].name.as_str())
    }

    /// Slugs stay unique, drafts and embargoed articles included: a problem
    /// for each arriving article whose slug is taken.
    pub(super) fn slug_collisions(&self, batch: &Batch) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let arriving: Vec<(&str, &std::path::Path)> = batch
            .incoming
            .iter()
            .map(|a| (a.slug.as_str(), a.file.as_path()))
            .chain(
                batch
                    .holding
                    .iter()
                    .map(|(_, h)| (h.slug.as_str(), h.file.as_path())),
            )
            .collect();
        for (n, &(slug, file)) in arriving.iter().enumerate() {
            let kept = self
                .articles
                .iter()
                .enumerate()
                .find(|(i, a)| a.slug == slug && !batch.replaced.contains(i))
                .map(|(_, a)| a.file.clone());
            let held = || {
                self.held_back
                    .iter()
                    .find(|(path, h)| h.slug == slug && !batch.paths.contains(*path))
                    .map(|(_, h)| h.file.clone())
            };
            let earlier = || {
                arriving[..n]
                    .iter()
                    .find(|(s, _)| *s == slug)
                    .map(|(_, f)| f.to_path_buf())
            };
            if let Some(first) = kept.or_else(held).or_else(earlier) {
                problems.push(Diagnostic::error(
                    file,
                    format!(
                        "slug `{slug}` is already used by {}: set a different `slug:`",
                        first.display()
                    ),
                ));
            }
        }
        problems
    }
}
