//! Being found and shared (SPEC §10), with the real binary on the basic
//! fixture: the schema.org JSON-LD of each kind of page, read back with a
//! JSON parser; the news sitemap's 48-hour window before a pinned build
//! time, and robots.txt naming it; `search: false`; the publisher's logo;
//! an author's portrait. (`tests/checkers.rs` runs an independent
//! structured-data validator and XML Schema over the sample site, and
//! `tests/hostile.rs` the titles that would break a script or JSON.)

mod common;

use std::fs;
use std::path::Path;

use common::*;
use serde_json::Value;

/// The JSON-LD graph of a built page, parsed.
fn graph(public: &Path, page: &str) -> Vec<Value> {
    let html = read(public.join(page).join("index.html"));
    let open = "<script type=\"application/ld+json\">";
    let start = html
        .find(open)
        .unwrap_or_else(|| panic!("{page}: no JSON-LD"))
        + open.len();
    let end = start + html[start..].find("</script>").expect("closed");
    let value: Value = serde_json::from_str(&html[start..end]).expect("JSON");
    assert_eq!(value["@context"], "https://schema.org", "{page}");
    value["@graph"].as_array().expect("a @graph").clone()
}

fn node<'a>(graph: &'a [Value], kind: &str) -> &'a Value {
    graph
        .iter()
        .find(|n| n["@type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {graph:#?}"))
}

fn names(list: &Value) -> Vec<&str> {
    list.as_array()
        .map(|l| l.iter().filter_map(|n| n["name"].as_str()).collect())
        .unwrap_or_default()
}

