//! `briefing new "Title"`: a new article file with valid front matter, dated
//! today. Never overwrites an existing file.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::date;
use crate::diagnostic::{display_path, Diagnostic, Failed};
use crate::frontmatter;
use crate::slug::{is_slug, slugify};

pub struct NewArticle<'a> {
    pub root: &'a Path,
    pub title: &'a str,
    pub companies: Vec<String>,
    pub topics: Vec<String>,
}

/// Writes the file and returns its path and any warnings (unknown ids).
pub fn run(new: &NewArticle) -> Result<(PathBuf, Vec<Diagnostic>), Failed> {
    let config = Config::load(new.root).map_err(Failed)?;
    let slug = slugify(new.title);
    if slug.is_empty() {
        return Err(Failed(vec![Diagnostic::setting(
            "title",
            "the title has no letters or digits to make a file name from",
        )]));
    }
    let mut warnings = Vec::new();
    let mut kinds: Vec<(&str, Vec<String>)> = Vec::new();
    for (kind, ids) in [("companies", &new.companies), ("topics", &new.topics)] {
        for id in ids {
            if !is_slug(id) {
                return Err(Failed(vec![Diagnostic::setting(
                    format!("--{kind}"),
                    format!("`{id}` is not an id; ids look like `{}`", slugify(id)),
                )]));
            }
            let profile = new.root.join("content").join(kind).join(format!("{id}.md"));
            if config.kind(kind).is_some() && !profile.exists() {
                warnings.push(Diagnostic::warning(
                    display_path(new.root, &profile),
                    format!("no profile for `{id}` yet; its page will be made from the id alone"),
                ));
            }
        }
        kinds.push((kind, ids.clone()));
    }

    let today = date::today();
    let dir = new.root.join("content").join("articles");
    let path = dir.join(format!("{today}-{slug}.md"));
    let shown = display_path(new.root, &path);
    let text = frontmatter::article_stub(new.title, &today, &kinds);
    std::fs::create_dir_all(&dir).map_err(|e| {
        Failed(vec![Diagnostic::error(
            &shown,
            format!("cannot create: {e}"),
        )])
    })?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            let message = if e.kind() == std::io::ErrorKind::AlreadyExists {
                "already exists; not overwritten (choose another title or edit that file)"
                    .to_string()
            } else {
                format!("cannot create: {e}")
            };
            Failed(vec![Diagnostic::error(&shown, message)])
        })?;
    file.write_all(text.as_bytes()).map_err(|e| {
        Failed(vec![Diagnostic::error(
            &shown,
            format!("cannot write: {e}"),
        )])
    })?;
    Ok((shown, warnings))
}
