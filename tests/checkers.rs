//! The output, checked by tools we did not write: the W3C Nu HTML checker,
//! the `hyperlink` link checker, RELAX NG (jing) and XML Schema (xmllint)
//! validators for the feeds and the sitemap, and axe-core in headless
//! Chromium for accessibility. They run on the sample site, on the sample
//! site under a `/sub/` base path, on the basic test fixture (which has
//! redirect pages) under `/sub/`, and on a generated 500-article site.
//!
//! Each test skips, saying why, when its tool is missing; `.ci/run` installs
//! them all (`npm ci --ignore-scripts --prefix tests/checkers`, Debian's
//! jing, libxml2-utils and chromium) and makes a missing one fail.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use common::*;

/// The sites to check, built into one folder: the sample site at `sample/`,
/// the sample site for `http://localhost/sub/` at `sub/sub/`, the basic
/// fixture for `http://localhost/sub/` at `basic/sub/`, and the generated
/// site at `corpus/`.
struct Sites {
    dir: PathBuf,
}

/// 2024-12-20T12:00:00Z: 36 hours after the newest sample article.
const SAMPLE_BUILD_TIME: &str = "1734696000";

/// Built once per run of this file and shared by its tests, which only read
/// them; in Cargo's temporary folder for tests, replaced on the next run.
fn sites() -> &'static Sites {
    static SITES: OnceLock<Sites> = OnceLock::new();
    SITES.get_or_init(Sites::build)
}

impl Sites {
    fn build() -> Sites {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("checkers");
        let _ = std::fs::remove_dir_all(&dir);
        let repo = repo();
        // The build time is pinned a day after the newest sample article,
        // so the news sitemap has an article to validate.
        let build = |root: &Path, output: &Path, base_url: &str| {
            let built = briefing_env(
                root,
                &[
                    "build",
                    "--output",
                    output.to_str().unwrap(),
                    "--base-url",
                    base_url,
                ],
                &[("SOURCE_DATE_EPOCH", SAMPLE_BUILD_TIME)],
            );
            assert!(built.status.success(), "{}", stderr(&built));
        };
        build(&repo, &dir.join("sample"), "http://localhost/");
        build(&repo, &dir.join("sub/sub"), "http://localhost/sub/");
        build(
            &fixture("basic"),
            &dir.join("basic/sub"),
            "http://localhost/sub/",
        );
        let corpus = dir.join("corpus-src");
        common::corpus::write(&corpus, 500, 60, 7).unwrap();
        build(&corpus, &dir.join("corpus"), "http://localhost/");
        Sites { dir }
    }

    fn sample(&self) -> PathBuf {
        self.dir.join("sample")
    }

    fn sub_root(&self) -> PathBuf {
        self.dir.join("sub")
    }

    fn basic_root(&self) -> PathBuf {
        self.dir.join("basic")
    }

    fn corpus(&self) -> PathBuf {
        self.dir.join("corpus")
    }
}

fn output_text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn every_page_passes_the_nu_html_checker() {
    let Some(jar) = vnu_jar() else { return };
    let sites = sites();
    // One call for every folder: Java's start-up is most of the time.
    let output = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html"])
        .arg(sites.sample())
        .arg(sites.sub_root())
        .arg(sites.basic_root())
        .arg(sites.corpus())
        .output()
        .expect("java runs");
    assert!(
        output.status.success(),
        "Nu checker found errors:\n{}",
        output_text(&output)
    );
    // Our stylesheet, through the checker's CSS validator.
    let stylesheet = repo().join("static/style.css");
    let output = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--css"])
        .arg(&stylesheet)
        .output()
        .expect("java runs");
    assert!(
        output.status.success(),
        "CSS errors in static/style.css:\n{}",
        output_text(&output)
    );
}

