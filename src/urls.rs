//! Where every page lives (SPEC §5): one place that turns pages into paths,
//! root-relative URLs and absolute permalinks, all under `base_url`.

use crate::config::Config;

/// Builds URLs from site-relative page paths such as `articles/llama-3-1/`.
#[derive(Debug, Clone)]
pub struct Urls {
    base_url: String,
    base_path: String,
}

impl Urls {
    pub fn new(config: &Config) -> Self {
        Urls {
            base_url: config.base_url.clone(),
            base_path: config.base_path.clone(),
        }
    }

    /// Root-relative URL of a site-relative path: `/sub/articles/x/`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }

    /// Absolute URL of a site-relative path: `https://example.org/sub/articles/x/`.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}

pub fn article(slug: &str) -> String {
    format!("articles/{slug}/")
}

/// A week's edition: `editions/2024-w31/`.
pub fn edition(week: crate::week::Week) -> String {
    format!("{EDITIONS}{}/", week.id())
}

pub fn kind_index(kind: &str) -> String {
    format!("{kind}/")
}

pub fn entity(kind: &str, id: &str) -> String {
    format!("{kind}/{id}/")
}

pub fn entity_feed(kind: &str, id: &str) -> String {
    format!("{kind}/{id}/atom.xml")
}

/// Home page `n` (1-based): `` for the first, `page/2/` after.
pub fn home(page: usize) -> String {
    paged("", page)
}

/// Page `n` (1-based) of an entity's articles: its own page first, then
/// `companies/meta/page/2/` and on.
pub fn entity_page(kind: &str, id: &str, page: usize) -> String {
    paged(&entity(kind, id), page)
}

/// Page `n` of a list whose first page is `first`: there is no `page/1/`.
fn paged(first: &str, page: usize) -> String {
    if page <= 1 {
        first.to_string()
    } else {
        format!("{first}page/{page}/")
    }
}

pub const ARCHIVE: &str = "archive/";
pub const EDITIONS: &str = "editions/";
pub const EDITIONS_FEED: &str = "editions/atom.xml";
pub const SEARCH: &str = "search/";
/// The folder of the search index that the search page loads.
pub const SEARCH_BUNDLE: &str = "pagefind/";
pub const FEED: &str = "atom.xml";
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
pub const NOT_FOUND: &str = "404.html";
pub const STYLESHEET: &str = "style.css";
/// A page's social card, beside its `index.html`.
pub const CARD: &str = "card.png";
pub const NEWS_SITEMAP: &str = "news-sitemap.xml";

/// The file a site-relative path is written to: pretty URLs end in `index.html`.
pub fn file_for(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// Whether a link starts with a URL scheme (`https:`, `mailto:`), so it is
/// no path inside the site.
pub fn has_scheme(link: &str) -> bool {
    link.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// A relative link followed from the file `from`, as a browser does:
/// `articles/2024/a.md` + `../b.md` -> `articles/b.md`. `.` and `..` are
/// resolved and a trailing `/` is kept; `None` when `..` climbs out of the
/// top. An empty `from` is a file at the top; one ending in `/` is a folder.
pub fn join(from: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').filter(|p| !p.is_empty()).collect();
    if !from.ends_with('/') {
        parts.pop();
    }
    for part in link.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    let mut joined = parts.join("/");
    if link.ends_with('/') && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

/// Characters escaped in one segment of a URL path.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'?')
    .add(b'<')
    .add(b'>')
    .add(b'`');

/// A path of files (`data/my chart.png`) as a URL path
/// (`data/my%20chart.png`): each segment escaped, the `/`s kept.
pub fn encode_path(path: &str) -> String {
    path.split('/')
        .map(|segment| percent_encoding::utf8_percent_encode(segment, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// The path of a file below `dir`, with `/` between its parts, as the site
/// names it (`articles/x/index.html`, `style.css`).
pub fn relative_path(dir: &std::path::Path, path: &std::path::Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_encoded_segment_by_segment() {
        assert_eq!(
            encode_path("data/my chart #2.png"),
            "data/my%20chart%20%232.png"
        );
        assert_eq!(encode_path("chart.png"), "chart.png");
    }

    #[test]
    fn urls_sit_under_the_base() {
        let mut config = Config::default();
        config.set_base_url("https://example.org/sub/").unwrap();
        let urls = Urls::new(&config);
        assert_eq!(urls.url(&article("x")), "/sub/articles/x/");
        assert_eq!(urls.permalink(&home(2)), "https://example.org/sub/page/2/");
        assert_eq!(urls.url(&home(1)), "/sub/");
        assert_eq!(file_for(&home(1)), "index.html");
        assert_eq!(entity_page("topics", "x", 1), "topics/x/");
        assert_eq!(
            urls.url(&entity_page("topics", "x", 3)),
            "/sub/topics/x/page/3/"
        );
        assert_eq!(
            file_for(&entity_feed("companies", "meta")),
            "companies/meta/atom.xml"
        );
    }

    #[test]
    fn schemes_are_told_from_paths() {
        for link in [
            "https://x.org/",
            "mailto:a@b.org",
            "tel:+1",
            "git+ssh://h/r",
        ] {
            assert!(has_scheme(link), "{link}");
        }
        for link in ["a.md", "../a.md", "/a:b", "a/b:c", ":x", "#x:y"] {
            assert!(!has_scheme(link), "{link}");
        }
    }

    #[test]
    fn relative_links_join_like_a_browser() {
        assert_eq!(
            join("articles/2024/a.md", "../b.md").as_deref(),
            Some("articles/b.md")
        );
        assert_eq!(
            join("articles/a.md", "./b.md").as_deref(),
            Some("articles/b.md")
        );
        assert_eq!(join("", "articles/b.md").as_deref(), Some("articles/b.md"));
        assert_eq!(join("index.html", "a/").as_deref(), Some("a/"));
        assert_eq!(join("a/index.html", "../").as_deref(), Some(""));
        assert_eq!(join("a/index.html", "b//c").as_deref(), Some("a/b/c"));
        assert_eq!(join("a/index.html", "../../up"), None);
        assert_eq!(join("", "../a.md"), None);
    }
}
