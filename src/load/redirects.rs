//! `redirect_from`: the old addresses of an article or a profile (SPEC §9),
//! read and checked one by one, so that a path which could land outside
//! the output folder, or mean something else to a web server (a query, a
//! fragment, another host), never gets that far. Whether a path is already
//! taken by another page is known only once every page is: that check is
//! the render stage's (`render/redirects.rs`).

use crate::frontmatter::Fields;
use crate::model::Redirects;

/// The front-matter key.
pub const KEY: &str = "redirect_from";

/// Reads `redirect_from`, recording a problem on its line for each path
/// that is not a plain path on the site. A path listed twice counts once.
pub fn read(fields: &mut Fields) -> Redirects {
    let line = fields.line_of(KEY);
    let mut paths: Vec<String> = Vec::new();
    for written in fields.list(KEY) {
        match path(&written) {
            Ok(path) if !paths.contains(&path) => paths.push(path),
            Ok(_) => {}
            Err(reason) => fields.error(KEY, format!("`{KEY}`: `{written}` {reason}")),
        }
    }
    Redirects { paths, line }
}

/// The site-relative path of an old address as written (`/2024/07/llama/`
/// -> `2024/07/llama/`), or why it cannot be one. A path ending in `/` is a
/// folder, one ending in `.html` a file, and any other a folder, as Zola's
/// aliases are (`/old` -> `old/`); `…/index.html` is its folder.
pub fn path(written: &str) -> Result<String, String> {
    if crate::urls::has_scheme(written) {
        return Err("is a URL: write the path on this site, like `/2024/07/llama/`".into());
    }
    let Some(rest) = written.strip_prefix('/') else {
        return Err("must start with `/`, like `/2024/07/llama/`".into());
    };
    // Front matter has turned control characters into U+FFFD already.
    if written.chars().any(|c| c.is_control() || c == '\u{fffd}') {
        return Err("holds a control character".into());
    }
    for (c, why) in [
        ('\\', "a backslash: paths use `/`"),
        ('?', "`?`: a query is no part of a path"),
        ('#', "`#`: a fragment is no part of a path"),
        ('%', "`%`: write the path as it reads, not percent-encoded"),
    ] {
        if written.contains(c) {
            return Err(format!("holds {why}"));
        }
    }
    if written.chars().any(char::is_whitespace) {
        return Err("holds a space: addresses are written without one".into());
    }
    if rest.is_empty() {
        return Ok(String::new());
    }
    let segments: Vec<&str> = rest.strip_suffix('/').unwrap_or(rest).split('/').collect();
    if segments.iter().any(|s| s.is_empty()) {
        return Err("has an empty segment (`//`)".into());
    }
    if segments.iter().any(|s| *s == "." || *s == "..") {
        return Err("holds a `.` or `..` segment: write the path without it".into());
    }
    let mut path = segments.join("/");
    if rest.ends_with('/') {
        path.push('/');
    } else if let Some(folder) = path.strip_suffix("index.html") {
        if folder.is_empty() || folder.ends_with('/') {
            path = folder.to_string();
        }
    } else if !path.ends_with(".html") {
        path.push('/');
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn folders_files_and_bare_paths() {
        assert_eq!(path("/2024/07/llama/").unwrap(), "2024/07/llama/");
        assert_eq!(path("/old.html").unwrap(), "old.html");
        assert_eq!(path("/a/old.html").unwrap(), "a/old.html");
        assert_eq!(path("/old-slug").unwrap(), "old-slug/");
        assert_eq!(path("/post.php").unwrap(), "post.php/");
        assert_eq!(path("/a/index.html").unwrap(), "a/");
        assert_eq!(path("/xindex.html").unwrap(), "xindex.html");
        assert_eq!(path("/").unwrap(), "");
        assert_eq!(path("/index.html").unwrap(), "");
        assert_eq!(path("/récap/").unwrap(), "récap/");
    }

    #[test]
    fn paths_that_could_mean_something_else_are_refused() {
        for (written, reason) in [
            ("https://example.org/old/", "is a URL"),
            ("mailto:a@b.org", "is a URL"),
            ("old/", "must start with `/`"),
            ("", "must start with `/`"),
            ("//example.org/old/", "empty segment"),
            ("/a//b/", "empty segment"),
            ("/a/../../etc/", "`..` segment"),
            ("/a/./b", "`.` or `..`"),
            ("/..", "`..`"),
            ("/old/?p=1", "a query"),
            ("/old/#top", "a fragment"),
            ("/a\\b/", "backslash"),
            ("/a\u{7}b/", "control character"),
            ("/a\u{fffd}b/", "control character"),
            ("/a%20b/", "percent-encoded"),
            ("/a b/", "a space"),
        ] {
            let e = path(written).expect_err(written);
            assert!(e.contains(reason), "{written}: {e}");
        }
    }

    #[test]
    fn problems_are_on_the_key_line_and_repeats_count_once() {
        let yaml = "title: x\nredirect_from: [\"/a/\", \"/a\", \"../up/\", \"/b.html\"]\n";
        let mut fields = Fields::parse(yaml, 2, Path::new("a.md")).unwrap();
        let redirects = read(&mut fields);
        assert_eq!(redirects.paths, ["a/", "b.html"]);
        assert_eq!(redirects.line, 3);
        fields.text("title");
        let problems = fields.finish();
        let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            shown,
            ["error: a.md:3:16: `redirect_from`: `../up/` must start with `/`, like `/2024/07/llama/`"]
        );
    }
}
