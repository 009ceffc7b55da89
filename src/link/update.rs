//! Scoped re-linking for `briefing serve`: applies a few changed files to a
//! linked [`Site`] and says exactly what changed, so the render stage can
//! re-render only the pages that show it.
//!
//! The update either succeeds completely or leaves the site untouched. When a
//! change reaches further than a scoped update can follow (a new unknown id,
//! a renamed entity, new aliases), it answers [`Refused::Rebuild`] and the
//! caller rebuilds everything; the result is always what a clean build gives.

use std::collections::{BTreeSet, HashMap, HashSet};

use rayon::prelude::*;

use super::graph::{entities_of, invert, Graph, Relation};
use super::{links, render_article, render_profile, Body, Site};
use crate::diagnostic::Diagnostic;
use crate::model::{Article, Entity};
use crate::urls;

/// One changed article file.
#[derive(Debug)]
pub enum Edit {
    /// A new or edited article, as loaded.
    Upsert(Box<Article>),
    /// The article at this path under `content/` is gone (or is now a draft).
    Remove(String),
}

/// Why an update was not applied. The site is unchanged either way.
#[derive(Debug)]
pub enum Refused {
    /// The change has errors.
    Errors(Vec<Diagnostic>),
    /// The change reaches too far for a scoped update; rebuild everything.
    Rebuild(String),
}

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
}

impl SiteChange {
    fn touch(&mut self, index: usize) {
        self.span = Some(match self.span {
            Some((lo, hi)) => (lo.min(index), hi.max(index)),
            None => (index, index),
        });
    }
}

impl Site {
    /// (articles, tagged articles) per entity, as entity pages count them.
    pub fn entity_counts(&self) -> Vec<(usize, usize)> {
        self.graph
            .entity_articles
            .iter()
            .map(|list| {
                let tagged = list.iter().filter(|(_, r)| *r == Relation::Tagged).count();
                (list.len(), tagged)
            })
            .collect()
    }

