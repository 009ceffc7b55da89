//! The search index of a site that stays open (`serve`). Each article page
//! is kept, compressed, as it was rendered; a [`SearchJob`] takes them all,
//! on a thread of its own, prepares each for the index and merges them
//! into the bundle the search page loads. The pages are never read back
//! from disk, and a save only compresses the pages it rendered.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::Pipeline;
use crate::diagnostic::Diagnostic;
use crate::search::{Language, Merge, Prepared, BUNDLE_DIR};
use crate::write::InPlace;

/// Article pages prepared or merged at once: enough to keep every core
/// busy, few enough that a save waits for one page at most.
const BATCH: usize = 256;

/// A built search bundle: site-relative paths (`pagefind/...`) and contents.
#[derive(Debug, Default)]
pub struct Bundle {
    /// In the order to write them: the entry file last.
    pub files: Vec<(String, Vec<u8>)>,
    /// How many pages it indexes.
    pub pages: usize,
}

/// One article page as rendered, deflated: a fifth of its size, which is
/// what keeping every page of a big site costs (60 MB for 10,000 pages).
#[derive(Debug)]
pub(crate) struct Packed {
    /// Site-relative (`articles/x/`).
    path: String,
    deflated: Vec<u8>,
}

impl Packed {
    pub(crate) fn new(path: &str, html: &str) -> Packed {
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        // Writing to a vector cannot fail.
        let deflated = match encoder.write_all(html.as_bytes()) {
            Ok(()) => encoder.finish().unwrap_or_default(),
            Err(_) => Vec::new(),
        };
        Packed {
            path: path.to_string(),
            deflated,
        }
    }

    fn html(&self) -> String {
        let mut html = String::new();
        // Our own bytes, deflated above: they inflate.
        let _ = flate2::read::DeflateDecoder::new(&self.deflated[..]).read_to_string(&mut html);
        html
    }
}

/// Everything needed to index the site as it is now, owned, so that it can
/// run while the next change is applied.
pub struct SearchJob {
    pages: Vec<Arc<Packed>>,
    language: String,
    /// The search page, to reload once the index is new.
    pub page_url: String,
}

impl Pipeline {
    /// The search index of the site as it is now; `None` while it has errors.
    pub fn search_job(&self) -> Option<SearchJob> {
        let state = self.state.as_ref()?;
        let site = &state.site;
        if !site.config.search {
            return None;
        }
        Some(SearchJob {
            pages: site
                .ids
                .iter()
                .filter_map(|id| state.pages.get(id).cloned())
                .collect(),
            language: site.config.language.clone(),
            page_url: site.urls.url(crate::urls::SEARCH),
        })
    }
}

impl SearchJob {
    /// A job over the given pages (site-relative path, HTML), for tests.
    #[cfg(test)]
    pub(crate) fn of_pages(language: &str, pages: &[(&str, &str)]) -> SearchJob {
        SearchJob {
            pages: pages
                .iter()
                .map(|(path, html)| Arc::new(Packed::new(path, html)))
                .collect(),
            language: language.to_string(),
            page_url: "/search/".into(),
        }
    }

    /// Prepares and merges the pages, unless `interrupted` says to give up
    /// (`None`), which it is asked before every page: while one batch is
    /// prepared on every core, the batch before it is merged, in order.
    pub fn build(
        &self,
        interrupted: &(dyn Fn() -> bool + Sync),
    ) -> Result<Option<Bundle>, Diagnostic> {
        let language = Language::new(&self.language)?;
        let mut merge = Merge::new(&language);
        let mut files = Vec::with_capacity(self.pages.len() + 64);
        let prepare = |batch: &[Arc<Packed>]| -> Result<Option<Vec<Prepared>>, Diagnostic> {
            batch
                .par_iter()
                .map_init(
                    || language.vocabulary(),
                    |vocabulary, page| {
                        if interrupted() {
                            return Ok(None);
                        }
                        language
                            .prepare(vocabulary, &page.path, &page.html())
                            .map(Some)
                    },
                )
                .collect()
        };
        let mut merge_all = |pages: Vec<Prepared>, files: &mut Vec<(String, Vec<u8>)>| {
            for page in pages {
                if interrupted() {
                    return false;
                }
                files.push(merge.add(page));
            }
            true
        };
        let mut prepared = Vec::new();
        for batch in self.pages.chunks(BATCH) {
            let merging = std::mem::take(&mut prepared);
            let (next, merged) = rayon::join(|| prepare(batch), || merge_all(merging, &mut files));
            let (Some(next), true) = (next?, merged) else {
                return Ok(None);
            };
            prepared = next;
        }
        if !merge_all(prepared, &mut files) {
            return Ok(None);
        }
        let pages = merge.pages();
        files.extend(merge.finish());
        Ok(Some(Bundle { files, pages }))
    }

    /// Builds the index and puts it in the served folder `dir`; returns how
    /// many pages it holds.
    pub fn run(&self, dir: &Path) -> Result<usize, Diagnostic> {
        let bundle = self.build(&|| false)?.unwrap_or_default();
        self.write(dir, &bundle)?;
        Ok(bundle.pages)
    }

    /// Puts a built index in the served folder `dir`, unless the folder is
    /// gone (a full rebuild replaced it in the meantime).
    pub fn write(&self, dir: &Path, bundle: &Bundle) -> Result<(), Diagnostic> {
        if !dir.is_dir() {
            return Ok(());
        }
        InPlace(dir.to_path_buf())
            .replace_folder(BUNDLE_DIR, &bundle.files)
            .map_err(|e| {
                Diagnostic::error(
                    dir.join(BUNDLE_DIR),
                    format!("cannot write the search index: {e}"),
                )
            })
    }
}
