//! Parse: one content file's text, front matter and body, into an
//! [`Article`] or an [`Entity`]. Pure: no file system, no other files.

use std::path::PathBuf;

use time::OffsetDateTime;

use super::{redirects, Loaded, Role};
use crate::config::{Config, AUTHORS};
use crate::date;
use crate::diagnostic::Diagnostic;
use crate::frontmatter::{self, Fields};
use crate::model::{Article, Entity, LeadImage, Source, TagList};
use crate::slug::{is_slug, slugify};

/// Parses the text of one file (front matter and body) in the given role:
/// everything [`load_file`] does after reading the file. `file` names it in
/// messages, `content_path` is its path under `content/` and `stem` its
/// name without `.md`.
pub fn parse_text(
    text: &str,
    file: PathBuf,
    content_path: String,
    stem: String,
    role: Role,
    config: &Config,
) -> Result<Loaded, Vec<Diagnostic>> {
    let text = frontmatter::without_control_characters(text);
    let document = frontmatter::split(&text, &file).map_err(|d| vec![d])?;
    let fields = Fields::parse(document.front, document.front_line, &file).map_err(|d| vec![d])?;
    let located = Located {
        file,
        content_path,
        stem,
        body: document.body.to_string(),
        body_line: document.body_line,
    };
    match role {
        Role::Article => {
            read_article(located, fields, config).map(|a| Loaded::Article(Box::new(a)))
        }
        Role::Entity(kind) => {
            read_entity(located, fields, kind).map(|e| Loaded::Entity(Box::new(e)))
        }
    }
}

/// What every file knows about itself, whatever its role.
struct Located {
    file: PathBuf,
    content_path: String,
    stem: String,
    body: String,
    body_line: usize,
}

fn read_article(
    at: Located,
    mut fields: Fields,
    config: &Config,
) -> Result<Article, Vec<Diagnostic>> {
    let title = fields.required_text("title");
    let date = read_date(&mut fields, "date", true, &config.zone).flatten();
    let updated = read_date(&mut fields, "updated", false, &config.zone);
    let summary = fields.text("summary").filter(|s| !s.trim().is_empty());
    let draft = fields.boolean("draft").unwrap_or(false);
    let image = read_image(&mut fields);
    let redirect_from = redirects::read(&mut fields);
    fields.refuse(
        "aliases",
        format!(
            "an article has no `aliases`: for its old addresses, write `{}: [\"/old/path/\"]` (Hugo and Zola call them aliases)",
            redirects::KEY
        ),
    );
    let (authors, by) = read_authors(&mut fields);
    let tags: Vec<TagList> = config
        .kinds
        .iter()
        .enumerate()
        .map(|(kind, k)| match kind {
            AUTHORS => by.clone(),
            _ => read_tags(&mut fields, &k.id),
        })
        .collect();

    let mut sources = Vec::new();
    for mut source in fields.list_of_maps("sources") {
        let url = source
            .required_text("url")
            .and_then(|url| web_url(&mut source, "url", url));
        let title = source.text("title");
        if let Some(url) = url {
            sources.push(Source {
                title: title.unwrap_or_else(|| url.clone()),
                url,
            });
        }
        fields.absorb(source);
    }

    let slug = match fields.text("slug") {
        Some(slug) if is_slug(&slug) => Some(slug),
        Some(slug) => {
            fields.error(
                "slug",
                format!(
                    "`slug` must be lowercase letters, digits and -, like `{}`",
                    slugify(&slug)
                ),
            );
            None
        }
        None => {
            let slug = slugify(strip_date_prefix(&at.stem));
            if slug.is_empty() {
                fields.error(
                    "title",
                    "the file name gives no usable slug: rename the file or set `slug:`",
                );
            }
            Some(slug)
        }
    };

    let problems = fields.finish();
    match (title, date, slug) {
        (Some(title), Some(date), Some(slug)) if problems.is_empty() => Ok(Article {
            file: at.file,
            content_path: at.content_path,
            slug,
            title,
            date,
            updated: updated.flatten(),
            summary,
            authors,
            sources,
            draft,
            image,
            bundle: None,
            redirect_from,
            tags,
            body: at.body.into(),
            body_line: at.body_line,
        }),
        _ => Err(problems),
    }
}

/// `image:` and its `image_alt:`, which a picture needs for readers who
/// cannot see it.
fn read_image(fields: &mut Fields) -> Option<LeadImage> {
    let line = fields.line_of("image");
    let src = fields.text("image").filter(|s| !s.trim().is_empty());
    let alt = fields.text("image_alt");
    match (src, alt) {
        (Some(src), Some(alt)) if !alt.trim().is_empty() => Some(LeadImage {
            src: src.trim().to_string(),
            alt,
            line,
        }),
        (Some(_), _) => {
            fields.error(
                "image",
                "`image` needs `image_alt:`, a short description for readers who cannot see it",
            );
            None
        }
        (None, _) => None,
    }
}