#[test]
fn no_link_or_fragment_is_broken_by_an_independent_checker() {
    let Some(hyperlink) = external_tool("hyperlink", npm_checker(".bin/hyperlink"), NPM_CHECKERS)
    else {
        return;
    };
    let sites = sites();
    // (web root, the page to start from, where the site is published)
    let runs = [
        (sites.sample(), "index.html", "http://localhost/"),
        (sites.sub_root(), "sub/index.html", "http://localhost/"),
        (sites.basic_root(), "sub/index.html", "http://localhost/"),
        (sites.corpus(), "index.html", "http://localhost/"),
    ];
    for (root, start, canonical) in runs {
        // No page links to an old address: its redirect starts a crawl of its own.
        let redirects = redirect_pages(&root);
        let output = Command::new(&hyperlink)
            .arg("--root")
            .arg(&root)
            .args(["--canonicalroot", canonical, "--internal", "--recursive"])
            .arg(root.join(start))
            .args(redirects.iter().map(|page| root.join(page)))
            .current_dir(&root)
            .output()
            .expect("hyperlink runs");
        let report = output_text(&output);
        let failures: Vec<&str> = report.lines().filter(|l| l.starts_with("not ok")).collect();
        assert!(
            output.status.success() && failures.is_empty(),
            "{}: broken links or fragments:\n{report}",
            root.display()
        );
        // It did crawl the site: every page was loaded.
        let pages = files(&root)
            .iter()
            .filter(|f| f.ends_with("index.html"))
            .count();
        let loaded = report
            .lines()
            .filter(|l| l.starts_with("ok") && l.contains(" load "))
            .count();
        assert!(
            loaded >= pages,
            "{}: {loaded} files loaded, but the site has {pages} pages",
            root.display()
        );
    }
}

/// Every Atom feed of a built site.
fn feeds(site: &Path) -> Vec<PathBuf> {
    files(site)
        .into_iter()
        .filter(|f| f.ends_with("atom.xml"))
        .map(|f| site.join(f))
        .collect()
}

/// What a feed reader needs, beyond the grammar: RFC 4287's rules that the
/// RELAX NG grammar leaves out, and the links a reader follows.
fn feed_problems(feed: &Path) -> Vec<String> {
    let text = read(feed);
    let doc = roxmltree::Document::parse(&text).expect("the feed parses");
    let root = doc.root_element();
    let atom = "http://www.w3.org/2005/Atom";
    let child = |node: roxmltree::Node<'_, '_>, name: &str| {
        node.children()
            .find(|c| c.has_tag_name((atom, name)))
            .and_then(|c| c.text().map(str::to_string).or(Some(String::new())))
    };
    let link = |node: roxmltree::Node<'_, '_>, rel: &str| {
        node.children().any(|c| {
            c.has_tag_name((atom, "link"))
                && c.attribute("rel").unwrap_or("alternate") == rel
                && c.attribute("href").is_some_and(|h| h.starts_with("http"))
        })
    };
    let mut problems = Vec::new();
    let name = feed.display();
    for field in ["id", "title", "updated"] {
        if child(root, field).is_none_or(|t| t.trim().is_empty()) {
            problems.push(format!("{name}: the feed has no {field}"));
        }
    }
    if !link(root, "self") {
        problems.push(format!("{name}: no rel=self link"));
    }
    let feed_author = root.children().any(|c| c.has_tag_name((atom, "author")));
    for entry in root.children().filter(|c| c.has_tag_name((atom, "entry"))) {
        let id = child(entry, "id").unwrap_or_default();
        for field in ["id", "title", "updated"] {
            if child(entry, field).is_none_or(|t| t.trim().is_empty()) {
                problems.push(format!("{name}: entry {id} has no {field}"));
            }
        }
        if !link(entry, "alternate") {
            problems.push(format!("{name}: entry {id} has no alternate link"));
        }
        if child(entry, "summary").is_none() && child(entry, "content").is_none() {
            problems.push(format!(
                "{name}: entry {id} has neither summary nor content"
            ));
        }
        let author = entry.children().any(|c| c.has_tag_name((atom, "author")));
        if !author && !feed_author {
            problems.push(format!(
                "{name}: entry {id} has no author, nor has the feed (RFC 4287 4.1.1)"
            ));
        }
    }
    problems
}

