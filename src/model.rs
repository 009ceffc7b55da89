//! The site's content as the pipeline sees it after loading: articles and
//! entities, read and validated, not yet linked to each other.

use std::cmp::Ordering;
use std::path::PathBuf;

use time::OffsetDateTime;

#[derive(Debug, Clone)]
pub struct Source {
    pub title: String,
    pub url: String,
}

/// A page bundle (SPEC §8): the folder of an `index.md`, and the other
/// files in it, which are published beside the page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bundle {
    /// The folder, as the walk found it (absolute when the root is).
    pub dir: PathBuf,
    /// Its files, relative to `dir` with `/`, sorted: everything but
    /// Markdown files and junk.
    pub files: Vec<String>,
}

impl Bundle {
    pub fn has(&self, file: &str) -> bool {
        self.files
            .binary_search_by(|f| f.as_str().cmp(file))
            .is_ok()
    }
}

/// An article's lead image as its front matter names it (`image:`, `image_alt:`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LeadImage {
    /// As written: a file of the bundle, a path under `static/`, or a URL.
    pub src: String,
    pub alt: String,
    /// 1-based line of `image:`.
    pub line: usize,
}

/// The ids one front-matter key lists (`companies: [meta, openai]`).
#[derive(Debug, Clone, Default)]
pub struct TagList {
    pub ids: Vec<String>,
    /// 1-based line of the key, for messages about its ids.
    pub line: usize,
}

/// The old addresses of a page (`redirect_from: ["/old/"]`), each of which
/// gets a small page that sends the reader on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Redirects {
    /// Site-relative paths, checked and without the leading `/`: a folder
    /// ends in `/` (`2024/07/llama/`), a file in `.html` (`old.html`).
    pub paths: Vec<String>,
    /// 1-based line of the key, for messages about its paths.
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct Article {
    /// The file, relative to the site root (`content/articles/x.md`), for messages.
    pub file: PathBuf,
    /// The file relative to `content/` with `/` separators, as `@/` links name it.
    pub content_path: String,
    pub slug: String,
    pub title: String,
    pub date: OffsetDateTime,
    pub updated: Option<OffsetDateTime>,
    pub summary: Option<String>,
    /// The names `author:` gives, as written, one per author id (the ids,
    /// slugs of these names, are the `authors` kind's list in `tags`).
    pub authors: Vec<String>,
    pub sources: Vec<Source>,
    pub draft: bool,
    /// The lead image, with its alt text.
    pub image: Option<LeadImage>,
    /// The bundle's files, when the article is a folder with `index.md`.
    pub bundle: Option<Bundle>,
    pub redirect_from: Redirects,
    /// Ids from front matter, one list per kind (index into `Config::kinds`).
    pub tags: Vec<TagList>,
    /// The Markdown after the front matter; packed while `serve` keeps it.
    pub body: crate::packed::Text,
    /// 1-based line of the body's first line in the file.
    pub body_line: usize,
}

impl Article {
    /// When the article last changed: `updated`, else `date`.
    pub fn last_modified(&self) -> OffsetDateTime {
        self.updated.unwrap_or(self.date)
    }

    /// The order articles are listed in everywhere: newest first, and by slug
    /// on the same date, so the order never depends on how they were found.
    pub fn newest_first(a: &Article, b: &Article) -> Ordering {
        b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug))
    }
}

#[derive(Debug, Clone)]
pub struct Entity {
    /// Index into `Config::kinds`.
    pub kind: usize,
    pub id: String,
    pub name: String,
    /// Other names to recognise in article text.
    pub aliases: Vec<String>,
    pub ticker: Option<String>,
    pub website: Option<String>,
    /// The same entity elsewhere (`same_as:`, a Wikidata URL say): http(s) only.
    pub same_as: Vec<String>,
    pub summary: Option<String>,
    pub redirect_from: Redirects,
    /// A picture of the entity (author profiles' `image:`, with
    /// `image_alt:` or else the name as its alt text).
    pub image: Option<LeadImage>,
    /// Profile text in Markdown.
    pub body: String,
    pub body_line: usize,
    /// The profile file relative to the site root; `None` for an id that
    /// articles use but no file describes.
    pub file: Option<PathBuf>,
    pub content_path: Option<String>,
    /// The bundle's files, when the profile is a folder with `index.md`.
    pub bundle: Option<Bundle>,
}

impl Entity {
    /// Every name the entity goes by in text: its name, then its aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// Everything loaded from `content/`. Articles are newest first; entities are
/// grouped by kind, each kind sorted by id.
#[derive(Debug, Default)]
pub struct Content {
    /// The site root the content was loaded from.
    pub root: PathBuf,
    pub articles: Vec<Article>,
    pub entities: Vec<Entity>,
    /// Drafts and embargoed articles left out of the site, by path under
    /// `content/`: their slugs still count for collisions, and `serve` needs
    /// to know when an embargo ends.
    pub held_back: std::collections::BTreeMap<String, HeldBack>,
}

/// An article left out of the site (a draft, or dated in the future).
#[derive(Debug, Clone)]
pub struct HeldBack {
    pub slug: String,
    pub file: PathBuf,
    /// When it comes in by itself: its date, for an embargoed non-draft.
    pub due: Option<OffsetDateTime>,
}

#[cfg(test)]
impl Article {
    /// An article with only a slug and a date, for tests.
    pub(crate) fn dated(slug: &str, date: OffsetDateTime) -> Article {
        Article {
            file: PathBuf::from(format!("content/articles/{slug}.md")),
            content_path: format!("articles/{slug}.md"),
            slug: slug.into(),
            title: slug.into(),
            date,
            updated: None,
            summary: None,
            authors: vec![],
            sources: vec![],
            draft: false,
            image: None,
            bundle: None,
            redirect_from: Redirects::default(),
            tags: vec![],
            body: Default::default(),
            body_line: 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(slug: &str, date: OffsetDateTime) -> Article {
        Article::dated(slug, date)
    }

    #[test]
    fn newest_first_then_by_slug() {
        let day = time::macros::datetime!(2024-07-23 0:00 UTC);
        let mut articles = [
            article("b", day),
            article("old", day - time::Duration::days(1)),
            article("new", day + time::Duration::days(1)),
            article("a", day),
        ];
        articles.sort_by(Article::newest_first);
        let slugs: Vec<&str> = articles.iter().map(|a| a.slug.as_str()).collect();
        assert_eq!(slugs, ["new", "a", "b", "old"]);
    }
}
