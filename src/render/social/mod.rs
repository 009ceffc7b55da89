//! Social cards (SPEC §10): a 1200×630 PNG beside every article page and
//! the first page of every entity, named by the page's `og:image`. A card
//! is described by a [`Card`], which the page's own render makes through
//! its [`Reader`], so the facts it shows are facts the page read, and a
//! change that alters a card re-renders its page: the pipeline learns the
//! new card with the page (a build draws it, `serve` keeps it to draw on
//! request). Drawing is `layout.rs` (where the words go, as SVG) and
//! `paint.rs` (resvg over the lead image, then PNG), with the fonts of
//! `fonts.rs` embedded in the binary. Cards are byte-identical from build to
//! build, so they are kept in the site's disk cache by what they show: a
//! warm build links the cached file and draws nothing.

mod fonts;
mod layout;
mod paint;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};

use super::reader::Reader;
use crate::checksum::sha256_hex;
use crate::date;

/// Part of every cache key: bump it when a card made from the same inputs
/// would look different (layout, colours, fonts, encoder).
const RENDERER: &str = "briefing card 1";

/// The card's file name beside its page's `index.html`.
pub(crate) const FILE: &str = crate::urls::CARD;
pub(crate) const WIDTH: u32 = layout::WIDTH;
pub(crate) const HEIGHT: u32 = layout::HEIGHT;

/// What a card shows; two equal cards are the same bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Card {
    pub title: String,
    /// At the top right: an article's date, an entity's kind.
    pub corner: String,
    pub site: String,
    /// Under the title: an entity's summary.
    pub summary: Option<String>,
    /// At the bottom: an article's tagged entities (up to three), or how
    /// many articles an entity has.
    pub chips: Vec<String>,
    /// A local raster lead image, drawn under a dark veil.
    pub lead: Option<PathBuf>,
}

/// Article `i`'s card.
pub(crate) fn of_article(r: &Reader, i: usize) -> Card {
    let (article, body) = r.article(i);
    let site = r.fixed();
    Card {
        title: article.title.clone(),
        corner: date::display(article.date),
        site: site.config.title.clone(),
        summary: None,
        chips: tagged_in_order(r, i)
            .into_iter()
            .take(layout::MAX_CHIPS)
            .map(|e| r.identity(e).name.to_string())
            .collect(),
        lead: body
            .lead
            .as_ref()
            .and_then(|lead| lead.file.clone())
            .filter(|file| crate::images::is_raster(file)),
    }
}

/// The entities article `i` is tagged with, kind by kind and in the order
/// its front matter names them (the first are the ones it is most about).
fn tagged_in_order(r: &Reader, i: usize) -> Vec<usize> {
    let tagged = r.tagged(i);
    let (article, _) = r.article(i);
    let ids = &r.fixed().index.entity_ids;
    let mut ordered: Vec<usize> = Vec::new();
    for (kind, list) in article.tags.iter().enumerate() {
        for id in &list.ids {
            let entity = ids.get(&(kind, id.clone())).copied();
            if let Some(e) = entity.filter(|e| tagged.contains(e) && !ordered.contains(e)) {
                ordered.push(e);
            }
        }
    }
    ordered
}

/// Entity `e`'s card: its name, its kind, its summary when its profile has
/// one, and how many articles it has.
pub(crate) fn of_entity(r: &Reader, e: usize) -> Card {
    let site = r.fixed();
    let (entity, _) = r.profile(e);
    let (count, _, _) = r.counts(e);
    let articles = match count {
        1 => "1 article".to_string(),
        n => format!("{n} articles"),
    };
    Card {
        title: entity.name.clone(),
        corner: site.config.kinds[entity.kind].title.clone(),
        site: site.config.title.clone(),
        summary: entity.summary.clone().filter(|s| !s.trim().is_empty()),
        chips: vec![articles],
        lead: None,
    }
}

/// The text of `og:image:alt` for a card.
pub(crate) fn alt(title: &str, site: &str) -> String {
    format!("{title} — {site}")
}

/// Draws cards, once each per content: from the disk cache when it has
/// them, else drawn and put there. Shared by reference between threads.
pub(crate) struct Deck {
    /// The site's `.briefing/cache/`; None keeps nothing.
    cache: Option<PathBuf>,
    ready: OnceLock<Result<(), String>>,
    drawn: AtomicUsize,
    cached: AtomicUsize,
    warnings: Mutex<Vec<String>>,
}