#[test]
fn feeds_are_valid_atom_and_the_sitemap_lists_every_page_once() {
    let schemas = fixture("schemas");
    let sites = sites();
    let built = [
        sites.sample(),
        sites.sub_root().join("sub"),
        sites.basic_root().join("sub"),
        sites.corpus(),
    ];

    // Our own reading of RFC 4287, which needs no outside tool.
    for site in &built {
        let feeds = feeds(site);
        assert!(feeds.len() > 5, "{}: feeds", site.display());
        let problems: Vec<String> = feeds.iter().flat_map(|f| feed_problems(f)).collect();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    // Every HTML page once in the sitemap (the 404 page and the redirects
    // at old addresses are no pages).
    for site in &built {
        let sitemap = read(site.join("sitemap.xml"));
        let doc = roxmltree::Document::parse(&sitemap).expect("the sitemap parses");
        let mut listed: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("loc"))
            .filter_map(|n| n.text())
            .map(|loc| {
                loc.split_once("://")
                    .map_or("", |(_, rest)| rest)
                    .to_string()
            })
            .map(|loc| loc[loc.find('/').unwrap_or(0)..].to_string())
            .collect();
        let count = listed.len();
        listed.sort();
        listed.dedup();
        assert_eq!(
            listed.len(),
            count,
            "{}: a page listed twice",
            site.display()
        );
        let base = if site.ends_with("sub") { "/sub/" } else { "/" };
        let redirects = redirect_pages(site);
        let mut pages: Vec<String> = files(site)
            .into_iter()
            .filter(|f| f.ends_with("index.html") && !redirects.contains(f))
            .map(|f| format!("{base}{}", f.trim_end_matches("index.html")))
            .collect();
        pages.sort();
        assert_eq!(listed, pages, "{}: the sitemap", site.display());
    }

    // The grammar and the schema, by independent validators.
    if let Some(jing) = external_tool(
        "jing (RELAX NG validator)",
        on_path("jing"),
        "apt-get install jing (.ci/run does)",
    ) {
        for site in &built {
            let output = Command::new(&jing)
                .arg(schemas.join("atom.rng"))
                .args(feeds(site))
                .output()
                .expect("jing runs");
            assert!(
                output.status.success(),
                "{}: feeds against RFC 4287's grammar:\n{}",
                site.display(),
                String::from_utf8_lossy(&output.stdout)
            );
        }
    }
    if let Some(xmllint) = external_tool(
        "xmllint",
        on_path("xmllint"),
        "apt-get install libxml2-utils (.ci/run does)",
    ) {
        for site in &built {
            let output = Command::new(&xmllint)
                .args(["--noout", "--nonet", "--schema"])
                .arg(schemas.join("sitemap.xsd"))
                .arg(site.join("sitemap.xml"))
                .output()
                .expect("xmllint runs");
            assert!(
                output.status.success(),
                "{}: sitemap against sitemaps.org's schema:\n{}",
                site.display(),
                output_text(&output)
            );
        }
    }
}

#[test]
fn main_pages_have_no_serious_accessibility_violations() {
    let node = on_path("node");
    let axe = npm_checker("@axe-core/playwright").and(npm_checker("playwright-core"));
    let Some(node) = external_tool(
        "node with @axe-core/playwright and playwright-core",
        node.filter(|_| axe.is_some()),
        NPM_CHECKERS,
    ) else {
        return;
    };
    let Some((browser, _)) = chromium() else {
        return;
    };
    let sites = sites();
    let server = StaticServer::start(&sites.sample(), "/");
    let pages = [
        "",
        "articles/meta-llama-3-1/",
        "companies/meta/",
        "companies/openai/page/2/",
        "companies/",
        "topics/open-source/",
        "authors/",
        "authors/priya-raman/",
        "archive/",
        "editions/",
        "editions/2024-w31/",
        "search/?q=open+weights",
    ];
    let output = Command::new(node)
        .arg(repo().join("tests/checkers/axe.mjs"))
        .arg(format!("{}/", server.url))
        .args(pages)
        .env("CHROMIUM", browser)
        .output()
        .expect("node runs");
    let report = output_text(&output);
    eprintln!("{report}");
    assert!(output.status.success(), "axe-core:\n{report}");
    assert_eq!(
        report.matches("serious or critical").count(),
        pages.len() * 2,
        "every page in both schemes:\n{report}"
    );
}

