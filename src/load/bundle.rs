//! Page bundles (SPEC §8): an `index.md` in a folder of its own is one
//! article or profile, named after the folder, and every other file in that
//! folder is published beside its page. This says which Markdown files are
//! bundles, which files belong to one, and lists them.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostic::{display_path, Diagnostic};
use crate::junk;
use crate::model::Bundle;

/// The file that makes a folder a bundle.
pub const INDEX: &str = "index.md";

/// Files a page writes beside its `index.html`, so a bundle file may not
/// take their names; and `page/`, where an entity's older articles go.
const TAKEN_FILES: &[&str] = &["index.html", "atom.xml", "card.png"];
const TAKEN_FOLDERS: &[&str] = &["page"];

/// The `index.md` of the bundle that the folder `from` is in (itself or
/// the nearest one above it), searching no higher than `top`'s children:
/// `top` itself (`content/articles`, `content/companies`) is never a bundle.
pub fn owner(top: &Path, from: &Path) -> Option<PathBuf> {
    let mut dir = from;
    while dir != top && dir.starts_with(top) {
        let index = dir.join(INDEX);
        if index.is_file() {
            return Some(index);
        }
        dir = dir.parent()?;
    }
    None
}

/// Whether the Markdown file at `path` is a bundle's `index.md` rather
/// than a file of a folder of articles: named so, and not directly in `top`.
pub fn is_index(top: &Path, path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == INDEX) && path.parent().is_some_and(|dir| dir != top)
}

/// Lists the files of the bundle whose `index.md` is `index`. `root` is
/// the site root, for messages. The problems are files whose names the
/// page itself takes.
pub fn list(root: &Path, index: &Path) -> (Bundle, Vec<Diagnostic>) {
    let dir = index.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let walker = WalkDir::new(&dir)
        .min_depth(1)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !junk::is_ignored(e.file_name().to_string_lossy().as_ref()));
    for entry in walker.flatten() {
        let path = entry.path();
        let top_level = entry.depth() == 1;
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_dir() {
            if top_level && TAKEN_FOLDERS.contains(&name.as_ref()) {
                problems.push(Diagnostic::error(
                    display_path(root, path),
                    format!("a bundle may not have a folder named `{name}`: the page's older articles go there; rename it"),
                ));
            }
            continue;
        }
        if path.extension().is_some_and(|e| e == "md") || !entry.file_type().is_file() {
            continue;
        }
        if top_level && TAKEN_FILES.contains(&name.as_ref()) {
            problems.push(Diagnostic::error(
                display_path(root, path),
                format!("a bundle file may not be named `{name}`: the page writes its own there; rename it"),
            ));
            continue;
        }
        files.push(crate::urls::relative_path(&dir, path));
    }
    files.sort();
    (Bundle { dir, files }, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_are_the_nearest_index_below_the_top() {
        let site = tempfile::tempdir().unwrap();
        let top = site.path().join("articles");
        let bundle = top.join("2024/a-story");
        std::fs::create_dir_all(bundle.join("img")).unwrap();
        std::fs::write(bundle.join(INDEX), "").unwrap();
        std::fs::write(top.join(INDEX), "").unwrap();
        assert_eq!(owner(&top, &bundle.join("img")), Some(bundle.join(INDEX)));
        assert_eq!(owner(&top, &bundle), Some(bundle.join(INDEX)));
        assert_eq!(owner(&top, &top.join("2024")), None);
        assert_eq!(owner(&top, &top), None, "the top is never a bundle");
        assert!(is_index(&top, &bundle.join(INDEX)));
        assert!(!is_index(&top, &top.join(INDEX)));
    }

    #[test]
    fn lists_files_but_not_markdown_and_refuses_taken_names() {
        let site = tempfile::tempdir().unwrap();
        let dir = site.path().join("content/articles/a");
        std::fs::create_dir_all(dir.join("data")).unwrap();
        std::fs::create_dir_all(dir.join("page")).unwrap();
        for file in [
            INDEX,
            "chart.png",
            "notes.md",
            "data/x.csv",
            ".DS_Store",
            "card.png",
        ] {
            std::fs::write(dir.join(file), "x").unwrap();
        }
        let (bundle, problems) = list(site.path(), &dir.join(INDEX));
        assert_eq!(bundle.files, ["chart.png", "data/x.csv"]);
        let messages: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages[0].contains("content/articles/a/card.png"),
            "{messages:?}"
        );
        assert!(messages[1].contains("folder named `page`"), "{messages:?}");
    }
}
