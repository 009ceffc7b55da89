//! The preview's state between saves: the last good linked site, its
//! templates, and the folder it is served from. Each batch of changed files
//! becomes a scoped update when it can, a full rebuild when it must.
//!
//! Full rebuilds go to a fresh folder that the server switches to in one step;
//! scoped updates rewrite single files in place, each by an atomic rename. In
//! both cases the reload event is sent only after every page is on disk.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::search::{link_search_index, SearchJob};
use crate::assets::Assets;
use crate::build::{self, BuildOptions};
use crate::diagnostic::Diagnostic;
use crate::link::update::{Edit, Refused};
use crate::link::Site;
use crate::load::{self, LoadOptions, Loaded, Role};
use crate::render::{self, Cards, Page, Templates};
use crate::write;

/// What changed on disk since the last batch.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Markdown files under `content/` (existing or gone).
    pub content: BTreeSet<PathBuf>,
    /// Files under `static/` (existing or gone).
    pub static_files: BTreeSet<PathBuf>,
    /// A template or `site.yaml` changed, a folder moved, or the watcher lost
    /// events: only a full rebuild is safe.
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
        self.content.is_empty() && self.static_files.is_empty() && !self.everything
    }

    pub fn merge(&mut self, other: Changes) {
        self.content.extend(other.content);
        self.static_files.extend(other.static_files);
        self.everything |= other.everything;
    }
}

/// What the open pages should do after a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Reload the pages at these root-relative URLs (`None`: every page).
    Reload(Option<Vec<String>>),
    /// Only stylesheets changed: swap them without a reload.
    Stylesheets,
    /// Nothing the site shows changed.
    Nothing,
}

/// A batch's outcome with what it cost, for the console.
#[derive(Debug)]
pub struct Report {
    pub outcome: Outcome,
    /// The site's errors after the batch; empty when it is good. While there
    /// are errors, what is served is the last good version of each file.
    pub errors: Vec<Diagnostic>,
    pub pages: usize,
    pub scoped: bool,
    pub millis: u128,
    pub warnings: Vec<Diagnostic>,
    /// Article pages changed: the search index needs rebuilding (see
    /// [`Session::search_job`]).
    pub search_stale: bool,
}

pub struct Session {
    options: BuildOptions,
    /// Holds one folder per full build (`site-1`, `site-2`, …).
    workspace: PathBuf,
    generation: usize,
    /// The folder being served.
    current: PathBuf,
    /// Folders no longer served, to delete once the server has switched.
    retired: Vec<PathBuf>,
    /// Files that do not load now, with their problems. The site keeps
    /// their last good version, and other files still update in scope.
    failing: std::collections::BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// The last good site, when the last batch succeeded. After errors it is
    /// dropped, and the next batch rebuilds everything from disk.
    state: Option<(Site, Templates, Cards)>,
}

impl Session {
    /// Builds the site once into `workspace`; serves whatever that gives.
    pub fn start(options: BuildOptions, workspace: PathBuf) -> (Session, Report) {
        let current = workspace.join("site-0");
        let _ = std::fs::create_dir_all(&current);
        let mut session = Session {
            options,
            workspace,
            generation: 0,
            current,
            retired: Vec::new(),
            failing: Default::default(),
            state: None,
        };
        let report = session.rebuild(Instant::now());
        (session, report)
    }

    /// The search index for the site as it is served now; `None` while the
    /// site has errors.
    pub fn search_job(&self) -> Option<SearchJob> {
        let (site, _, _) = self.state.as_ref()?;
        Some(SearchJob {
            dir: self.current.clone(),
            paths: build::article_paths(site),
            language: site.config.language.clone(),
            page_url: site.urls.url(crate::urls::SEARCH),
        })
    }

    /// The folder the server should read from now.
    pub fn current_dir(&self) -> &Path {
        &self.current
    }

    /// Deletes the folders of earlier builds; call once the server reads
    /// from [`Session::current_dir`].
    pub fn clean_up(&mut self) {
        for dir in self.retired.drain(..) {
            let _ = remove_dir_all::remove_dir_all(dir);
        }
    }

