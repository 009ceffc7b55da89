//! Search: the full-text index of the articles, made from the article
//! pages as the render stage hands them over (never read back from disk),
//! and written beside them as static files under `pagefind/`. The search
//! page loads it in the reader's browser with Pagefind's script and
//! WebAssembly; nothing runs on a server.
//!
//! The index is ours, in Pagefind's format: Pagefind's own indexer took ten
//! times as long as the rest of a build and over a gigabyte for 10,000
//! articles, mostly in work a generator that knows its pages can skip.
//! Pagefind still provides everything that runs in the browser ([`runtime`]).
//!
//! - [`extract`] reads a page by the `data-pagefind-*` markup of the templates;
//! - [`words`] turns its words into the forms the browser looks up;
//! - [`page`] makes one page's positions and fragment ([`Language::prepare`]),
//!   in parallel;
//! - [`index`] merges the pages in the site's article order ([`Merge`]), so
//!   the same site gives a byte-identical index, and encodes the files;
//! - [`file`] compresses and names each file as Pagefind's script reads it.
//!
//! Who renders which page when, and where the files go, is the pipeline's
//! business: this module only turns pages into files.

use std::sync::Arc;

mod extract;
mod fields;
mod file;
mod index;
mod page;
mod runtime;
mod words;

use crate::diagnostic::Diagnostic;
pub(crate) use extract::{read_events, read_fragment, PageText, Transcript};
pub(crate) use page::Page as Prepared;
pub(crate) use words::Vocabulary;

/// The folder of the bundle, relative to the site root.
pub(crate) const BUNDLE_DIR: &str = crate::urls::SEARCH_BUNDLE;

/// The index that points at every other file of the bundle; written last.
const ENTRY: &str = "pagefind-entry.json";

/// How a site's language is indexed: Pagefind's runtime for it and its stemmer.
pub(crate) struct Language {
    code: String,
    runtime: Arc<runtime::Runtime>,
    stemmer: Option<pagefind_stem::Stemmer>,
}

impl Language {
    pub(crate) fn new(code: &str) -> Result<Language, Diagnostic> {
        let runtime = runtime::for_language(code).map_err(problem)?;
        let stemmer = runtime.stems.then(|| words::stemmer(code)).flatten();
        Ok(Language {
            code: code.to_string(),
            runtime,
            stemmer,
        })
    }

    /// A memory of word forms, one per thread.
    pub(crate) fn vocabulary(&self) -> Vocabulary<'_> {
        Vocabulary::new(self.stemmer.as_ref())
    }

    /// One rendered page, ready to merge. `path` is its site-relative path
    /// (`articles/x/`): URLs in the index are root-relative without the
    /// site's base path, which the search page adds, so the index does not
    /// depend on where the site is hosted.
    pub(crate) fn prepare(
        &self,
        vocabulary: &mut Vocabulary,
        path: &str,
        html: &str,
    ) -> Result<Prepared, Diagnostic> {
        let page_text = extract::read(html).map_err(|e| unindexable(path, &e))?;
        self.prepare_text(vocabulary, path, &page_text)
    }

    /// One page from the text the pipeline holds for it, already laid out
    /// as its page would read ([`Transcript`]).
    pub(crate) fn prepare_text(
        &self,
        vocabulary: &mut Vocabulary,
        path: &str,
        page_text: &PageText,
    ) -> Result<Prepared, Diagnostic> {
        self.prepare_parts(vocabulary, path, &page_text.text, page_text)
    }

    /// Like [`Language::prepare_text`], with the text apart from the rest
    /// of `page_text` ([`page::from_parts`]).
    pub(crate) fn prepare_parts(
        &self,
        vocabulary: &mut Vocabulary,
        path: &str,
        text: &str,
        page_text: &PageText,
    ) -> Result<Prepared, Diagnostic> {
        page::from_parts(&format!("/{path}"), text, page_text, vocabulary)
            .map_err(|e| unindexable(path, &e))
    }
}

/// The page at `path` could not be indexed.
fn unindexable(path: &str, problem: &str) -> Diagnostic {
    Diagnostic::error(
        format!("{path}index.html"),
        format!("cannot be indexed: {problem}"),
    )
}

/// Pages merged into one index, in the order they are added.
pub(crate) struct Merge<'l> {
    language: &'l Language,
    index: index::Index,
    pages: usize,
}

