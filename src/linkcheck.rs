//! Checks a built site the way a reader's browser follows it: every internal
//! `href` and `src` of every page must lead to a file of the output, and a
//! `#fragment` to an element with that `id` in it. Used by `briefing check`
//! on the build it makes in memory.
//!
//! Pages are read with lol_html, a streaming HTML parser, in parallel.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use lol_html::{element, HtmlRewriter, Settings};
use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::urls;

/// What one page holds: its ids and the links it makes.
#[derive(Debug, Default)]
struct Page {
    ids: HashSet<String>,
    links: Vec<String>,
}

/// Every broken internal link of the pages in `files` (by site-relative
/// path), one diagnostic each, naming the page that holds it as if it were
/// under `dir`. `base_path` is the site's URL path (`/` or `/sub/`); links to
/// other absolute paths are broken too. A page that cannot be read is one
/// diagnostic of its own.
pub fn check_memory(
    files: &std::collections::BTreeMap<String, Vec<u8>>,
    base_path: &str,
    dir: &Path,
) -> Vec<Diagnostic> {
    let names: Vec<String> = files.keys().cloned().collect();
    check_files(dir, base_path, &names, |file| {
        files
            .get(file)
            .cloned()
            .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
    })
}

/// [`check_memory`] on the files listed, each read with `read`.
fn check_files(
    dir: &Path,
    base_path: &str,
    files: &[String],
    read: impl Fn(&str) -> std::io::Result<Vec<u8>> + Sync,
) -> Vec<Diagnostic> {
    let existing: HashSet<&str> = files.iter().map(String::as_str).collect();
    let read: Vec<(&str, std::io::Result<Page>)> = files
        .par_iter()
        .filter(|f| f.ends_with(".html"))
        .map(|f| (f.as_str(), read(f).map(|bytes| read_page(&bytes))))
        .collect();

    let mut broken: Vec<Diagnostic> = Vec::new();
    // A page that cannot be read is no page without ids: it is reported
    // once, and is left out of `pages` so links into it are not judged by
    // what it might hold.
    let mut pages: HashMap<&str, Page> = HashMap::new();
    for (name, page) in read {
        match page {
            Ok(page) => {
                pages.insert(name, page);
            }
            Err(e) => broken.push(Diagnostic::error(
                dir.join(name),
                format!("cannot be read: {e}"),
            )),
        }
    }
    let mut names: Vec<&&str> = pages.keys().collect();
    names.sort();
    for page in names {
        for link in &pages[page].links {
            let Some(problem) = resolve(page, link, base_path, &existing, &pages) else {
                continue;
            };
            broken.push(Diagnostic::error(
                dir.join(page),
                format!("link to `{link}`: {problem}"),
            ));
        }
    }
    broken
}

/// Why `link` on `page` does not resolve, or `None` when it does (or leaves the site).
fn resolve(
    page: &str,
    link: &str,
    base_path: &str,
    existing: &HashSet<&str>,
    pages: &HashMap<&str, Page>,
) -> Option<String> {
    if link.starts_with("//") || urls::has_scheme(link) {
        return None;
    }
    let (path, fragment) = match link.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (link, None),
    };
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let target = if path.is_empty() {
        page.to_string()
    } else if let Some(absolute) = path.strip_prefix('/') {
        let Some(inside) = format!("/{absolute}")
            .strip_prefix(base_path)
            .map(str::to_string)
        else {
            return Some(format!("outside the site's base path {base_path}"));
        };
        index_file(&inside, existing)
    } else {
        match urls::join(page, &path) {
            Some(joined) => index_file(&joined, existing),
            None => return Some("climbs out of the site".into()),
        }
    };
    if !existing.contains(target.as_str()) {
        return Some(format!("no file {target} in the output"));
    }
    match fragment {
        Some(id) if !id.is_empty() && target.ends_with(".html") => {
            let id = percent_encoding::percent_decode_str(id).decode_utf8_lossy();
            // An HTML file missing from `pages` could not be read, and is reported as such.
            let found = pages
                .get(target.as_str())
                .is_none_or(|p| p.ids.contains(id.as_ref()));
            (!found).then(|| format!("no element with id `{id}` in {target}"))
        }
        _ => None,
    }
}

