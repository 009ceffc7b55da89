//! The Tera templates: the built-in set embedded in the binary, overridden by
//! name by the site's own `templates/` folder, and Tera's errors turned into
//! diagnostics that name the template file, line and column.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rust_embed::RustEmbed;
use tera::{ErrorKind, Tera};
use walkdir::WalkDir;

use crate::diagnostic::{display_path, Diagnostic};

#[derive(RustEmbed)]
#[folder = "templates/"]
struct Builtin;

pub struct Templates {
    pub tera: Tera,
    /// Where each template came from, for messages.
    origins: BTreeMap<String, PathBuf>,
    /// Each template's source, to tell which ones an edit changed.
    sources: BTreeMap<String, String>,
    /// The templates each one uses directly (`uses`).
    uses: BTreeMap<String, BTreeSet<String>>,
    /// The article page is laid out by the built-in templates, so its
    /// search text can be laid out the same way without reading the page
    /// ([`crate::render::views`]); a site's own layout is read from its pages.
    pub builtin_article: bool,
}

/// The templates that lay out what the search index reads of an article page.
const ARTICLE_LAYOUT: [&str; 2] = ["article.html", "components.html"];

impl Templates {
    /// Loads the built-in templates, then the site's `templates/` over them.
    pub fn load(root: &Path) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources: BTreeMap<String, String> = BTreeMap::new();
        let mut origins: BTreeMap<String, PathBuf> = BTreeMap::new();
        let mut problems = Vec::new();
        for name in Builtin::iter() {
            if let Some(file) = Builtin::get(&name) {
                let text = String::from_utf8_lossy(&file.data).into_owned();
                origins.insert(name.to_string(), PathBuf::from(format!("templates/{name}")));
                sources.insert(name.to_string(), text);
            }
        }
        let dir = root.join("templates");
        if dir.is_dir() {
            for entry in WalkDir::new(&dir).sort_by_file_name().follow_links(true) {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(e) => {
                        let path = e.path().map(|p| display_path(root, p)).unwrap_or_default();
                        problems.push(Diagnostic::error(path, format!("cannot be read: {e}")));
                        continue;
                    }
                };
                let name_part = entry.file_name().to_string_lossy();
                if !entry.file_type().is_file()
                    || name_part.starts_with('.')
                    || name_part.ends_with('~')
                {
                    continue;
                }
                let path = entry.path();
                let file = display_path(root, path);
                let name = path
                    .strip_prefix(&dir)
                    .unwrap_or(path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                match std::fs::read(path).map(String::from_utf8) {
                    Ok(Ok(text)) => {
                        origins.insert(name.clone(), file);
                        sources.insert(name, text);
                    }
                    Ok(Err(_)) => problems.push(Diagnostic::error(file, "not valid UTF-8 text")),
                    Err(e) => {
                        problems.push(Diagnostic::error(file, format!("cannot be read: {e}")))
                    }
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }

        let builtin_article = ARTICLE_LAYOUT.iter().all(|name| {
            let builtin = Builtin::get(name).map(|file| file.data);
            builtin.as_deref() == sources.get(*name).map(String::as_bytes)
        });
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".htm", ".xml"]);
        let all = sources.iter().map(|(n, s)| (n.as_str(), s.as_str()));
        if let Err(e) = tera.add_raw_templates(all) {
            // Tera stops at the first problem; parse each file alone to report them all.
            let mut problems: Vec<Diagnostic> = sources
                .iter()
                .filter_map(|(name, text)| Tera::new().add_raw_template(name, text).err())
                .filter(|e| matches!(e.kind(), ErrorKind::SyntaxError(_)))
                .map(|e| diagnostic(&origins, &e, None))
                .collect();
            if problems.is_empty() {
                problems.push(diagnostic(&origins, &e, None));
            }
            return Err(problems);
        }
        let uses = uses(&tera, &sources);
        Ok(Templates {
            tera,
            origins,
            sources,
            uses,
            builtin_article,
        })
    }

    /// The names of the templates that differ between `self` and `new`:
    /// edited, added or gone.
    pub(crate) fn changed(&self, new: &Templates) -> BTreeSet<String> {
        let names: BTreeSet<&String> = self.sources.keys().chain(new.sources.keys()).collect();
        names
            .into_iter()
            .filter(|name| self.sources.get(*name) != new.sources.get(*name))
            .cloned()
            .collect()
    }

    /// Whether rendering `template` reads one of `names`: the template
    /// itself, or one it extends, includes, imports or calls a component of,
    /// at any depth.
    pub(crate) fn reaches(&self, template: &str, names: &BTreeSet<String>) -> bool {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut next = vec![template];
        while let Some(name) = next.pop() {
            if names.contains(name) {
                return true;
            }
            if seen.insert(name) {
                next.extend(
                    self.uses
                        .get(name)
                        .into_iter()
                        .flatten()
                        .map(String::as_str),
                );
            }
        }
        false
    }

    /// A Tera error as one diagnostic on the template's file, line and column.
    /// `page` names the page being rendered, when there is one.
    pub fn diagnostic(&self, error: &tera::Error, page: Option<&str>) -> Diagnostic {
        diagnostic(&self.origins, error, page)
    }
}

/// The templates each template uses directly, read from the sources
/// (Tera does not tell): every other template whose name it quotes
/// (`extends`, `include`, `import`), and every template that defines a
/// component it calls (`<name`). A quoted name in a comment counts too: a
/// page rendered once more is cheaper than one left stale.
fn uses(tera: &Tera, sources: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let components: Vec<&str> = tera.get_component_names().collect();
    let definers = |component: &str| -> Vec<&String> {
        sources
            .iter()
            .filter(|(_, text)| mentions(text, "component ", component))
            .map(|(name, _)| name)
            .collect()
    };
    let definers: Vec<(&str, Vec<&String>)> =
        components.iter().map(|&c| (c, definers(c))).collect();
    sources
        .iter()
        .map(|(name, text)| {
            let quoted = sources.keys().filter(|other| {
                *other != name
                    && (text.contains(&format!("\"{other}\""))
                        || text.contains(&format!("'{other}'")))
            });
            let called = definers
                .iter()
                .filter(|(component, _)| mentions(text, "<", component))
                .flat_map(|(_, names)| names.iter().copied())
                .filter(|definer| *definer != name);
            (name.clone(), quoted.chain(called).cloned().collect())
        })
        .collect()
}

/// Whether `text` has `prefix` right before the identifier `word`, with no
/// more identifier after it.
fn mentions(text: &str, prefix: &str, word: &str) -> bool {
    let needle = format!("{prefix}{word}");
    text.match_indices(&needle).any(|(at, _)| {
        let after = text[at + needle.len()..].chars().next();
        !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

fn diagnostic(
    origins: &BTreeMap<String, PathBuf>,
    error: &tera::Error,
    page: Option<&str>,
) -> Diagnostic {
    let file_of = |name: &str| {
        origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(format!("templates/{name}")))
    };
    let context = page
        .map(|p| format!(" (rendering /{p})"))
        .unwrap_or_default();
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            Diagnostic::error(
                file_of(report.filename()),
                format!("{}{context}", report.message()),
            )
            .at(span.start_line, span.start_col + 1)
        }
        ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            file_of(current),
            format!("extends `{parent}`, which does not exist{context}"),
        ),
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
            Diagnostic::error(file_of(tpl), format!("{error}{context}"))
        }
        ErrorKind::TemplateNotFound(name) => Diagnostic::error(
            file_of(name),
            format!("template `{name}` does not exist{context}"),
        ),
        _ => Diagnostic::error("templates", format!("{error}{context}")),
    }
}
