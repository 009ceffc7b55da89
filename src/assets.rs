//! Static assets: the built-in files (embedded from the repository's
//! `static/`) overlaid by the site's own `static/`, and the names they are
//! published under. CSS and JavaScript get a content hash in their file name
//! (`style.3f2a9c41d0.css`) so hosts can cache them forever; templates find
//! the published names in `site.assets`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_embed::RustEmbed;
use walkdir::WalkDir;

use crate::checksum::sha256_hex;
use crate::diagnostic::{display_path, Diagnostic};
use crate::junk;

#[derive(RustEmbed)]
#[folder = "static/"]
struct Builtin;

/// Where an asset's bytes come from.
#[derive(Debug, Clone)]
pub enum Origin {
    /// Embedded in the binary, by its path in the repository's `static/`.
    Builtin(String),
    /// A file of the site's `static/`.
    File(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Asset {
    pub origin: Origin,
    /// Site-relative path as published (fingerprinted or not).
    pub published: String,
}

/// Every asset of a site, and its published name by its own path.
#[derive(Debug, Clone, Default)]
pub struct Assets {
    pub files: Vec<Asset>,
    /// `style.css` -> `style.3f2a9c41d0.css`; every asset has an entry.
    pub names: BTreeMap<String, String>,
}

impl Assets {
    /// Lists the assets of the site at `root`; `fingerprint` renames CSS and JS.
    pub fn scan(root: &Path, fingerprint: bool) -> Result<Assets, Vec<Diagnostic>> {
        let mut by_path: BTreeMap<String, Origin> = BTreeMap::new();
        for name in Builtin::iter() {
            by_path.insert(name.to_string(), Origin::Builtin(name.to_string()));
        }
        let dir = root.join("static");
        let mut problems = Vec::new();
        if dir.is_dir() {
            for entry in WalkDir::new(&dir).follow_links(true).sort_by_file_name() {
                match entry {
                    Ok(entry)
                        if entry.file_type().is_file()
                            && !junk::is_junk(&entry.file_name().to_string_lossy()) =>
                    {
                        let relative = crate::urls::relative_path(&dir, entry.path());
                        by_path.insert(relative, Origin::File(entry.path().to_path_buf()));
                    }
                    Ok(_) => {}
                    Err(e) => {
                        let path = e.path().map(|p| display_path(root, p)).unwrap_or_default();
                        problems.push(Diagnostic::error(path, format!("cannot be read: {e}")));
                    }
                }
            }
        }
        let mut assets = Assets::default();
        for (path, origin) in by_path {
            let published = if fingerprint && is_fingerprinted(&path) {
                match read(&origin) {
                    Ok(bytes) => fingerprinted(&path, &bytes),
                    Err(e) => {
                        problems.push(Diagnostic::error(display_path(root, &dir.join(&path)), e));
                        continue;
                    }
                }
            } else {
                path.clone()
            };
            assets.names.insert(path, published.clone());
            assets.files.push(Asset { origin, published });
        }
        if problems.is_empty() {
            Ok(assets)
        } else {
            Err(problems)
        }
    }
}

/// The bytes of an asset.
pub fn read(origin: &Origin) -> Result<Vec<u8>, String> {
    match origin {
        Origin::Builtin(name) => Builtin::get(name)
            .map(|f| f.data.into_owned())
            .ok_or_else(|| format!("built-in asset {name} is missing")),
        Origin::File(path) => std::fs::read(path).map_err(|e| format!("cannot be read: {e}")),
    }
}

/// The built-in asset at `path`, if there is one (`serve` puts it back when
/// the site's own copy is deleted).
pub fn builtin(path: &str) -> Option<Vec<u8>> {
    Builtin::get(path).map(|f| f.data.into_owned())
}

/// Files whose names carry their content hash when published.
fn is_fingerprinted(path: &str) -> bool {
    path.ends_with(".css") || path.ends_with(".js") || path.ends_with(".mjs")
}

/// `css/site.css` + bytes -> `css/site.<10 hex digits>.css`.
pub fn fingerprinted(path: &str, bytes: &[u8]) -> String {
    let hash = &sha256_hex(bytes)[..10];
    match path.rsplit_once('.') {
        Some((stem, extension)) if !stem.ends_with('/') => format!("{stem}.{hash}.{extension}"),
        _ => format!("{path}.{hash}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_keep_the_extension() {
        let name = fingerprinted("css/site.css", b"body{}");
        assert!(
            name.starts_with("css/site.") && name.ends_with(".css"),
            "{name}"
        );
        assert_eq!(name.len(), "css/site..css".len() + 10);
        assert_ne!(name, fingerprinted("css/site.css", b"body{ }"));
        // The first ten digits of the bytes' SHA-256.
        assert_eq!(fingerprinted("app.js", b"abc"), "app.ba7816bf8f.js");
    }

    #[test]
    fn only_css_and_js_are_renamed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("static")).unwrap();
        std::fs::write(dir.path().join("static/app.js"), "x()").unwrap();
        std::fs::write(dir.path().join("static/logo.png"), "png").unwrap();
        std::fs::write(dir.path().join("static/.gitkeep"), "").unwrap();
        let assets = Assets::scan(dir.path(), true).unwrap();
        assert!(assets.names["style.css"].starts_with("style."));
        assert_ne!(assets.names["style.css"], "style.css");
        assert_ne!(assets.names["app.js"], "app.js");
        assert_eq!(assets.names["logo.png"], "logo.png");
        assert!(
            !assets.names.contains_key(".gitkeep"),
            "git placeholders are not published"
        );
        let plain = Assets::scan(dir.path(), false).unwrap();
        assert_eq!(plain.names["style.css"], "style.css");
    }
}
