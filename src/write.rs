//! Write: the output folder. A build writes into a staging folder beside the
//! output and swaps it in only when everything succeeded, so a failed build
//! leaves the previous site exactly as it was.

use std::io;
use std::path::{Path, PathBuf};

use crate::assets::{self, Assets};
use crate::diagnostic::{display_path, Diagnostic};

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

    /// The staging folder, to read back what was written.
    pub fn dir(&self) -> &Path {
        &self.staging
    }

    /// Writes one file at a site-relative path.
    pub fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        write_file(&self.staging, path, bytes)
    }

    /// Writes every asset under its published name.
    pub fn copy_assets(&self, assets: &Assets) -> Result<usize, Diagnostic> {
        copy_assets(assets, &self.staging)
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
            // In parallel: the old output of a big site is 100,000 folders.
            remove_dir_all::remove_dir_all(&old)?;
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

/// Writes every asset into `dir` under its published name.
pub fn copy_assets(assets: &Assets, dir: &Path) -> Result<usize, Diagnostic> {
    for asset in &assets.files {
        let fail =
            |message: String| Diagnostic::error(format!("static/{}", asset.published), message);
        let bytes = assets::read(&asset.origin).map_err(fail)?;
        write_file(dir, &asset.published, &bytes).map_err(|e| fail(e.to_string()))?;
    }
    Ok(assets.files.len())
}

/// Copies one file of the site's `static/` into `dir`, at the same relative
/// path; when it no longer exists, puts back the built-in file of that name
/// or removes it. Returns the site-relative path.
pub fn copy_static_file(root: &Path, path: &Path, dir: &Path) -> Result<String, Diagnostic> {
    let relative = assets::relative_path(&root.join("static"), path);
    let fail = |e: io::Error| {
        Diagnostic::error(display_path(root, path), format!("cannot be copied: {e}"))
    };
    match std::fs::read(path) {
        Ok(bytes) => write_file_atomic(dir, &relative, &bytes).map_err(fail)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => match assets::builtin(&relative) {
            Some(bytes) => write_file_atomic(dir, &relative, &bytes).map_err(fail)?,
            None => match std::fs::remove_file(dir.join(&relative)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(fail(e)),
                _ => {}
            },
        },
        Err(e) => return Err(fail(e)),
    }
    Ok(relative)
}