/// Pretty URLs: `articles/x/` (or `articles/x` when that is a folder) is `articles/x/index.html`.
fn index_file(path: &str, existing: &HashSet<&str>) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else if !existing.contains(path) && existing.contains(format!("{path}/index.html").as_str()) {
        format!("{path}/index.html")
    } else {
        path.to_string()
    }
}

/// Elements whose `href` or `src` a browser follows or loads.
const LINKING: &str = "a[href], link[href], area[href], img[src], script[src], source[src], iframe[src], video[src], audio[src]";

/// The ids and links of one HTML file.
fn read_page(bytes: &[u8]) -> Page {
    let mut ids = HashSet::new();
    let mut links = Vec::new();
    {
        let settings = Settings::new()
            .append_element_content_handler(element!("[id]", |el| {
                if let Some(id) = el.get_attribute("id") {
                    ids.insert(html_escape::decode_html_entities(&id).into_owned());
                }
                Ok(())
            }))
            .append_element_content_handler(element!(LINKING, |el| {
                let rel = el.get_attribute("rel").unwrap_or_default();
                // Preconnects and the like name hosts, not pages.
                if rel.contains("preconnect") || rel.contains("dns-prefetch") {
                    return Ok(());
                }
                for name in ["href", "src"] {
                    if let Some(value) = el.get_attribute(name) {
                        links.push(html_escape::decode_html_entities(value.trim()).into_owned());
                    }
                }
                Ok(())
            }));
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        let _ = rewriter.write(bytes);
        let _ = rewriter.end();
    }
    Page { ids, links }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_missing_files_and_fragments() {
        let mut files = std::collections::BTreeMap::new();
        let mut write = |path: &str, text: &str| {
            files.insert(path.to_string(), text.as_bytes().to_vec());
        };
        write(
            "index.html",
            r##"<a href="/sub/a/">a</a> <a href="/sub/a/#x">x</a> <a href="/sub/a/#nope">n</a>
               <a href="/sub/gone/">g</a> <a href="/elsewhere/">e</a> <a href="https://x.org/">ext</a>
               <a href="a/index.html">rel</a> <a href="../../up">up</a> <img src="/sub/pic.png"> <a href="#top" id="top">t</a>"##,
        );
        write(
            "a/index.html",
            r#"<h2 id="x">X</h2><a href="../index.html#top">back</a>"#,
        );
        let problems = check_memory(&files, "/sub/", Path::new("public"));
        let messages: Vec<String> = problems.iter().map(|p| p.message.clone()).collect();
        assert_eq!(
            messages,
            [
                "link to `/sub/a/#nope`: no element with id `nope` in a/index.html",
                "link to `/sub/gone/`: no file gone/index.html in the output",
                "link to `/elsewhere/`: outside the site's base path /sub/",
                "link to `../../up`: climbs out of the site",
                "link to `/sub/pic.png`: no file pic.png in the output",
            ]
        );
        assert!(problems[0]
            .file()
            .is_some_and(|f| f.ends_with("index.html")));
    }

    #[test]
    fn an_unreadable_page_is_one_error_and_no_missing_ids() {
        let files: Vec<String> = ["a/index.html", "index.html", "style.css"]
            .map(String::from)
            .into();
        let read = |file: &str| match file {
            "a/index.html" => Err(std::io::Error::from(std::io::ErrorKind::PermissionDenied)),
            _ => Ok(br#"<a href="a/#x">x</a> <a href="style.css">css</a>"#.to_vec()),
        };
        let problems = check_files(Path::new("out"), "/", &files, read);
        let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            shown,
            ["error: out/a/index.html: cannot be read: permission denied"]
        );
    }
}