impl<'l> Merge<'l> {
    pub(crate) fn new(language: &'l Language) -> Self {
        Merge {
            language,
            index: index::Index::new(&language.code),
            pages: 0,
        }
    }

    /// Adds the next page; returns its fragment file (site-relative path
    /// and bytes), which nothing else refers to until [`Merge::finish`].
    pub(crate) fn add(&mut self, page: Prepared) -> (String, Vec<u8>) {
        self.pages += 1;
        let (name, contents) = self.index.add(page);
        (format!("{BUNDLE_DIR}{name}"), contents)
    }

    /// Every other file of the bundle, site-relative, in the order to write
    /// them: the entry file last, so that a reader never sees it point at
    /// files not yet written. With no page, no index at all: the search
    /// page says so.
    pub(crate) fn finish(mut self) -> Vec<(String, Vec<u8>)> {
        match self.pages {
            0 => Vec::new(),
            _ => bundle_files(self.language, &mut self.index, None),
        }
    }
}

/// A gzipped fragment to keep, without the room [`file::gzip`] reserved for
/// input that did not compress: over the 10,000 fragments a [`Live`] index
/// keeps, that room came to about 45 MB.
fn kept(mut fragment: Vec<u8>) -> Vec<u8> {
    fragment.shrink_to_fit();
    fragment
}

/// The files of a bundle but the fragments, site-relative, the entry last.
fn bundle_files(
    language: &Language,
    index: &mut index::Index,
    cache: Option<&mut index::ChunkCache>,
) -> Vec<(String, Vec<u8>)> {
    let runtime = &language.runtime;
    let mut files: Vec<(String, Vec<u8>)> = runtime
        .files
        .iter()
        .cloned()
        .chain(index.finish(&runtime.version, runtime.stems, cache))
        .map(|(name, contents)| (format!("{BUNDLE_DIR}{name}"), contents))
        .collect();
    files.sort_by(|a, b| (a.0.ends_with(ENTRY), &a.0).cmp(&(b.0.ends_with(ENTRY), &b.0)));
    files
}

/// An index kept between changes (`serve`): merged once, then changed a
/// page at a time ([`Live::replace`]) and finished again, giving the same
/// bytes as a [`Merge`] of the same pages.
pub(crate) struct Live {
    language: Language,
    index: index::Index,
    /// Each page's fragment file, site-relative, by page number.
    fragments: Vec<(String, Vec<u8>)>,
    cache: index::ChunkCache,
}

/// A change [`Live::replace`] cannot make in place; see [`index::Rebuild`].
pub(crate) use index::Rebuild;

impl Live {
    pub(crate) fn new(language: Language) -> Live {
        let index = index::Index::new(&language.code);
        Live {
            language,
            index,
            fragments: Vec::new(),
            cache: index::ChunkCache::default(),
        }
    }

    pub(crate) fn language(&self) -> &Language {
        &self.language
    }

    /// Adds the next page.
    pub(crate) fn add(&mut self, page: Prepared) {
        let (name, contents) = self.index.add(page);
        self.fragments
            .push((format!("{BUNDLE_DIR}{name}"), kept(contents)));
    }

    /// Puts `new` in place of page `number`, which was `old`. After
    /// [`Rebuild`], drop this index.
    pub(crate) fn replace(
        &mut self,
        number: usize,
        old: Prepared,
        new: Prepared,
    ) -> Result<(), Rebuild> {
        let (name, contents) = self.index.replace(number, old, new)?;
        self.fragments[number] = (format!("{BUNDLE_DIR}{name}"), kept(contents));
        // A name that met another's may have changed with it.
        for (i, (path, _)) in self.fragments.iter_mut().enumerate() {
            if let Some(name) = self.index.fragment_path(i) {
                if !path.ends_with(&name) {
                    *path = format!("{BUNDLE_DIR}{name}");
                }
            }
        }
        Ok(())
    }

    pub(crate) fn pages(&self) -> usize {
        self.fragments.len()
    }

    /// Every file of the bundle, as [`Merge::add`] and [`Merge::finish`]
    /// give them together.
    pub(crate) fn files(&mut self) -> Vec<(String, Vec<u8>)> {
        if self.fragments.is_empty() {
            return Vec::new();
        }
        let mut files = self.fragments.clone();
        files.extend(bundle_files(
            &self.language,
            &mut self.index,
            Some(&mut self.cache),
        ));
        files
    }
}

fn problem(message: String) -> Diagnostic {
    Diagnostic::setting("search index", message)
}