fn crumbs(graph: &[Value]) -> Vec<(String, String)> {
    node(graph, "BreadcrumbList")["itemListElement"]
        .as_array()
        .expect("items")
        .iter()
        .enumerate()
        .map(|(n, item)| {
            assert_eq!(item["@type"], "ListItem");
            assert_eq!(item["position"], n + 1);
            (
                item["name"].as_str().unwrap().to_string(),
                item["item"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn an_article_is_a_news_article_with_what_it_is_about_and_what_it_mentions() {
    let site = site("basic");
    fs::write(
        site.path().join("content/companies/meta.md"),
        "---\nname: \"Meta Platforms\"\naliases: [\"Meta\", \"Facebook\"]\nwebsite: \"https://about.meta.com\"\nsame_as: [\"https://www.wikidata.org/wiki/Q380\"]\n---\nMeta.\n",
    )
    .unwrap();
    build_ok(site.path(), &[]);
    let public = site.path().join("public");

    let llama = graph(&public, "articles/llama-3-1");
    let article = node(&llama, "NewsArticle");
    assert_eq!(
        article["headline"],
        "Meta releases Llama 3.1 with a 405B-parameter model"
    );
    assert_eq!(
        article["description"],
        "The largest open-weights model yet."
    );
    assert_eq!(article["datePublished"], "2024-07-23T00:00:00Z");
    assert_eq!(article["dateModified"], "2024-07-30T00:00:00Z");
    let url = "https://example.org/articles/llama-3-1/";
    assert_eq!(article["url"], url);
    assert_eq!(article["mainEntityOfPage"]["@id"], url);
    assert_eq!(
        article["image"],
        serde_json::json!([format!("{url}card.png")]),
        "the social card, absolute"
    );
    assert_eq!(
        article["author"],
        serde_json::json!([{"@type": "Person", "name": "Jane Analyst", "url": "https://example.org/authors/jane-analyst/"}])
    );
    assert_eq!(article["publisher"]["@type"], "Organization");
    assert_eq!(article["publisher"]["name"], "Fixture Briefing");
    assert_eq!(article["publisher"]["url"], "https://example.org/");
    // Tagged: about, each with its page and where else it is known.
    let about = &article["about"];
    assert_eq!(names(about), ["Meta Platforms", "Open-source AI", "Llama"]);
    assert_eq!(
        about[0],
        serde_json::json!({
            "@type": "Organization",
            "name": "Meta Platforms",
            "url": "https://example.org/companies/meta/",
            "sameAs": ["https://about.meta.com", "https://www.wikidata.org/wiki/Q380"],
        })
    );
    assert_eq!(about[1]["@type"], "Thing");
    assert_eq!(about[1]["url"], "https://example.org/topics/open-source/");
    assert_eq!(
        crumbs(&llama),
        [
            ("Home".into(), "https://example.org/".into()),
            (
                "Meta releases Llama 3.1 with a 405B-parameter model".into(),
                url.into()
            ),
        ]
    );

    // Only mentioned: mentions. No author: the desk, as an Organization.
    let gpt = graph(&public, "articles/gpt-4o");
    let article = node(&gpt, "NewsArticle");
    assert_eq!(names(&article["about"]), ["OpenAI"]);
    assert_eq!(names(&article["mentions"]), ["Alphabet"]);
    assert_eq!(
        article["author"],
        serde_json::json!([{"@type": "Organization", "name": "Test desk", "url": "https://example.org/"}])
    );
}

#[test]
fn entity_pages_home_and_lists_carry_their_own_nodes() {
    let site = site("basic");
    let yaml = site.path().join("site.yaml");
    fs::write(&yaml, read(&yaml).replace("per_page: 2", "per_page: 1")).unwrap();
    build_ok(site.path(), &[]);
    let public = site.path().join("public");

    let meta = graph(&public, "companies/meta");
    let profile = node(&meta, "ProfilePage");
    assert_eq!(profile["url"], "https://example.org/companies/meta/");
    assert_eq!(
        profile["mainEntity"],
        serde_json::json!({
            "@type": "Organization",
            "name": "Meta Platforms",
            "url": "https://example.org/companies/meta/",
            "description": "Owner of Facebook, Instagram and the Llama models.",
            "sameAs": ["https://about.meta.com"],
        })
    );
    let trail: Vec<String> = crumbs(&meta).into_iter().map(|(n, _)| n).collect();
    assert_eq!(trail, ["Home", "Companies", "Meta Platforms"]);

    // The second page of Meta's articles (per_page is 1 here): no profile.
    let page2 = graph(&public, "companies/meta/page/2");
    assert!(page2.iter().all(|n| n["@type"] != "ProfilePage"));
    let trail = crumbs(&page2);
    assert_eq!(
        trail.last().unwrap(),
        &(
            "Meta Platforms, page 2".to_string(),
            "https://example.org/companies/meta/page/2/".to_string()
        )
    );
    assert_eq!(trail.len(), 4);

    let authors = graph(&public, "authors/jane-analyst");
    assert_eq!(
        node(&authors, "ProfilePage")["mainEntity"]["@type"],
        "Person"
    );
    let llama = graph(&public, "models/llama");
    assert_eq!(node(&llama, "ProfilePage")["mainEntity"]["@type"], "Thing");
    for list in ["companies", "archive", "search", "page/2"] {
        assert_eq!(crumbs(&graph(&public, list)).len(), 2, "{list}");
    }

    // The home page: the site and its search box, no breadcrumbs.
    let home = graph(&public, "");
    assert!(home.iter().all(|n| n["@type"] != "BreadcrumbList"));
    let website = node(&home, "WebSite");
    assert_eq!(website["name"], "Fixture Briefing");
    assert_eq!(website["url"], "https://example.org/");
    assert_eq!(website["potentialAction"]["@type"], "SearchAction");
    assert_eq!(
        website["potentialAction"]["target"]["urlTemplate"],
        "https://example.org/search/?q={search_term_string}"
    );

    // No structured data on the not-found page or at an old address.
    for file in ["404.html", "llama/index.html"] {
        assert!(
            !read(public.join(file)).contains("application/ld+json"),
            "{file}"
        );
    }
}

#[test]
fn the_news_sitemap_holds_the_48_hours_before_the_build() {
    let site = site("basic");
    let root = site.path();
    let build = |epoch: &str, flags: &[&str]| {
        let mut args = vec!["build"];
        args.extend_from_slice(flags);
        let built = briefing_env(root, &args, &[("SOURCE_DATE_EPOCH", epoch)]);
        assert!(built.status.success(), "{}", stderr(&built));
        root.join("public")
    };
    // 2024-07-24T12:00:00Z: Zuckerberg's letter (18 hours before) and Llama
    // (36 hours before) are in; GPT-4o (May) is not.
    let public = build("1721822400", &[]);
    let text = read(public.join("news-sitemap.xml"));
    let doc = roxmltree::Document::parse(&text).expect("parses");
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        locs,
        [
            "https://example.org/articles/zuckerberg-letter/",
            "https://example.org/articles/llama-3-1/"
        ],
        "newest first"
    );
    let news = "http://www.google.com/schemas/sitemap-news/0.9";
    let text_of = |name: &str| -> Vec<&str> {
        doc.descendants()
            .filter(|n| n.has_tag_name((news, name)))
            .filter_map(|n| n.text())
            .collect()
    };
    assert_eq!(text_of("name"), ["Fixture Briefing", "Fixture Briefing"]);
    assert_eq!(text_of("language"), ["en", "en"]);
    assert_eq!(
        text_of("publication_date"),
        ["2024-07-23T18:00:00Z", "2024-07-23T00:00:00Z"]
    );
    assert_eq!(
        text_of("title")[1],
        "Meta releases Llama 3.1 with a 405B-parameter model"
    );
    let robots = read(public.join("robots.txt"));
    assert!(robots.contains("Sitemap: https://example.org/sitemap.xml\n"));
    assert!(robots.contains("Sitemap: https://example.org/news-sitemap.xml\n"));
    assert!(
        !read(public.join("sitemap.xml")).contains("news-sitemap"),
        "the news sitemap is no page"
    );

    // A day later only the letter is left (48 hours, not two calendar days).
    let public = build("1721908800", &[]);
    assert!(!read(public.join("news-sitemap.xml")).contains("llama-3-1"));

    // Drafts and embargoed articles never count, even when built.
    // 2024-12-02T00:00:00Z is a day after the draft; 2998-12-31T12:00:00Z
    // half a day before the embargoed article.
    for (epoch, flag) in [("1733097600", "--drafts"), ("32472100800", "--future")] {
        let public = build(epoch, &[flag]);
        assert!(!public.join("news-sitemap.xml").exists(), "{flag}");
        assert!(
            !read(public.join("robots.txt")).contains("news-sitemap"),
            "{flag}"
        );
    }

    // A build time that is no time is an error that names it.
    let built = briefing_env(root, &["build"], &[("SOURCE_DATE_EPOCH", "soon")]);
    assert_eq!(built.status.code(), Some(1));
    assert!(
        stderr(&built).contains("SOURCE_DATE_EPOCH"),
        "{}",
        stderr(&built)
    );
}

#[test]
fn search_false_leaves_out_the_search_page_and_its_index() {
    let site = site("basic");
    let yaml = site.path().join("site.yaml");
    let mut text = read(&yaml);
    text.push_str("search: false\n");
    fs::write(&yaml, text).unwrap();
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    assert!(!public.join("search").exists());
    assert!(!public.join("pagefind").exists());
    assert!(!read(public.join("sitemap.xml")).contains("/search/"));
    let home = read(public.join("index.html"));
    assert!(!home.contains("role=\"search\""), "no search box");
    assert!(node(&graph(&public, ""), "WebSite")["potentialAction"].is_null());
    let broken = broken_links(&public, "/");
    assert!(broken.is_empty(), "{broken:?}");
}

#[test]
fn the_publisher_logo_is_a_file_under_static() {
    let site = site("basic");
    let yaml = site.path().join("site.yaml");
    let original = read(&yaml);
    fs::write(&yaml, format!("{original}logo: brand/logo.png\n")).unwrap();
    let built = briefing(site.path(), &["build"]);
    assert_eq!(built.status.code(), Some(1));
    assert!(
        stderr(&built)
            .contains("error: site.yaml: `logo`: `brand/logo.png` is no file under static/"),
        "{}",
        stderr(&built)
    );
    fs::create_dir_all(site.path().join("static/brand")).unwrap();
    fs::copy(
        repo().join("static/logo.png"),
        site.path().join("static/brand/logo.png"),
    )
    .unwrap();
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let article = graph(&public, "articles/llama-3-1");
    assert_eq!(
        node(&article, "NewsArticle")["publisher"]["logo"],
        serde_json::json!({"@type": "ImageObject", "url": "https://example.org/brand/logo.png"})
    );
    assert!(public.join("brand/logo.png").is_file());
}

#[test]
fn an_author_profile_shows_its_portrait() {
    let site = site("basic");
    let dir = site.path().join("content/authors/jane-analyst");
    fs::create_dir_all(&dir).unwrap();
    image::RgbImage::from_pixel(640, 640, image::Rgb([30, 80, 140]))
        .save(dir.join("portrait.png"))
        .unwrap();
    fs::write(
        dir.join("index.md"),
        "---\nname: \"Jane Analyst\"\nsummary: \"Covers open models.\"\nimage: portrait.png\n---\nJane writes.\n",
    )
    .unwrap();
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let page = read(public.join("authors/jane-analyst/index.html"));
    let img = page
        .split("<img")
        .find(|tag| tag.contains("portrait.png"))
        .unwrap_or_else(|| panic!("no portrait on the author page"));
    assert!(
        img.contains("alt=\"Jane Analyst\""),
        "alt defaults to the name: {img}"
    );
    assert!(img.contains("width=\"640\" height=\"640\""), "{img}");
    assert!(img.contains("portrait-480."), "a narrower version: {img}");
    assert!(public.join("authors/jane-analyst/portrait.png").is_file());
    let broken = broken_links(&public, "/");
    assert!(broken.is_empty(), "{broken:?}");

    // A portrait that is not there is an error at its line.
    fs::remove_file(dir.join("portrait.png")).unwrap();
    let built = briefing(site.path(), &["build"]);
    assert_eq!(built.status.code(), Some(1));
    assert!(
        stderr(&built).contains("error: content/authors/jane-analyst/index.md:4:"),
        "{}",
        stderr(&built)
    );
}
