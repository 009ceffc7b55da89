//! Responsive images (SPEC §8): every local raster image a page uses gets
//! its upright size and, when wider than 480 px, WebP versions at 480, 960
//! and 1600 px for a `srcset`.
//!
//! Processing is the slowest thing a build does (a photo takes tens of
//! milliseconds to decode, resize and encode), so it happens once per
//! distinct content: [`Images`] memoises by the SHA-256 of the original's
//! bytes (which, unlike a path or a modification time, cannot go stale while
//! `serve` keeps one `Images` across saves), and keeps what it made in the
//! site's disk cache (`cache.rs`) so that a warm build decodes and encodes
//! nothing. Reading an original is `decode.rs`, making its versions is
//! `encode.rs`. Nothing here knows about pages: the pipeline asks for the
//! files pages use and writes the variants through the output seam.

mod cache;
mod decode;
mod encode;
mod shown;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use rayon::prelude::*;

use crate::checksum::sha256_hex;
use cache::{Cache, Entry, Stored};
use decode::Decoded;
pub(crate) use shown::{is_raster, Attributes, Shown};

/// Where a site keeps what it made between builds (SPEC §8), under its root.
pub(crate) const CACHE_DIR: &str = ".briefing/cache";

/// The `sizes` attribute that goes with [`srcset`]: images fill the text
/// column of the built-in layout (`.prose`, 70ch of 18 px serif, about
/// 700 px) and the whole viewport below that.
pub(crate) const SIZES: &str = "(max-width: 720px) 100vw, 720px";

/// How many hex digits of the WebP's SHA-256 name a variant, as the
/// fingerprinted CSS and JS do.
const HASH_DIGITS: usize = 10;

/// What one original became, remembered per content. Errors are kept too:
/// the same bytes fail the same way.
type Cell = Arc<OnceLock<Result<Arc<Picture>, String>>>;

/// Processes the images a build uses, once each, and keeps what it made.
/// Shared by reference between rayon workers.
pub(crate) struct Images {
    cache: Option<Cache>,
    memo: Mutex<HashMap<String, Cell>>,
    decoded: AtomicUsize,
    encoded: AtomicUsize,
    cached: AtomicUsize,
    warnings: Mutex<Vec<String>>,
}

/// An original as a page shows it.
#[derive(Debug)]
pub(crate) struct Picture {
    /// Upright size (after the EXIF orientation), from the original.
    pub width: u32,
    pub height: u32,
    /// false for an animated image (GIF, APNG, WebP): left as it is, with
    /// no variants.
    pub responsive: bool,
    /// WebP versions at those of 480, 960 and 1600 px that are narrower than
    /// the original, ascending; empty when it is 480 px wide or narrower.
    pub variants: Vec<Variant>,
}

/// One WebP version of an original.
#[derive(Debug)]
pub(crate) struct Variant {
    pub width: u32,
    pub height: u32,
    /// The first hex digits of the SHA-256 of the WebP bytes.
    pub hash: String,
    body: Body,
}

/// Where a variant's bytes are: in the disk cache when it could be written
/// (so a big site's images are not all held in memory), else here.
#[derive(Debug)]
enum Body {
    File(PathBuf),
    Memory(Vec<u8>),
}

/// What an [`Images`] did since it was made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Stats {
    /// Originals whose pixels were decoded.
    pub decoded: usize,
    /// WebP variants encoded.
    pub encoded: usize,
    /// Originals whose picture came from the disk cache.
    pub cached: usize,
}

impl Variant {
    /// `<stem>-<width>.<hash>.webp` (SPEC §8), for an original named `<stem>.<ext>`.
    pub fn file_name(&self, stem: &str) -> String {
        format!("{stem}-{}.{}.webp", self.width, self.hash)
    }

    /// The WebP bytes.
    pub fn bytes(&self) -> io::Result<Cow<'_, [u8]>> {
        match &self.body {
            Body::File(path) => fs::read(path).map(Cow::Owned),
            Body::Memory(bytes) => Ok(Cow::Borrowed(bytes)),
        }
    }

    fn on_disk(&self) -> bool {
        match &self.body {
            Body::File(path) => path.is_file(),
            Body::Memory(_) => true,
        }
    }
}

/// The still image in `bytes`, upright, for what draws over it (a social
/// card's background); `None` for what cannot be read, and for an
/// animated image.
pub(crate) fn upright(bytes: &[u8]) -> Option<image::DynamicImage> {
    match decode::decode(bytes) {
        Ok(Decoded::Still(image)) => Some(image),
        _ => None,
    }
}

/// Characters that would end or split a `srcset` candidate, or an HTML
/// attribute, if a file name held them.
const SRCSET_UNSAFE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b',')
    .add(b'"')
    .add(b'\'')
    .add(b'<')
    .add(b'>')
    .add(b'&')
    .add(b'%')
    .add(b'#')
    .add(b'?');

/// The `srcset` of a picture whose variants are published at `base` (a URL
/// ending in `/`, such as `/briefing/articles/llama/`) followed by their
/// file names; those are percent-encoded here. Empty when there are none.
/// Goes with [`SIZES`].
pub(crate) fn srcset(base: &str, stem: &str, picture: &Picture) -> String {
    let candidates: Vec<String> = picture
        .variants
        .iter()
        .map(|v| {
            let name = utf8_percent_encode(&v.file_name(stem), SRCSET_UNSAFE).to_string();
            format!("{base}{name} {}w", v.width)
        })
        .collect();
    candidates.join(", ")
}

