//! Article cards, made once: the same card (title, date, summary, tags) shows
//! on the home page, on every entity page of the article, in the archive's
//! neighbours and in related lists. Each is built into a Tera value the first
//! time a page needs it and shared (reference-counted) after that.
//!
//! A card in a list is also laid out once for each way a list shows it
//! ([`Layout`]): `card.html` calls the site's `article_card` component, and
//! the value gets the result as `html`, so an article on five entity pages
//! and in five related lists is laid out twice, not ten times. A component
//! sees only its arguments, so its output depends on nothing else, and the
//! cards live no longer than the templates they were laid out by.
//!
//! `briefing serve` keeps the cache between saves and forgets only the cards
//! of the articles a change touched.

use std::sync::Mutex;

use rustc_hash::FxHashMap;
use serde::Serialize;
use tera::Value;

use super::context::article_card;
use super::Templates;
use crate::date;
use crate::link::{Relation, Site};
use crate::urls;

/// The template that lays out one card as a list shows it.
pub(crate) const CARD_TEMPLATE: &str = "card.html";

#[derive(Default)]
pub struct Cards {
    /// By the article's path under `content/`, which survives reordering.
    cache: Mutex<FxHashMap<String, Value>>,
    /// The cards' HTML as each layout lays them out (safe strings), likewise.
    laid_out: Mutex<FxHashMap<String, Vec<(Layout, Value)>>>,
    /// The archive's one-line entries and their month (id, label), likewise.
    rows: Mutex<FxHashMap<String, (String, String, Value)>>,
}

/// How a list shows its cards: the `article_card` component's arguments
/// besides the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Layout {
    /// The heading level of the title.
    pub level: u8,
    /// Whether the card's image is shown.
    pub picture: bool,
    /// How the article relates to the entity whose page lists it.
    pub relation: Option<Relation>,
}

impl Layout {
    /// The home page and editions: cards under the page's `<h1>`.
    pub(crate) const LIST: Layout = Layout {
        level: 2,
        picture: true,
        relation: None,
    };
    /// An article's related briefings, without pictures.
    pub(crate) const RELATED: Layout = Layout {
        level: 3,
        picture: false,
        relation: None,
    };

    /// An entity page's cards, marked with how each relates to it.
    pub(crate) const fn entity(relation: Option<Relation>) -> Layout {
        Layout {
            level: 3,
            picture: true,
            relation,
        }
    }
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
        self.card_marked(site, index, Some(relation), None)
    }

    /// The card with `relation` and `html` set, where given, in one copy
    /// of its map (whose values are shared, so the copy is cheap).
    fn card_marked(
        &self,
        site: &Site,
        index: usize,
        relation: Option<Relation>,
        html: Option<Value>,
    ) -> Value {
        let card = self.card(site, index);
        let Some(map) = card.as_map() else {
            return card;
        };
        let mut map = map.clone();
        if let Some(relation) = relation {
            map.insert("relation".into(), Value::from(relation.as_str()));
        }
        if let Some(html) = html {
            map.insert("html".into(), html);
        }
        Value::from(map)
    }

    /// The card of article `index` as `layout` shows it, with `html`: the
    /// card as `card.html` lays it out. When that fails, the card comes
    /// without `html`, and the page calls the component itself, which then
    /// reports the problem where the page's template calls it.
    pub fn laid_out(
        &self,
        site: &Site,
        templates: &Templates,
        index: usize,
        layout: Layout,
    ) -> Value {
        let path = &site.articles[index].content_path;
        let known = self.laid_out.lock().ok().and_then(|cache| {
            let layouts = cache.get(path)?;
            let (_, html) = layouts.iter().find(|(l, _)| *l == layout)?;
            Some(html.clone())
        });
        if let Some(html) = known {
            return self.card_marked(site, index, layout.relation, Some(html));
        }
        let card = self.card_marked(site, index, layout.relation, None);
        let mut context = tera::Context::new();
        context.insert_value("card", card.clone());
        context.insert("level", &layout.level);
        context.insert("picture", &layout.picture);
        let Ok(html) = templates.tera.render(CARD_TEMPLATE, &context) else {
            return card;
        };
        let html = Value::safe_string(html.trim_end());
        if let Ok(mut cache) = self.laid_out.lock() {
            // Two threads may lay out the same card; they make equal ones.
            let layouts = cache.entry(path.clone()).or_default();
            if !layouts.iter().any(|(l, _)| *l == layout) {
                layouts.push((layout, html.clone()));
            }
        }
        self.card_marked(site, index, layout.relation, Some(html))
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

    /// Drops every laid-out card, whose lists are all rendered (a build
    /// that renders each page once: the related cards, once the article
    /// pages are).
    pub fn forget_laid_out(&self) {
        if let Ok(mut laid_out) = self.laid_out.lock() {
            *laid_out = FxHashMap::default();
        }
    }

    /// Drops every card and laid-out card, keeping the archive lines. A
    /// site that stays open keeps this after its build: every card would
    /// otherwise be held twice over (about 170 MB at 10,000 articles),
    /// while a save shows only a few of them again, each made anew once.
    /// The archive lines stay: the archive, which a save renders again,
    /// shows all of them.
    pub fn forget_cards(&self) {
        if let (Ok(mut cache), Ok(mut laid_out)) = (self.cache.lock(), self.laid_out.lock()) {
            *cache = FxHashMap::default();
            *laid_out = FxHashMap::default();
        }
    }

    /// Drops what was made for articles that changed (by path under `content/`).
    pub fn forget<'p>(&self, paths: impl IntoIterator<Item = &'p str>) {
        if let (Ok(mut cache), Ok(mut laid_out), Ok(mut rows)) =
            (self.cache.lock(), self.laid_out.lock(), self.rows.lock())
        {
            for path in paths {
                cache.remove(path);
                laid_out.remove(path);
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
