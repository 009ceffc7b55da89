//! Load: walks `content/`, reads every Markdown file and turns its front
//! matter into an [`Article`] or an [`Entity`].
//!
//! Files are read and parsed in parallel. Nothing here knows about other
//! files' contents beyond collisions of ids and slugs: resolving ids and links
//! is the link stage's job. Walking and reading are here; turning one file's
//! text into an article or a profile is in `parse.rs`.

pub mod bundle;
mod parse;
mod redirects;

pub use parse::parse_text;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use time::OffsetDateTime;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostic::{display_path, line_col, Diagnostic, Diagnostics};
use crate::junk;
use crate::model::{Article, Content, Entity, HeldBack};

/// Which articles make it into the site.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    pub drafts: bool,
    /// Include articles dated after `now` (otherwise held back as embargoed).
    pub future: bool,
    pub now: OffsetDateTime,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            drafts: false,
            future: false,
            now: OffsetDateTime::now_utc(),
        }
    }
}

/// What a file under `content/` is, from where it sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Article,
    /// A profile of the kind at this index of `Config::kinds`.
    Entity(usize),
}

/// Where a path under `content/` belongs: `Ok(Some(role))` for a Markdown
/// file the site uses, `Ok(None)` for anything else there (other files,
/// editor droppings), `Err(reason)` for Markdown in the wrong place.
pub fn role_of(root: &Path, path: &Path, config: &Config) -> Result<Option<Role>, String> {
    let content = root.join("content");
    let Ok(relative) = path.strip_prefix(&content) else {
        return Ok(None);
    };
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.iter().any(|p| junk::is_ignored(p)) || path.extension().is_none_or(|ext| ext != "md") {
        return Ok(None);
    }
    let top = parts.first().map(String::as_str).unwrap_or_default();
    let top_dir = content.join(top);
    // A Markdown file inside a bundle, other than its index, is neither
    // an article nor published.
    let in_bundle = || {
        let folder = path.parent().unwrap_or(path);
        let from = if bundle::is_index(&top_dir, path) {
            folder.parent().unwrap_or(folder)
        } else {
            folder
        };
        bundle::owner(&top_dir, from).is_some()
    };
    if top == "articles" && parts.len() > 1 {
        Ok((!in_bundle()).then_some(Role::Article))
    } else if let Some(kind) = config.kind(top) {
        if parts.len() == 2 || (parts.len() == 3 && parts[2] == bundle::INDEX) {
            Ok(Some(Role::Entity(kind)))
        } else if in_bundle() {
            Ok(None)
        } else {
            Err(format!(
                "skipped: profiles sit directly in content/{top}/, or in a folder of their own as index.md"
            ))
        }
    } else {
        Err(format!(
            "skipped: content/{top}/ is not articles/ or a kind of entity (declare it under `kinds:` in site.yaml)"
        ))
    }
}

/// One file, loaded on its own (`briefing serve`, when it changes).
#[derive(Debug)]
pub enum Loaded {
    Article(Box<Article>),
    Entity(Box<Entity>),
}

/// Reads one Markdown file under `content/` in the given role.
pub fn load_file(
    root: &Path,
    path: &Path,
    role: Role,
    config: &Config,
) -> Result<Loaded, Vec<Diagnostic>> {
    read_file(root, path, role, config)
}

/// The path of a file under `content/`, with `/`, as `@/` links name it.
pub fn content_path(root: &Path, path: &Path) -> String {
    crate::urls::relative_path(&root.join("content"), path)
}

/// Reads the whole `content/` folder of the site at `root`.
pub fn load(root: &Path, config: &Config, options: LoadOptions) -> (Content, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let files = discover(root, config, &mut diagnostics);

    let parsed: Vec<Result<Loaded, Vec<Diagnostic>>> = files
        .par_iter()
        .map(|(path, role)| read_file(root, path, *role, config))
        .collect();

    let mut articles = Vec::new();
    let mut entities = Vec::new();
    for result in parsed {
        match result {
            Ok(Loaded::Article(article)) => articles.push(*article),
            Ok(Loaded::Entity(entity)) => entities.push(*entity),
            Err(problems) => diagnostics.extend(problems),
        }
    }

    check_collisions(&articles, &entities, &mut diagnostics);

    let mut held_back = std::collections::BTreeMap::new();
    articles.retain(|a| {
        let shown = is_shown(a, options);
        if !shown {
            held_back.insert(a.content_path.clone(), held(a, options));
        }
        shown
    });
    articles.sort_by(Article::newest_first);
    entities.sort_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));

    (
        Content {
            root: root.to_path_buf(),
            articles,
            entities,
            held_back,
        },
        diagnostics,
    )
}

/// Whether an article is in the site: drafts only with `--drafts`, embargoed
/// ones only with `--future`.
pub fn is_shown(article: &Article, options: LoadOptions) -> bool {
    (options.drafts || !article.draft) && (options.future || article.date <= options.now)
}

