//! The stages one at a time, for the benchmarks, the fuzz targets and the
//! `stages` example, which time or feed one stage alone. A build goes
//! through [`crate::pipeline`]; nothing else uses this.
//!
//! The values here wrap the stages' own types, so the stages stay free to
//! change inside.

use std::path::Path;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::link::Site;
use crate::load::{self, LoadOptions, Loaded, Role};
use crate::model;
use crate::render::{self, Cards, Page};
use crate::write::{Output, Writes};

/// A site's settings.
#[derive(Clone)]
pub struct Settings(Config);

impl Settings {
    /// site.yaml at `root`; the defaults when it does not load.
    pub fn load(root: &Path) -> Settings {
        Settings(Config::load(root).unwrap_or_default())
    }

    pub fn defaults() -> Settings {
        Settings(Config::default())
    }
}

/// Loaded content, not yet linked.
pub struct Content(model::Content);

/// Walks and parses `content/` at `root` (load).
pub fn load(root: &Path, settings: &Settings) -> Content {
    Content(load::load(root, &settings.0, LoadOptions::default()).0)
}

/// Parses one file's text as an article (`articles/...`) or a profile of
/// the first kind (`companies/...`), by its path under `content/`.
pub fn parse(settings: &Settings, content_path: &str, text: &str) -> Result<(), Vec<Diagnostic>> {
    parsed(settings, content_path, text).map(|_| ())
}

fn parsed(settings: &Settings, content_path: &str, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    let role = match content_path.starts_with("articles/") {
        true => Role::Article,
        false => Role::Entity(0),
    };
    let stem = Path::new(content_path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    load::parse_text(
        text,
        format!("content/{content_path}").into(),
        content_path.to_string(),
        stem,
        role,
        &settings.0,
    )
}

/// Content from texts by path under `content/`; files that do not parse
/// are left out.
pub fn content(settings: &Settings, files: &[(&str, &str)]) -> Content {
    let mut content = model::Content::default();
    for (path, text) in files {
        match parsed(settings, path, text) {
            Ok(Loaded::Article(a)) => content.articles.push(*a),
            Ok(Loaded::Entity(e)) => content.entities.push(*e),
            Err(_) => {}
        }
    }
    content.articles.sort_by(model::Article::newest_first);
    Content(content)
}

/// A linked site.
pub struct Linked(Site);

impl Linked {
    /// The site with its assets named as a build names them (the built-in
    /// ones and `static/` at `root`): the search page links its script by
    /// that name, and does not render without it.
    pub fn with_assets(mut self, root: &Path) -> Linked {
        if let Ok(assets) = crate::assets::Assets::scan(root, true) {
            self.0.assets = assets.names;
        }
        self
    }
}

/// Ids, links, mentions and the graph (link).
pub fn link(settings: Settings, content: Content) -> Linked {
    Linked(crate::link::link(settings.0, content.0).0)
}

/// The templates of the site at `root` over the built-in ones.
pub struct Templates(render::Templates);

impl Templates {
    pub fn load(root: &Path) -> Option<Templates> {
        render::Templates::load(root).ok().map(Templates)
    }
}

/// Which pages [`render`] renders.
#[derive(Clone, Copy)]
pub enum Pages {
    All,
    Articles,
    Home,
    Entities,
    Archive,
    Feeds,
}

/// Renders pages into `out` (render, without the search index). Returns
/// how many.
pub fn render(site: &Linked, templates: &Templates, pages: Pages, out: &dyn Output) -> usize {
    let keep = |page: &Page| match pages {
        Pages::All => true,
        Pages::Articles => matches!(page, Page::Article(_)),
        Pages::Home => matches!(page, Page::Home(_)),
        Pages::Entities => matches!(page, Page::Entity(..)),
        Pages::Archive => matches!(page, Page::Archive),
        Pages::Feeds => matches!(page, Page::Feed | Page::EntityFeed(_) | Page::Sitemap),
    };
    let chosen: Vec<Page> = render::pages(&site.0).into_iter().filter(keep).collect();
    let writes = Writes::new(out);
    render::render_pages(&site.0, &templates.0, &Cards::new(), &chosen, &|r| {
        writes.write(&r.file, r.text.as_bytes())
    });
    chosen.len()
}

/// Renders every page and the search index into `out`, as a build does
/// (render and search, fused). With `root`, the social cards come from its
/// `.briefing/cache`, as a build's do (the first run fills it); without,
/// every card is drawn. Returns the problems.
pub fn render_with_search(
    site: &Linked,
    templates: &Templates,
    root: Option<&Path>,
    out: &dyn Output,
) -> Vec<Diagnostic> {
    let cache = root.map(|root| root.join(crate::images::CACHE_DIR));
    crate::pipeline::render_everything(&site.0, &templates.0, cache, out)
}
