//! Link: turns loaded content into a cross-linked [`Site`]. Resolves the ids
//! that front matter names (making a page for unknown ones, with a warning),
//! renders Markdown while resolving internal links and detecting mentions, and
//! builds the [`Graph`] that relates articles and entities.
//!
//! The site keeps its [`LinkIndex`] so that [`update`] can re-link a few
//! changed files without redoing the rest (`briefing serve`).

pub mod change;
pub mod coverage;
pub mod editions;
pub mod facts;
pub mod files;
pub mod graph;
mod kept;
pub mod markdown;
pub mod mentions;
pub mod related;
pub mod update;

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;

use crate::config::{Config, AUTHORS};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Article, Content, Entity};
use crate::urls::{self, Urls};
pub use graph::{Graph, Relation};
pub use kept::Kept;
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
    /// Pages each profile links to, as paths under `content/`.
    pub profile_targets: Vec<Vec<String>>,
    /// The processed images each profile shows.
    pub profile_pictures: Vec<Vec<crate::images::Shown>>,
    /// Each entity's own picture (an author's portrait), by entity index.
    pub portraits: Vec<Option<files::Lead>>,
    /// Drafts and embargoed articles left out, by path under `content/`.
    pub held_back: std::collections::BTreeMap<String, crate::model::HeldBack>,
    pub graph: Graph,
    pub index: LinkIndex,
    /// Published name of each static asset by its own path (`style.css` ->
    /// `style.3f2a9c41d0.css`), set once the assets are known; empty means
    /// every asset keeps its name.
    pub assets: std::collections::BTreeMap<String, String>,
    /// Each article's id, parallel to `articles`.
    pub ids: Vec<facts::ArticleId>,
    /// The weeks with articles, newest first (made with the ids).
    pub editions: Vec<editions::Edition>,
    /// Each article's place in `articles`, by id.
    positions: HashMap<facts::ArticleId, usize>,
}

/// An article's rendered Markdown and what was learnt from it.
#[derive(Debug, Clone)]
pub struct Body {
    /// Read by the article's page and by the feeds it is in; packed while
    /// `serve` keeps it ([`Site::pack_kept`]).
    pub html: Kept<crate::packed::Text>,
    /// The front-matter summary, else the first paragraph.
    pub summary: String,
    pub words: usize,
    /// Entities named in the title or text (sorted, each once).
    pub mentions: Vec<usize>,
    /// Pages the text links to, as paths under `content/`.
    pub targets: Vec<String>,
    /// The lead image, found.
    pub lead: Option<files::Lead>,
    /// The text's headings, nested (the `toc` template variable).
    pub toc: Vec<markdown::toc::TocEntry>,
    /// The local raster images it shows (the lead image too), processed:
    /// their versions are published beside the page.
    pub pictures: Vec<crate::images::Shown>,
    /// The text as the search index reads it (when the site has one),
    /// until the article's page is first rendered: the page's text for the
    /// index is laid out from it and kept instead. It does not change until
    /// the body does, and then linking makes a new one.
    pub text: Kept<crate::search::PageText>,
}

/// What Markdown may link to: every page's URL by source path and slug, every
/// entity's URL, and the automaton that finds entity names.
#[derive(Debug)]
pub struct LinkIndex {
    /// Page URL by path under `content/` (`articles/x.md`).
    pub pages: HashMap<String, String>,
    /// Article URL by slug.
    pub article_slugs: HashMap<String, String>,
    /// Entity page URL, parallel to `Site::entities`.
    pub entity_urls: Vec<String>,
    /// Entity index by (kind, id).
    pub entity_ids: HashMap<(usize, String), usize>,
    pub finder: MentionFinder,
    /// The site's `static/` folder, where lead images may sit.
    pub static_dir: std::path::PathBuf,
    /// Processes the images bodies show, and keeps what it made.
    pub images: std::sync::Arc<crate::images::Images>,
}

impl Site {
    /// Frees the articles' Markdown, which only linking reads: a one-off
    /// build links once, so its sources can go before rendering (on 100,000
    /// articles, most of a gigabyte). `serve` keeps them, packed, to re-link.
    pub fn drop_sources(&mut self) {
        for article in &mut self.articles {
            article.body = Default::default();
        }
        // Nor is an article rendered twice: its HTML goes with its page
        // (its search text always does).
        for body in &mut self.bodies {
            body.html.use_once();
        }
    }

    /// Packs what `serve` keeps of each article between renders, its
    /// Markdown and its body's HTML (on 10,000 articles, 45 MB and 68 MB
    /// plain, as heaptrack counted them). What is packed already stays.
    pub fn pack_kept(&mut self) {
        use rayon::prelude::*;
        self.articles
            .par_iter_mut()
            .for_each(|article| article.body.pack());
        self.bodies.par_iter_mut().for_each(|body| body.html.pack());
    }

    /// Site-relative path of an entity's page.
    pub fn entity_path(&self, entity: usize) -> String {
        let e = &self.entities[entity];
        urls::entity(&self.config.kinds[e.kind].id, &e.id)
    }

