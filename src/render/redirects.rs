//! Redirect pages (SPEC §9): one per old address in `redirect_from`, each
//! sending the reader on to the page's address now. Which there are comes
//! from the site; whether one lands where something else is can only be
//! told here, where every page the site writes is known: an old address
//! may not take the place of a page, a static file or the search index,
//! nor be claimed twice.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{page_path, Page};
use crate::diagnostic::Diagnostic;
use crate::link::facts::Target;
use crate::link::Site;
use crate::urls;

/// Every redirect page of the site, in article and entity order.
pub(super) fn pages(site: &Site) -> impl Iterator<Item = Page> + '_ {
    let articles = site.ids.iter().zip(&site.articles).flat_map(|(&id, a)| {
        (0..a.redirect_from.paths.len()).map(move |k| Page::Redirect(Target::Article(id), k))
    });
    let entities = site.entities.iter().enumerate().flat_map(|(e, entity)| {
        (0..entity.redirect_from.paths.len()).map(move |k| Page::Redirect(Target::Entity(e), k))
    });
    articles.chain(entities)
}

/// The old addresses of `target`, site-relative; `None` when it is gone.
pub(super) fn paths(site: &Site, target: Target) -> Option<&[String]> {
    Some(match target {
        Target::Article(id) => &site.articles[site.position(id)?].redirect_from.paths,
        Target::Entity(e) => &site.entities.get(e)?.redirect_from.paths,
    })
}

/// One old address, as its file claims it.
struct Claim<'a> {
    path: &'a str,
    /// The file it is written to (`old/index.html`).
    file: String,
    source: &'a Path,
    line: usize,
}

/// What the site writes at a file.
enum Taken<'a> {
    /// A page of the site, by its file.
    Page,
    /// A static file.
    Asset,
    /// A file published beside a page: a bundle's, or an image's version.
    Beside,
    /// An old address listed on this line of that file.
    Redirect(&'a Path, usize),
}

impl Taken<'_> {
    /// Why an old address cannot be written at `file`, which this holds.
    fn why(&self, file: &str) -> String {
        match self {
            Taken::Page => {
                format!(
                    "is the address of a page of the site ({file}): a redirect cannot replace it"
                )
            }
            Taken::Asset => {
                format!("is the address of a static file ({file}): a redirect cannot replace it")
            }
            Taken::Beside => format!(
                "is the address of a file published beside a page ({file}): a redirect cannot replace it"
            ),
            Taken::Redirect(source, line) => format!(
                "is already an old address in {}:{line}: give each old address to one page",
                source.display()
            ),
        }
    }
}

/// Every old address that lands where something else is: one problem
/// each, on the `redirect_from` line of the file that lists it. Of two
/// files that claim one address, the second (by file name) is named.
pub(crate) fn clashes(site: &Site) -> Vec<Diagnostic> {
    let mut claims = claims(site);
    if claims.is_empty() {
        return Vec::new();
    }
    claims.sort_by(|a, b| (a.source, a.line).cmp(&(b.source, b.line)));
    // What the site writes besides redirects, by file, and the folders they need.
    let mut taken: HashMap<String, Taken> = HashMap::new();
    for page in super::pages(site) {
        if matches!(page, Page::Redirect(..)) {
            continue;
        }
        if let Some(path) = page_path(site, page) {
            taken.insert(urls::file_for(&path), Taken::Page);
        }
    }
    for published in site.assets.values() {
        taken.insert(published.clone(), Taken::Asset);
    }
    for file in files_beside_pages(site) {
        taken.insert(file, Taken::Beside);
    }
    let mut folders: HashSet<String> = taken.keys().flat_map(|f| folders_of(f)).collect();

    let mut problems = Vec::new();
    for claim in claims {
        let problem = if let Some(what) = taken.get(&claim.file) {
            Some(what.why(&claim.file))
        } else if claim.file.starts_with(urls::SEARCH_BUNDLE) {
            Some(format!(
                "is inside the folder of the search index (`/{}`)",
                urls::SEARCH_BUNDLE
            ))
        } else if folders.contains(&claim.file) {
            Some(format!(
                "names a folder of other files the site writes (`{}/…`)",
                claim.file
            ))
        } else {
            folders_of(&claim.file).into_iter().find_map(|folder| {
                let what = taken.get(&folder)?;
                Some(format!(
                    "needs a folder `{folder}`, but {}",
                    what.why(&folder).replacen("is ", "that is ", 1)
                ))
            })
        };
        match problem {
            Some(problem) => problems.push(
                Diagnostic::error(
                    claim.source,
                    format!("`redirect_from`: `/{}` {problem}", claim.path),
                )
                .at_line(claim.line),
            ),
            None => {
                folders.extend(folders_of(&claim.file));
                taken.insert(claim.file, Taken::Redirect(claim.source, claim.line));
            }
        }
    }
    problems
}

/// The files published beside pages: bundles' files, and the versions of
/// the images pages show.
fn files_beside_pages(site: &Site) -> Vec<String> {
    let articles = site
        .articles
        .iter()
        .zip(&site.bodies)
        .map(|(a, b)| (a.bundle.as_ref(), &b.pictures, urls::article(&a.slug)));
    let entities = (0..site.entities.len()).map(|e| {
        (
            site.entities[e].bundle.as_ref(),
            &site.profile_pictures[e],
            site.entity_path(e),
        )
    });
    let mut files = Vec::new();
    for (bundle, pictures, page) in articles.chain(entities) {
        if let Some(bundle) = bundle {
            files.extend(bundle.files.iter().map(|f| format!("{page}{f}")));
        }
        for shown in pictures {
            files.extend(shown.files(&page).map(|(path, _)| path));
        }
    }
    files
}

/// Every old address of every article and entity.
fn claims(site: &Site) -> Vec<Claim<'_>> {
    let articles = site
        .articles
        .iter()
        .map(|a| (&a.redirect_from, Some(a.file.as_path())));
    let entities = site
        .entities
        .iter()
        .map(|e| (&e.redirect_from, e.file.as_deref()));
    articles
        .chain(entities)
        .filter_map(|(redirects, source)| Some((redirects, source?)))
        .flat_map(|(redirects, source)| {
            redirects.paths.iter().map(move |path| Claim {
                path,
                file: urls::file_for(path),
                source,
                line: redirects.line,
            })
        })
        .collect()
}

/// The folders a file needs: `a/b/index.html` -> `a`, `a/b`.
fn folders_of(file: &str) -> Vec<String> {
    file.match_indices('/')
        .map(|(i, _)| file[..i].to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folders_a_file_needs() {
        assert_eq!(folders_of("a/b/index.html"), ["a", "a/b"]);
        assert!(folders_of("old.html").is_empty());
    }
}
