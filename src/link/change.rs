//! What a scoped update changed ([`SiteChange`]): which articles' and
//! entities' own data may differ. Whether a fact that pages read did change
//! is told by its fingerprint (`facts.rs`); this only says whose facts to
//! look at again.

use std::collections::BTreeSet;

use super::facts::ArticleId;

/// Whose own data an update may have changed.
#[derive(Debug, Default)]
pub struct SiteChange {
    /// Articles edited, new, gone, or re-linked (their body changed because
    /// a page they link to moved).
    pub articles: BTreeSet<ArticleId>,
    /// Entities whose profile may have changed.
    pub profiles: BTreeSet<usize>,
    /// Paths under `content/` of those articles, for caches keyed by source.
    pub sources: Vec<String>,
}

impl SiteChange {
    /// Marks the article at `content_path` as changed.
    pub(super) fn touch(&mut self, content_path: &str) {
        if self.articles.insert(ArticleId::of(content_path)) {
            self.sources.push(content_path.to_string());
        }
    }
}
