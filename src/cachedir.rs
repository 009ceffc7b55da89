//! The site's cache folder, `.briefing/cache/` (SPEC §8), as every cache in
//! it writes there: the folder made on the first write, with a `.gitignore`
//! of `*` so that a site under git stays clean (and `publish git:` finds
//! nothing to commit), and each file written to a temporary name and
//! renamed, so that a reader (another build, `serve`) never sees half of
//! one. Image versions (`images/cache.rs`) and social cards
//! (`render/social`) both keep their files here.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Creates the cache folder `root` with its `.gitignore`.
pub(crate) fn prepare(root: &Path) -> io::Result<()> {
    fs::create_dir_all(root)?;
    let ignore = root.join(".gitignore");
    if !ignore.exists() {
        write_atomically(&ignore, b"*\n")?;
    }
    Ok(())
}

/// Writes `bytes` to a temporary file beside `path` and renames it there.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(folder)?;
    file.write_all(bytes)?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}
