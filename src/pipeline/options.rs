//! What a build is asked for ([`BuildOptions`]), what it reports
//! ([`Report`]), and how it tells its progress ([`Progress`]).

use std::path::PathBuf;
use std::time::Duration;

use crate::diagnostic::Diagnostic;
use crate::link::related::RELATED_WINDOW;
use crate::load::LoadOptions;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Relative paths are taken from `root`.
    pub output: PathBuf,
    /// Overrides `base_url` from site.yaml.
    pub base_url: Option<String>,
    pub drafts: bool,
    pub future: bool,
    /// Warnings fail the build.
    pub strict: bool,
    /// Put a content hash in CSS and JS file names.
    pub fingerprint: bool,
    /// How many places away in date order a related article may be
    /// ([`RELATED_WINDOW`] unless a test wants a small site to reach it).
    pub related_window: usize,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: PathBuf::from("public"),
            base_url: None,
            drafts: false,
            future: false,
            strict: false,
            fingerprint: true,
            related_window: RELATED_WINDOW,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        if self.output.is_absolute() {
            self.output.clone()
        } else {
            self.root.join(&self.output)
        }
    }

    pub(super) fn load_options(&self, now: time::OffsetDateTime) -> LoadOptions {
        LoadOptions {
            drafts: self.drafts,
            future: self.future,
            now,
        }
    }
}

/// What a successful build or check reports.
#[derive(Debug)]
pub struct Report {
    pub articles: usize,
    pub entities: usize,
    pub pages: usize,
    pub assets: usize,
    /// Images shown that were decoded this run (to make their versions), and
    /// those whose size and versions came from the cache (SPEC §8).
    pub images_made: usize,
    pub images_cached: usize,
    /// Social cards drawn this run, and those taken from the cache (SPEC
    /// §10); none in `serve`, which draws them on request.
    pub cards_made: usize,
    pub cards_cached: usize,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
}

/// Hears how far long work has come; `main` draws it on a terminal.
pub trait Progress: Sync {
    /// `done` of `total` pages are rendered.
    fn pages(&self, done: usize, total: usize);

    /// `done` of `total` files are uploaded (`publish`).
    fn uploads(&self, _done: usize, _total: usize) {}
}

/// Hears nothing.
pub struct Quiet;

impl Progress for Quiet {
    fn pages(&self, _: usize, _: usize) {}
}
