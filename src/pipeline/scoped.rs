//! Applying changed files to an open site: the changed Markdown is loaded
//! and linked again, and the pages whose facts moved are rendered again
//! (`scope.rs`), staged and put in place together (`stale.rs`), so that a
//! template error leaves no page half new. Static files are copied as they are when that is all it takes.
//! A change that a scoped update cannot follow is a [`Refusal::Rebuild`].

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::files::{self, Owner};
use super::stale::{render_stale, Relaid};
use super::{Pipeline, State};
use crate::assets::{self, Assets};
use crate::diagnostic::Diagnostic;
use crate::link::change::SiteChange;
use crate::link::update::{Edit, Refused};
use crate::load::{self, Loaded, Role};
use crate::render::cards::CARD_TEMPLATE;
use crate::render::{self, Templates};
use crate::write::{Output, Writes};

/// What changed on disk since the last batch.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Markdown files under `content/` (existing or gone).
    pub content: BTreeSet<PathBuf>,
    /// Files under `static/` (existing or gone).
    pub static_files: BTreeSet<PathBuf>,
    /// A file under `templates/` changed (or the folder came or went): the
    /// pages laid out by the templates that differ are rendered again.
    pub templates: bool,
    /// `site.yaml` changed, a folder moved, or the watcher lost events: only
    /// a full rebuild is safe.
    pub everything: bool,
}

impl Changes {
    /// A change that only a full rebuild covers.
    pub fn everything() -> Self {
        Changes {
            everything: true,
            ..Changes::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.content.is_empty()
            && self.static_files.is_empty()
            && !self.templates
            && !self.everything
    }

    pub fn merge(&mut self, other: Changes) {
        self.content.extend(other.content);
        self.static_files.extend(other.static_files);
        self.templates |= other.templates;
        self.everything |= other.everything;
    }
}

/// What a scoped update did.
#[derive(Debug)]
pub struct Applied {
    /// Root-relative URLs of the pages that changed or went; `None`: every
    /// page (an asset they all load changed).
    pub urls: Option<Vec<String>>,
    /// Only stylesheets changed.
    pub stylesheets_only: bool,
    /// Files written.
    pub pages: usize,
    /// An article page changed: the search index is out of date.
    pub search_stale: bool,
}

/// Why a change was not applied in scope.
#[derive(Debug)]
pub enum Refusal {
    /// Only a full rebuild can follow it, for this reason.
    Rebuild(String),
    /// It has errors; the site is forgotten, and the next change rebuilds.
    Errors(Vec<Diagnostic>),
}

impl Pipeline {
    /// Applies changed files to the site in `out`, the folder it was built
    /// into, in place.
    pub fn apply(&mut self, changes: &Changes, out: &dyn Output) -> Result<Applied, Refusal> {
        let why = if changes.everything {
            Some("site.yaml or a folder changed")
        } else if self.state.is_none() {
            Some("the last build failed")
        } else if self.embargo_ended() {
            Some("an embargo ended")
        } else if !changes.static_files.is_empty()
            && !self.statics_stay_in_scope(&changes.static_files, out)
        {
            Some("the static files changed what pages link to")
        } else {
            None
        };
        if let Some(why) = why {
            return Err(Refusal::Rebuild(why.into()));
        }
        let statics = !changes.static_files.is_empty();
        let writes = Writes::new(out);
        let mut stylesheets_only = statics;
        let static_dir = self.options.root.join("static");
        for path in &changes.static_files {
            let relative = crate::urls::relative_path(&static_dir, path);
            match std::fs::read(path) {
                Ok(bytes) => writes.write(&relative, &bytes),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    match assets::builtin(&relative) {
                        Some(bytes) => writes.write(&relative, &bytes),
                        None => writes.remove(&relative),
                    }
                }
                Err(e) => {
                    let problem = Diagnostic::error(path, format!("cannot be copied: {e}"));
                    return Err(self.refuse(vec![problem]));
                }
            }
            stylesheets_only &= relative.ends_with(".css");
        }
        if writes.failed() {
            return Err(self.refuse(writes.problems()));
        }
        let relaid = match changes.templates {
            true => self.reload_templates()?,
            false => Relaid::default(),
        };
        // A template that every page reaches (`base.html`) reloads them all.
        let every = !relaid.pages.is_empty()
            && self
                .state
                .as_ref()
                .is_some_and(|state| relaid.pages.len() == state.scope.len());
        if changes.content.is_empty() && !changes.templates {
            return Ok(Applied {
                urls: None,
                stylesheets_only,
                pages: changes.static_files.len(),
                search_stale: false,
            });
        }
        let (urls, pages, search_stale) = match self.scoped(&changes.content, &relaid, &writes) {
            Ok(done) => done,
            Err(Refused::Rebuild(why)) => {
                // An update of the same batch may have gone in before: the
                // site no longer matches what was rendered.
                self.state = None;
                return Err(Refusal::Rebuild(why));
            }
            Err(Refused::Errors(problems)) => return Err(self.refuse(problems)),
        };
        if writes.failed() {
            return Err(self.refuse(writes.problems()));
        }
        Ok(Applied {
            // Every page shows the new assets.
            urls: if statics || every { None } else { Some(urls) },
            stylesheets_only: false,
            pages,
            search_stale,
        })
    }

