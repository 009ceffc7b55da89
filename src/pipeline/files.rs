//! Files published beside pages (SPEC §8): each bundle's own files, copied
//! as they are, and the versions of the images each page shows. They belong to the article or profile whose bundle holds
//! them, so a change to that one says which files to write again, and
//! which to remove.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::diagnostic::Diagnostic;
use crate::images::Picture;
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
#[derive(Debug, Clone)]
pub(super) struct Attachment {
    pub path: String,
    pub source: Origin,
}

#[derive(Debug, Clone)]
pub(super) enum Origin {
    /// A file of the bundle, copied as it is.
    File(PathBuf),
    /// A version of an image the page shows: the picture and which version.
    Version(Arc<Picture>, usize),
}

impl Origin {
    fn bytes(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Origin::File(path) => std::fs::read(path),
            Origin::Version(picture, i) => match picture.variants.get(*i) {
                Some(variant) => variant.bytes().map(|b| b.into_owned()),
                None => Ok(Vec::new()),
            },
        }
    }

    /// What to name in a message about it.
    fn name(&self) -> &Path {
        match self {
            Origin::File(path) => path,
            Origin::Version(..) => Path::new(crate::images::CACHE_DIR),
        }
    }
}

/// What each owner published, by site-relative path.
pub(super) type Published = FxHashMap<Owner, Vec<String>>;

/// The files of `owner` as the site is now (none when it is gone): its
/// bundle's files, and the versions of the images its page shows.
pub(super) fn of(site: &Site, owner: Owner) -> Vec<Attachment> {
    let (bundle, pictures, page) = match owner {
        Owner::Article(id) => match site.position(id) {
            Some(i) => (
                site.articles[i].bundle.as_ref(),
                &site.bodies[i].pictures,
                urls::article(&site.articles[i].slug),
            ),
            None => return Vec::new(),
        },
        Owner::Entity(e) => (
            site.entities[e].bundle.as_ref(),
            &site.profile_pictures[e],
            site.entity_path(e),
        ),
    };
    let mut files: Vec<Attachment> = bundle
        .iter()
        .flat_map(|bundle| bundle.files.iter().map(move |file| (bundle, file)))
        .map(|(bundle, file)| Attachment {
            path: format!("{page}{file}"),
            source: Origin::File(bundle.dir.join(file)),
        })
        .collect();
    for shown in pictures {
        files.extend(shown.files(&page).map(|(path, i)| Attachment {
            path,
            source: Origin::Version(Arc::clone(&shown.picture), i),
        }));
    }
    // One image shown twice is published once.
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    files
}

/// Every owner of the site that has files.
pub(super) fn owners(site: &Site) -> Vec<Owner> {
    let articles = (0..site.articles.len())
        .filter(|&i| site.articles[i].bundle.is_some() || !site.bodies[i].pictures.is_empty())
        .map(|i| Owner::Article(site.ids[i]));
    let entities = (0..site.entities.len())
        .filter(|&e| site.entities[e].bundle.is_some() || !site.profile_pictures[e].is_empty())
        .map(Owner::Entity);
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
                match attachment.source.bytes() {
                    Ok(bytes) => writes.write(&attachment.path, &bytes),
                    Err(e) => problems.push(Diagnostic::error(
                        attachment.source.name(),
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
