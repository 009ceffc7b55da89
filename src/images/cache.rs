//! The disk cache of processed images, `.briefing/cache/images/`, shared by
//! `build`, `serve` and `publish` (even two of them at once) and safe to
//! delete.
//!
//! An entry is a folder named by the SHA-256 of the original's bytes and a
//! tag of the encoder [`SETTINGS`], holding one `<width>.webp` per variant
//! and a `meta` file written last: its presence says the entry is whole, and
//! it carries all a page needs (upright size, each variant's size, hash and
//! length), so a warm build reads the original (to hash it), `meta` and
//! nothing else. Every file is written to a temporary name and renamed, so a
//! reader never sees half of one. An entry that does not parse, or whose
//! variant files are missing or of the wrong length, is no entry: it is made
//! again and overwritten.

use std::fs;
use std::path::PathBuf;
use std::sync::OnceLock;

use super::encode::SETTINGS;
use crate::cachedir::write_atomically;
use crate::checksum::sha256_hex;

/// First line of every `meta` file; bump it when its layout changes.
const MAGIC: &str = "briefing image 1";

/// What an entry records of one variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Stored {
    pub width: u32,
    pub height: u32,
    /// Hex digits of the SHA-256 of the WebP bytes, as in the file name.
    pub hash: String,
    pub len: u64,
}

/// What an entry records of one original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    pub width: u32,
    pub height: u32,
    pub responsive: bool,
    pub variants: Vec<Stored>,
}

pub(super) struct Cache {
    /// The site's `.briefing/cache/`.
    root: PathBuf,
    /// Whether `root` exists with its `.gitignore`: made once, on the first
    /// write, so that a build that writes nothing creates nothing.
    ready: OnceLock<Result<(), String>>,
}

impl Cache {
    pub fn new(root: PathBuf) -> Cache {
        Cache {
            root,
            ready: OnceLock::new(),
        }
    }

    /// The folder of the entry for an original whose bytes hash to `key`.
    fn folder(&self, key: &str) -> PathBuf {
        let settings = &sha256_hex(SETTINGS.as_bytes())[..8];
        self.root.join("images").join(format!("{key}-{settings}"))
    }

    /// Where an entry's variant of `width` is (or would be).
    pub fn variant_path(&self, key: &str, width: u32) -> PathBuf {
        self.folder(key).join(format!("{width}.webp"))
    }

    /// The entry for `key`, when it is there and whole.
    pub fn load(&self, key: &str) -> Option<Entry> {
        let text = fs::read_to_string(self.folder(key).join("meta")).ok()?;
        let entry = parse(&text)?;
        let whole = entry
            .variants
            .iter()
            .all(|v| fs::metadata(self.variant_path(key, v.width)).is_ok_and(|m| m.len() == v.len));
        whole.then_some(entry)
    }

    /// Stores an entry and its variants' bytes (in `entry.variants`' order).
    /// Err: why the cache cannot be written, for a warning.
    pub fn store(&self, key: &str, entry: &Entry, webps: &[&[u8]]) -> Result<(), String> {
        self.ready.get_or_init(|| self.prepare_root()).clone()?;
        let folder = self.folder(key);
        let cannot = |e: std::io::Error| {
            format!(
                "cannot write the image cache in {}: {e}",
                self.root.display()
            )
        };
        fs::create_dir_all(&folder).map_err(cannot)?;
        for (variant, bytes) in entry.variants.iter().zip(webps) {
            write_atomically(&self.variant_path(key, variant.width), bytes).map_err(cannot)?;
        }
        write_atomically(&folder.join("meta"), render(entry).as_bytes()).map_err(cannot)
    }

    /// Creates the cache folder with its `.gitignore` (`crate::cachedir`).
    fn prepare_root(&self) -> Result<(), String> {
        crate::cachedir::prepare(&self.root)
            .map_err(|e| format!("cannot create the image cache {}: {e}", self.root.display()))
    }
}

