//! Link: turns loaded content into a cross-linked [`Site`]. Resolves the ids
//! that front matter names (making a page for unknown ones, with a warning),
//! renders Markdown while resolving internal links and detecting mentions, and
//! builds the [`Graph`] that relates articles and entities.

pub mod graph;
pub mod markdown;
pub mod mentions;

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Article, Content, Entity};
use crate::urls::{self, Urls};
pub use graph::{Graph, Relation};
use markdown::{Links, Source};
use mentions::{MentionFinder, MIN_NAME_CHARS};

/// The site, linked: everything the render stage needs, already computed.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub urls: Urls,
    /// Newest first.
    pub articles: Vec<Article>,
    /// Parallel to `articles`.
    pub bodies: Vec<Body>,
    /// Grouped by kind, sorted by id within a kind.
    pub entities: Vec<Entity>,
    /// Profile HTML, parallel to `entities`.
    pub profiles: Vec<String>,
    pub graph: Graph,
}

/// An article's rendered Markdown and what was learnt from it.
#[derive(Debug)]
pub struct Body {
    pub html: String,
    /// The front-matter summary, else the first paragraph.
    pub summary: String,
    pub words: usize,
}

impl Site {
    /// Site-relative path of an entity's page.
    pub fn entity_path(&self, entity: usize) -> String {
        let e = &self.entities[entity];
        urls::entity(&self.config.kinds[e.kind].id, &e.id)
    }
}

