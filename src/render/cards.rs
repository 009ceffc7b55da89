//! Article cards, made once: the same card (title, date, summary, tags) shows
//! on the home page, on every entity page of the article, in the archive's
//! neighbours and in related lists. Each is built into a Tera value the first
//! time a page needs it and shared (reference-counted) after that.
//!
//! `briefing serve` keeps the cache between saves and forgets only the cards
//! of the articles a change touched.

use std::sync::Mutex;

use rustc_hash::FxHashMap;
use serde::Serialize;
use tera::Value;

use super::context::article_card;
use crate::date;
use crate::link::{Relation, Site};
use crate::urls;

#[derive(Default)]
pub struct Cards {
    /// By the article's path under `content/`, which survives reordering.
    cache: Mutex<FxHashMap<String, Value>>,
    /// The archive's one-line entries and their month (id, label), likewise.
    rows: Mutex<FxHashMap<String, (String, String, Value)>>,
}

/// An article in the archive: one line, so no summary or tags (the archive
/// lists every article, and its size should not grow with their details).
#[derive(Serialize)]
struct ArchiveRow<'a> {
    title: &'a str,
    url: String,
    date: String,
    date_iso: String,
}

impl Cards {
    pub fn new() -> Self {
        Self::default()
    }

    /// The card of article `index`, without a relation.
    pub fn card(&self, site: &Site, index: usize) -> Value {
        cached(&self.cache, &site.articles[index].content_path, || {
            Value::from_serializable(&article_card(site, index, None))
        })
    }

    /// The card with `relation` set, for entity pages.
    pub fn card_with(&self, site: &Site, index: usize, relation: Relation) -> Value {
        let card = self.card(site, index);
        match card.as_map() {
            Some(map) => {
                let mut map = map.clone();
                map.insert("relation".into(), Value::from(relation.as_str()));
                Value::from(map)
            }
            None => card,
        }
    }

    /// The archive line of article `index`, with its month's id and label.
    pub fn archive_row(&self, site: &Site, index: usize) -> (String, String, Value) {
        cached(&self.rows, &site.articles[index].content_path, || {
            let a = &site.articles[index];
            let (id, label) = date::month(a.date);
            let value = Value::from_serializable(&ArchiveRow {
                title: &a.title,
                url: site.urls.url(&urls::article(&a.slug)),
                date: date::display(a.date),
                date_iso: date::iso_day(a.date),
            });
            (id, label, value)
        })
    }

    /// Drops what was made for articles that changed (by path under `content/`).
    pub fn forget<'p>(&self, paths: impl IntoIterator<Item = &'p str>) {
        if let (Ok(mut cache), Ok(mut rows)) = (self.cache.lock(), self.rows.lock()) {
            for path in paths {
                cache.remove(path);
                rows.remove(path);
            }
        }
    }
}

/// The value cached under `key`, made by `make` and cached the first time.
/// Two threads may both make a missing value; they make equal ones.
fn cached<T: Clone>(cache: &Mutex<FxHashMap<String, T>>, key: &str, make: impl FnOnce() -> T) -> T {
    if let Some(value) = cache.lock().ok().and_then(|c| c.get(key).cloned()) {
        return value;
    }
    let value = make();
    if let Ok(mut cache) = cache.lock() {
        cache.insert(key.to_string(), value.clone());
    }
    value
}
