//! The search index of a site that stays open (`serve`). Each article page
//! is kept, compressed, as it was rendered; a [`SearchJob`] takes them all,
//! on a thread of its own, prepares each for the index and merges them
//! into the bundle the search page loads. The pages are never read back
//! from disk, and a save only compresses the pages it rendered.
//!
//! The index is kept between jobs ([`Kept`]): a save that re-rendered a
//! few articles, the others the same pages in the same order, prepares
//! only those (and their old versions, to know which postings to take
//! out), puts them in place in the merged index, compresses only the word
//! chunks whose bytes changed, and writes only the files that changed. The
//! bundle is byte for byte what indexing everything gives. When articles
//! are added, removed or re-dated, page numbers move, and everything is
//! indexed again, still on the indexer's thread.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::Pipeline;
use crate::diagnostic::Diagnostic;
use crate::packed;
use crate::render::Rendered;
use crate::search::{Language, Live, PageText, Prepared, Vocabulary, BUNDLE_DIR};
use crate::write::{InPlace, Output};

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
    /// How many of them were prepared for it (the others were kept).
    pub prepared: usize,
}

/// A search index kept between jobs, for [`SearchJob::update`], and the
/// files it last wrote.
pub struct Kept {
    language: String,
    /// The pages it indexes, as the job gave them.
    pages: Vec<Arc<Packed>>,
    live: Live,
    /// The served folder and the files last written into it, each by a
    /// digest of its bytes ([`digest`]) rather than a copy of them (35 MB
    /// at 10,000 articles).
    written: Option<(PathBuf, FxHashMap<String, Digest>)>,
}

/// A file's length and a hash of its bytes, to tell whether a file of the
/// bundle changed since it was last written. The files but the entry and
/// the runtime's are named by their content's SHA-256 as well, so two
/// different files at one path would have to share both to be taken for
/// the same. A fast hash rather than [`crate::checksum::sha256_hex`]: every
/// save hashes the whole bundle (35 MB at 10,000 articles) while the search
/// page waits.
type Digest = (usize, u64);

fn digest(bytes: &[u8]) -> Digest {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = rustc_hash::FxBuildHasher.build_hasher();
    hasher.write(bytes);
    (bytes.len(), hasher.finish())
}

/// What the index is made from for one article page, kept between jobs:
/// its text as the pipeline laid it out (the text itself compressed with
/// LZ4; 47 MB plain for 10,000 pages), or else (a site's own article
/// layout) the rendered page, compressed with LZ4 to about a third of its
/// size (75 MB for 10,000 pages). Deflate makes a quarter, but it is made while
/// a save waits, and it cost a template edit of 10,000 such pages 0.3 s
/// more in `serve`.
#[derive(Debug)]
pub(crate) struct Packed {
    /// Site-relative (`articles/x/`).
    path: String,
    text: Text,
}

#[derive(Debug)]
enum Text {
    /// The laid-out text, its `text` (most of it) compressed apart.
    Laid { text: packed::Text, rest: PageText },
    /// The page, compressed.
    Page(packed::Text),
}

impl Packed {
    /// The article page `rendered`, at `path`; takes its laid-out text.
    pub(crate) fn new(path: &str, rendered: &mut Rendered) -> Packed {
        let text = match rendered.search.take() {
            Some(mut rest) => Text::Laid {
                text: packed::Text::packed(&std::mem::take(&mut rest.text)),
                rest,
            },
            None => Text::Page(packed::Text::packed(&rendered.text)),
        };
        Packed {
            path: path.to_string(),
            text,
        }
    }

