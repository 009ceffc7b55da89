//! What the timing examples share: the articles they edit, a different one
//! each time in a fixed order, and the edit itself (a sentence added at the
//! end, which leaves the article's card as it was).

use std::path::{Path, PathBuf};

/// The articles of the site at `root`, in a fixed order.
pub fn articles(root: &Path) -> Vec<PathBuf> {
    let mut articles: Vec<PathBuf> = std::fs::read_dir(root.join("content/articles"))
        .expect("articles")
        .map(|e| e.expect("entry").path())
        .collect();
    articles.sort();
    articles
}

/// The article to edit the `i`-th time: spread over the site.
pub fn pick(articles: &[PathBuf], i: usize) -> &Path {
    &articles[(i * 7919) % articles.len()]
}

/// The `i`-th edit of an article's text.
pub fn edited(original: &str, i: usize) -> String {
    format!("{original}\nOne more sentence, edit {i}.\n")
}
