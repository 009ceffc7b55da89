//! Entity pages past `per_page` articles, and authors (SPEC §9): the pages
//! at their URLs, their links from page to page, the sitemap, the bylines,
//! the author feeds, and the mistakes a writer makes with `author:`.
//! The fixture has five articles about Meta at two to a page, two authors
//! (one with a profile) and an article that names both in its text only.

mod common;

use std::fs;

use common::*;

fn built() -> (tempfile::TempDir, std::process::Output) {
    let site = site("paging");
    let output = build_ok(site.path(), &[]);
    (site, output)
}

/// The titles of the article cards on a page, in order.
fn card_titles(html: &str) -> Vec<String> {
    html.split("class=\"card-title\"><a href=\"")
        .skip(1)
        .filter_map(|rest| {
            let text = &rest[rest.find('>')? + 1..];
            Some(text[..text.find('<')?].to_string())
        })
        .collect()
}

#[test]
fn an_entity_past_per_page_articles_continues_on_numbered_pages() {
    let (site, _) = built();
    let public = site.path().join("public");
    let meta = public.join("companies/meta");
    assert!(
        !meta.join("page/1").exists(),
        "the first page is the entity's own"
    );
    assert!(!meta.join("page/4").exists());
    let pages: Vec<String> = [
        meta.join("index.html"),
        meta.join("page/2/index.html"),
        meta.join("page/3/index.html"),
    ]
    .iter()
    .map(read)
    .collect();
    let titles: Vec<Vec<String>> = pages.iter().map(|p| card_titles(p)).collect();
    assert_eq!(
        titles,
        [vec!["Five", "Four"], vec!["Three", "Two"], vec!["One"]],
        "newest first, two to a page"
    );

    // Previous and next, as the home page has them; never /page/1/.
    let links = |html: &str, rel: &str| -> Vec<String> {
        html.split(&format!("rel=\"{rel}\""))
            .next()
            .and_then(|before| before.rsplit("href=\"").next())
            .filter(|_| html.contains(&format!("rel=\"{rel}\"")))
            .map(|href| href[..href.find('"').unwrap_or(0)].to_string())
            .into_iter()
            .collect()
    };
    assert!(links(&pages[0], "prev").is_empty());
    assert_eq!(links(&pages[0], "next"), ["/companies/meta/page/2/"]);
    assert_eq!(links(&pages[1], "prev"), ["/companies/meta/"]);
    assert_eq!(links(&pages[1], "next"), ["/companies/meta/page/3/"]);
    assert_eq!(links(&pages[2], "prev"), ["/companies/meta/page/2/"]);
    assert!(links(&pages[2], "next").is_empty());
    for page in &pages {
        assert!(!page.contains("page/1/"), "no link to a page 1");
    }

    // The profile, the chart and the entities covered with it: page 1 only.
    assert!(
        pages[0].contains("Meta&#x27;s profile text.") || pages[0].contains("Meta's profile text.")
    );
    assert!(pages[0].contains("class=\"entity-chart\""));
    assert!(pages[0].contains("Often covered with"));
    for later in &pages[1..] {
        assert!(!later.contains("profile text"), "no profile on later pages");
        assert!(!later.contains("class=\"entity-chart\""));
        assert!(!later.contains("Often covered with"));
    }
    assert!(pages[1].contains("Page 2 of 3"));
    assert!(pages[2].contains("<title>Meta, page 3 – Paging Fixture</title>"));

    // Kind indexes and feeds are not paginated; the sitemap lists every page.
    assert!(!public.join("companies/page").exists());
    let feed = read(meta.join("atom.xml"));
    assert_eq!(feed.matches("<entry>").count(), 5);
    let sitemap = read(public.join("sitemap.xml"));
    for loc in [
        "https://example.org/companies/meta/",
        "https://example.org/companies/meta/page/2/",
        "https://example.org/companies/meta/page/3/",
        "https://example.org/authors/",
        "https://example.org/authors/sam-writer/",
    ] {
        assert!(sitemap.contains(&format!("<loc>{loc}</loc>")), "{loc}");
    }
    assert!(!sitemap.contains("/page/1/"));
    assert_eq!(broken_links(&public, "/"), Vec::<String>::new());
}