    /// The page ready to merge.
    pub(crate) fn prepare(
        &self,
        language: &Language,
        vocabulary: &mut Vocabulary,
    ) -> Result<Prepared, Diagnostic> {
        match &self.text {
            Text::Laid { text, rest } => {
                language.prepare_parts(vocabulary, &self.path, &text.as_str(), rest)
            }
            Text::Page(page) => language.prepare(vocabulary, &self.path, &page.as_str()),
        }
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

#[cfg(test)]
impl Packed {
    fn of_html(path: &str, html: &str) -> Packed {
        Packed {
            path: path.to_string(),
            text: Text::Page(packed::Text::packed(html)),
        }
    }
}

impl SearchJob {
    /// A job over the given pages (site-relative path, HTML), for tests.
    #[cfg(test)]
    pub(crate) fn of_pages(language: &str, pages: &[(&str, &str)]) -> SearchJob {
        SearchJob {
            pages: pages
                .iter()
                .map(|(path, html)| Arc::new(Packed::of_html(path, html)))
                .collect(),
            language: language.to_string(),
            page_url: "/search/".into(),
        }
    }

    /// Prepares and merges the pages, unless `interrupted` says to give up
    /// (`None`), which it is asked before every page.
    pub fn build(
        &self,
        interrupted: &(dyn Fn() -> bool + Sync),
    ) -> Result<Option<Bundle>, Diagnostic> {
        let Some(mut live) = self.merge(interrupted)? else {
            return Ok(None);
        };
        Ok(Some(Bundle {
            files: live.files(),
            pages: live.pages(),
            prepared: self.pages.len(),
        }))
    }

    /// Like [`SearchJob::build`], but from the index `kept` of an earlier
    /// job, when this one has the same articles in the same order: only the
    /// pages rendered since are prepared and put in place of their old
    /// selves (each old page is prepared again, to know what to take out).
    /// Anything else (articles added, removed or in a new order, a new
    /// language, most pages new, or a page [`Live::replace`] cannot put in
    /// place) indexes everything. `kept` is then this job's index.
    pub fn update(
        &self,
        kept: &mut Option<Kept>,
        interrupted: &(dyn Fn() -> bool + Sync),
    ) -> Result<Option<Bundle>, Diagnostic> {
        if let Some(k) = kept.as_mut().filter(|k| self.continues(k)) {
            let changed: Vec<usize> = (0..self.pages.len())
                .filter(|&i| !Arc::ptr_eq(&k.pages[i], &self.pages[i]))
                .collect();
            if changed.len() <= self.pages.len() / 8 {
                let language = k.live.language();
                let prepared: Option<Vec<(usize, Prepared, Prepared)>> = changed
                    .par_iter()
                    .map_init(
                        || language.vocabulary(),
                        |vocabulary, &i| {
                            if interrupted() {
                                return Ok(None);
                            }
                            let (old, new) = (&k.pages[i], &self.pages[i]);
                            let old = old.prepare(language, vocabulary)?;
                            let new = new.prepare(language, vocabulary)?;
                            Ok(Some((i, old, new)))
                        },
                    )
                    .collect::<Result<_, Diagnostic>>()?;
                let Some(prepared) = prepared else {
                    return Ok(None);
                };
                let replaced = prepared
                    .into_iter()
                    .try_for_each(|(i, old, new)| k.live.replace(i, old, new));
                if replaced.is_ok() {
                    k.pages.clone_from(&self.pages);
                    return Ok(Some(Bundle {
                        files: k.live.files(),
                        pages: k.live.pages(),
                        prepared: changed.len(),
                    }));
                }
            }
        }
        *kept = None;
        let Some(mut live) = self.merge(interrupted)? else {
            return Ok(None);
        };
        let bundle = Bundle {
            files: live.files(),
            pages: live.pages(),
            prepared: self.pages.len(),
        };
        *kept = Some(Kept {
            language: self.language.clone(),
            pages: self.pages.clone(),
            live,
            written: None,
        });
        Ok(Some(bundle))
    }

    /// Whether this job has the articles of `kept`'s, in the same order.
    fn continues(&self, kept: &Kept) -> bool {
        kept.language == self.language
            && kept.pages.len() == self.pages.len()
            && kept
                .pages
                .iter()
                .zip(&self.pages)
                .all(|(a, b)| a.path == b.path)
    }

    /// Every page prepared and merged: while one batch is prepared on
    /// every core, the batch before it is merged, in order.
    fn merge(&self, interrupted: &(dyn Fn() -> bool + Sync)) -> Result<Option<Live>, Diagnostic> {
        let language = Language::new(&self.language)?;
        let prepare = |batch: &[Arc<Packed>]| -> Result<Option<Vec<Prepared>>, Diagnostic> {
            batch
                .par_iter()
                .map_init(
                    || language.vocabulary(),
                    |vocabulary, page| {
                        if interrupted() {
                            return Ok(None);
                        }
                        page.prepare(&language, vocabulary).map(Some)
                    },
                )
                .collect()
        };
        let mut live = Live::new(Language::new(&self.language)?);
        let merge_all = |pages: Vec<Prepared>, live: &mut Live| {
            for page in pages {
                if interrupted() {
                    return false;
                }
                live.add(page);
            }
            true
        };
        let mut prepared = Vec::new();
        for batch in self.pages.chunks(BATCH) {
            let merging = std::mem::take(&mut prepared);
            let (next, merged) = rayon::join(|| prepare(batch), || merge_all(merging, &mut live));
            let (Some(next), true) = (next?, merged) else {
                return Ok(None);
            };
            prepared = next;
        }
        if !merge_all(prepared, &mut live) {
            return Ok(None);
        }
        Ok(Some(live))
    }

    /// Puts a bundle made by [`SearchJob::update`] in the served folder
    /// `dir`, writing only the files that differ from the last bundle
    /// `kept` wrote there; returns how many pages it indexes.
    pub fn write_kept(
        &self,
        dir: &Path,
        bundle: Bundle,
        kept: &mut Option<Kept>,
    ) -> Result<usize, Diagnostic> {
        let pages = bundle.pages;
        let previous = kept
            .as_mut()
            .and_then(|k| k.written.take())
            .filter(|(written, _)| written == dir);
        let written = match previous {
            None => self.write(dir, &bundle),
            Some((_, before)) if dir.is_dir() => {
                let out = InPlace(dir.to_path_buf());
                let problem = |e: std::io::Error| {
                    Diagnostic::error(
                        dir.join(BUNDLE_DIR),
                        format!("cannot write the search index: {e}"),
                    )
                };
                for (path, bytes) in &bundle.files {
                    if before.get(path) != Some(&digest(bytes)) {
                        out.write(path, bytes).map_err(problem)?;
                    }
                }
                let now: FxHashSet<&str> = bundle.files.iter().map(|(p, _)| p.as_str()).collect();
                for path in before.keys().filter(|p| !now.contains(p.as_str())) {
                    out.remove(path).map_err(problem)?;
                }
                Ok(())
            }
            Some(_) => Ok(()),
        };
        written?;
        if let Some(k) = kept.as_mut() {
            let digests = bundle
                .files
                .iter()
                .map(|(path, bytes)| (path.clone(), digest(bytes)));
            k.written = Some((dir.to_path_buf(), digests.collect()));
        }
        Ok(pages)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn html(title: &str, body: &str, company: &str) -> String {
        format!(
            "<html><body><main data-pagefind-body><h1>{title}</h1><p>{body}</p>\
             <span data-pagefind-filter=\"Companies\">{company}</span></main></body></html>"
        )
    }

    fn job(pages: &[Arc<Packed>]) -> SearchJob {
        SearchJob {
            pages: pages.to_vec(),
            language: "en".into(),
            page_url: "/search/".into(),
        }
    }

    fn page(n: usize, body: &str, company: &str) -> Arc<Packed> {
        let path = format!("articles/a{n}/");
        Arc::new(Packed::of_html(
            &path,
            &html(&format!("Article {n}"), body, company),
        ))
    }

    #[test]
    fn a_changed_page_is_the_only_one_indexed_again_and_gives_a_build_s_bytes() {
        let mut pages: Vec<Arc<Packed>> = (0..40)
            .map(|n| {
                let accent = ["café", "cafe", "Café", "", "naïve crème"][n % 5];
                let body = format!("Open weights {accent} model {n} by lab {} today.", n % 7);
                page(n, &body, ["OpenAI", "Meta", "Mistral"][n % 3])
            })
            .collect();
        let mut kept = None;
        let first = job(&pages).update(&mut kept, &|| false).unwrap().unwrap();
        assert_eq!((first.pages, first.prepared), (40, 40));

        // New words, words gone, another company, on one page; then another.
        for (n, body, company) in [
            (12, "Quantized weights zebrafish arrive.", "Anthropic"),
            (0, "Model one released by lab two yesterday.", "OpenAI"),
            (39, "", "Meta"),
            (2, "No coffee here.", "Meta"),
            (1, "Zürich café, crème naïve, Café.", "Meta"),
            (0, "Crème first, then café and cafés.", "Meta"),
            (5, "Nothing.", "Meta"),
        ] {
            pages[n] = page(n, body, company);
            let job = job(&pages);
            let updated = job.update(&mut kept, &|| false).unwrap().unwrap();
            assert_eq!(updated.prepared, 1, "only the changed page");
            let built = job.build(&|| false).unwrap().unwrap();
            assert_eq!(updated.files.len(), built.files.len());
            for (a, b) in updated.files.iter().zip(&built.files) {
                assert_eq!(a.0, b.0);
                assert!(a.1 == b.1, "{} differs from a full index", a.0);
            }
        }

        // Another order: everything again.
        pages.swap(3, 4);
        let again = job(&pages).update(&mut kept, &|| false).unwrap().unwrap();
        assert_eq!(again.prepared, 40);
    }

    #[test]
    fn only_the_files_that_changed_are_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let mut pages: Vec<Arc<Packed>> = (0..10)
            .map(|n| page(n, &format!("Words of page {n}."), "Meta"))
            .collect();
        let mut kept = None;
        let job1 = job(&pages);
        let bundle = job1.update(&mut kept, &|| false).unwrap().unwrap();
        job1.write_kept(dir.path(), bundle, &mut kept).unwrap();
        let fragment = |dir: &Path| -> Vec<PathBuf> {
            let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir.join(BUNDLE_DIR))
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.path().to_path_buf())
                .collect();
            files.sort();
            files
        };
        pages[5] = page(5, "Entirely new words here.", "Meta");
        let job2 = job(&pages);
        let bundle = job2.update(&mut kept, &|| false).unwrap().unwrap();
        let expected: Vec<PathBuf> = {
            let mut v: Vec<PathBuf> = bundle
                .files
                .iter()
                .map(|(p, _)| dir.path().join(p))
                .collect();
            v.sort();
            v
        };
        job2.write_kept(dir.path(), bundle, &mut kept).unwrap();
        assert_eq!(fragment(dir.path()), expected, "old files are removed");
        let other = tempfile::tempdir().unwrap();
        let full = job2.build(&|| false).unwrap().unwrap();
        job2.write(other.path(), &full).unwrap();
        for (path, bytes) in &full.files {
            assert_eq!(
                &std::fs::read(dir.path().join(path)).unwrap(),
                bytes,
                "{path}"
            );
        }
    }
}