pub fn link(config: Config, content: Content) -> (Site, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let Content { articles, entities } = content;
    let entities = add_unknown_ids(&config, &articles, entities, &mut diagnostics);
    check_names(&config, &entities, &mut diagnostics);

    let site_urls = Urls::new(&config);
    let index: HashMap<(usize, &str), usize> = entities
        .iter()
        .enumerate()
        .map(|(i, e)| ((e.kind, e.id.as_str()), i))
        .collect();
    let entity_urls: Vec<String> = entities
        .iter()
        .map(|e| site_urls.url(&urls::entity(&config.kinds[e.kind].id, &e.id)))
        .collect();
    let mut pages: HashMap<String, String> = HashMap::new();
    let mut article_slugs: HashMap<String, String> = HashMap::new();
    for article in &articles {
        let url = site_urls.url(&urls::article(&article.slug));
        pages.insert(article.content_path.clone(), url.clone());
        article_slugs.insert(article.slug.clone(), url);
    }
    for (entity, url) in entities.iter().zip(&entity_urls) {
        if let Some(path) = &entity.content_path {
            pages.insert(path.clone(), url.clone());
        }
    }

    let finder = MentionFinder::new(&entities);
    let links = Links {
        pages: &pages,
        article_slugs: &article_slugs,
        finder: &finder,
        entity_urls: &entity_urls,
        autolink: config.autolink,
        base_url: &config.base_url,
    };

    let rendered: Vec<(Body, Vec<usize>, Vec<Diagnostic>)> = articles
        .par_iter()
        .map(|article| {
            let source = Source {
                body: &article.body,
                body_line: article.body_line,
                file: &article.file,
                content_path: &article.content_path,
                own_entity: None,
            };
            let r = markdown::render(&source, &links);
            let mut mentions = r.mentions;
            mentions.extend(finder.find(&article.title).into_iter().map(|(_, e)| e));
            let body = Body {
                html: r.html,
                summary: article.summary.clone().unwrap_or(r.first_paragraph),
                words: r.words,
            };
            (body, mentions, r.problems)
        })
        .collect();

    let profiles: Vec<String> = entities
        .par_iter()
        .enumerate()
        .map(|(i, entity)| {
            let Some(file) = &entity.file else {
                return (String::new(), Vec::new());
            };
            let source = Source {
                body: &entity.body,
                body_line: entity.body_line,
                file,
                content_path: entity.content_path.as_deref().unwrap_or_default(),
                own_entity: Some(i),
            };
            let r = markdown::render(&source, &links);
            (r.html, r.problems)
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|(html, problems)| {
            diagnostics.extend(problems);
            html
        })
        .collect();

    let tagged: Vec<Vec<usize>> = articles
        .iter()
        .map(|article| {
            article
                .tags
                .iter()
                .enumerate()
                .flat_map(|(kind, list)| list.ids.iter().map(move |id| (kind, id.as_str())))
                .filter_map(|key| index.get(&key).copied())
                .collect()
        })
        .collect();
    let mut bodies = Vec::with_capacity(rendered.len());
    let mut mentioned = Vec::with_capacity(rendered.len());
    for (body, mentions, problems) in rendered {
        bodies.push(body);
        mentioned.push(mentions);
        diagnostics.extend(problems);
    }
    let graph = Graph::build(entities.len(), &tagged, &mentioned);

    let site = Site {
        config,
        urls: site_urls,
        articles,
        bodies,
        entities,
        profiles,
        graph,
    };
    (site, diagnostics)
}

/// Every id that front matter names gets a page; ids with no profile file get
/// a bare one and a warning that suggests the nearest known id.
fn add_unknown_ids(
    config: &Config,
    articles: &[Article],
    mut entities: Vec<Entity>,
    diagnostics: &mut Diagnostics,
) -> Vec<Entity> {
    let known: BTreeSet<(usize, String)> =
        entities.iter().map(|e| (e.kind, e.id.clone())).collect();
    let mut unknown: BTreeSet<(usize, String)> = BTreeSet::new();
    for article in articles {
        for (kind, list) in article.tags.iter().enumerate() {
            for id in &list.ids {
                let key = (kind, id.clone());
                if known.contains(&key) {
                    continue;
                }
                let kind_id = &config.kinds[kind].id;
                let near = known
                    .iter()
                    .filter(|(k, _)| *k == kind)
                    .map(|(_, known_id)| (strsim::jaro_winkler(id, known_id), known_id))
                    .filter(|(score, _)| *score > 0.7)
                    .max_by(|a, b| a.0.total_cmp(&b.0));
                let hint = match near {
                    Some((_, near)) => format!(" (did you mean `{near}`?)"),
                    None => String::new(),
                };
                diagnostics.push(
                    Diagnostic::warning(
                        &article.file,
                        format!(
                            "`{kind_id}`: unknown id `{id}`: no content/{kind_id}/{id}.md{hint}; its page is made from the id alone"
                        ),
                    )
                    .at_line(list.line),
                );
                unknown.insert(key);
            }
        }
    }
    entities.extend(unknown.into_iter().map(|(kind, id)| Entity {
        kind,
        name: id.clone(),
        id,
        aliases: Vec::new(),
        ticker: None,
        website: None,
        summary: None,
        body: String::new(),
        body_line: 1,
        file: None,
        content_path: None,
    }));
    entities.sort_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));
    entities
}

/// Names that cannot work as mentions: too short, or claimed by two entities.
fn check_names(config: &Config, entities: &[Entity], diagnostics: &mut Diagnostics) {
    let mut owners: HashMap<&str, &Entity> = HashMap::new();
    for entity in entities {
        let Some(file) = &entity.file else { continue };
        for name in entity.names() {
            if name.chars().count() < MIN_NAME_CHARS {
                diagnostics.push(Diagnostic::warning(
                    file,
                    format!("`{name}` is too short to recognise in text; mentions of it are not detected"),
                ));
                continue;
            }
            if let Some(first) = owners.insert(name, entity) {
                if first.kind != entity.kind || first.id != entity.id {
                    diagnostics.push(Diagnostic::warning(
                        file,
                        format!(
                            "`{name}` is also a name of {}/{}; mentions of it go to one of them only",
                            config.kinds[first.kind].id, first.id
                        ),
                    ));
                }
            }
        }
    }
}
