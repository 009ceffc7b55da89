//! Files that pages use: a bundle's own files, which bodies name by
//! relative paths, and lead images, which may also sit under `static/`.
//! Both are looked up here, so that a missing one is an error at the line
//! that names it (SPEC §8) in every command, before anything is rendered.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::images::{is_raster, Attributes, Images, Shown};
use crate::model::{Bundle, LeadImage};
use crate::urls;

/// A lead image, found: where readers get it and where it is on disk.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Lead {
    /// Root-relative URL (base path included), or the remote URL as written.
    pub url: String,
    pub alt: String,
    /// The local file; `None` for a remote image.
    pub file: Option<PathBuf>,
    /// Its size and versions, for a local raster image.
    pub processed: Option<Attributes>,
}

/// Processes a local raster lead image for the page at `page_url`: its
/// size and versions go on `lead`, and what pages publish is returned.
/// Err: a message for the `image:` line.
pub fn process_lead(
    lead: &mut Lead,
    page_url: &str,
    images: &Images,
) -> Result<Option<Shown>, String> {
    let Some(file) = lead.file.as_ref().filter(|f| is_raster(f)) else {
        return Ok(None);
    };
    match images.get(file) {
        Ok(picture) if picture.responsive => {
            let shown = Shown::new(file, picture);
            lead.processed = Some(shown.attributes(page_url));
            Ok(Some(shown))
        }
        Ok(_) => Ok(None),
        Err(reason) => Err(format!("`image`: `{}` {reason}", lead.url)),
    }
}

/// A relative URL in a body that names a bundle file: the file's path in
/// the bundle and what follows it (`?query`, `#fragment`). `None` for a URL
/// that is not relative (a scheme, `/…`, `#…`, `@/…`).
pub fn relative_file(dest: &str) -> Option<(String, &str)> {
    if dest.is_empty()
        || urls::has_scheme(dest)
        || dest.starts_with(['/', '#', '?', '@'])
        || dest.starts_with("//")
    {
        return None;
    }
    let end = dest.find(['?', '#']).unwrap_or(dest.len());
    let (path, rest) = dest.split_at(end);
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    // From a file at the top of the bundle; `..` may not climb out of it.
    let joined = urls::join("", &decoded).unwrap_or_else(|| decoded.to_string());
    Some((joined, rest))
}

/// The URL of a bundle file, from the URL of its page (`/articles/x/`).
pub fn bundle_url(page_url: &str, file: &str) -> String {
    format!("{page_url}{}", urls::encode_path(file))
}

/// What a bundle file that is not there is called in a message; `file`
/// is the bundle's `index.md` as messages name it.
pub fn missing_in_bundle(dest: &str, file: &Path) -> String {
    let dir = file.parent().unwrap_or(file);
    format!(
        "`{dest}` is not a file of this bundle ({}/): add the file, or fix the name",
        dir.display()
    )
}

/// Where a picture named in front matter is looked for: the page's file
/// (for messages), its bundle, its URL, and the site's `static/`.
pub struct Place<'a> {
    pub file: &'a Path,
    pub bundle: Option<&'a Bundle>,
    pub page_url: &'a str,
    pub static_dir: &'a Path,
    pub base_path: &'a str,
}

/// Finds and processes a page's picture: the [`Lead`] pages show, with its
/// versions added to `pictures` for publishing; a problem (no such file,
/// not an image) goes to `problems` at the `image:` line instead.
pub fn picture(
    image: &LeadImage,
    place: &Place,
    images: &Images,
    pictures: &mut Vec<Shown>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Lead> {
    let mut lead = match lead(image, place) {
        Ok(lead) => lead,
        Err(problem) => {
            problems.push(problem);
            return None;
        }
    };
    match process_lead(&mut lead, place.page_url, images) {
        Ok(Some(shown)) => pictures.push(shown),
        Ok(None) => {}
        Err(reason) => {
            problems.push(Diagnostic::error(place.file, reason).at_line(image.line));
            return None;
        }
    }
    Some(lead)
}

/// Finds a page's picture (an article's lead image, an author's portrait):
/// a file of its bundle, a path under `static/`, or an http(s) URL.
pub fn lead(image: &LeadImage, place: &Place) -> Result<Lead, Diagnostic> {
    let Place {
        file: page_file,
        bundle,
        page_url,
        static_dir,
        base_path,
    } = *place;
    let found = |url: String, file: Option<PathBuf>| {
        Ok(Lead {
            url,
            alt: image.alt.clone(),
            file,
            processed: None,
        })
    };
    let src = image.src.as_str();
    if urls::has_scheme(src) || src.starts_with("//") {
        return match url::Url::parse(src) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => found(src.to_string(), None),
            _ => Err(Diagnostic::error(
                page_file,
                format!("`image`: `{src}` must be a file of the bundle, a path under static/, or an http(s) URL"),
            )
            .at_line(image.line)),
        };
    }
    if let Some(bundle) = bundle {
        if let Some(path) = urls::join("", src).filter(|p| bundle.has(p)) {
            let file = bundle.dir.join(&path);
            return found(bundle_url(page_url, &path), Some(file));
        }
    }
    let under_static = urls::join("", src.trim_start_matches('/'))
        .filter(|p| !p.is_empty() && static_dir.join(p).is_file());
    if let Some(path) = under_static {
        let file = static_dir.join(&path);
        return found(
            format!("{base_path}{}", urls::encode_path(&path)),
            Some(file),
        );
    }
    let place = if bundle.is_some() {
        "not in this bundle, nor under static/"
    } else {
        "not under static/"
    };
    Err(Diagnostic::error(
        page_file,
        format!("`image`: `{src}` names no file: {place}"),
    )
    .at_line(image.line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_are_bundle_files() {
        assert_eq!(relative_file("chart.png"), Some(("chart.png".into(), "")));
        assert_eq!(
            relative_file("./data/my%20x.csv#top"),
            Some(("data/my x.csv".into(), "#top"))
        );
        assert_eq!(
            relative_file("../x.png").map(|f| f.0),
            Some("../x.png".into())
        );
        for other in [
            "/img/x.png",
            "https://x.org/a.png",
            "#top",
            "@/articles/a.md",
            "mailto:a@b",
            "//cdn/x.png",
            "",
        ] {
            assert_eq!(relative_file(other), None, "{other}");
        }
    }

    #[test]
    fn bundle_urls_are_encoded() {
        assert_eq!(
            bundle_url("/b/articles/x/", "my chart.png"),
            "/b/articles/x/my%20chart.png"
        );
    }
}
