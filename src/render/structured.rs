//! Structured data: the schema.org JSON-LD that search engines read
//! (SPEC §10). Each page kind hands its nodes to [`script`], which puts them
//! in one `@graph` and escapes the text so that no content can close the
//! script element it lands in. Everything is serialised by serde_json from
//! the types below; nothing is written by hand.
//!
//! What a node shows is read through the [`Reader`], so a page's structured
//! data follows saves like the rest of the page (an entity's `same_as:` is
//! its own fact, so editing a profile's text does not re-render every
//! article that tags it).

use serde::Serialize;

use super::reader::Reader;
use crate::config::{AUTHORS, COMPANIES};
use crate::date;
use crate::link::Site;
use crate::urls;

const CONTEXT: &str = "https://schema.org";

/// The text of a `<script type="application/ld+json">` holding `nodes`:
/// JSON with `<`, `>` and `&` written as `\u003c`, `\u003e` and `\u0026`.
/// Outside strings JSON has none of the three, so replacing them in the
/// serialised text changes only string contents, and only their spelling.
pub(crate) fn script(nodes: Vec<Node>) -> String {
    #[derive(Serialize)]
    struct Graph {
        #[serde(rename = "@context")]
        context: &'static str,
        #[serde(rename = "@graph")]
        graph: Vec<Node>,
    }
    let graph = Graph {
        context: CONTEXT,
        graph: nodes,
    };
    // Only strings, lists and maps: serialising cannot fail.
    let json = serde_json::to_string(&graph).unwrap_or_default();
    escape_for_script(&json)
}

fn escape_for_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

/// One top-level node of a page's graph.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum Node {
    NewsArticle(Box<NewsArticle>),
    ProfilePage(ProfilePage),
    BreadcrumbList(BreadcrumbList),
    WebSite(WebSite),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct NewsArticle {
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: String,
    description: String,
    url: String,
    main_entity_of_page: WebPage,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    image: Vec<String>,
    author: Vec<Thing>,
    publisher: Organization,
    in_language: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    about: Vec<Thing>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    mentions: Vec<Thing>,
}

#[derive(Serialize)]
struct WebPage {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id")]
    id: String,
    url: String,
}

/// An entity (or an author, or the desk) as schema.org sees it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Thing {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: String,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    same_as: Vec<String>,
}

#[derive(Serialize)]
struct Organization {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: String,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    logo: Option<ImageObject>,
}