    /// Applies changed article files.
    pub fn update_articles(&mut self, edits: Vec<Edit>) -> Result<SiteChange, Refused> {
        let old_index: HashMap<&str, usize> = self
            .articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.content_path.as_str(), i))
            .collect();
        let mut replaced: BTreeSet<usize> = BTreeSet::new();
        let mut incoming: Vec<Article> = Vec::new();
        for edit in edits {
            match edit {
                Edit::Upsert(article) => {
                    if let Some(&i) = old_index.get(article.content_path.as_str()) {
                        replaced.insert(i);
                    }
                    incoming.retain(|a| a.content_path != article.content_path);
                    incoming.push(*article);
                }
                Edit::Remove(path) => {
                    if let Some(&i) = old_index.get(path.as_str()) {
                        replaced.insert(i);
                    }
                    incoming.retain(|a| a.content_path != path);
                }
            }
        }
        drop(old_index);

        // Ids without a profile make (or drop) pages of their own: rebuild.
        let has_profile = |kind: usize, id: &str| {
            self.index
                .entity_ids
                .get(&(kind, id.to_string()))
                .is_some_and(|&e| self.entities[e].file.is_some())
        };
        let touched = replaced.iter().map(|&i| &self.articles[i]).chain(&incoming);
        for article in touched {
            for (kind, list) in article.tags.iter().enumerate() {
                if let Some(id) = list.ids.iter().find(|id| !has_profile(kind, id)) {
                    return Err(Refused::Rebuild(format!(
                        "{} names `{id}`, which has no profile",
                        article.file.display()
                    )));
                }
            }
        }

        // Slugs stay unique.
        let mut slugs: HashMap<&str, &Article> = self
            .articles
            .iter()
            .enumerate()
            .filter(|(i, _)| !replaced.contains(i))
            .map(|(_, a)| (a.slug.as_str(), a))
            .collect();
        let mut problems = Vec::new();
        for article in &incoming {
            if let Some(first) = slugs.insert(&article.slug, article) {
                problems.push(Diagnostic::error(
                    &article.file,
                    format!(
                        "slug `{}` is already used by {}: set a different `slug:`",
                        article.slug,
                        first.file.display()
                    ),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(Refused::Errors(problems));
        }

        // The link maps as they will be, and the link keys whose target moved.
        let mut pages = self.index.pages.clone();
        let mut article_slugs = self.index.article_slugs.clone();
        let mut moved: HashSet<String> = HashSet::new();
        let before: HashMap<&str, &str> = replaced
            .iter()
            .map(|&i| {
                (
                    self.articles[i].content_path.as_str(),
                    self.articles[i].slug.as_str(),
                )
            })
            .collect();
        for &i in &replaced {
            let old = &self.articles[i];
            pages.remove(&old.content_path);
            article_slugs.remove(&old.slug);
            let same = incoming
                .iter()
                .any(|a| a.content_path == old.content_path && a.slug == old.slug);
            if !same {
                moved.insert(old.content_path.clone());
                moved.insert(format!("articles/{}.md", old.slug));
            }
        }
        for article in &incoming {
            let url = self.urls.url(&urls::article(&article.slug));
            pages.insert(article.content_path.clone(), url.clone());
            article_slugs.insert(article.slug.clone(), url);
            if before.get(article.content_path.as_str()) != Some(&article.slug.as_str()) {
                moved.insert(article.content_path.clone());
                moved.insert(format!("articles/{}.md", article.slug));
            }
        }
        drop(before);

        // Render the new articles, and the kept ones whose links point at a moved page.
        let relinked: Vec<usize> = (0..self.articles.len())
            .filter(|i| !replaced.contains(i))
            .filter(|&i| self.bodies[i].targets.iter().any(|t| moved.contains(t)))
            .collect();
        let links = links(&self.config, &self.index, &pages, &article_slugs);
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
            return Err(Refused::Errors(problems));
        }

        // Nothing can fail from here on: commit.
        let mut change = SiteChange {
            old_article_count: self.articles.len(),
            old_counts: self.entity_counts(),
            ..SiteChange::default()
        };
        // Old neighbours show a changed article's card as previous/next.
        let mut old_neighbours: HashSet<String> = HashSet::new();
        let mut old_entities: BTreeSet<usize> = BTreeSet::new();
        for &i in replaced.iter().chain(&relinked) {
            change.touch(i);
            old_entities.extend(self.graph.article_entities[i].iter().map(|&(e, _)| e));
            for neighbour in [i.wrapping_sub(1), i + 1] {
                if let Some(a) = self.articles.get(neighbour) {
                    old_neighbours.insert(a.content_path.clone());
                }
            }
        }
        for &i in &replaced {
            let old = &self.articles[i];
            if !incoming.iter().any(|a| a.slug == old.slug) {
                change.removed_paths.push(urls::article(&old.slug));
            }
        }
        let old_related: Vec<Vec<String>> = self
            .graph
            .related
            .iter()
            .map(|r| {
                r.iter()
                    .map(|&a| self.articles[a].content_path.clone())
                    .collect()
            })
            .collect();
        let old_paths: Vec<String> = self
            .articles
            .iter()
            .map(|a| a.content_path.clone())
            .collect();
        let old_entity_articles: Vec<Vec<String>> = old_entities
            .iter()
            .map(|&e| {
                self.graph.entity_articles[e]
                    .iter()
                    .map(|&(a, _)| old_paths[a].clone())
                    .collect()
            })
            .collect();

        let mut again = again.into_iter();
        let mut pairs: Vec<(Article, Body, bool)> =
            Vec::with_capacity(self.articles.len() + incoming.len());
        let articles = std::mem::take(&mut self.articles);
        let bodies = std::mem::take(&mut self.bodies);
        let relinked_set: HashSet<usize> = relinked.iter().copied().collect();
        for (i, (article, body)) in articles.into_iter().zip(bodies).enumerate() {
            if replaced.contains(&i) {
                continue;
            }
            if relinked_set.contains(&i) {
                if let Some((body, _)) = again.next() {
                    pairs.push((article, body, true));
                }
            } else {
                pairs.push((article, body, false));
            }
        }
        for (article, (body, _)) in incoming.into_iter().zip(fresh) {
            pairs.push((article, body, true));
        }
        pairs.sort_by(|a, b| {
            b.0.date
                .cmp(&a.0.date)
                .then_with(|| a.0.slug.cmp(&b.0.slug))
        });

        self.index.pages = pages;
        self.index.article_slugs = article_slugs;
        let mut new_index: HashMap<String, usize> = HashMap::with_capacity(pairs.len());
        for (i, (article, body, changed)) in pairs.into_iter().enumerate() {
            new_index.insert(article.content_path.clone(), i);
            if changed {
                change.articles.insert(i);
            }
            self.articles.push(article);
            self.bodies.push(body);
        }

        // The graph: entity lists for everyone, related lists only where they can move.
        let article_entities: Vec<Vec<(usize, Relation)>> = self
            .articles
            .iter()
            .zip(&self.bodies)
            .map(|(a, b)| entities_of(&self.tagged(a), &b.mentions))
            .collect();
        let entity_articles = invert(self.entities.len(), &article_entities);
        let changed: Vec<usize> = change.articles.iter().copied().collect();
        for i in changed {
            change.touch(i);
            change
                .entities
                .extend(article_entities[i].iter().map(|&(e, _)| e));
        }
        change.entities.extend(&old_entities);
        // Related lists can only move for articles that share an entity with a
        // changed article, before or after the change.
        let mut dirty: HashSet<usize> = HashSet::new();
        for old_members in &old_entity_articles {
            dirty.extend(old_members.iter().filter_map(|p| new_index.get(p)));
        }
        for &e in &change.entities {
            dirty.extend(entity_articles[e].iter().map(|&(a, _)| a));
        }
        let old_position: HashMap<&str, usize> = old_paths
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i))
            .collect();
        let kept: Vec<Option<Vec<usize>>> = self
            .articles
            .iter()
            .enumerate()
            .map(|(i, a)| match old_position.get(a.content_path.as_str()) {
                Some(&old) if !dirty.contains(&i) => Some(
                    old_related[old]
                        .iter()
                        .filter_map(|p| new_index.get(p).copied())
                        .collect(),
                ),
                _ => None,
            })
            .collect();
        self.graph = Graph::with_related(article_entities, entity_articles, kept);

        // Pages that show a changed article or whose related list moved.
        let count = self.articles.len();
        let mut pages: BTreeSet<usize> = BTreeSet::new();
        for &i in &change.articles {
            pages.insert(i);
            pages.extend(
                [i.wrapping_sub(1), i + 1]
                    .into_iter()
                    .filter(|&n| n < count),
            );
        }
        pages.extend(old_neighbours.iter().filter_map(|p| new_index.get(p)));
        for &a in &dirty {
            let now: Vec<&str> = self.graph.related[a]
                .iter()
                .map(|&r| self.articles[r].content_path.as_str())
                .collect();
            let was: Option<Vec<&str>> = old_position
                .get(self.articles[a].content_path.as_str())
                .map(|&old| old_related[old].iter().map(String::as_str).collect());
            let shows_changed = self.graph.related[a]
                .iter()
                .any(|r| change.articles.contains(r));
            if shows_changed || was.as_deref() != Some(now.as_slice()) {
                pages.insert(a);
            }
        }
        change.article_pages = pages;
        Ok(change)
    }

    /// Applies an edited entity profile whose names are unchanged.
    pub fn update_entity(&mut self, entity: Entity) -> Result<SiteChange, Refused> {
        let key = (entity.kind, entity.id.clone());
        let Some(&index) = self.index.entity_ids.get(&key) else {
            return Err(Refused::Rebuild(format!("new entity `{}`", entity.id)));
        };
        let old = &self.entities[index];
        if old.file.is_none() || old.name != entity.name || old.aliases != entity.aliases {
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
        let (html, problems) = render_profile(index, &entity, &links);
        if !problems.is_empty() {
            return Err(Refused::Errors(problems));
        }
        self.entities[index] = entity;
        self.profiles[index] = html;
        let mut change = SiteChange {
            old_article_count: self.articles.len(),
            old_counts: self.entity_counts(),
            ..SiteChange::default()
        };
        change.profiles.insert(index);
        Ok(change)
    }
}