    /// Loads the templates again and keeps them, and returns the pages
    /// that those that differ lay out. Templates that do not load keep
    /// their last good version, as a Markdown file that does not load
    /// does; their problems stay listed until they load.
    fn reload_templates(&mut self) -> Result<Relaid, Refusal> {
        let folder = self.options.root.join("templates");
        let templates = match Templates::load(&self.options.root) {
            Ok(templates) => templates,
            Err(problems) => {
                self.failing.insert(folder, problems);
                return Err(Refusal::Errors(self.failing()));
            }
        };
        self.failing.remove(&folder);
        let Some(state) = &mut self.state else {
            return Err(Refusal::Rebuild("the last build failed".into()));
        };
        let changed = state.templates.changed(&templates);
        let pages = state
            .scope
            .laid_out_by(&state.templates, &templates, &changed);
        if [&state.templates, &templates]
            .iter()
            .any(|t| t.reaches(CARD_TEMPLATE, &changed))
        {
            state.cards.forget_laid_out();
        }
        let search = !templates.builtin_article
            || templates.builtin_article != state.templates.builtin_article;
        state.templates = templates;
        Ok(Relaid { pages, search })
    }

    fn refuse(&mut self, problems: Vec<Diagnostic>) -> Refusal {
        Refusal::Errors(self.named(crate::diagnostic::Failed(problems)).0)
    }

    /// Whether static changes can be copied as they are: not when a file
    /// takes a page's place, a folder went away, or the set of assets (which
    /// templates see as `site.assets`) changed.
    fn statics_stay_in_scope(&self, paths: &BTreeSet<PathBuf>, out: &dyn Output) -> bool {
        let Some(state) = &self.state else {
            return false;
        };
        let static_dir = self.options.root.join("static");
        let pages: BTreeSet<&str> = state.scope.files().collect();
        // A picture that pages show changes what they say of it (its size,
        // its versions).
        let site = &state.site;
        let leads = site
            .bodies
            .iter()
            .filter_map(|b| b.lead.as_ref()?.file.as_deref());
        let pictures = site
            .bodies
            .iter()
            .flat_map(|b| &b.pictures)
            .chain(site.profile_pictures.iter().flatten())
            .map(|shown| shown.source.as_path());
        let shown: BTreeSet<&std::path::Path> = leads.chain(pictures).collect();
        if paths.iter().any(|p| shown.contains(p.as_path())) {
            return false;
        }
        for path in paths {
            let relative = crate::urls::relative_path(&static_dir, path);
            if pages.contains(relative.as_str()) || out.place().join(&relative).is_dir() {
                return false;
            }
        }
        match Assets::scan(&self.options.root, false) {
            Ok(assets) => assets.names.keys().eq(state.site.assets.keys()),
            Err(_) => false,
        }
    }

