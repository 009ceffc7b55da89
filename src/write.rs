//! Write: the output folder. A build writes into a staging folder beside the
//! output and swaps it in only when everything succeeded, so a failed build
//! leaves the previous site exactly as it was.

use std::io;
use std::path::{Path, PathBuf};

use rust_embed::RustEmbed;
use walkdir::WalkDir;

use crate::diagnostic::{display_path, Diagnostic};

#[derive(RustEmbed)]
#[folder = "static/"]
struct BuiltinStatic;

/// A build in progress: files go to `staging`, which becomes `target` on commit.
pub struct Output {
    staging: PathBuf,
    target: PathBuf,
}

impl Output {
    /// Prepares an empty staging folder next to `target`.
    pub fn create(target: &Path) -> io::Result<Output> {
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
        Ok(Output {
            staging,
            target: target.to_path_buf(),
        })
    }

    /// Writes one file at a site-relative path.
    pub fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        write_file(&self.staging, path, bytes)
    }

    /// Copies the built-in assets, then the site's `static/` over them.
    pub fn copy_static(&self, root: &Path) -> Result<usize, Diagnostic> {
        copy_static(root, &self.staging)
    }

    /// Puts the staged site in place of the old output.
    pub fn commit(self) -> io::Result<()> {
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
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        if had_old {
            std::fs::remove_dir_all(&old)?;
        }
        Ok(())
    }

    /// Throws the staged files away; the old output stays untouched.
    pub fn abandon(self) {
        let _ = std::fs::remove_dir_all(&self.staging);
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

/// Copies the built-in assets into `dir`, then the site's `static/` over them.
pub fn copy_static(root: &Path, dir: &Path) -> Result<usize, Diagnostic> {
    let mut count = 0;
    for name in BuiltinStatic::iter() {
        if let Some(file) = BuiltinStatic::get(&name) {
            write_file(dir, &name, &file.data)
                .map_err(|e| Diagnostic::error(format!("static/{name}"), e.to_string()))?;
            count += 1;
        }
    }
    let source = root.join("static");
    if !source.is_dir() {
        return Ok(count);
    }
    for entry in WalkDir::new(&source).follow_links(true).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().map(|p| display_path(root, p)).unwrap_or_default();
            Diagnostic::error(path, format!("cannot be copied: {e}"))
        })?;
        if entry.file_type().is_file() {
            copy_static_file(root, entry.path(), dir)?;
            count += 1;
        }
    }
    Ok(count)
}

/// Copies one file of the site's `static/` into `dir`, at the same relative
/// path; when it no longer exists, puts back the built-in file of that name
/// or removes it. Returns the site-relative path.
pub fn copy_static_file(root: &Path, path: &Path, dir: &Path) -> Result<String, Diagnostic> {
    let relative = path
        .strip_prefix(root.join("static"))
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    let fail = |e: io::Error| {
        Diagnostic::error(display_path(root, path), format!("cannot be copied: {e}"))
    };
    match std::fs::read(path) {
        Ok(bytes) => write_file_atomic(dir, &relative, &bytes).map_err(fail)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => match BuiltinStatic::get(&relative) {
            Some(file) => write_file_atomic(dir, &relative, &file.data).map_err(fail)?,
            None => match std::fs::remove_file(dir.join(&relative)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(fail(e)),
                _ => {}
            },
        },
        Err(e) => return Err(fail(e)),
    }
    Ok(relative)
}
