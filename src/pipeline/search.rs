//! The search index of a site that stays open (`serve`): each article page
//! is prepared for the index when it is rendered, and kept; a
//! [`SearchJob`] merges them all, on a thread of its own, into the bundle
//! the search page loads. The pages are never read back from disk.

use std::path::Path;
use std::sync::Arc;

use super::Pipeline;
use crate::diagnostic::Diagnostic;
use crate::search::{Language, Merge, Prepared, BUNDLE_DIR};
use crate::write::InPlace;

/// A built search bundle: site-relative paths (`pagefind/...`) and contents.
#[derive(Debug, Default)]
pub struct Bundle {
    /// In the order to write them: the entry file last.
    pub files: Vec<(String, Vec<u8>)>,
    /// How many pages it indexes.
    pub pages: usize,
}

/// Everything needed to index the site as it is now, owned, so that it can
/// run while the next change is applied.
pub struct SearchJob {
    pages: Vec<Arc<Prepared>>,
    language: String,
    /// The search page, to reload once the index is new.
    pub page_url: String,
}

impl Pipeline {
    /// The search index of the site as it is now; `None` while it has errors.
    pub fn search_job(&self) -> Option<SearchJob> {
        let state = self.state.as_ref()?;
        let site = &state.site;
        Some(SearchJob {
            pages: site
                .ids
                .iter()
                .filter_map(|id| state.prepared.get(id).cloned())
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
        let indexing = Language::new(language).expect("a known language");
        let mut vocabulary = indexing.vocabulary();
        let pages = pages
            .iter()
            .map(|(path, html)| {
                let page = indexing.prepare(&mut vocabulary, path, html);
                Arc::new(page.expect("an indexable page"))
            })
            .collect();
        SearchJob {
            pages,
            language: language.to_string(),
            page_url: "/search/".into(),
        }
    }

    /// Merges the pages, unless `interrupted` says to give up (`None`).
    pub fn build(
        &self,
        interrupted: &(dyn Fn() -> bool + Sync),
    ) -> Result<Option<Bundle>, Diagnostic> {
        let language = Language::new(&self.language)?;
        let mut merge = Merge::new(&language);
        let mut files = Vec::with_capacity(self.pages.len() + 64);
        for page in &self.pages {
            if interrupted() {
                return Ok(None);
            }
            files.push(merge.add(Prepared::clone(page)));
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
