//! Files published beside pages (SPEC §8): each bundle's own files, copied
//! as they are. They belong to the article or profile whose bundle holds
//! them, so a change to that one says which files to write again, and
//! which to remove.

use std::path::PathBuf;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::diagnostic::Diagnostic;
use crate::link::facts::ArticleId;
use crate::link::Site;
use crate::urls;
use crate::write::Writes;

/// Whose files they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Owner {
    Article(ArticleId),
    Entity(usize),
}

/// One file to publish: where it goes in the site, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Attachment {
    pub path: String,
    pub source: PathBuf,
}

/// What each owner published, by site-relative path.
pub(super) type Published = FxHashMap<Owner, Vec<String>>;

/// The files of `owner` as the site is now (none when it is gone).
pub(super) fn of(site: &Site, owner: Owner) -> Vec<Attachment> {
    let (bundle, page) = match owner {
        Owner::Article(id) => match site.position(id) {
            Some(i) => (
                site.articles[i].bundle.as_ref(),
                urls::article(&site.articles[i].slug),
            ),
            None => return Vec::new(),
        },
        Owner::Entity(e) => (site.entities[e].bundle.as_ref(), site.entity_path(e)),
    };
    let Some(bundle) = bundle else {
        return Vec::new();
    };
    bundle
        .files
        .iter()
        .map(|file| Attachment {
            path: format!("{page}{file}"),
            source: bundle.dir.join(file),
        })
        .collect()
}

/// Every owner of the site that has files.
pub(super) fn owners(site: &Site) -> Vec<Owner> {
    let articles = site
        .articles
        .iter()
        .zip(&site.ids)
        .filter(|(a, _)| a.bundle.is_some())
        .map(|(_, &id)| Owner::Article(id));
    let entities = site
        .entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.bundle.is_some())
        .map(|(e, _)| Owner::Entity(e));
    articles.chain(entities).collect()
}

/// Writes the files of `owners`; returns what each published and the files
/// that cannot be read.
pub(super) fn write(
    site: &Site,
    owners: &[Owner],
    writes: &Writes,
) -> (Published, Vec<Diagnostic>) {
    let done: Vec<(Owner, Vec<String>, Vec<Diagnostic>)> = owners
        .par_iter()
        .map(|&owner| {
            let mut problems = Vec::new();
            let mut paths = Vec::new();
            for attachment in of(site, owner) {
                match std::fs::read(&attachment.source) {
                    Ok(bytes) => writes.write(&attachment.path, &bytes),
                    Err(e) => problems.push(Diagnostic::error(
                        &attachment.source,
                        format!("cannot be read: {e}"),
                    )),
                }
                paths.push(attachment.path);
            }
            (owner, paths, problems)
        })
        .collect();
    let mut published = Published::default();
    let mut problems = Vec::new();
    for (owner, paths, more) in done {
        if !paths.is_empty() {
            published.insert(owner, paths);
        }
        problems.extend(more);
    }
    (published, problems)
}
