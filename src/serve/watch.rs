//! Watching the site's files: `notify` events, debounced (renames paired by
//! notify-debouncer-full), turned into [`Changes`] that say what to rebuild.
//!
//! Editors save in odd ways: vim writes `4913` probes and `.swp` files, emacs
//! `.#` locks, many write a temporary file and rename it over the original.
//! Dropping editor droppings by name and classifying both ends of every rename
//! means the real file is never missed and no junk build is started.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{PollWatcher, RecursiveMode};
use notify_debouncer_full::{
    new_debouncer, new_debouncer_opt, DebounceEventResult, Debouncer, NoCache, RecommendedCache,
};

use super::session::Changes;
use crate::junk;

/// How long events settle before a batch goes out: long enough to pair an
/// editor's write-and-rename, short enough to feel instant.
pub const DEBOUNCE: Duration = Duration::from_millis(10);
/// How often `--poll` looks at the files.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// The folders and file a site is built from.
const WATCHED: &[&str] = &["content", "templates", "static"];
const CONFIG: &str = "site.yaml";

/// A running watcher; dropping it stops watching.
pub enum Watcher {
    Native(Debouncer<notify::RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

/// Why watching could not start.
#[derive(Debug)]
pub enum WatchError {
    /// Linux's inotify limit is reached; polling still works.
    Limit,
    Other(String),
}

impl Watcher {
    /// Starts watching `root`; batches of events arrive on the returned channel.
    pub fn start(
        root: &Path,
        poll: bool,
    ) -> Result<(Watcher, mpsc::Receiver<DebounceEventResult>), WatchError> {
        let (sender, receiver) = mpsc::channel();
        let mut watcher = if poll {
            // notify's poller keeps modification times in whole seconds, so two
            // saves within one second would look like one: compare contents too.
            let config = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            Watcher::Poll(
                new_debouncer_opt(DEBOUNCE, None, sender, NoCache, config)
                    .map_err(into_watch_error)?,
            )
        } else {
            Watcher::Native(new_debouncer(DEBOUNCE, None, sender).map_err(into_watch_error)?)
        };
        // The root itself, not recursively: site.yaml, and folders that appear later.
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        for dir in WATCHED {
            watcher.watch_if_present(&root.join(dir))?;
        }
        Ok((watcher, receiver))
    }

    /// Watches `dir` recursively when it exists (a folder created after start).
    pub fn watch_if_present(&mut self, dir: &Path) -> Result<(), WatchError> {
        if dir.is_dir() {
            self.watch(dir, RecursiveMode::Recursive)?;
        }
        Ok(())
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> Result<(), WatchError> {
        match self {
            Watcher::Native(d) => d.watch(path, mode),
            Watcher::Poll(d) => d.watch(path, mode),
        }
        .map_err(into_watch_error)
    }
}

fn into_watch_error(error: notify::Error) -> WatchError {
    let limit = matches!(error.kind, notify::ErrorKind::MaxFilesWatch)
        || matches!(&error.kind, notify::ErrorKind::Io(io) if io.raw_os_error() == Some(28));
    if limit {
        WatchError::Limit
    } else {
        WatchError::Other(error.to_string())
    }
}

/// Turns a batch of debounced events into what to rebuild.
pub fn classify(root: &Path, batch: DebounceEventResult) -> Changes {
    match batch {
        Err(_) => Changes {
            everything: true,
            ..Changes::default()
        },
        Ok(events) => {
            let mut changes = Changes::default();
            for event in events {
                if event.need_rescan() {
                    changes.everything = true;
                }
                // Reading files (our own build does) is not a change.
                if matches!(event.kind, notify::EventKind::Access(_)) {
                    continue;
                }
                for path in &event.paths {
                    classify_path(root, path, &mut changes);
                }
            }
            changes
        }
    }
}

/// Adds one changed path to `changes`, or ignores it.
pub fn classify_path(root: &Path, path: &Path, changes: &mut Changes) {
    let Ok(relative) = path.strip_prefix(root) else {
        return;
    };
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let Some(top) = parts.first() else { return };
    // What the build passes over starts nothing.
    let skipped = match top.as_str() {
        "static" => junk::is_junk,
        _ => junk::is_ignored,
    };
    if parts.iter().any(|p| skipped(p)) {
        return;
    }
    match top.as_str() {
        CONFIG if parts.len() == 1 => changes.everything = true,
        "templates" => changes.templates = true,
        "static" | "content" if parts.len() == 1 || path.is_dir() => changes.everything = true,
        "static" => {
            changes.static_files.insert(path.to_path_buf());
        }
        "content" => {
            let top = root.join("content").join(&parts[1]);
            let bundle = path
                .parent()
                .and_then(|folder| crate::load::bundle::owner(&top, folder));
            if path.extension().is_some_and(|e| e == "md") {
                changes.content.insert(path.to_path_buf());
            } else if let Some(index) = bundle {
                // A bundle's file belongs to its page.
                changes.content.insert(index);
            } else if !path.exists() {
                // Gone and not Markdown: most likely a folder that moved or
                // went away (`v2.0` included), taking its articles with it.
                changes.everything = true;
            }
        }
        _ => {}
    }
}

/// The folders a new top-level entry may need watching for.
pub fn watched_dir(root: &Path, path: &Path) -> Option<PathBuf> {
    let relative = path.strip_prefix(root).ok()?;
    let mut components = relative.components();
    let top = components.next()?.as_os_str().to_str()?;
    (components.next().is_none() && WATCHED.contains(&top) && path.is_dir())
        .then(|| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(paths: &[&str]) -> Changes {
        let root = Path::new("/site");
        let mut changes = Changes::default();
        for path in paths {
            classify_path(root, &root.join(path), &mut changes);
        }
        changes
    }

    #[test]
    fn editor_droppings_start_nothing() {
        let c = changes(&[
            "content/articles/.a.md.swp",
            "content/articles/a.md~",
            "content/articles/.#a.md",
            "content/articles/4913.tmp",
            "templates/.base.html.swx",
            "static/.DS_Store",
            "static/img/Thumbs.db",
            "static/.style.css.swp",
            "public/index.html",
            "target/debug/x",
        ]);
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn hidden_static_files_are_published_so_they_are_watched() {
        let c = changes(&["static/.well-known/security.txt", "static/.htaccess"]);
        assert_eq!(c.static_files.len(), 2, "{c:?}");
        assert!(changes(&["content/.obsidian/workspace.json"]).is_empty());
    }

    #[test]
    fn content_static_and_templates_are_told_apart() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        for file in [
            "content/articles/a.md",
            "static/style.css",
            "content/articles/img.png",
        ] {
            std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
            std::fs::write(root.join(file), "x").unwrap();
        }
        let mut c = Changes::default();
        for file in [
            "content/articles/a.md",
            "static/style.css",
            "content/articles/img.png",
        ] {
            classify_path(root, &root.join(file), &mut c);
        }
        assert_eq!(c.content.len(), 1);
        assert_eq!(c.static_files.len(), 1);
        assert!(
            !c.everything,
            "an image beside the articles is no change to the site"
        );
        let template = changes(&["templates/base.html"]);
        assert!(template.templates && !template.everything);
        assert!(changes(&["templates"]).templates, "the folder came or went");
        assert!(changes(&["site.yaml"]).everything);
        assert!(
            changes(&["content/articles/2024"]).everything,
            "a folder gone"
        );
        assert!(
            changes(&["content/articles/v2.0"]).everything,
            "a folder with a dot gone"
        );
    }
}
