//! What kind of file a path names, by its extension. `serve` sends it as the
//! preview's Content-Type and `publish` stores it with each S3 object, so a
//! file is the same kind of thing in the preview as on the host.

use std::path::Path;

/// The Content-Type of the file at `path`, by its extension. The text types
/// the build writes (pages, feeds, styles, scripts) are UTF-8 and say so;
/// the rest come from `mime_guess`, and unknown ones are plain bytes.
pub fn content_type(path: impl AsRef<Path>) -> String {
    let extension = path
        .as_ref()
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    match extension {
        "html" | "htm" => "text/html; charset=utf-8".into(),
        "xml" => "application/xml; charset=utf-8".into(),
        "txt" => "text/plain; charset=utf-8".into(),
        "css" => "text/css; charset=utf-8".into(),
        "js" | "mjs" => "text/javascript; charset=utf-8".into(),
        "json" => "application/json".into(),
        _ => mime_guess::from_ext(extension)
            .first_or_octet_stream()
            .essence_str()
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("atom.xml"), "application/xml; charset=utf-8");
        assert_eq!(
            content_type("style.3f2a9c41d0.css"),
            "text/css; charset=utf-8"
        );
        assert_eq!(content_type("logo.svg"), "image/svg+xml");
        assert_eq!(content_type("logo.png"), "image/png");
        assert_eq!(content_type("photo.jpg"), "image/jpeg");
        assert_eq!(content_type("font.woff2"), "font/woff2");
        assert_eq!(
            content_type("pagefind/en_1a2b.pf_fragment"),
            "application/octet-stream"
        );
        assert_eq!(content_type("v2.0/README"), "application/octet-stream");
    }
}