/// The JSON-LD of every page, by an independent validator that knows the
/// schema.org vocabulary and Google's rich-result profiles
/// (schemaorg-validate): no error and no warning, and every article is
/// eligible for Google's article rich result with nothing recommended
/// missing.
#[test]
fn structured_data_passes_an_independent_schema_org_validator() {
    use schemaorg_rs::profiles::{Eligibility, ProfileRegistry};
    use schemaorg_rs::{extract_all, validation};

    let sites = sites();
    let registry = ProfileRegistry::with_google();
    let mut problems = Vec::new();
    let mut articles = 0;
    for site in [sites.sample(), sites.sub_root().join("sub"), sites.corpus()] {
        for file in files(&site).into_iter().filter(|f| f.ends_with(".html")) {
            let html = read(site.join(&file));
            if !html.contains("application/ld+json") {
                continue;
            }
            let graph = match extract_all(&html) {
                Ok(graph) => graph,
                Err(e) => {
                    problems.push(format!("{file}: does not parse: {e}"));
                    continue;
                }
            };
            let vocabulary = validation::validate(&graph);
            for d in vocabulary.errors().chain(vocabulary.warnings()) {
                problems.push(format!("{file}: {}: {}", d.path, d.message));
            }
            let google = registry
                .evaluate("google", &graph, &vocabulary.diagnostics)
                .expect("the google profile exists");
            for d in &google.diagnostics {
                problems.push(format!("{file}: google: {}: {}", d.path, d.message));
            }
            for t in &google.type_results {
                for d in &t.field_diagnostics {
                    problems.push(format!("{file}: google {}: {}", t.schema_type, d.message));
                }
            }
            if file.starts_with("articles/") && file.ends_with("/index.html") {
                articles += 1;
                let article = google
                    .type_results
                    .iter()
                    .find(|t| t.schema_type == "NewsArticle");
                match article {
                    Some(t)
                        if t.required_missing.is_empty() && t.recommended_missing.is_empty() => {}
                    Some(t) => problems.push(format!(
                        "{file}: NewsArticle misses {:?} (required) and {:?} (recommended)",
                        t.required_missing, t.recommended_missing
                    )),
                    None => problems.push(format!("{file}: no NewsArticle")),
                }
                if google.eligibility != Eligibility::Eligible {
                    problems.push(format!("{file}: {:?}", google.eligibility));
                }
            }
        }
    }
    assert!(articles > 300, "articles checked: {articles}");
    problems.sort();
    problems.dedup();
    // One of each kind of problem, then how many pages have it.
    let mut kinds: std::collections::BTreeMap<String, usize> = Default::default();
    for p in &problems {
        let kind = p
            .split_once(": ")
            .map_or(p.as_str(), |(_, k)| k)
            .to_string();
        *kinds.entry(kind).or_default() += 1;
    }
    let shown: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} × {k}")).collect();
    assert!(
        problems.is_empty(),
        "{} problems:\n{shown:#?}",
        problems.len()
    );
}

/// Google's news sitemap, against the sitemaps.org schema with our own
/// schema of the news elements Google documents (Google's own XSD is not
/// shipped by any package we can install), and its required elements read
/// back.
#[test]
fn the_news_sitemap_follows_googles_format() {
    let site = sites().sample();
    let text = read(site.join("news-sitemap.xml"));
    let doc = roxmltree::Document::parse(&text).expect("the news sitemap parses");
    const NEWS: &str = "http://www.google.com/schemas/sitemap-news/0.9";
    let urls: Vec<_> = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("url"))
        .collect();
    assert_eq!(urls.len(), 1, "one sample article in the 48 hours:\n{text}");
    let news = |url: roxmltree::Node, name: &str| {
        url.descendants()
            .find(|n| n.has_tag_name((NEWS, name)))
            .and_then(|n| n.text())
            .map(str::to_string)
    };
    let url = urls[0];
    assert_eq!(
        url.children()
            .find(|n| n.has_tag_name("loc"))
            .and_then(|n| n.text()),
        Some("http://localhost/articles/open-weights-year-in-review/")
    );
    assert_eq!(news(url, "name").as_deref(), Some("AI Industry Briefing"));
    assert_eq!(news(url, "language").as_deref(), Some("en"));
    assert_eq!(
        news(url, "publication_date").as_deref(),
        Some("2024-12-19T00:00:00Z")
    );
    assert!(news(url, "title").is_some_and(|t| !t.is_empty()));
    let robots = read(site.join("robots.txt"));
    assert!(
        robots.contains("Sitemap: http://localhost/news-sitemap.xml"),
        "{robots}"
    );

    if let Some(xmllint) = external_tool(
        "xmllint",
        on_path("xmllint"),
        "apt-get install libxml2-utils (.ci/run does)",
    ) {
        let output = Command::new(&xmllint)
            .args(["--noout", "--nonet", "--schema"])
            .arg(fixture("schemas").join("news-sitemap.xsd"))
            .arg(site.join("news-sitemap.xml"))
            .output()
            .expect("xmllint runs");
        assert!(
            output.status.success(),
            "news sitemap against the sitemaps.org and news schemas:\n{}",
            output_text(&output)
        );
    }
}
