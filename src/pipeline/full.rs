//! A full build's render and write: every page, the assets, and the search
//! index made from the article pages as they are rendered.
//!
//! Article pages go in batches in the site's article order: while one batch
//! is rendered and prepared for the index on every core, the batch before
//! it is merged, in order, on one. The index is then byte-identical from
//! build to build, and no page's text waits in memory for long.

use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::Progress;
use crate::assets::{self, Assets};
use crate::diagnostic::Diagnostic;
use crate::link::facts::{ArticleId, Fact};
use crate::link::Site;
use crate::render::{self, Cards, Page, Rendered, Templates};
use crate::search::{Language, Merge, Prepared};
use crate::write::Writes;

/// Article pages rendered at once: enough to keep every core busy, few
/// enough that their text does not pile up before it is merged.
const BATCH: usize = 256;

/// What becomes of the search index.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Search {
    /// Merged and written with the pages.
    Write,
    /// Each page prepared and kept, to merge later ([`super::SearchJob`]).
    Keep,
    /// Not made.
    Off,
}

pub(super) struct Rendering {
    pub pages: usize,
    pub problems: Vec<Diagnostic>,
    /// What each page read; with [`Search::Keep`] only.
    pub records: Vec<(Page, String, Vec<Fact>)>,
    /// Each article as the index takes it; with [`Search::Keep`] only.
    pub prepared: FxHashMap<ArticleId, Arc<Prepared>>,
}

/// Writes every asset under its published name; returns the assets that
/// cannot be read.
pub(super) fn copy_assets(assets: &Assets, writes: &Writes) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for asset in &assets.files {
        match assets::read(&asset.origin) {
            Ok(bytes) => writes.write(&asset.published, &bytes),
            Err(message) => problems.push(Diagnostic::error(
                format!("static/{}", asset.published),
                message,
            )),
        }
    }
    problems
}

/// Renders every page of `site` into `writes`.
pub(super) fn render(
    site: &Site,
    templates: &Templates,
    cards: &Cards,
    writes: &Writes,
    search: Search,
    progress: &dyn Progress,
) -> Rendering {
    let keep = search == Search::Keep;
    let all = render::pages(site);
    let total = all.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let tick = |n: usize| {
        let now = done.fetch_add(n, std::sync::atomic::Ordering::Relaxed) + n;
        progress.pages(now, total);
    };
    let records = Mutex::new(Vec::new());
    let keep_record = |r: &Rendered| {
        if keep {
            let mut records = records.lock().unwrap_or_else(|e| e.into_inner());
            records.push((r.page, r.file.clone(), r.reads.clone()));
        }
    };
    let others: Vec<Page> = all
        .iter()
        .filter(|p| !matches!(p, Page::Article(_)))
        .copied()
        .collect();
    let mut problems = render::render_pages(site, templates, cards, &others, &|r| {
        writes.write(&r.file, r.text.as_bytes());
        keep_record(&r);
        tick(1);
    });

    let language = match search {
        // No index of nothing: the search page says so.
        _ if site.ids.is_empty() => None,
        Search::Off => None,
        _ => match Language::new(&site.config.language) {
            Ok(language) => Some(language),
            Err(problem) => {
                problems.push(problem);
                None
            }
        },
    };
    let context = render::site_context(site);
    let mut merge = language.as_ref().filter(|_| !keep).map(Merge::new);
    let mut prepared: FxHashMap<ArticleId, Arc<Prepared>> = FxHashMap::default();
    let mut waiting: Vec<(ArticleId, Prepared)> = Vec::new();
    // Merges (or keeps) the prepared pages of the batch before.
    let mut settle = |pages: Vec<(ArticleId, Prepared)>| {
        for (id, page) in pages {
            match &mut merge {
                Some(merge) => {
                    let (path, bytes) = merge.add(page);
                    writes.write(&path, &bytes);
                }
                None => {
                    prepared.insert(id, Arc::new(page));
                }
            }
        }
    };
    for batch in site.ids.chunks(BATCH) {
        let previous = std::mem::take(&mut waiting);
        let (results, ()) = rayon::join(
            || {
                batch
                    .par_iter()
                    .map_init(
                        || language.as_ref().map(Language::vocabulary),
                        |vocabulary, &id| {
                            let rendered = render::render_page(
                                site,
                                templates,
                                cards,
                                &context,
                                Page::Article(id),
                            )?;
                            Some(rendered.and_then(|r| {
                                writes.write(&r.file, r.text.as_bytes());
                                keep_record(&r);
                                let page = match (&language, vocabulary) {
                                    (Some(language), Some(vocabulary)) => {
                                        let path = r.file.trim_end_matches("index.html");
                                        Some(language.prepare(vocabulary, path, &r.text)?)
                                    }
                                    _ => None,
                                };
                                Ok(page.map(|page| (id, page)))
                            }))
                        },
                    )
                    .flatten()
                    .collect::<Vec<Result<Option<(ArticleId, Prepared)>, Diagnostic>>>()
            },
            || settle(previous),
        );
        tick(batch.len());
        for result in results {
            match result {
                Ok(page) => waiting.extend(page),
                Err(problem) => problems.push(problem),
            }
        }
    }
    settle(waiting);
    if let Some(merge) = merge {
        if !problems.iter().any(Diagnostic::is_error) {
            for (path, bytes) in merge.finish() {
                writes.write(&path, &bytes);
            }
        }
    }
    Rendering {
        pages: total,
        problems,
        records: records.into_inner().unwrap_or_else(|e| e.into_inner()),
        prepared,
    }
}