    /// Applies one batch of changes.
    pub fn apply(&mut self, changes: &Changes) -> Report {
        let started = Instant::now();
        if changes.everything || self.state.is_none() || self.embargo_ended() {
            return self.rebuild(started);
        }
        let statics = !changes.static_files.is_empty();
        if statics && !self.statics_stay_in_scope(&changes.static_files) {
            return self.rebuild(started);
        }
        let mut stylesheets_only = statics;
        for path in &changes.static_files {
            match write::copy_static_file(&self.options.root, path, &self.current) {
                Ok(relative) => stylesheets_only &= relative.ends_with(".css"),
                Err(problem) => return self.fail(vec![problem], started),
            }
        }
        if changes.content.is_empty() {
            let outcome = if stylesheets_only {
                Outcome::Stylesheets
            } else {
                Outcome::Reload(None)
            };
            let mut report = report(outcome, changes.static_files.len(), true, started);
            report.errors = self.failing_problems();
            return report;
        }
        match self.scoped(&changes.content) {
            Ok((urls, pages, search_stale)) => {
                let outcome = if statics {
                    // Every page shows the new assets.
                    Outcome::Reload(None)
                } else if urls.is_empty() {
                    Outcome::Nothing
                } else {
                    Outcome::Reload(Some(urls))
                };
                let mut report = report(outcome, pages, true, started);
                report.errors = self.failing_problems();
                report.search_stale = search_stale;
                report
            }
            Err(Refused::Errors(problems)) => self.fail(problems, started),
            Err(Refused::Rebuild(_)) => self.rebuild(started),
        }
    }

    /// Whether static changes can be copied as they are: not when a file
    /// takes a page's place, a folder went away, or the set of assets (which
    /// templates see as `site.assets`) changed.
    fn statics_stay_in_scope(&self, paths: &BTreeSet<PathBuf>) -> bool {
        let Some((site, _, _)) = &self.state else {
            return false;
        };
        let static_dir = self.options.root.join("static");
        let pages: BTreeSet<String> = render::pages(site)
            .into_iter()
            .map(|p| p.file(site))
            .collect();
        for path in paths {
            let relative = crate::assets::relative_path(&static_dir, path);
            if pages.contains(&relative) || self.current.join(&relative).is_dir() {
                return false;
            }
        }
        match Assets::scan(&self.options.root, false) {
            Ok(assets) => assets.names.keys().eq(site.assets.keys()),
            Err(_) => false,
        }
    }

    /// Whether an embargoed article's date has passed since the last build.
    fn embargo_ended(&self) -> bool {
        let now = time::OffsetDateTime::now_utc();
        self.state.as_ref().is_some_and(|(site, _, _)| {
            !self.options.future
                && site
                    .held_back
                    .values()
                    .any(|h| h.due.is_some_and(|due| due <= now))
        })
    }

    /// Called now and then while no file changes: rebuilds when an embargoed
    /// article comes due.
    pub fn tick(&mut self) -> Option<Report> {
        self.embargo_ended().then(|| self.rebuild(Instant::now()))
    }

    /// The problems of the files that do not load now, paths as the user types them.
    fn failing_problems(&self) -> Vec<Diagnostic> {
        let mut problems: Vec<Diagnostic> = self.failing.values().flatten().cloned().collect();
        for problem in &mut problems {
            problem.relative_to(&self.options.root);
        }
        problems
    }