    /// The entities an article's front matter names, with how.
    fn named(&self, article: &Article) -> Vec<(usize, Relation)> {
        named(&self.index.entity_ids, article)
    }

    /// The authors of article `i`, by entity index, in the order `author:` names them.
    pub fn authors(&self, i: usize) -> Vec<usize> {
        let ids = self.articles[i]
            .tags
            .get(AUTHORS)
            .map_or(&[][..], |t| &t.ids);
        ids.iter()
            .filter_map(|id| self.index.entity_ids.get(&(AUTHORS, id.clone())).copied())
            .collect()
    }
}

/// Entity indexes an article's front matter names (ids without an entity
/// are skipped): tagged, or, for `author:`, authored.
fn named(
    entity_ids: &HashMap<(usize, String), usize>,
    article: &Article,
) -> Vec<(usize, Relation)> {
    article
        .tags
        .iter()
        .enumerate()
        .flat_map(|(kind, list)| list.ids.iter().map(move |id| (kind, id.clone())))
        .filter_map(|key| {
            let relation = match key.0 {
                AUTHORS => Relation::Authored,
                _ => Relation::Tagged,
            };
            entity_ids.get(&key).map(|&e| (e, relation))
        })
        .collect()
}

/// How the Markdown of `config`'s site links, borrowed from the index.
fn links<'a>(
    config: &'a Config,
    index: &'a LinkIndex,
    pages: &'a HashMap<String, String>,
    slugs: &'a HashMap<String, String>,
) -> Links<'a> {
    Links {
        pages,
        article_slugs: slugs,
        finder: &index.finder,
        entity_urls: &index.entity_urls,
        autolink: config.autolink,
        base_url: &config.base_url,
        base_path: &config.base_path,
        static_dir: &index.static_dir,
        images: &index.images,
        search: config.search,
    }
}

/// Renders one article's Markdown; returns its body and the problems found.
fn render_article(article: &Article, links: &Links) -> (Body, Vec<Diagnostic>) {
    let page_url = links
        .article_slugs
        .get(&article.slug)
        .map_or("", String::as_str);
    let markdown = article.body.as_str();
    let source = Source {
        body: &markdown,
        body_line: article.body_line,
        file: &article.file,
        content_path: &article.content_path,
        own_entity: None,
        bundle: article.bundle.as_ref(),
        page_url,
        article: true,
    };
    let mut r = markdown::render(&source, links);
    let place = files::Place {
        file: &article.file,
        bundle: article.bundle.as_ref(),
        page_url,
        static_dir: links.static_dir,
        base_path: links.base_path,
    };
    let lead = article.image.as_ref().and_then(|image| {
        files::picture(
            image,
            &place,
            links.images,
            &mut r.pictures,
            &mut r.problems,
        )
    });
    let mut mentions = r.mentions;
    mentions.extend(
        links
            .finder
            .find(&article.title)
            .into_iter()
            .map(|(_, e)| e),
    );
    mentions.sort_unstable();
    mentions.dedup();
    let body = Body {
        html: Kept::new(Some(r.html.into())),
        summary: article.summary.clone().unwrap_or(r.first_paragraph),
        words: r.words,
        mentions,
        targets: r.targets,
        lead,
        toc: r.toc,
        pictures: r.pictures,
        // Read once, into the page's text for the index, which is kept instead.
        text: Kept::once(r.text),
    };
    (body, r.problems)
}

/// An entity's profile text, rendered.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub html: String,
    /// Pages it links to, as paths under `content/`.
    pub targets: Vec<String>,
    /// The local raster images it shows, processed.
    pub pictures: Vec<crate::images::Shown>,
    /// The entity's own picture (an author's `image:`), found.
    pub picture: Option<files::Lead>,
}

/// Renders one entity's profile Markdown, with its problems.
fn render_profile(entity: usize, e: &Entity, links: &Links) -> (Profile, Vec<Diagnostic>) {
    let Some(file) = &e.file else {
        return (Profile::default(), Vec::new());
    };
    let source = Source {
        body: &e.body,
        body_line: e.body_line,
        file,
        content_path: e.content_path.as_deref().unwrap_or_default(),
        own_entity: Some(entity),
        bundle: e.bundle.as_ref(),
        page_url: &links.entity_urls[entity],
        article: false,
    };
    let mut r = markdown::render(&source, links);
    let place = files::Place {
        file,
        bundle: e.bundle.as_ref(),
        page_url: &links.entity_urls[entity],
        static_dir: links.static_dir,
        base_path: links.base_path,
    };
    let picture = e.image.as_ref().and_then(|image| {
        files::picture(
            image,
            &place,
            links.images,
            &mut r.pictures,
            &mut r.problems,
        )
    });
    let profile = Profile {
        html: r.html,
        targets: r.targets,
        pictures: r.pictures,
        picture,
    };
    (profile, r.problems)
}

