//! The preview's folders between saves. Each batch of changed files goes to
//! the [`Pipeline`]: a scoped update rewrites single files of the served
//! folder in place, each by an atomic rename; a full rebuild goes to a
//! fresh folder that the server switches to in one step. In both cases the
//! reload event is sent only after every page is on disk.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::diagnostic::{Diagnostic, Failed};
pub use crate::pipeline::Changes;
use crate::pipeline::{BuildOptions, InPlace, Pipeline, Refusal, SearchJob, Staging};

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
    /// Why a change could not be applied in scope, when it was not.
    pub rebuilt_because: Option<String>,
}

pub struct Session {
    pipeline: Pipeline,
    /// Holds one folder per full build (`site-1`, `site-2`, …).
    workspace: PathBuf,
    generation: usize,
    /// The folder being served.
    current: PathBuf,
    /// Folders no longer served, to delete once the server has switched.
    retired: Vec<PathBuf>,
}

impl Session {
    /// Builds the site once into `workspace`; serves whatever that gives.
    pub fn start(options: BuildOptions, workspace: PathBuf) -> (Session, Report) {
        let current = workspace.join("site-0");
        // A missing folder serves 404s until the first good build.
        let _ = std::fs::create_dir_all(&current);
        let mut session = Session {
            pipeline: Pipeline::new(options),
            workspace,
            generation: 0,
            current,
            retired: Vec::new(),
        };
        let report = session.rebuild(Instant::now());
        (session, report)
    }

    /// The search index for the site as it is served now; `None` while the
    /// site has errors.
    pub fn search_job(&self) -> Option<SearchJob> {
        self.pipeline.search_job()
    }

    /// The social cards of the site as served, drawn on request; they
    /// follow every save.
    pub fn social_cards(&self) -> std::sync::Arc<crate::pipeline::SocialCards> {
        self.pipeline.social_cards()
    }

    /// The folder the server should read from now.
    pub fn current_dir(&self) -> &Path {
        &self.current
    }

    /// Deletes the folders of earlier builds; call once the server reads
    /// from [`Session::current_dir`].
    pub fn clean_up(&mut self) {
        for dir in self.retired.drain(..) {
            // A folder that cannot go is left in the temporary workspace,
            // which goes when `serve` stops.
            let _ = remove_dir_all::remove_dir_all(dir);
        }
    }

    /// Applies one batch of changes.
    pub fn apply(&mut self, changes: &Changes) -> Report {
        let started = Instant::now();
        match self.pipeline.apply(changes, &InPlace(self.current.clone())) {
            Ok(applied) => {
                let outcome = match applied.urls {
                    None if applied.stylesheets_only => Outcome::Stylesheets,
                    None => Outcome::Reload(None),
                    Some(urls) if urls.is_empty() => Outcome::Nothing,
                    Some(urls) => Outcome::Reload(Some(urls)),
                };
                let mut report = report(outcome, applied.pages, true, started);
                report.errors = self.pipeline.failing();
                report.search_stale = applied.search_stale;
                report
            }
            Err(Refusal::Rebuild(why)) => {
                let mut report = self.rebuild(started);
                report.rebuilt_because = Some(why);
                report
            }
            Err(Refusal::Errors(problems)) => failed(problems, started),
        }
    }

    /// Called now and then while no file changes: rebuilds when an embargoed
    /// article comes due.
    pub fn tick(&mut self) -> Option<Report> {
        self.pipeline
            .embargo_ended()
            .then(|| self.rebuild(Instant::now()))
    }

    /// Builds everything into a new folder; on success the server switches to it.
    fn rebuild(&mut self, started: Instant) -> Report {
        self.generation += 1;
        let next = self.workspace.join(format!("site-{}", self.generation));
        let staging = match Staging::fresh(&next) {
            Ok(staging) => staging,
            Err(e) => {
                let problem = Diagnostic::error(&next, format!("cannot make the folder: {e}"));
                return failed(vec![problem], started);
            }
        };
        match self.pipeline.rebuild(&staging) {
            Ok(built) => {
                // Search keeps working with the old index until the new one is made.
                link_search_index(&self.current, &next);
                let previous = std::mem::replace(&mut self.current, next);
                self.retired.push(previous);
                let mut report = report(Outcome::Reload(None), built.pages, false, started);
                report.warnings = built.warnings;
                report.search_stale = true;
                report
            }
            Err(Failed(problems)) => {
                staging.abandon();
                failed(problems, started)
            }
        }
    }
}

/// The site has errors: the last good folder stays served.
fn failed(problems: Vec<Diagnostic>, started: Instant) -> Report {
    let mut report = report(Outcome::Nothing, 0, false, started);
    report.errors = problems;
    report
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
        rebuilt_because: None,
    }
}

/// Hard-links the search index of folder `from` into folder `to`. Index
/// files are only ever replaced by renames, never rewritten in place, so the
/// two folders cannot disturb each other.
fn link_search_index(from: &Path, to: &Path) {
    let bundle = from.join(crate::urls::SEARCH_BUNDLE);
    for entry in walkdir::WalkDir::new(&bundle).into_iter().flatten() {
        let Ok(relative) = entry.path().strip_prefix(from) else {
            continue;
        };
        let target = to.join(relative);
        // Best effort: search shows no results until the new index is made.
        if entry.file_type().is_dir() {
            let _ = std::fs::create_dir_all(&target);
        } else if std::fs::hard_link(entry.path(), &target).is_err() {
            let _ = std::fs::copy(entry.path(), &target);
        }
    }
}