/// A card's bytes, or where they are.
pub(crate) enum Png {
    Cached(PathBuf),
    Drawn(Vec<u8>),
}

impl Deck {
    pub fn new(cache: Option<PathBuf>) -> Deck {
        Deck {
            cache,
            ready: OnceLock::new(),
            drawn: AtomicUsize::new(0),
            cached: AtomicUsize::new(0),
            warnings: Mutex::new(Vec::new()),
        }
    }

    /// Cards drawn, and cards taken from the disk cache, so far.
    pub fn stats(&self) -> (usize, usize) {
        (
            self.drawn.load(Ordering::Relaxed),
            self.cached.load(Ordering::Relaxed),
        )
    }

    /// Why the disk cache could not be written, each reason once.
    pub fn warnings(&self) -> Vec<String> {
        self.warnings
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The card's PNG: the cached file when there is one, else drawn now
    /// (and cached).
    pub fn png(&self, card: &Card) -> Png {
        let background = card.lead.as_deref().and_then(read_lead);
        let key = key(card, background.as_ref().map(|(hash, _)| hash.as_str()));
        let file = self.file(&key);
        if let Some(file) = file.as_ref().filter(|f| f.is_file()) {
            self.cached.fetch_add(1, Ordering::Relaxed);
            return Png::Cached(file.clone());
        }
        let background = background.and_then(|(_, bytes)| crate::images::upright(&bytes));
        let svg = layout::svg(card, background.is_some());
        // Our own SVG always parses; were it not to, the card is a plain
        // one rather than a failed build.
        let bytes = paint::png(&svg, background.as_ref())
            .or_else(|_| paint::png(&layout::svg(card, false), None))
            .unwrap_or_default();
        self.drawn.fetch_add(1, Ordering::Relaxed);
        if let Some(file) = file {
            if let Err(warning) = self.store(&file, &bytes) {
                let mut warnings = self.warnings.lock().unwrap_or_else(PoisonError::into_inner);
                if !warnings.contains(&warning) {
                    warnings.push(warning);
                }
            }
        }
        Png::Drawn(bytes)
    }

    /// The card's bytes, wherever they are.
    pub fn bytes(&self, card: &Card) -> std::io::Result<Vec<u8>> {
        match self.png(card) {
            Png::Cached(file) => std::fs::read(file),
            Png::Drawn(bytes) => Ok(bytes),
        }
    }

    fn file(&self, key: &str) -> Option<PathBuf> {
        let cache = self.cache.as_ref()?;
        Some(cache.join("cards").join(format!("{key}.png")))
    }

    fn store(&self, file: &Path, bytes: &[u8]) -> Result<(), String> {
        let root = self.cache.as_deref().unwrap_or(Path::new("."));
        let cannot =
            |e: std::io::Error| format!("cannot write the card cache in {}: {e}", root.display());
        self.ready
            .get_or_init(|| crate::cachedir::prepare(root).map_err(cannot))
            .clone()?;
        if let Some(folder) = file.parent() {
            std::fs::create_dir_all(folder).map_err(cannot)?;
        }
        crate::cachedir::write_atomically(file, bytes).map_err(cannot)
    }
}

/// The lead image's bytes with their hash, when it can be read (one that
/// cannot is an error of the page already; its card goes without).
fn read_lead(file: &Path) -> Option<(String, Vec<u8>)> {
    let bytes = std::fs::read(file).ok()?;
    Some((sha256_hex(&bytes), bytes))
}

/// The cache key: everything the card shows, the lead image by content.
fn key(card: &Card, lead: Option<&str>) -> String {
    let mut text = format!("{RENDERER}\n");
    for field in [&card.title, &card.corner, &card.site] {
        text.push_str(&field.replace('\n', " "));
        text.push('\n');
    }
    text.push_str(&format!("summary {:?}\n", card.summary));
    text.push_str(&format!("chips {:?}\n", card.chips));
    text.push_str(&format!("lead {:?}\n", lead));
    sha256_hex(text.as_bytes())[..32].to_string()
}

#[cfg(test)]
mod tests;
