//! Search: the full-text index of the articles, made by Pagefind from the
//! article pages exactly as they were rendered, and written beside them as
//! static files under `pagefind/`. The search page loads it in the reader's
//! browser; nothing runs on a server.
//!
//! Pagefind reads what the templates mark: `data-pagefind-body` on the part of
//! an article page worth indexing, `data-pagefind-filter` on its company and
//! topic tags. Pages are fed in the site's article order, so the same site
//! gives a byte-identical index. This module does not render, and does not
//! decide where the bundle goes beyond its folder name.

use std::collections::BTreeSet;
use std::io;
use std::path::Path;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::diagnostic::Diagnostic;
use crate::write;

/// The folder of the bundle, relative to the site root.
pub const BUNDLE_DIR: &str = "pagefind/";

/// Files of Pagefind's output that our search page does not load: its other
/// user interfaces and the highlighting script.
const UNUSED: [&str; 5] = [
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
];

/// The index that points at every other file of the bundle; written last.
const ENTRY: &str = "pagefind-entry.json";

/// A built search bundle: site-relative paths (`pagefind/...`) and contents.
#[derive(Debug, Default)]
pub struct Bundle {
    pub files: Vec<(String, Vec<u8>)>,
    /// How many pages it indexes.
    pub pages: usize,
}

/// Indexes the pages at the site-relative `paths` (`articles/x/`) as they are
/// written in `dir`. Their URLs in the index are root-relative without the
/// site's base path, which the search page adds, so the index does not
/// depend on where the site is hosted.
pub fn index(dir: &Path, paths: &[String], language: &str) -> Result<Bundle, Diagnostic> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| problem(format!("cannot start the indexer: {e}")))?;
    runtime.block_on(async {
        let config = PagefindServiceConfig::builder()
            .force_language(language.to_string())
            .build();
        let mut index =
            PagefindIndex::new(Some(config)).map_err(|e| problem(format!("cannot start: {e}")))?;
        for path in paths {
            let file = dir.join(path).join("index.html");
            let html = std::fs::read_to_string(&file)
                .map_err(|e| Diagnostic::error(&file, format!("cannot be indexed: {e}")))?;
            index
                .add_html_file(None, Some(format!("/{path}")), html)
                .await
                .map_err(|e| Diagnostic::error(&file, format!("cannot be indexed: {e}")))?;
        }
        if paths.is_empty() {
            // Pagefind makes no index of nothing; the search page says so.
            return Ok(Bundle::default());
        }
        let files = index
            .get_files()
            .await
            .map_err(|e| problem(format!("cannot build the index: {e}")))?;
        let mut files: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
            .filter(|(name, _)| !UNUSED.contains(&name.as_str()))
            .map(|(name, contents)| (format!("{BUNDLE_DIR}{name}"), contents))
            .collect();
        // The entry file last, so that a reader never sees it point at
        // files not yet written.
        files.sort_by_key(|(name, _)| (name.ends_with(ENTRY), name.clone()));
        Ok(Bundle {
            files,
            pages: paths.len(),
        })
    })
}

fn problem(message: String) -> Diagnostic {
    Diagnostic::error("search index", message)
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
