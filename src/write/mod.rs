//! Write: the output seam. Every file a build makes (pages, feeds, assets,
//! the search index) goes out through one [`Output`], so where it lands is
//! decided once, by whoever drives the pipeline:
//!
//! - [`Staging`]: a folder beside the output, swapped in whole on success,
//!   so a failed build leaves the previous site exactly as it was (`build`,
//!   `publish`, a full rebuild in `serve`);
//! - [`InPlace`]: single files replaced by atomic renames in a folder that
//!   is being served, so a reader sees the old file or the new one, never
//!   half of one (a save in `serve`);
//! - [`Memory`]: a map of paths to bytes (`check` and tests);
//! - [`Discard`]: nothing kept, for a build that only looks for problems.
//!
//! Write errors are collected by [`Writes`], which collapses repeats of one
//! cause (a full disk) into one line.

mod writes;

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub(crate) use writes::Writes;

/// Where a build's files go.
///
/// Paths are site-relative with `/` separators (`articles/x/index.html`,
/// `atom.xml`), never absolute and never with `..`. Both methods are called
/// from many threads at once. An error means that this one file was not
/// written (or removed); the caller goes on with the others and reports the
/// errors at the end, so an implementation never stops by itself.
pub trait Output: Sync {
    /// Writes `bytes` at `path`, making folders as needed and replacing a
    /// file that is there.
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()>;

    /// Removes the file at `path`, and the folders it leaves empty.
    /// A file that is not there is not an error.
    fn remove(&self, path: &str) -> io::Result<()>;

    /// What to name in a message about this output (the folder).
    fn place(&self) -> &Path;

    /// Writes `bytes` for `path` where no reader sees them yet. Each staged
    /// file is then either put in place by [`Output::settle`] or dropped by
    /// [`Output::unstage`], so that the pages of one change go in together
    /// or not at all without being held in memory. The default writes at
    /// once: right for an output nobody reads before it is complete.
    fn stage(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.write(path, bytes)
    }

    /// Puts the file staged for `path` in place, as [`Output::write`] would.
    fn settle(&self, _path: &str) -> io::Result<()> {
        Ok(())
    }

    /// Drops the file staged for `path`; what is at `path` stays.
    fn unstage(&self, _path: &str) -> io::Result<()> {
        Ok(())
    }

    /// Puts the bytes of the file `source` (outside the output, and only
    /// ever replaced by a rename, never changed in place: a file of the
    /// site's cache) at `path`, as [`Output::write`] would. The default
    /// reads and writes; a folder may hard-link instead.
    fn link(&self, path: &str, source: &Path) -> io::Result<()> {
        self.write(path, &std::fs::read(source)?)
    }
}

/// A build in progress: files go to a staging folder, which becomes the
/// target on [`Staging::commit`].
pub struct Staging {
    staging: PathBuf,
    target: PathBuf,
}

impl Staging {
    /// Prepares an empty staging folder next to `target`.
    pub fn create(target: &Path) -> io::Result<Staging> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let staging = parent.join(format!(".{name}.building-{}", std::process::id()));
        if staging.exists() {
            std::fs::remove_dir_all(&staging)?;
        }
        std::fs::create_dir_all(&staging)?;
        Ok(Staging {
            staging,
            target: target.to_path_buf(),
        })
    }

    /// A staging folder that is the target itself, for a folder nobody
    /// reads until it is complete (a preview's next generation).
    pub fn fresh(dir: &Path) -> io::Result<Staging> {
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
        Ok(Staging {
            staging: dir.to_path_buf(),
            target: dir.to_path_buf(),
        })
    }

    /// Puts the staged site in place of the old output.
    pub fn commit(self) -> io::Result<()> {
        if self.staging == self.target {
            return Ok(());
        }
        let old = self.staging.with_file_name(format!(
            "{}.old",
            self.staging
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        ));
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old)?;
        }
        if let Err(e) = std::fs::rename(&self.staging, &self.target) {
            if had_old {
                // Best effort: the error that matters is the one returned.
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        if had_old {
            // In parallel: the old output of a big site is 100,000 folders.
            remove_dir_all::remove_dir_all(&old)?;
        }
        Ok(())
    }

    /// Throws the staged files away; the old output stays untouched.
    pub fn abandon(self) {
        // Nothing to tell: a leftover staging folder is replaced next time.
        let _ = std::fs::remove_dir_all(&self.staging);
    }
}