    /// Re-links the changed files and re-renders the pages whose facts
    /// moved, and those in `relaid` (their templates changed). Returns the
    /// changed pages' URLs, how many were written, and whether an article
    /// page is among them.
    fn scoped(
        &mut self,
        paths: &BTreeSet<PathBuf>,
        relaid: &Relaid,
        writes: &Writes,
    ) -> Result<(Vec<String>, usize, bool), Refused> {
        let Some(state) = &mut self.state else {
            return Err(Refused::Rebuild("no site yet".into()));
        };
        let root = &self.options.root;
        // The build time of the site being updated, so that a saved file is
        // held back (or not) exactly as a clean build at that time would.
        let now = self.options.load_options(state.site.config.build_time);
        let mut edits = Vec::new();
        let mut entities = Vec::new();
        for path in paths {
            let role = match load::role_of(root, path, &state.site.config) {
                Ok(Some(role)) => role,
                Ok(None) => continue,
                Err(_) => return Err(Refused::Rebuild("a file in a new place".into())),
            };
            if !path.is_file() {
                self.failing.remove(path);
                match role {
                    Role::Article => edits.push(Edit::Remove(load::content_path(root, path))),
                    Role::Entity(_) => {
                        return Err(Refused::Rebuild("a profile was removed".into()))
                    }
                }
                continue;
            }
            // A file that does not load (half-typed front matter, most often)
            // keeps its last good version; the others go ahead.
            match load::load_file(root, path, role, &state.site.config) {
                Ok(Loaded::Article(article)) => {
                    self.failing.remove(path);
                    if load::is_shown(&article, now) {
                        edits.push(Edit::Upsert(article));
                    } else {
                        let held = load::held(&article, now);
                        edits.push(Edit::Hold(article.content_path.clone(), held));
                    }
                }
                Ok(Loaded::Entity(entity)) => {
                    self.failing.remove(path);
                    entities.push(*entity);
                }
                Err(problems) => {
                    self.failing.insert(path.clone(), problems);
                }
            }
        }

        // Articles first: a profile edited in the same batch may link to one.
        let mut change = SiteChange::default();
        if !edits.is_empty() {
            change = state.site.update_articles(edits)?;
        }
        for entity in entities {
            let more = state.site.update_entity(entity)?;
            change.profiles.extend(more.profiles);
        }
        state
            .cards
            .forget(change.sources.iter().map(String::as_str));
        // An old address may now land on a page, or two files claim one.
        let clashes = render::redirect_clashes(&state.site);
        if !clashes.is_empty() {
            return Err(Refused::Errors(clashes));
        }
        let (mut urls, pages, search_stale) =
            render_stale(state, &change, relaid, writes, &self.social)?;
        urls.extend(republish(state, &change, writes)?);
        state.site.pack_kept();
        Ok((urls, pages, search_stale))
    }
}

/// Publishes the bundle files of the articles and profiles that `change`
/// names again, and removes those they no longer have. Returns the URLs of
/// the removed ones.
fn republish(
    state: &mut State,
    change: &SiteChange,
    writes: &Writes,
) -> Result<Vec<String>, Refused> {
    let owners: Vec<Owner> = change
        .articles
        .iter()
        .map(|&id| Owner::Article(id))
        .chain(change.profiles.iter().map(|&e| Owner::Entity(e)))
        .collect();
    let before: Vec<String> = owners
        .iter()
        .filter_map(|owner| state.published.remove(owner))
        .flatten()
        .collect();
    let (published, problems) = files::write(&state.site, &owners, writes);
    if !problems.is_empty() {
        return Err(Refused::Errors(problems));
    }
    let now: BTreeSet<&str> = published.values().flatten().map(String::as_str).collect();
    let pages: BTreeSet<&str> = state.scope.files().collect();
    let gone: Vec<String> = before
        .into_iter()
        .filter(|path| !now.contains(path.as_str()) && !pages.contains(path.as_str()))
        .collect();
    for path in &gone {
        writes.remove(path);
    }
    state.published.extend(published);
    Ok(gone.iter().map(|path| state.site.urls.url(path)).collect())
}