#[derive(Serialize)]
struct ImageObject {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ProfilePage {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: String,
    url: String,
    main_entity: Thing,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BreadcrumbList {
    #[serde(rename = "@type")]
    kind: &'static str,
    item_list_element: Vec<ListItem>,
}

#[derive(Serialize)]
struct ListItem {
    #[serde(rename = "@type")]
    kind: &'static str,
    position: usize,
    name: String,
    item: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WebSite {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: String,
    url: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    description: String,
    in_language: String,
    publisher: Organization,
    #[serde(skip_serializing_if = "Option::is_none")]
    potential_action: Option<SearchAction>,
}

#[derive(Serialize)]
struct SearchAction {
    #[serde(rename = "@type")]
    kind: &'static str,
    target: EntryPoint,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EntryPoint {
    #[serde(rename = "@type")]
    kind: &'static str,
    url_template: String,
}

/// The absolute URL of a page's social card, when the site makes them.
pub(crate) fn card_permalink(site: &Site, path: &str) -> Option<String> {
    site.config
        .social_cards
        .then(|| site.urls.permalink(&format!("{path}{}", urls::CARD)))
}

/// The desk, as the publisher of everything.
fn publisher(site: &Site) -> Organization {
    let config = &site.config;
    Organization {
        kind: "Organization",
        name: config.title.clone(),
        url: config.base_url.clone(),
        logo: config.logo.as_ref().map(|logo| ImageObject {
            kind: "ImageObject",
            url: site
                .urls
                .permalink(site.assets.get(logo).map_or(logo.as_str(), String::as_str)),
        }),
    }
}

/// Entity `e` with its page and where else it is known.
fn thing(r: &Reader, e: usize, description: Option<String>) -> Thing {
    let site = r.fixed();
    let identity = r.identity(e);
    let kind = match identity.kind {
        COMPANIES => "Organization",
        AUTHORS => "Person",
        _ => "Thing",
    };
    Thing {
        kind,
        name: identity.name.to_string(),
        url: site.urls.permalink(&site.entity_path(e)),
        description,
        same_as: r.same_as(e),
    }
}

/// Article `i`'s `NewsArticle`, at `path`.
pub(crate) fn news_article(r: &Reader, i: usize, path: &str) -> Node {
    let site = r.fixed();
    let (a, body) = r.article(i);
    let permalink = site.urls.permalink(path);
    let published = date::rfc3339_in_offset(a.date);
    let image = super::pictures::lead(site, i)
        .map(|lead| lead.permalink)
        .into_iter()
        .chain(card_permalink(site, path))
        .collect();
    let mut author: Vec<Thing> = r
        .authors(i)
        .into_iter()
        .map(|e| thing(r, e, None))
        .collect();
    if author.is_empty() {
        author.push(Thing {
            kind: "Organization",
            name: site.config.author.clone(),
            url: site.config.base_url.clone(),
            description: None,
            same_as: Vec::new(),
        });
    }
    let (tagged, mentioned) = r.related_entities(i);
    Node::NewsArticle(Box::new(NewsArticle {
        kind: "NewsArticle",
        headline: a.title.clone(),
        description: body.summary.clone(),
        url: permalink.clone(),
        main_entity_of_page: WebPage {
            kind: "WebPage",
            id: permalink.clone(),
            url: permalink,
        },
        date_modified: a
            .updated
            .map_or_else(|| published.clone(), date::rfc3339_in_offset),
        date_published: published,
        image,
        author,
        publisher: publisher(site),
        in_language: site.config.language.clone(),
        about: tagged.into_iter().map(|e| thing(r, e, None)).collect(),
        mentions: mentioned.into_iter().map(|e| thing(r, e, None)).collect(),
    }))
}

/// Entity `e`'s `ProfilePage`, at `path` (its first page).
pub(crate) fn profile_page(r: &Reader, e: usize, path: &str, summary: Option<String>) -> Node {
    let site = r.fixed();
    Node::ProfilePage(ProfilePage {
        kind: "ProfilePage",
        name: r.identity(e).name.to_string(),
        url: site.urls.permalink(path),
        main_entity: thing(r, e, summary),
    })
}

/// The trail from the home page to the page at `path`: `(name, path)` of
/// each step after the home page, the page itself last.
pub(crate) fn breadcrumbs(site: &Site, trail: &[(&str, &str)]) -> Node {
    let home = std::iter::once(("Home", ""));
    Node::BreadcrumbList(BreadcrumbList {
        kind: "BreadcrumbList",
        item_list_element: home
            .chain(trail.iter().copied())
            .enumerate()
            .map(|(n, (name, path))| ListItem {
                kind: "ListItem",
                position: n + 1,
                name: name.to_string(),
                item: site.urls.permalink(path),
            })
            .collect(),
    })
}

/// The home page's `WebSite`, with the search box search engines may show.
/// (Without Google's old `query-input` shorthand, which is no schema.org
/// property: validators flag it, and Google retired the box it fed.)
pub(crate) fn website(site: &Site) -> Node {
    let config = &site.config;
    Node::WebSite(WebSite {
        kind: "WebSite",
        name: config.title.clone(),
        url: config.base_url.clone(),
        description: config.description.clone(),
        in_language: config.language.clone(),
        publisher: publisher(site),
        potential_action: config.search.then(|| SearchAction {
            kind: "SearchAction",
            target: EntryPoint {
                kind: "EntryPoint",
                url_template: format!(
                    "{}?q={{search_term_string}}",
                    site.urls.permalink(urls::SEARCH)
                ),
            },
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_in_the_text_can_close_the_script() {
        let text = escape_for_script(r#"{"t":"</script><script>alert(1)</script> & \"q\" \\"}"#);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            back["t"], r#"</script><script>alert(1)</script> & "q" \"#,
            "the escapes are JSON's own: a parser reads the text back unchanged"
        );
    }
}