pub fn link(config: Config, content: Content) -> (Site, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let Content {
        root,
        articles,
        entities,
        held_back,
    } = content;
    let entities = add_unknown_ids(&config, &articles, entities, &mut diagnostics);
    check_names(&config, &entities, &mut diagnostics);

    let site_urls = Urls::new(&config);
    let entity_ids: HashMap<(usize, String), usize> = entities
        .iter()
        .enumerate()
        .map(|(i, e)| ((e.kind, e.id.clone()), i))
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
    let index = LinkIndex {
        finder: MentionFinder::new(&entities),
        pages,
        article_slugs,
        entity_urls,
        entity_ids,
        static_dir: root.join("static"),
        images: std::sync::Arc::new(crate::images::Images::new(Some(
            root.join(crate::images::CACHE_DIR),
        ))),
    };

    let links = links(&config, &index, &index.pages, &index.article_slugs);
    let rendered: Vec<(Body, Vec<Diagnostic>)> = articles
        .par_iter()
        .map(|article| render_article(article, &links))
        .collect();
    let rendered_profiles: Vec<(Profile, Vec<Diagnostic>)> = entities
        .par_iter()
        .enumerate()
        .map(|(i, entity)| render_profile(i, entity, &links))
        .collect();
    let mut profiles = Vec::with_capacity(rendered_profiles.len());
    let mut profile_targets = Vec::with_capacity(rendered_profiles.len());
    let mut profile_pictures = Vec::with_capacity(rendered_profiles.len());
    let mut portraits = Vec::with_capacity(rendered_profiles.len());
    for (profile, problems) in rendered_profiles {
        portraits.push(profile.picture);
        diagnostics.extend(problems);
        profiles.push(profile.html);
        profile_targets.push(profile.targets);
        profile_pictures.push(profile.pictures);
    }

    let mut bodies = Vec::with_capacity(rendered.len());
    for (body, problems) in rendered {
        bodies.push(body);
        diagnostics.extend(problems);
    }
    let named: Vec<Vec<(usize, Relation)>> = articles
        .iter()
        .map(|a| named(&index.entity_ids, a))
        .collect();
    let mentioned: Vec<&[usize]> = bodies.iter().map(|b| b.mentions.as_slice()).collect();
    let graph = Graph::build(entities.len(), &named, &mentioned, config.related_window);

    let mut site = Site {
        config,
        urls: site_urls,
        articles,
        bodies,
        entities,
        profiles,
        profile_targets,
        profile_pictures,
        portraits,
        held_back,
        graph,
        index,
        assets: Default::default(),
        ids: Vec::new(),
        editions: Vec::new(),
        positions: HashMap::new(),
    };
    site.reindex();
    (site, diagnostics)
}

/// Every id that front matter names gets a page; ids with no profile file get
/// a bare one and a warning that suggests the nearest known id. Authors are
/// named by what the writer typed, not by an id: theirs get the name, and
/// no warning.
fn add_unknown_ids(
    config: &Config,
    articles: &[Article],
    mut entities: Vec<Entity>,
    diagnostics: &mut Diagnostics,
) -> Vec<Entity> {
    let known: BTreeSet<(usize, String)> =
        entities.iter().map(|e| (e.kind, e.id.clone())).collect();
    let mut unknown: BTreeSet<(usize, String)> = BTreeSet::new();
    let mut author_names: HashMap<&str, &str> = HashMap::new();
    for article in articles {
        for (kind, list) in article.tags.iter().enumerate() {
            for (n, id) in list.ids.iter().enumerate() {
                let key = (kind, id.clone());
                if known.contains(&key) {
                    continue;
                }
                if kind == AUTHORS {
                    if let Some(name) = article.authors.get(n) {
                        let chosen = author_names.entry(id.as_str()).or_insert(name.as_str());
                        *chosen = author_name(chosen, name);
                    }
                    unknown.insert(key);
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
        name: match author_names.get(id.as_str()) {
            Some(name) if kind == AUTHORS => name.to_string(),
            _ => id.clone(),
        },
        id,
        aliases: Vec::new(),
        ticker: None,
        website: None,
        same_as: Vec::new(),
        summary: None,
        redirect_from: Default::default(),
        image: None,
        body: String::new(),
        body_line: 1,
        file: None,
        content_path: None,
        bundle: None,
    }));
    entities.sort_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));
    entities
}

/// The name an author without a profile goes by, when articles spell the
/// one id in two ways ("Jane Analyst", "jane analyst"): the first in
/// Unicode order, whatever order the articles come in.
pub fn author_name<'a>(one: &'a str, other: &'a str) -> &'a str {
    one.min(other)
}

/// Names that cannot work as mentions: too short, or claimed by two
/// entities. Authors are no mentions.
fn check_names(config: &Config, entities: &[Entity], diagnostics: &mut Diagnostics) {
    let mut owners: HashMap<&str, &Entity> = HashMap::new();
    for entity in entities.iter().filter(|e| e.kind != AUTHORS) {
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
