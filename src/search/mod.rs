//! Search: the full-text index of the articles, read from the article pages
//! exactly as they were rendered, and written beside them as static files
//! under `pagefind/`. The search page loads it in the reader's browser with
//! Pagefind's script and WebAssembly; nothing runs on a server.
//!
//! The index is ours, in Pagefind's format: Pagefind's own indexer took ten
//! times as long as the rest of a build and over a gigabyte for 10,000
//! articles, mostly in work a generator that knows its pages can skip (see
//! the README's performance section). Pagefind still provides everything
//! that runs in the browser ([`runtime`]).
//!
//! - [`extract`] reads a page by the `data-pagefind-*` markup of the templates;
//! - [`words`] turns its words into the forms the browser looks up;
//! - [`page`] makes one page's positions and fragment, in parallel;
//! - [`index`] merges the pages in the site's article order, so the same
//!   site gives a byte-identical index, and encodes the files;
//! - [`file`] compresses and names each file as Pagefind's script reads it.

use std::collections::BTreeSet;
use std::io;
use std::path::Path;

use rayon::prelude::*;

mod extract;
mod file;
mod index;
mod page;
mod runtime;
mod words;

use crate::diagnostic::Diagnostic;
use crate::render::Sink;
use crate::write;

/// The folder of the bundle, relative to the site root.
pub const BUNDLE_DIR: &str = "pagefind/";

/// The index that points at every other file of the bundle; written last.
const ENTRY: &str = "pagefind-entry.json";

/// Pages read at once: enough to keep every core busy, few enough that
/// their text does not pile up in memory before it is merged.
const BATCH: usize = 256;

/// A built search bundle: site-relative paths (`pagefind/...`) and contents.
#[derive(Debug, Default)]
pub struct Bundle {
    /// The files still to be written (with [`Fragments::Write`], all but
    /// the page fragments).
    pub files: Vec<(String, Vec<u8>)>,
    /// How many pages it indexes.
    pub pages: usize,
}

/// Where each page's fragment file goes once its page is merged.
#[derive(Clone, Copy)]
pub enum Fragments<'a> {
    /// Into the [`Bundle`] with the other files.
    Keep,
    /// Straight to this sink, with its site-relative path: a big site's
    /// fragments (half a gigabyte for 100,000 articles) are then never all
    /// in memory, and are written while the next pages are read.
    Write(&'a Sink<'a>),
}

/// Indexes the pages at the site-relative `paths` (`articles/x/`) as they are
/// written in `dir`. Their URLs in the index are root-relative without the
/// site's base path, which the search page adds, so the index does not
/// depend on where the site is hosted.
pub fn index(
    dir: &Path,
    paths: &[String],
    language: &str,
    fragments: Fragments,
) -> Result<Bundle, Diagnostic> {
    let never = || false;
    index_unless(dir, paths, language, fragments, &never).map(Option::unwrap_or_default)
}

/// [`index`], given up (`None`) as soon as `interrupted` says so before a
/// page: `serve` drops an index that a save has made stale.
pub fn index_unless(
    dir: &Path,
    paths: &[String],
    language: &str,
    fragments: Fragments,
    interrupted: &(dyn Fn() -> bool + Sync),
) -> Result<Option<Bundle>, Diagnostic> {
    if paths.is_empty() {
        // No index of nothing; the search page says so.
        return Ok(Some(Bundle::default()));
    }
    let runtime = runtime::for_language(language).map_err(problem)?;
    let stemmer = runtime.stems.then(|| words::stemmer(language)).flatten();
    let mut index = index::Index::new(language);
    // A batch comes back `None` when interrupted: checked before every
    // page, so that a save waits for one page at most, not a batch.
    let prepare = |batch: &[String]| -> Result<Option<Vec<page::Page>>, Diagnostic> {
        batch
            .par_iter()
            .map_init(
                || words::Vocabulary::new(stemmer.as_ref()),
                |vocabulary, path| {
                    if interrupted() {
                        return Ok(None);
                    }
                    let file = dir.join(path).join("index.html");
                    let unreadable =
                        |e: String| Diagnostic::error(&file, format!("cannot be indexed: {e}"));
                    let html =
                        std::fs::read_to_string(&file).map_err(|e| unreadable(e.to_string()))?;
                    page::prepare(&format!("/{path}"), &html, vocabulary)
                        .map(Some)
                        .map_err(unreadable)
                },
            )
            .collect()
    };
    // Merging is in order, so one thread does it: while it merges a batch,
    // the others prepare the next.
    let mut kept: Vec<(String, Vec<u8>)> = Vec::new();
    // Likewise, merging stops when interrupted (`false`).
    let mut merge = |pages: Vec<page::Page>| -> Result<bool, Diagnostic> {
        for page in pages {
            if interrupted() {
                return Ok(false);
            }
            let (name, contents) = index.add(page);
            let path = format!("{BUNDLE_DIR}{name}");
            match fragments {
                Fragments::Keep => kept.push((path, contents)),
                Fragments::Write(sink) => sink(&path, &contents)?,
            }
        }
        Ok(true)
    };
    let mut prepared = Vec::new();
    for batch in paths.chunks(BATCH) {
        let merging = std::mem::take(&mut prepared);
        let (next, merged) = rayon::join(|| prepare(batch), || merge(merging));
        let (Some(next), true) = (next?, merged?) else {
            return Ok(None);
        };
        prepared = next;
    }
    if !merge(prepared)? {
        return Ok(None);
    }
    let mut files: Vec<(String, Vec<u8>)> = runtime
        .files
        .iter()
        .cloned()
        .chain(index.finish(&runtime.version, runtime.stems))
        .map(|(name, contents)| (format!("{BUNDLE_DIR}{name}"), contents))
        .chain(kept)
        .collect();
    // The entry file last, so that a reader never sees it point at
    // files not yet written.
    files.sort_by(|a, b| (a.0.ends_with(ENTRY), &a.0).cmp(&(b.0.ends_with(ENTRY), &b.0)));
    Ok(Some(Bundle {
        files,
        pages: paths.len(),
    }))
}

fn problem(message: String) -> Diagnostic {
    Diagnostic::setting("search index", message)
}

/// Replaces the bundle in a folder that is being served: every file by an
/// atomic rename, the entry file last, then the files the new bundle no
/// longer uses are removed.
pub fn replace_in_place(dir: &Path, bundle: &Bundle) -> io::Result<()> {
    for (path, bytes) in &bundle.files {
        write::write_file_atomic(dir, path, bytes)?;
    }
    let keep: BTreeSet<&str> = bundle.files.iter().map(|(p, _)| p.as_str()).collect();
    let root = dir.join(BUNDLE_DIR);
    if !root.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(&root).contents_first(true) {
        let entry = entry.map_err(io::Error::other)?;
        let relative = match entry.path().strip_prefix(dir) {
            Ok(r) => r.to_string_lossy().replace('\\', "/"),
            Err(_) => continue,
        };
        if entry.file_type().is_dir() {
            // Removes only folders left empty.
            let _ = std::fs::remove_dir(entry.path());
        } else if !keep.contains(relative.as_str()) {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}