/// What is kept of an article left out of the site.
pub fn held(article: &Article, options: LoadOptions) -> HeldBack {
    let embargo_only = options.drafts || !article.draft;
    HeldBack {
        slug: article.slug.clone(),
        file: article.file.clone(),
        due: embargo_only.then_some(article.date),
    }
}

/// Lists the Markdown files of `content/` with their role, in a stable order.
fn discover(root: &Path, config: &Config, diagnostics: &mut Diagnostics) -> Vec<(PathBuf, Role)> {
    let content = root.join("content");
    let mut files = Vec::new();
    if !content.is_dir() {
        diagnostics.push(Diagnostic::error(
            "content",
            "no `content/` folder here: run briefing in a site folder, or pass --root DIR (briefing init DIR makes one)",
        ));
        return files;
    }
    let walker = WalkDir::new(&content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !junk::is_ignored(e.file_name().to_string_lossy().as_ref()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().map(|p| display_path(root, p)).unwrap_or_default();
                let reason = if e.loop_ancestor().is_some() {
                    "symbolic link loop, skipped".to_string()
                } else {
                    format!("cannot be read, skipped ({})", io_reason(&e))
                };
                diagnostics.push(Diagnostic::warning(path, reason));
                continue;
            }
        };
        let path = entry.path();
        let kind = entry.file_type();
        if kind.is_dir() {
            continue;
        }
        if !kind.is_file() {
            // A named pipe would block the build forever; a socket or a
            // device is no article either.
            if path.extension().is_some_and(|e| e == "md") {
                diagnostics.push(Diagnostic::warning(
                    display_path(root, path),
                    "not a regular file, skipped",
                ));
            }
            continue;
        }
        match role_of(root, path, config) {
            Ok(Some(role)) => files.push((path.to_path_buf(), role)),
            Ok(None) => {}
            Err(reason) => diagnostics.push(Diagnostic::warning(display_path(root, path), reason)),
        }
    }
    files
}

fn io_reason(e: &walkdir::Error) -> String {
    match e.io_error() {
        Some(io) if io.kind() == std::io::ErrorKind::NotFound => {
            "dangling symbolic link".to_string()
        }
        Some(io) => io.to_string(),
        None => e.to_string(),
    }
}

fn read_file(
    root: &Path,
    path: &Path,
    role: Role,
    config: &Config,
) -> Result<Loaded, Vec<Diagnostic>> {
    let file = display_path(root, path);
    let bytes = std::fs::read(path)
        .map_err(|e| vec![Diagnostic::error(&file, format!("cannot be read: {e}"))])?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let (line, column) = line_col(&String::from_utf8_lossy(valid), valid.len());
        vec![
            Diagnostic::error(&file, "not valid UTF-8 text: save the file as UTF-8")
                .at(line, column),
        ]
    })?;
    let top = match role {
        Role::Article => root.join("content/articles"),
        Role::Entity(kind) => root.join("content").join(&config.kinds[kind].id),
    };
    let is_bundle = bundle::is_index(&top, path);
    // A bundle is named after its folder, never `index`.
    let stem = if is_bundle {
        path.parent().and_then(Path::file_name)
    } else {
        path.file_stem()
    }
    .map(|s| s.to_string_lossy().into_owned())
    .unwrap_or_default();
    let mut loaded = parse_text(&text, file, content_path(root, path), stem, role, config);
    if is_bundle {
        let (files, problems) = bundle::list(root, path);
        if !problems.is_empty() {
            let mut all = loaded.err().unwrap_or_default();
            all.extend(problems);
            return Err(all);
        }
        if let Ok(loaded) = &mut loaded {
            match loaded {
                Loaded::Article(article) => article.bundle = Some(files),
                Loaded::Entity(entity) => entity.bundle = Some(files),
            }
        }
    }
    loaded
}

/// Two articles with one slug, or two profiles with one id, would write one page twice.
fn check_collisions(articles: &[Article], entities: &[Entity], diagnostics: &mut Diagnostics) {
    let mut slugs: HashMap<&str, &Article> = HashMap::new();
    let mut sorted: Vec<&Article> = articles.iter().collect();
    sorted.sort_by(|a, b| a.file.cmp(&b.file));
    for article in sorted {
        if let Some(first) = slugs.insert(&article.slug, article) {
            diagnostics.push(Diagnostic::error(
                &article.file,
                format!(
                    "slug `{}` is already used by {}: set a different `slug:`",
                    article.slug,
                    first.file.display()
                ),
            ));
        }
    }
    let mut ids: HashMap<(usize, &str), &Entity> = HashMap::new();
    for entity in entities {
        if let Some(first) = ids.insert((entity.kind, &entity.id), entity) {
            let (Some(file), Some(first_file)) = (&entity.file, &first.file) else {
                continue;
            };
            diagnostics.push(Diagnostic::error(
                file,
                format!(
                    "id `{}` is already used by {}: ids ignore case, so rename one of them",
                    entity.id,
                    first_file.display()
                ),
            ));
        }
    }
}