#[test]
fn authors_have_an_index_a_page_and_a_feed_each() {
    let (site, output) = built();
    let public = site.path().join("public");
    // Sam Writer has no profile: his page is made from the name as
    // written, and that is no unknown id to warn about.
    let messages = stderr(&output);
    assert!(!messages.contains("sam-writer"), "{messages}");
    assert!(!messages.contains("warning"), "{messages}");

    let index = read(public.join("authors/index.html"));
    assert!(index.contains("href=\"/authors/jane-analyst/\">Jane Analyst</a>"));
    assert!(index.contains("href=\"/authors/sam-writer/\">Sam Writer</a>"));
    // In the nav of every page, after the other kinds.
    let home = read(public.join("index.html"));
    assert!(home.contains("<a href=\"/authors/\""));
    // Authors write; they are not among the most covered.
    assert!(!home.contains("facet\" data-kind=\"authors\""));

    let jane = read(public.join("authors/jane-analyst/index.html"));
    assert!(
        jane.contains("Covers open models."),
        "the profile's summary"
    );
    assert!(jane.contains("Jane has written about AI since 2019."));
    assert!(jane.contains("href=\"https://jane.example.org/\""));
    assert_eq!(card_titles(&jane), ["Two", "One"]);
    let sam = read(public.join("authors/sam-writer/index.html"));
    assert_eq!(card_titles(&sam), ["Four", "Two"]);
    // The article that names them in its text only is not theirs.
    assert!(!sam.contains(">Five<"));

    // The author's feed: valid XML, their articles, each with its authors.
    let feed = read(public.join("authors/sam-writer/atom.xml"));
    let doc = roxmltree::Document::parse(&feed).expect("the author feed parses");
    let atom = "http://www.w3.org/2005/Atom";
    let entries: Vec<roxmltree::Node> = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name((atom, "entry")))
        .collect();
    assert_eq!(entries.len(), 2);
    let names = |entry: &roxmltree::Node| -> Vec<(String, String)> {
        entry
            .children()
            .filter(|n| n.has_tag_name((atom, "author")))
            .map(|a| {
                let text = |tag: &str| {
                    a.children()
                        .find(|c| c.has_tag_name((atom, tag)))
                        .and_then(|c| c.text())
                        .unwrap_or_default()
                        .to_string()
                };
                (text("name"), text("uri"))
            })
            .collect()
    };
    assert_eq!(
        names(&entries[1]),
        [
            (
                "Jane Analyst".to_string(),
                "https://example.org/authors/jane-analyst/".to_string()
            ),
            (
                "Sam Writer".to_string(),
                "https://example.org/authors/sam-writer/".to_string()
            ),
        ]
    );
    // An article without `author:` is the site's, as before.
    let site_feed = read(public.join("atom.xml"));
    let doc = roxmltree::Document::parse(&site_feed).expect("the site feed parses");
    let three = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name((atom, "entry")))
        .find(|e| e.children().any(|c| c.text() == Some("Three")))
        .expect("Three in the site feed");
    assert_eq!(
        names(&three),
        [("The Fixture desk".to_string(), String::new())]
    );
}

#[test]
fn the_byline_links_each_author_and_names_are_no_mentions() {
    let (site, _) = built();
    let public = site.path().join("public");
    let two = read(public.join("articles/two/index.html"));
    assert!(two.contains(
        "By <a class=\"byline\" href=\"/authors/jane-analyst/\" rel=\"author\" data-pagefind-filter=\"Authors\">Jane Analyst</a> and <a class=\"byline\" href=\"/authors/sam-writer/\" rel=\"author\" data-pagefind-filter=\"Authors\">Sam Writer</a>"
    ), "{two}");
    assert!(two.contains("<meta name=\"author\" content=\"Jane Analyst and Sam Writer\">"));
    let three = read(public.join("articles/three/index.html"));
    assert!(!three.contains("class=\"byline\""), "no author, no byline");
    assert!(!three.contains("name=\"author\""));
    // Five names both in its text: OpenAI is linked, the authors are not.
    let five = read(public.join("articles/five/index.html"));
    assert!(five.contains("href=\"/companies/openai/\""));
    for author in ["jane-analyst", "sam-writer"] {
        assert!(
            !five.contains(&format!("href=\"/authors/{author}/")),
            "{five}"
        );
    }
}

#[test]
fn authors_key_and_empty_names_are_errors_that_say_what_to_write() {
    let site = site("paging");
    let article = site.path().join("content/articles/2024-06-01-six.md");
    fs::write(
        &article,
        "---\ntitle: \"Six\"\ndate: 2024-06-01\nauthors: [\"Jane Analyst\"]\nauthor: \"!!!\"\n---\nText.\n",
    )
    .unwrap();
    let output = briefing(site.path(), &["build"]);
    assert_eq!(output.status.code(), Some(1));
    let messages = stderr(&output);
    assert!(
        messages.contains(
            "error: content/articles/2024-06-01-six.md:4:1: `authors` is not a key here: an article names its authors with `author:`, one name or a list"
        ),
        "{messages}"
    );
    assert!(
        messages.contains("content/articles/2024-06-01-six.md:5:")
            && messages.contains("`!!!` gives no id"),
        "{messages}"
    );
    assert!(!site.path().join("public").exists(), "nothing was written");
}

#[test]
fn authors_and_other_reserved_names_cannot_be_declared_as_kinds() {
    let site = site("paging");
    fs::write(
        site.path().join("site.yaml"),
        "per_page: 2\nkinds:\n  authors: { title: \"Writers\" }\n  editions: {}\n",
    )
    .unwrap();
    let output = briefing(site.path(), &["build"]);
    assert_eq!(output.status.code(), Some(1));
    let messages = stderr(&output);
    // Placed on the line of `kinds:`, like every problem inside it.
    assert!(messages.contains("error: site.yaml:2:"), "{messages}");
    assert!(
        messages.contains("kind `authors` is built in"),
        "{messages}"
    );
    assert!(
        messages.contains("kind `editions` would clash with the site's own `/editions/` pages"),
        "{messages}"
    );
}