impl Images {
    /// `cache`: the site's `.briefing/cache/` folder; None keeps everything
    /// in memory.
    pub fn new(cache: Option<PathBuf>) -> Images {
        Images {
            cache: cache.map(Cache::new),
            memo: Mutex::new(HashMap::new()),
            decoded: AtomicUsize::new(0),
            encoded: AtomicUsize::new(0),
            cached: AtomicUsize::new(0),
            warnings: Mutex::new(Vec::new()),
        }
    }

    /// Processes these originals in parallel, so that the pages' [`get`]s
    /// are lookups.
    ///
    /// [`get`]: Images::get
    pub fn prepare(&self, sources: &[PathBuf]) {
        sources.par_iter().for_each(|source| {
            // The result is memoised; the page that uses the file gets it
            // (error included) from its own `get`, with its own file:line.
            let _ = self.get(source);
        });
    }

    /// The picture of the original at `source` (a local PNG, JPEG, WebP or
    /// GIF). Reads and hashes the file at every call, and processes each
    /// distinct content at most once per `Images`, however many threads
    /// ask. Err: why it cannot be used, to follow the file's name in a
    /// message ("cannot be decoded as PNG: …").
    pub fn get(&self, source: &Path) -> Result<Arc<Picture>, String> {
        let bytes = fs::read(source).map_err(|e| format!("cannot be read: {e}"))?;
        let key = sha256_hex(&bytes);
        let cell = self.cell(&key);
        let result = cell.get_or_init(|| self.process(&key, &bytes)).clone();
        match result {
            // Someone deleted the cache (it is safe to) while we held on to
            // its files: forget them and make the picture again.
            Ok(picture) if !picture.variants.iter().all(Variant::on_disk) => {
                self.forget(&key, &cell);
                self.cell(&key)
                    .get_or_init(|| self.process(&key, &bytes))
                    .clone()
            }
            result => result,
        }
    }

    pub fn stats(&self) -> Stats {
        Stats {
            decoded: self.decoded.load(Ordering::Relaxed),
            encoded: self.encoded.load(Ordering::Relaxed),
            cached: self.cached.load(Ordering::Relaxed),
        }
    }

    /// Why the disk cache could not be written, each reason once. The build
    /// goes on without it (the pictures are kept in memory instead).
    pub fn warnings(&self) -> Vec<String> {
        self.warnings
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn cell(&self, key: &str) -> Cell {
        let mut memo = self.memo.lock().unwrap_or_else(PoisonError::into_inner);
        memo.entry(key.to_string()).or_default().clone()
    }

    fn forget(&self, key: &str, cell: &Cell) {
        let mut memo = self.memo.lock().unwrap_or_else(PoisonError::into_inner);
        if memo
            .get(key)
            .is_some_and(|current| Arc::ptr_eq(current, cell))
        {
            memo.remove(key);
        }
    }

    fn warn(&self, warning: String) {
        let mut warnings = self.warnings.lock().unwrap_or_else(PoisonError::into_inner);
        if !warnings.contains(&warning) {
            warnings.push(warning);
        }
    }

    /// Makes the picture of `bytes` (whose SHA-256 is `key`): from the disk
    /// cache when it has it, else by decoding and encoding, then cached.
    fn process(&self, key: &str, bytes: &[u8]) -> Result<Arc<Picture>, String> {
        if let Some(cache) = &self.cache {
            if let Some(entry) = cache.load(key) {
                self.cached.fetch_add(1, Ordering::Relaxed);
                return Ok(Arc::new(from_cache(cache, key, entry)));
            }
        }
        let (entry, webps) = match decode::decode(bytes)? {
            Decoded::Animated { width, height } => {
                let entry = Entry {
                    width,
                    height,
                    responsive: false,
                    variants: Vec::new(),
                };
                (entry, Vec::new())
            }
            Decoded::Still(image) => {
                self.decoded.fetch_add(1, Ordering::Relaxed);
                let encoded = encode::variants(&image)?;
                self.encoded.fetch_add(encoded.len(), Ordering::Relaxed);
                let variants = encoded
                    .iter()
                    .map(|e| Stored {
                        width: e.width,
                        height: e.height,
                        hash: sha256_hex(&e.webp)[..HASH_DIGITS].to_string(),
                        len: e.webp.len() as u64,
                    })
                    .collect();
                let entry = Entry {
                    width: image.width(),
                    height: image.height(),
                    responsive: true,
                    variants,
                };
                (entry, encoded.into_iter().map(|e| e.webp).collect())
            }
        };
        if let Some(cache) = &self.cache {
            let slices: Vec<&[u8]> = webps.iter().map(Vec::as_slice).collect();
            match cache.store(key, &entry, &slices) {
                Ok(()) => return Ok(Arc::new(from_cache(cache, key, entry))),
                Err(warning) => self.warn(warning),
            }
        }
        Ok(Arc::new(in_memory(entry, webps)))
    }
}

fn from_cache(cache: &Cache, key: &str, entry: Entry) -> Picture {
    let variants = entry
        .variants
        .into_iter()
        .map(|v| Variant {
            body: Body::File(cache.variant_path(key, v.width)),
            width: v.width,
            height: v.height,
            hash: v.hash,
        })
        .collect();
    Picture {
        width: entry.width,
        height: entry.height,
        responsive: entry.responsive,
        variants,
    }
}

fn in_memory(entry: Entry, webps: Vec<Vec<u8>>) -> Picture {
    let variants = entry
        .variants
        .into_iter()
        .zip(webps)
        .map(|(v, bytes)| Variant {
            body: Body::Memory(bytes),
            width: v.width,
            height: v.height,
            hash: v.hash,
        })
        .collect();
    Picture {
        width: entry.width,
        height: entry.height,
        responsive: entry.responsive,
        variants,
    }
}