    /// Re-links the changed files and re-renders the pages they touch.
    /// Returns the changed pages' URLs, how many were rendered, and whether
    /// an article page is among them (the search index is then stale).
    fn scoped(&mut self, paths: &BTreeSet<PathBuf>) -> Result<(Vec<String>, usize, bool), Refused> {
        let Some((site, templates, cards)) = &mut self.state else {
            return Err(Refused::Rebuild("no site yet".into()));
        };
        let root = &self.options.root;
        let mut edits = Vec::new();
        let mut entities = Vec::new();
        for path in paths {
            let role = match load::role_of(root, path, &site.config) {
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
            let loaded = match load::load_file(root, path, role, &site.config) {
                Ok(loaded) => {
                    self.failing.remove(path);
                    loaded
                }
                Err(problems) => {
                    self.failing.insert(path.clone(), problems);
                    continue;
                }
            };
            match loaded {
                Loaded::Article(article) => {
                    let options = LoadOptions {
                        drafts: self.options.drafts,
                        future: self.options.future,
                        now: time::OffsetDateTime::now_utc(),
                    };
                    if load::is_shown(&article, options) {
                        edits.push(Edit::Upsert(article));
                    } else {
                        edits.push(Edit::Hold(
                            article.content_path.clone(),
                            load::held(&article, options),
                        ));
                    }
                }
                Loaded::Entity(entity) => entities.push(*entity),
            }
        }

        let mut pages: BTreeSet<Page> = BTreeSet::new();
        let mut stale: Vec<String> = Vec::new();
        // Articles first: a profile edited in the same batch may link to one.
        if !edits.is_empty() {
            let change = site.update_articles(edits)?;
            cards.forget(change.sources.iter().map(String::as_str));
            let (more, gone) = render::scope::affected(site, &change);
            pages.extend(more);
            stale.extend(gone);
        }
        for entity in entities {
            let change = site.update_entity(entity)?;
            let (more, gone) = render::scope::affected(site, &change);
            pages.extend(more);
            stale.extend(gone);
        }

        // Render into memory first: a template error must not leave half the
        // pages new and half old.
        let pages: Vec<Page> = pages.into_iter().collect();
        let articles_changed = pages.iter().any(|p| matches!(p, Page::Article(_)))
            || stale
                .iter()
                .any(|path| path.starts_with(&crate::urls::article("")));
        let rendered = std::sync::Mutex::new(Vec::with_capacity(pages.len()));
        let sink = |path: &str, bytes: &[u8]| {
            if let Ok(mut out) = rendered.lock() {
                out.push((path.to_string(), bytes.to_vec()));
            }
            Ok(())
        };
        let problems = render::render_pages(site, templates, cards, &pages, &sink);
        if problems.has_errors() {
            return Err(Refused::Errors(problems.into_sorted()));
        }
        let rendered = rendered.into_inner().unwrap_or_default();
        let mut urls: Vec<String> = Vec::with_capacity(rendered.len() + stale.len());
        for (path, bytes) in &rendered {
            write::write_file_atomic(&self.current, path, bytes).map_err(|e| {
                Refused::Errors(vec![Diagnostic::error(
                    self.current.join(path),
                    format!("cannot write: {e}"),
                )])
            })?;
            urls.push(site.urls.url(path.trim_end_matches("index.html")));
        }
        for path in &stale {
            let _ = std::fs::remove_file(self.current.join(path));
            if let Some(dir) = Path::new(path).parent() {
                let _ = std::fs::remove_dir(self.current.join(dir));
            }
            urls.push(site.urls.url(path.trim_end_matches("index.html")));
        }
        Ok((urls, rendered.len(), articles_changed))
    }

    /// Builds everything into a new folder; on success the server switches to it.
    fn rebuild(&mut self, started: Instant) -> Report {
        // One copy of the site at a time: the old one goes before the new is built.
        self.state = None;
        let (mut site, diagnostics) = match build::load_site(&self.options) {
            Ok(loaded) => loaded,
            Err(failed) => return self.fail(failed.0, started),
        };
        // Assets keep their names here: the preview caches nothing, and a
        // stylesheet can then be swapped without touching a page.
        let assets = match Assets::scan(&self.options.root, false) {
            Ok(assets) => assets,
            Err(problems) => return self.fail(problems, started),
        };
        site.assets = assets.names.clone();
        let templates = match Templates::load(&self.options.root) {
            Ok(templates) => templates,
            Err(problems) => return self.fail(problems, started),
        };
        if diagnostics.has_errors() {
            return self.fail(diagnostics.into_sorted(), started);
        }
        self.generation += 1;
        let next = self.workspace.join(format!("site-{}", self.generation));
        let _ = std::fs::remove_dir_all(&next);
        let sink = |path: &str, bytes: &[u8]| {
            write::write_file(&next, path, bytes)
                .map_err(|e| Diagnostic::error(next.join(path), format!("cannot write: {e}")))
        };
        let mut problems = Vec::new();
        if let Err(problem) = write::copy_assets(&assets, &next) {
            problems.push(problem);
        }
        let cards = Cards::new();
        let all = render::pages(&site);
        let render_problems = render::render_pages(&site, &templates, &cards, &all, &sink);
        let pages = all.len();
        problems.extend(render_problems.into_sorted());
        if problems.iter().any(Diagnostic::is_error) {
            let _ = std::fs::remove_dir_all(&next);
            return self.fail(problems, started);
        }
        // Search keeps working with the old index until the new one is made.
        link_search_index(&self.current, &next);
        let previous = std::mem::replace(&mut self.current, next);
        self.retired.push(previous);
        self.state = Some((site, templates, cards));
        self.failing.clear();
        let mut report = report(Outcome::Reload(None), pages, false, started);
        report.warnings = diagnostics.into_sorted();
        report.search_stale = true;
        report
    }

    /// The site as a whole has errors: drop it, so the next batch rebuilds
    /// everything from disk; the last good folder stays served.
    fn fail(&mut self, mut problems: Vec<Diagnostic>, started: Instant) -> Report {
        // Files that did not load are still broken: keep saying so.
        problems.extend(self.failing.values().flatten().cloned());
        problems.sort();
        problems.dedup();
        self.state = None;
        self.failing.clear();
        for problem in &mut problems {
            problem.relative_to(&self.options.root);
        }
        problems.retain(Diagnostic::is_error);
        let mut report = report(Outcome::Nothing, 0, false, started);
        report.errors = problems;
        report
    }
}

fn report(outcome: Outcome, pages: usize, scoped: bool, started: Instant) -> Report {
    Report {
        outcome,
        errors: Vec::new(),
        pages,
        scoped,
        millis: started.elapsed().as_millis(),
        warnings: Vec::new(),
        search_stale: false,
    }
}
