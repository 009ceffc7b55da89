//! What templates see: small serializable views of the linked site. Each page
//! gets only what it shows — ids are looked up here, nothing is cloned whole.
//! The README documents every field; keep the two in step.

use serde::Serialize;

use crate::config::AUTHORS;
use crate::date;
use crate::link::{Relation, Site};
use crate::urls;

/// `site`, in every template.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    pub base_path: &'a str,
    pub language: &'a str,
    pub author: &'a str,
    /// Whether the site has a search page (`search:` in site.yaml).
    pub search: bool,
    pub feed_url: String,
    pub stylesheet_url: String,
    /// URL of every static asset by its own path (`site.assets["app.js"]`).
    pub assets: std::collections::BTreeMap<&'a str, String>,
    /// Every kind, for the nav: companies, topics, the declared kinds, authors.
    pub kinds: Vec<KindView<'a>>,
}

#[derive(Serialize)]
pub struct KindView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: String,
}

/// `page`, in every template.
#[derive(Serialize)]
pub struct PageView {
    pub url: String,
    pub permalink: String,
    pub title: Option<String>,
    /// The picture for social metadata (`og:image`).
    pub image: Option<super::pictures::ImageView>,
    /// The page's schema.org JSON-LD, ready for a `<script
    /// type="application/ld+json">` (nothing in it can close the element).
    pub json_ld: Option<String>,
    /// The page's social card (`og:image`), on article pages and the
    /// first page of an entity while `social_cards` is on.
    pub card: Option<CardView>,
}

/// `page.card`: the social card beside the page.
#[derive(Serialize)]
pub struct CardView {
    /// Absolute URL of `card.png`.
    pub permalink: String,
    pub width: u32,
    pub height: u32,
    /// What the card says, for `og:image:alt`.
    pub alt: String,
}

/// The card of the page at `path` titled `title`, when the site makes cards.
pub fn card_view(site: &Site, path: &str, title: &str) -> Option<CardView> {
    let permalink = super::structured::card_permalink(site, path)?;
    Some(CardView {
        permalink,
        width: super::social::WIDTH,
        height: super::social::HEIGHT,
        alt: super::social::alt(title, &site.config.title),
    })
}

#[derive(Serialize)]
pub struct EntityRef<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
    pub url: String,
    /// Articles relating to the entity (shared articles in co-occurrence
    /// lists); `None` in article tags, so a card never changes when some
    /// other article is tagged.
    pub count: Option<usize>,
}

#[derive(Serialize)]
pub struct TagGroup<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub entities: Vec<EntityRef<'a>>,
}

#[derive(Serialize)]
pub struct ArticleCard<'a> {
    pub title: &'a str,
    pub url: String,
    pub date: String,
    pub date_iso: String,
    pub updated: Option<String>,
    pub updated_iso: Option<String>,
    pub summary: &'a str,
    /// The authors' names in one line ("A, B and C"); `None` without `author:`.
    pub author: Option<String>,
    /// Each author as a link to their page.
    pub authors: Vec<EntityRef<'a>>,
    pub image: Option<super::pictures::ImageView>,
    pub tags: Vec<TagGroup<'a>>,
    pub relation: Option<&'static str>,
}

pub fn site_view(site: &Site) -> SiteView<'_> {
    let config = &site.config;
    SiteView {
        title: &config.title,
        description: &config.description,
        base_url: &config.base_url,
        base_path: &config.base_path,
        language: &config.language,
        author: &config.author,
        search: config.search,
        feed_url: site.urls.permalink(urls::FEED),
        stylesheet_url: site.urls.url(
            site.assets
                .get(urls::STYLESHEET)
                .map_or(urls::STYLESHEET, String::as_str),
        ),
        assets: site
            .assets
            .iter()
            .map(|(path, published)| (path.as_str(), site.urls.url(published)))
            .collect(),
        // Authors last: who writes comes after what is written about.
        kinds: (0..config.kinds.len())
            .filter(|&k| k != AUTHORS)
            .chain([AUTHORS])
            .map(|k| kind_view(site, k))
            .collect(),
    }
}

pub fn kind_view(site: &Site, kind: usize) -> KindView<'_> {
    let k = &site.config.kinds[kind];
    KindView {
        id: &k.id,
        title: &k.title,
        url: site.urls.url(&urls::kind_index(&k.id)),
    }
}

