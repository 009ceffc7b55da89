//! Relative URLs in a bundle's body: each names a file of the bundle and is
//! written as that file's root-relative URL, so that it also works where the
//! text is shown away from its page (feeds, editions). One that names no
//! file of the bundle is an error at its line.

use std::path::PathBuf;

use super::State;
use crate::diagnostic::{line_col, Diagnostic};
use crate::link::files::{bundle_url, missing_in_bundle, relative_file};

impl State<'_, '_> {
    /// The URL to write for `dest`, when the page is a bundle and `dest` is
    /// a relative URL of a file (not of a page: `.md` links are pages'),
    /// and the file on disk.
    pub(super) fn bundle_file(&mut self, dest: &str, offset: usize) -> Option<(String, PathBuf)> {
        let bundle = self.source.bundle?;
        let (path, rest) = relative_file(dest)?;
        if path.ends_with(".md") {
            return None;
        }
        if bundle.has(&path) {
            let url = format!("{}{rest}", bundle_url(self.source.page_url, &path));
            return Some((url, bundle.dir.join(&path)));
        }
        let (line, column) = line_col(self.source.body, offset);
        self.problems.push(
            Diagnostic::error(self.source.file, missing_in_bundle(dest, self.source.file))
                .at(self.source.body_line + line - 1, column),
        );
        None
    }

    /// The file under `static/` that a root-relative `dest` names, if any.
    pub(super) fn static_file(&self, dest: &str) -> Option<PathBuf> {
        let path = dest.strip_prefix(self.links.base_path)?;
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let path = crate::urls::join("", &decoded).filter(|p| !p.is_empty())?;
        let file = self.links.static_dir.join(path);
        file.is_file().then_some(file)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::render_with;

    #[test]
    fn outside_a_bundle_relative_urls_are_written_as_they_are() {
        let r = render_with("[x](elsewhere.html) ![y](pic.png)", false);
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert!(r.html.contains("href=\"elsewhere.html\""), "{}", r.html);
        assert!(r.html.contains("src=\"pic.png\""), "{}", r.html);
    }
}
