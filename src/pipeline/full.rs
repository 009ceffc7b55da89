//! A full build's render and write: every page, the assets, and the search
//! index made from the article pages as they are rendered.
//!
//! The feeds come first, then the article pages, then every list: in a
//! one-off build an article's body and search text go with its page, and
//! its related cards with the article pages, so the lists, which lay out
//! cards of their own, are rendered with neither held.
//!
//! Article pages go in batches in the site's article order: while one batch
//! is rendered and prepared for the index on every core, the batch before
//! it is merged, in order, on one. The index is then byte-identical from
//! build to build, and no page's text waits in memory for long.

use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::search::Packed;
use super::Progress;
use crate::assets::{self, Assets};
use crate::diagnostic::Diagnostic;
use crate::link::facts::ArticleId;
use crate::link::Site;
use crate::render::social::{self as social_cards, Card, Deck, Png};
use crate::render::{self, Cards, Page, Reads, Rendered, Templates};
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
    /// Each article page kept, to index later ([`super::SearchJob`]).
    Keep,
    /// Not made.
    Off,
}

pub(super) struct Rendering {
    pub pages: usize,
    pub problems: Vec<Diagnostic>,
    /// What each page read; with [`Search::Keep`] only.
    pub records: Vec<(Page, String, Reads)>,
    /// Each article page, kept for the index; with [`Search::Keep`] only.
    pub articles: FxHashMap<ArticleId, Arc<Packed>>,
    /// The social cards of the pages, by site-relative path, in no order.
    pub cards: Vec<(String, Card)>,
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
    let social = Mutex::new(Vec::new());
    // What a page read, kept for serve, and its card; the page's text is
    // written by then.
    let keep_record = |mut r: Rendered| {
        if let Some(card) = r.card.take() {
            let path = card_path(&r.file);
            social
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((path, card));
        }
        if keep {
            let mut records = records.lock().unwrap_or_else(|e| e.into_inner());
            records.push((r.page, r.file, r.reads));
        }
    };
    // Feeds first: they read the bodies of their articles, whose pages, in
    // a one-off build, are the last to (`Kept`), so each body goes with its
    // page. The lists last, when no body or search text is held any more.
    let (feeds, lists): (Vec<Page>, Vec<Page>) = all
        .iter()
        .filter(|p| !matches!(p, Page::Article(_)))
        .partition(|p| matches!(p, Page::Feed | Page::EntityFeed(_)));
    let emit = |r: Rendered| {
        writes.write(&r.file, r.text.as_bytes());
        tick(1);
        keep_record(r);
    };
    let mut problems = render::render_pages(site, templates, cards, &feeds, &emit);

    let language = match search {
        // No index of nothing: the search page says so.
        _ if site.ids.is_empty() => None,
        // `search: false` in site.yaml: no search page, no index.
        _ if !site.config.search => None,
        Search::Off | Search::Keep => None,
        _ => match Language::new(&site.config.language) {
            Ok(language) => Some(language),
            Err(problem) => {
                problems.push(problem);
                None
            }
        },
    };
    let context = render::site_context(site);
    let mut merge = language.as_ref().map(Merge::new);
    let kept = Mutex::new(FxHashMap::default());
    let mut waiting: Vec<Prepared> = Vec::new();
    // Merges the prepared pages of the batch before.
    let mut settle = |pages: Vec<Prepared>| {
        if let Some(merge) = &mut merge {
            for page in pages {
                let (path, bytes) = merge.add(page);
                writes.write(&path, &bytes);
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
                            Some(rendered.and_then(|mut r| {
                                writes.write(&r.file, r.text.as_bytes());
                                let path = r.file.trim_end_matches("index.html").to_string();
                                if keep {
                                    let packed = Arc::new(Packed::new(&path, &mut r));
                                    kept.lock()
                                        .unwrap_or_else(|e| e.into_inner())
                                        .insert(id, packed);
                                }
                                let prepared = match (&language, vocabulary, &r.search) {
                                    (Some(language), Some(vocabulary), Some(page_text)) => language
                                        .prepare_text(vocabulary, &path, page_text)
                                        .map(Some),
                                    (Some(language), Some(vocabulary), None) => {
                                        language.prepare(vocabulary, &path, &r.text).map(Some)
                                    }
                                    _ => Ok(None),
                                };
                                keep_record(r);
                                prepared
                            }))
                        },
                    )
                    .flatten()
                    .collect::<Vec<Result<Option<Prepared>, Diagnostic>>>()
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
    // The related cards were the article pages' own: a build that keeps
    // nothing needs them no more.
    if !keep {
        cards.forget_laid_out();
    }
    problems.extend(render::render_pages(site, templates, cards, &lists, &emit));
    Rendering {
        pages: total,
        problems,
        records: records.into_inner().unwrap_or_else(|e| e.into_inner()),
        articles: kept.into_inner().unwrap_or_else(|e| e.into_inner()),
        cards: social.into_inner().unwrap_or_else(|e| e.into_inner()),
    }
}

/// Where the card of the page written at `file` (`articles/x/index.html`) goes.
pub(super) fn card_path(file: &str) -> String {
    format!(
        "{}{}",
        file.trim_end_matches("index.html"),
        social_cards::FILE
    )
}

/// Draws (or takes from the cache) each card and writes it.
pub(super) fn write_cards(deck: &Deck, cards: &[(String, Card)], writes: &Writes) {
    cards
        .par_iter()
        .for_each(|(path, card)| match deck.png(card) {
            Png::Cached(file) => writes.link(path, &file),
            Png::Drawn(bytes) => writes.write(path, &bytes),
        });
}