/// `author:`, one name or a list: the names as written, each once by id,
/// and their ids (slugs of the names), the `authors` kind's list.
fn read_authors(fields: &mut Fields) -> (Vec<String>, TagList) {
    fields.misnamed(
        "authors",
        "an article names its authors with `author:`, one name or a list",
    );
    let line = fields.line_of("author");
    let mut names = Vec::new();
    let mut ids = Vec::new();
    for name in fields.one_or_list("author") {
        let name = name.trim().to_string();
        let id = slugify(&name);
        if name.is_empty() {
            continue;
        }
        if id.is_empty() {
            fields.error(
                "author",
                format!("`author`: `{name}` gives no id for an author page: use letters or digits"),
            );
        } else if !ids.contains(&id) {
            names.push(name);
            ids.push(id);
        }
    }
    (names, TagList { ids, line })
}

/// Reads one kind's id list; ids must already be slugs (`meta`, not `Meta`).
fn read_tags(fields: &mut Fields, key: &str) -> TagList {
    let line = fields.line_of(key);
    let mut ids = fields.list(key);
    let bad: Vec<String> = ids.iter().filter(|id| !is_slug(id)).cloned().collect();
    for id in &bad {
        fields.error(
            key,
            format!(
                "`{key}`: `{id}` is not an id; ids are lowercase letters, digits and -, like `{}`",
                slugify(id)
            ),
        );
    }
    ids.retain(|id| is_slug(id));
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    TagList { ids, line }
}

/// Reads a date field (a day without a time is midnight in `zone`). The
/// outer `None` means a problem was recorded.
fn read_date(
    fields: &mut Fields,
    key: &str,
    required: bool,
    zone: &jiff::tz::TimeZone,
) -> Option<Option<OffsetDateTime>> {
    let text = if required {
        fields.required_text(key)?
    } else {
        match fields.text(key) {
            Some(text) => text,
            None => return Some(None),
        }
    };
    match date::parse(&text, zone) {
        Ok(date) => Some(Some(date)),
        Err(message) => {
            fields.error(key, format!("`{key}`: {message}"));
            None
        }
    }
}

fn read_entity(at: Located, mut fields: Fields, kind: usize) -> Result<Entity, Vec<Diagnostic>> {
    let name = fields.required_text("name");
    let aliases = fields.list("aliases");
    let ticker = fields.text("ticker");
    let website = fields
        .text("website")
        .and_then(|url| web_url(&mut fields, "website", url));
    let same_as = fields
        .list("same_as")
        .into_iter()
        .filter_map(|url| web_url(&mut fields, "same_as", url))
        .collect();
    let summary = fields.text("summary");
    let redirect_from = redirects::read(&mut fields);
    // Author profiles may have a picture (SPEC §9).
    let image = match kind {
        AUTHORS => {
            let line = fields.line_of("image");
            let src = fields.text("image").filter(|s| !s.trim().is_empty());
            let alt = fields.text("image_alt").filter(|s| !s.trim().is_empty());
            src.map(|src| (src, alt, line))
        }
        _ => None,
    };
    let id = slugify(&at.stem);
    if id.is_empty() {
        fields.error(
            "name",
            "the file name gives no usable id: name the file like `meta.md`",
        );
    }
    let problems = fields.finish();
    match name {
        Some(name) if problems.is_empty() => Ok(Entity {
            kind,
            id,
            image: image.map(|(src, alt, line)| LeadImage {
                src: src.trim().to_string(),
                alt: alt.unwrap_or_else(|| name.clone()),
                line,
            }),
            name,
            aliases: aliases
                .into_iter()
                .filter(|a| !a.trim().is_empty())
                .collect(),
            ticker,
            website,
            same_as,
            summary,
            redirect_from,
            body: at.body,
            body_line: at.body_line,
            file: Some(at.file),
            content_path: Some(at.content_path),
            bundle: None,
        }),
        _ => Err(problems),
    }
}

/// Links from front matter land in `href`s: only http(s) URLs, never `javascript:`.
fn web_url(fields: &mut Fields, key: &str, url: String) -> Option<String> {
    match url::Url::parse(url.trim()) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => Some(url.trim().to_string()),
        _ => {
            let name = fields.name(key);
            fields.error(
                key,
                format!("`{name}` must be an http:// or https:// URL, not `{url}`"),
            );
            None
        }
    }
}

/// `2024-07-23-llama-3-1` -> `llama-3-1`.
fn strip_date_prefix(stem: &str) -> &str {
    let bytes = stem.as_bytes();
    let is_date = bytes.len() > 11
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
        && matches!(bytes[10], b'-' | b'_');
    if is_date {
        &stem[11..]
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_prefixes_are_stripped_from_slugs() {
        assert_eq!(strip_date_prefix("2024-07-23-llama-3-1"), "llama-3-1");
        assert_eq!(strip_date_prefix("llama-3-1"), "llama-3-1");
        assert_eq!(strip_date_prefix("2024-07-23"), "2024-07-23");
    }
}