impl Output for Staging {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        write_file(&self.staging, path, bytes)
    }

    fn remove(&self, path: &str) -> io::Result<()> {
        remove_file(&self.staging, path)
    }

    /// A hard link when the cache is on the same file system, else a copy.
    fn link(&self, path: &str, source: &Path) -> io::Result<()> {
        let full = self.staging.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        // A file already there goes first: copying over it would write
        // through to whatever it is linked to.
        match std::fs::remove_file(&full) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        if std::fs::hard_link(source, &full).is_ok() {
            return Ok(());
        }
        // Across file systems.
        std::fs::copy(source, &full).map(|_| ())
    }

    fn place(&self) -> &Path {
        &self.target
    }
}

/// A folder that is being served: each file is replaced by an atomic rename.
pub struct InPlace(pub PathBuf);

impl InPlace {
    /// Replaces what is under `folder` (`pagefind/`) with `files`
    /// (site-relative paths in it), each by an atomic rename in the order
    /// given, then removes the files of that folder that are not among them.
    pub fn replace_folder(&self, folder: &str, files: &[(String, Vec<u8>)]) -> io::Result<()> {
        for (path, bytes) in files {
            write_file_atomic(&self.0, path, bytes)?;
        }
        let keep: std::collections::BTreeSet<&str> =
            files.iter().map(|(p, _)| p.as_str()).collect();
        let root = self.0.join(folder);
        if !root.is_dir() {
            return Ok(());
        }
        for entry in walkdir::WalkDir::new(&root).contents_first(true) {
            let entry = entry.map_err(io::Error::other)?;
            let Ok(relative) = entry.path().strip_prefix(&self.0) else {
                continue;
            };
            let relative = relative.to_string_lossy().replace('\\', "/");
            if entry.file_type().is_dir() {
                // Removes only folders left empty; the others stay, as they should.
                let _ = std::fs::remove_dir(entry.path());
            } else if !keep.contains(relative.as_str()) {
                std::fs::remove_file(entry.path())?;
            }
        }
        Ok(())
    }
}

impl InPlace {
    /// Where the file for `path` waits until it is settled: a hidden
    /// sibling, so that settling is one rename.
    fn staged(&self, path: &str) -> PathBuf {
        let full = self.0.join(path);
        let name = full
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        full.with_file_name(format!(".{name}.{}.staged", std::process::id()))
    }
}