pub fn page_view(site: &Site, path: &str, title: Option<String>) -> PageView {
    PageView {
        url: site.urls.url(path),
        permalink: site.urls.permalink(path),
        title,
        image: None,
        json_ld: None,
        card: None,
    }
}

/// [`page_view`] with its structured data: `nodes`, then the trail of
/// breadcrumbs from the home page (`(name, path)` of each step after it,
/// the page itself last; none for the home page itself).
pub fn page_view_with(
    site: &Site,
    path: &str,
    title: Option<String>,
    mut nodes: Vec<super::structured::Node>,
    trail: &[(&str, &str)],
) -> PageView {
    if !trail.is_empty() {
        nodes.push(super::structured::breadcrumbs(site, trail));
    }
    let mut page = page_view(site, path, title);
    page.json_ld = (!nodes.is_empty()).then(|| super::structured::script(nodes));
    page
}

/// An entity as a link, with `count` given by the caller.
pub fn entity_ref(site: &Site, entity: usize, count: Option<usize>) -> EntityRef<'_> {
    let e = &site.entities[entity];
    EntityRef {
        id: &e.id,
        kind: &site.config.kinds[e.kind].id,
        name: &e.name,
        url: site.urls.url(&site.entity_path(entity)),
        count,
    }
}

/// Groups entity indexes (with counts) by kind, in the kinds' order, keeping
/// each group's order; kinds with nothing are left out.
pub fn group_by_kind(
    site: &Site,
    entities: impl IntoIterator<Item = (usize, Option<usize>)>,
) -> Vec<TagGroup<'_>> {
    let mut groups: Vec<TagGroup> = site
        .config
        .kinds
        .iter()
        .map(|k| TagGroup {
            kind: &k.id,
            title: &k.title,
            entities: Vec::new(),
        })
        .collect();
    for (entity, count) in entities {
        groups[site.entities[entity].kind]
            .entities
            .push(entity_ref(site, entity, count));
    }
    groups.retain(|g| !g.entities.is_empty());
    groups
}

/// The entities an article is tagged with, grouped by kind.
pub fn article_tags(site: &Site, article: usize) -> Vec<TagGroup<'_>> {
    let tagged = site.graph.article_entities[article]
        .iter()
        .filter(|(_, relation)| *relation == Relation::Tagged)
        .map(|&(entity, _)| (entity, None));
    group_by_kind(site, tagged)
}

/// An article's authors (entity indexes, in the order `author:` lists
/// them): as links, and their names in one line.
pub fn authors<'a>(site: &'a Site, entities: &[usize]) -> (Option<String>, Vec<EntityRef<'a>>) {
    let authors: Vec<EntityRef> = entities
        .iter()
        .map(|&e| entity_ref(site, e, None))
        .collect();
    let names: Vec<&str> = authors.iter().map(|a| a.name).collect();
    (byline(&names), authors)
}

/// Names in one line, as a byline reads: "A", "A and B", "A, B and C".
pub fn byline(names: &[&str]) -> Option<String> {
    match names {
        [] => None,
        [one] => Some(one.to_string()),
        [rest @ .., last] => Some(format!("{} and {last}", rest.join(", "))),
    }
}

pub fn article_card(site: &Site, article: usize, relation: Option<Relation>) -> ArticleCard<'_> {
    let a = &site.articles[article];
    let (author, authors) = authors(site, &site.authors(article));
    ArticleCard {
        title: &a.title,
        url: site.urls.url(&urls::article(&a.slug)),
        date: date::display(a.date),
        date_iso: date::iso_day(a.date),
        updated: a.updated.map(date::display),
        updated_iso: a.updated.map(date::iso_day),
        summary: &site.bodies[article].summary,
        author,
        authors,
        image: super::pictures::lead(site, article),
        tags: article_tags(site, article),
        relation: relation.map(Relation::as_str),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn bylines_read_like_sentences() {
        assert_eq!(super::byline(&[]), None);
        assert_eq!(super::byline(&["A"]).as_deref(), Some("A"));
        assert_eq!(super::byline(&["A", "B"]).as_deref(), Some("A and B"));
        assert_eq!(
            super::byline(&["A", "B", "C"]).as_deref(),
            Some("A, B and C")
        );
    }
}