fn render(entry: &Entry) -> String {
    let mut text = format!(
        "{MAGIC}\nsize {} {}\nresponsive {}\n",
        entry.width, entry.height, entry.responsive
    );
    for v in &entry.variants {
        text.push_str(&format!(
            "variant {} {} {} {}\n",
            v.width, v.height, v.hash, v.len
        ));
    }
    text
}

/// Reads a `meta` file; None for anything but exactly what [`render`] writes.
fn parse(text: &str) -> Option<Entry> {
    let mut lines = text.lines();
    if lines.next()? != MAGIC {
        return None;
    }
    let mut size = lines.next()?.strip_prefix("size ")?.split(' ');
    let width = size.next()?.parse().ok()?;
    let height = size.next()?.parse().ok()?;
    let responsive = lines.next()?.strip_prefix("responsive ")?.parse().ok()?;
    let mut variants = Vec::new();
    for line in lines {
        let mut fields = line.strip_prefix("variant ")?.split(' ');
        let variant = Stored {
            width: fields.next()?.parse().ok()?,
            height: fields.next()?.parse().ok()?,
            hash: fields.next()?.to_string(),
            len: fields.next()?.parse().ok()?,
        };
        let hex = variant.hash.len() >= 8 && variant.hash.bytes().all(|b| b.is_ascii_hexdigit());
        if !hex || fields.next().is_some() {
            return None;
        }
        variants.push(variant);
    }
    (width > 0 && height > 0).then_some(Entry {
        width,
        height,
        responsive,
        variants,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry {
        Entry {
            width: 2400,
            height: 1600,
            responsive: true,
            variants: vec![Stored {
                width: 480,
                height: 320,
                hash: "0123456789".into(),
                len: 3,
            }],
        }
    }

    #[test]
    fn meta_reads_back_and_refuses_anything_else() {
        let text = render(&entry());
        assert_eq!(parse(&text), Some(entry()));
        for broken in [
            "",
            "briefing image 0\nsize 1 1\nresponsive true\n",
            &text.replace("size 2400", "size x"),
            &text.replace("0123456789", "012"),
            &text.replace(" 3\n", " 3 4\n"),
            &text[..text.len() - 4],
        ] {
            assert_eq!(parse(broken), None, "{broken:?}");
        }
    }

    #[test]
    fn stores_with_a_gitignore_and_ignores_torn_entries() {
        let site = tempfile::tempdir().unwrap();
        let cache = Cache::new(site.path().join(".briefing/cache"));
        assert_eq!(cache.load("k"), None);
        assert_eq!(cache.store("k", &entry(), &[b"abc"]), Ok(()));
        let ignore = fs::read_to_string(site.path().join(".briefing/cache/.gitignore"));
        assert_eq!(ignore.ok().as_deref(), Some("*\n"));
        assert_eq!(cache.load("k"), Some(entry()));
        // A variant of the wrong length (a copy cut short) spoils the entry.
        fs::write(cache.variant_path("k", 480), b"ab").unwrap();
        assert_eq!(cache.load("k"), None);
        assert_eq!(cache.store("k", &entry(), &[b"abc"]), Ok(()));
        assert_eq!(cache.load("k"), Some(entry()));
        // No temporary file is left behind.
        let files = fs::read_dir(cache.folder("k")).unwrap().count();
        assert_eq!(files, 2);
    }

    #[test]
    fn a_cache_that_cannot_be_written_says_why() {
        let site = tempfile::tempdir().unwrap();
        // `.briefing` is a file: nothing can be created under it.
        fs::write(site.path().join(".briefing"), b"").unwrap();
        let cache = Cache::new(site.path().join(".briefing/cache"));
        let reason = cache.store("k", &entry(), &[b"abc"]).unwrap_err();
        assert!(
            reason.starts_with("cannot create the image cache"),
            "{reason}"
        );
        assert_eq!(cache.load("k"), None);
    }
}