impl Output for InPlace {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        write_file_atomic(&self.0, path, bytes)
    }

    fn stage(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let staged = self.staged(path);
        if let Some(parent) = staged.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(staged, bytes)
    }

    fn settle(&self, path: &str) -> io::Result<()> {
        std::fs::rename(self.staged(path), self.0.join(path))
    }

    fn unstage(&self, path: &str) -> io::Result<()> {
        match std::fs::remove_file(self.staged(path)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    fn remove(&self, path: &str) -> io::Result<()> {
        remove_file(&self.0, path)
    }

    fn place(&self) -> &Path {
        &self.0
    }
}

/// Files kept in memory, by site-relative path.
#[derive(Default)]
pub struct Memory {
    files: Mutex<BTreeMap<String, Vec<u8>>>,
    staged: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl Memory {
    pub fn new() -> Self {
        Self::default()
    }

    /// Everything written, by path.
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn files(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Vec<u8>>> {
        lock(&self.files)
    }
}

fn lock<T>(map: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic elsewhere cannot leave a map half-changed.
    map.lock().unwrap_or_else(|e| e.into_inner())
}

impl Output for Memory {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.files().insert(path.to_string(), bytes.to_vec());
        Ok(())
    }

    fn remove(&self, path: &str) -> io::Result<()> {
        self.files().remove(path);
        Ok(())
    }

    fn place(&self) -> &Path {
        Path::new("memory")
    }

    fn stage(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        lock(&self.staged).insert(path.to_string(), bytes.to_vec());
        Ok(())
    }

    fn settle(&self, path: &str) -> io::Result<()> {
        let bytes = lock(&self.staged).remove(path).ok_or_else(|| {
            io::Error::new(io::ErrorKind::NotFound, format!("{path} was not staged"))
        })?;
        self.files().insert(path.to_string(), bytes);
        Ok(())
    }

    fn unstage(&self, path: &str) -> io::Result<()> {
        lock(&self.staged).remove(path);
        Ok(())
    }
}

/// Takes every file and keeps none: a build that only looks for problems.
pub struct Discard;

impl Output for Discard {
    fn write(&self, _: &str, _: &[u8]) -> io::Result<()> {
        Ok(())
    }

    fn remove(&self, _: &str) -> io::Result<()> {
        Ok(())
    }

    fn place(&self) -> &Path {
        Path::new("nowhere")
    }
}

/// Writes `bytes` to `dir/path`, making folders as needed.
pub fn write_file(dir: &Path, path: &str, bytes: &[u8]) -> io::Result<()> {
    let full = dir.join(path);
    if let Some(parent) = full.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(full, bytes)
}

/// Like [`write_file`], but readers see the old file or the new one, never a
/// half-written one: writes a sibling temporary file, then renames it.
pub fn write_file_atomic(dir: &Path, path: &str, bytes: &[u8]) -> io::Result<()> {
    let full = dir.join(path);
    if let Some(parent) = full.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let name = full
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = full.with_file_name(format!(".{name}.{}.part", std::process::id()));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, &full)
}

/// Removes `dir/path` and its folder when that is left empty.
fn remove_file(dir: &Path, path: &str) -> io::Result<()> {
    let full = dir.join(path);
    match std::fs::remove_file(&full) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    // Only empty folders go, up to the first that holds something else
    // (`2024/07/23/old/index.html` may leave four); that one stays, which
    // is right, so a failure here is no error.
    let mut folder = full.parent();
    while let Some(parent) = folder.filter(|p| *p != dir && p.starts_with(dir)) {
        if std::fs::remove_dir(parent).is_err() {
            break;
        }
        folder = parent.parent();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_keeps_and_forgets() {
        let memory = Memory::new();
        memory.write("a/index.html", b"1").unwrap();
        memory.write("b.xml", b"2").unwrap();
        memory.remove("b.xml").unwrap();
        let files = memory.into_files();
        assert_eq!(files.keys().collect::<Vec<_>>(), ["a/index.html"]);
    }

    #[test]
    fn staged_files_are_unseen_until_settled() {
        let dir = tempfile::tempdir().unwrap();
        let folder = InPlace(dir.path().to_path_buf());
        let memory = Memory::new();
        for out in [&folder as &dyn Output, &memory] {
            out.write("a/index.html", b"old").unwrap();
            out.stage("a/index.html", b"new").unwrap();
            out.stage("b/index.html", b"dropped").unwrap();
            out.unstage("b/index.html").unwrap();
            out.unstage("c/index.html").unwrap();
        }
        let read = |p: &str| std::fs::read(dir.path().join(p)).ok();
        assert_eq!(read("a/index.html").as_deref(), Some(&b"old"[..]));
        folder.settle("a/index.html").unwrap();
        memory.settle("a/index.html").unwrap();
        assert_eq!(read("a/index.html").as_deref(), Some(&b"new"[..]));
        let on_disk: Vec<_> = walkdir::WalkDir::new(dir.path())
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(on_disk, ["index.html"], "nothing staged is left");
        assert!(memory.settle("b/index.html").is_err(), "b was dropped");
        let files = memory.into_files();
        assert_eq!(files["a/index.html"], b"new");
        assert_eq!(files.len(), 1);
    }

    #[test]
    fn in_place_removal_takes_the_folders_it_empties() {
        let dir = tempfile::tempdir().unwrap();
        let out = InPlace(dir.path().to_path_buf());
        out.write("articles/x/index.html", b"x").unwrap();
        out.write("articles/y/index.html", b"y").unwrap();
        out.remove("articles/x/index.html").unwrap();
        assert!(!dir.path().join("articles/x").exists());
        assert!(dir.path().join("articles/y/index.html").exists());
        out.remove("articles/gone/index.html").unwrap();
        out.write("2024/07/23/old/index.html", b"old").unwrap();
        out.remove("2024/07/23/old/index.html").unwrap();
        assert!(!dir.path().join("2024").exists());
        assert!(dir.path().exists());
    }
}
