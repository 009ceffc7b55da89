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
        let full = self.staging.join(path);
        if let Some(dir) = full.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(full, bytes)
    }

    /// Copies the built-in assets, then the site's `static/` over them.
    pub fn copy_static(&self, root: &Path) -> Result<usize, Diagnostic> {
        let mut count = 0;
        for name in BuiltinStatic::iter() {
            if let Some(file) = BuiltinStatic::get(&name) {
                self.write(&name, &file.data)
                    .map_err(|e| Diagnostic::error(format!("static/{name}"), e.to_string()))?;
                count += 1;
            }
        }
        let dir = root.join("static");
        if !dir.is_dir() {
            return Ok(count);
        }
        for entry in WalkDir::new(&dir).follow_links(true).sort_by_file_name() {
            let entry = entry.map_err(|e| {
                let path = e.path().map(|p| display_path(root, p)).unwrap_or_default();
                Diagnostic::error(path, format!("cannot be copied: {e}"))
            })?;
            if !entry.file_type().is_file() {
                continue;
            }
            let relative = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let destination = self.staging.join(relative);
            let copied = destination
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|_| std::fs::copy(entry.path(), &destination));
            copied.map_err(|e| {
                Diagnostic::error(
                    display_path(root, entry.path()),
                    format!("cannot be copied: {e}"),
                )
            })?;
            count += 1;
        }
        Ok(count)
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
