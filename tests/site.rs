//! The site a build writes: every page of SPEC §5, cross-links, feeds,
//! sitemap, base-url subpaths and deterministic output.

mod common;

use common::*;

#[test]
fn builds_every_page_of_the_url_scheme() {
    let site = site("basic");
    build_ok(site.path(), &[]);
    let files = files(&site.path().join("public"));
    for expected in [
        "index.html",
        "page/2/index.html",
        "articles/llama-3-1/index.html",
        "articles/zuckerberg-letter/index.html",
        "articles/gpt-4o/index.html",
        "companies/index.html",
        "companies/meta/index.html",
        "companies/meta/atom.xml",
        "topics/index.html",
        "topics/open-source/index.html",
        "topics/open-source/atom.xml",
        "models/index.html",
        "models/llama/index.html",
        "models/llama/atom.xml",
        "archive/index.html",
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "favicon.svg",
    ] {
        assert!(
            files.contains(&expected.to_string()),
            "missing {expected} in {files:?}"
        );
    }
    // Drafts and embargoed articles stay out.
    assert!(
        !files
            .iter()
            .any(|f| f.contains("draft") || f.contains("embargoed")),
        "{files:?}"
    );
    assert_eq!(
        broken_links(&site.path().join("public"), "/"),
        Vec::<String>::new()
    );
}

#[test]
fn drafts_and_future_articles_come_in_on_request() {
    let site = site("basic");
    build_ok(site.path(), &["--drafts", "--future"]);
    let public = site.path().join("public");
    assert!(public.join("articles/draft/index.html").is_file());
    assert!(public.join("articles/embargoed/index.html").is_file());
}

#[test]
fn article_pages_cross_link() {
    let site = site("basic");
    build_ok(site.path(), &[]);
    let html = read(site.path().join("public/articles/llama-3-1/index.html"));
    // Tagged entities, first mentions auto-linked once, code left alone.
    assert!(html.contains("href=\"/companies/meta/\""));
    assert!(html.contains("<a class=\"mention\" href=\"/companies/meta/\">Meta</a> released"));
    assert!(html.contains("<a class=\"mention\" href=\"/companies/openai/\">OpenAI</a>"));
    assert!(html.contains("<a class=\"mention\" href=\"/companies/alphabet/\">Google DeepMind</a>"));
    assert_eq!(
        html.matches("class=\"mention\" href=\"/companies/meta/\"")
            .count(),
        1
    );
    assert!(html.contains("<code>Meta</code>"));
    // Internal links resolved, with their fragment; external links marked.
    assert!(html.contains("href=\"/articles/zuckerberg-letter/#the-argument\""));
    assert!(html.contains("class=\"external\""));
    // Dates, author, updated, sources, table, footnote, heading id.
    for needle in [
        "datetime=\"2024-07-23\"",
        "datetime=\"2024-07-30\"",
        "Jane Analyst",
        "https://ai.meta.com/blog/meta-llama-3-1/",
        "<table>",
        "footnote-definition",
        "id=\"why-it-matters\"",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    // Previous (older) and next (newer) by date.
    assert!(html.contains("href=\"/articles/gpt-4o/\" rel=\"prev\""));
    assert!(html.contains("href=\"/articles/zuckerberg-letter/\" rel=\"next\""));
}

#[test]
fn entity_pages_list_tagged_and_mentioned_articles() {
    let site = site("basic");
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let openai = read(public.join("companies/openai/index.html"));
    // GPT-4o tags OpenAI; Llama 3.1 only mentions it.
    let tagged = openai
        .find("/articles/gpt-4o/")
        .expect("tagged article listed");
    let mentioned = openai
        .find("/articles/llama-3-1/")
        .expect("mentioning article listed");
    assert!(mentioned < tagged, "newest first");
    assert!(openai.contains("mentioned") && openai.contains("tagged"));
    let alphabet = read(public.join("companies/alphabet/index.html"));
    assert!(alphabet.contains("NASDAQ: GOOGL"));
    assert!(
        alphabet.contains("/articles/gpt-4o/"),
        "mentioned as Google"
    );
    let meta = read(public.join("companies/meta/index.html"));
    assert!(meta.contains("https://about.meta.com"));
    assert!(meta.contains("Owner of Facebook"));
    // Co-occurring entities link back out.
    assert!(meta.contains("href=\"/topics/open-source/\""));
    let index = read(public.join("companies/index.html"));
    for name in ["Meta Platforms", "OpenAI", "Alphabet", "NASDAQ: META"] {
        assert!(index.contains(name), "{name}");
    }
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|n| n.tag_name().name() == name)
}

#[test]
fn feeds_are_atom_with_absolute_links() {
    let site = site("basic");
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    for feed in [
        "atom.xml",
        "companies/meta/atom.xml",
        "topics/open-source/atom.xml",
    ] {
        let text = read(public.join(feed));
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{feed}: {e}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "feed");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.w3.org/2005/Atom")
        );
        for name in ["id", "title", "updated", "author"] {
            assert!(child(root, name).is_some(), "{feed}: feed has no {name}");
        }
        let self_link = root
            .children()
            .find(|n| n.tag_name().name() == "link" && n.attribute("rel") == Some("self"))
            .expect("self link");
        assert_eq!(
            self_link.attribute("href"),
            Some(format!("https://example.org/{feed}").as_str())
        );
        let entries: Vec<_> = root
            .children()
            .filter(|n| n.tag_name().name() == "entry")
            .collect();
        assert!(!entries.is_empty(), "{feed}");
        for entry in entries {
            for name in ["id", "title", "updated", "link"] {
                assert!(child(entry, name).is_some(), "{feed}: entry has no {name}");
            }
            let href = child(entry, "link")
                .and_then(|l| l.attribute("href"))
                .unwrap_or("");
            assert!(href.starts_with("https://example.org/articles/"), "{href}");
        }
    }
}

#[test]
fn sitemap_lists_every_page_once_and_robots_points_to_it() {
    let site = site("basic");
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let text = read(public.join("sitemap.xml"));
    let doc = roxmltree::Document::parse(&text).expect("sitemap parses");
    let mut locs: Vec<String> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "loc")
        .filter_map(|n| n.text().map(str::to_string))
        .collect();
    let count = locs.len();
    locs.sort();
    locs.dedup();
    assert_eq!(locs.len(), count, "no duplicates");
    // Every page but the redirects at old addresses.
    let redirects = redirect_pages(&public);
    assert!(redirects.contains(&"llama/index.html".to_string()));
    let mut pages: Vec<String> = files(&public)
        .into_iter()
        .filter(|f| f.ends_with("index.html") && !redirects.contains(f))
        .map(|f| format!("https://example.org/{}", f.trim_end_matches("index.html")))
        .collect();
    pages.sort();
    assert_eq!(locs, pages);
    assert!(read(public.join("robots.txt")).contains("Sitemap: https://example.org/sitemap.xml"));
}

#[test]
fn base_url_with_a_subpath_prefixes_every_link() {
    let site = site("basic");
    build_ok(site.path(), &["--base-url", "https://example.org/sub/"]);
    let public = site.path().join("public");
    assert_eq!(broken_links(&public, "/sub/"), Vec::<String>::new());
    let home = read(public.join("index.html"));
    assert!(
        home.contains("href=\"/sub/style."),
        "the stylesheet under /sub/"
    );
    assert!(read(public.join("atom.xml")).contains("https://example.org/sub/articles/llama-3-1/"));
    for page in files(&public).iter().filter(|f| f.ends_with(".html")) {
        for href in attribute_values(&read(public.join(page)), "href") {
            assert!(
                !href.starts_with('/') || href.starts_with("/sub/"),
                "{page}: {href} ignores the base path"
            );
        }
    }
}

#[test]
fn home_page_is_paginated_newest_first_with_top_entities() {
    let site = site("basic");
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let first = read(public.join("index.html"));
    let second = read(public.join("page/2/index.html"));
    let newest = first
        .find("/articles/zuckerberg-letter/")
        .expect("newest on page 1");
    let next = first
        .find("/articles/llama-3-1/")
        .expect("second on page 1");
    assert!(newest < next);
    assert!(second.contains("/articles/gpt-4o/"));
    assert!(
        !first.contains("/articles/gpt-4o/\">"),
        "page 1 holds per_page articles"
    );
    assert!(first.contains("href=\"/page/2/\""));
    assert!(
        first.contains("Meta Platforms"),
        "most-covered companies beside the list"
    );
}

#[test]
fn output_is_deterministic() {
    let site = site("basic");
    build_ok(site.path(), &["--output", "one"]);
    build_ok(site.path(), &["--output", "two"]);
    let one = site.path().join("one");
    let two = site.path().join("two");
    let files_one = files(&one);
    assert_eq!(files_one, files(&two));
    for file in files_one {
        assert!(
            std::fs::read(one.join(&file)).ok() == std::fs::read(two.join(&file)).ok(),
            "{file} differs between two builds"
        );
    }
}

#[test]
fn site_templates_override_built_in_ones() {
    let site = site("basic");
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/404.html"),
        "<!doctype html><title>gone</title><p>Custom {{ site.title }}</p>",
    )
    .unwrap();
    build_ok(site.path(), &[]);
    assert!(read(site.path().join("public/404.html")).contains("Custom Fixture Briefing"));
}

/// A site's own `article_card` lays out every list's cards, each list with
/// its own arguments, though each card is laid out once and reused.
#[test]
fn a_sites_own_article_card_lays_out_every_list() {
    let site = site("basic");
    let components = read(repo().join("templates/components.html"));
    let start = components.find("{% component article_card").unwrap();
    let end = components.find("{%- endcomponent article_card %}").unwrap()
        + "{%- endcomponent article_card %}".len();
    let own = "{% component article_card(card, level=2, picture=true) -%}\n\
        <p class=\"own-card\">{{ card.title }} h{{ level }} {{ picture }} {{ card.relation }}</p>\n\
        {%- endcomponent article_card %}";
    let templates = site.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    let own_components = format!("{}{own}{}", &components[..start], &components[end..]);
    std::fs::write(templates.join("components.html"), &own_components).unwrap();
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let home = read(public.join("index.html"));
    assert!(
        home.contains("<p class=\"own-card\">Meta releases Llama 3.1"),
        "{home}"
    );
    assert!(home.contains(" h2 true </p>"), "{home}");
    let meta = read(public.join("companies/meta/index.html"));
    assert!(meta.contains(" h3 true tagged</p>"), "{meta}");
    let article = read(public.join("articles/gpt-4o/index.html"));
    assert!(article.contains(" h3 false </p>"), "{article}");
    assert!(!article.contains("class=\"card-title\""), "{article}");

    // A card that cannot be laid out is reported where its page calls it.
    let broken =
        own_components.replace("{{ card.title }} h{{ level }}", "{{ card.no_such_field }}");
    std::fs::write(templates.join("components.html"), broken).unwrap();
    let output = briefing(site.path(), &["build"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr(&output);
    assert!(
        stderr.contains("error: templates/components.html:"),
        "{stderr}"
    );
}

#[test]
fn the_sample_site_passes_check() {
    let output = briefing(&repo(), &["check"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn text_from_front_matter_is_escaped_everywhere_it_lands() {
    let site = site("basic");
    std::fs::write(
        site.path().join("content/articles/2024-08-01-hostile.md"),
        "---\ntitle: \"<script>alert('t')</script> \\\"quoted\\\" & more\"\nsummary: \"<img src=x onerror=alert(1)>\"\ndate: 2024-08-01\nauthor: \"<b>Eve</b>\"\ncompanies: [meta]\n---\nBody with <em>trusted</em> HTML.\n",
    )
    .unwrap();
    std::fs::write(
        site.path().join("content/companies/evil.md"),
        "---\nname: \"Evil <script>x</script> & Co 🚀\"\nticker: \"\\\"><script>y</script>\"\n---\n",
    )
    .unwrap();
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    for file in files(&public) {
        let text =
            String::from_utf8_lossy(&std::fs::read(public.join(&file)).unwrap()).into_owned();
        for bad in [
            "<script>alert",
            "<script>x",
            "<script>y",
            "<img src=x",
            "<b>Eve",
        ] {
            assert!(!text.contains(bad), "{file} holds unescaped `{bad}`");
        }
    }
    let page = read(public.join("articles/hostile/index.html"));
    assert!(
        page.contains("&lt;script&gt;alert("),
        "title escaped in the page"
    );
    assert!(
        page.contains("<em>trusted</em>"),
        "raw HTML in the body is passed through"
    );
    let company = read(public.join("companies/evil/index.html"));
    assert!(company.contains("Evil &lt;script&gt;x&lt;/script&gt; &amp; Co 🚀"));
}

#[test]
fn entity_pages_chart_their_coverage_and_the_home_page_what_is_covered_lately() {
    let site = site("basic");
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let meta = read(public.join("companies/meta/index.html"));
    // Meta: tagged in two July articles; one bar, one month in the table.
    assert!(
        meta.contains("<title>Coverage of Meta Platforms per month</title>"),
        "chart title"
    );
    assert_eq!(
        meta.matches("class=\"chart-tagged\"").count(),
        1,
        "one bar per month of coverage"
    );
    assert!(meta.contains("<th scope=\"row\">Jul 2024</th><td>2</td><td>0</td><td>2</td>"));
    let openai = read(public.join("companies/openai/index.html"));
    // OpenAI: tagged in May, mentioned in July, June empty in between.
    assert!(openai.contains("<th scope=\"row\">Jun 2024</th><td>0</td><td>0</td><td>0</td>"));
    assert_eq!(openai.matches("class=\"chart-tagged\"").count(), 1);
    assert_eq!(openai.matches("class=\"chart-mentioned\"").count(), 1);
    let index = read(public.join("companies/index.html"));
    assert!(
        index.matches("class=\"chart chart--spark\"").count() >= 3,
        "a sparkline per company"
    );
    let home = read(public.join("index.html"));
    assert!(
        home.contains("<desc>Alphabet: 2, Meta Platforms: 2, OpenAI: 2</desc>"),
        "lately chart"
    );
    assert!(
        !read(public.join("page/2/index.html")).contains("chart--ranking"),
        "page 1 only"
    );
}

#[test]
fn search_indexes_every_article_with_company_and_topic_filters() {
    let site = site("basic");
    build_ok(site.path(), &["--base-url", "https://example.org/sub/"]);
    let public = site.path().join("public");
    let articles = files(&public)
        .iter()
        .filter(|f| f.starts_with("articles/") && f.ends_with("/index.html"))
        .count();
    let entry: serde_json::Value =
        serde_json::from_str(&read(public.join("pagefind/pagefind-entry.json"))).unwrap();
    assert_eq!(
        entry["languages"]["en"]["page_count"].as_u64(),
        Some(articles as u64),
        "every article, nothing else"
    );
    // Fragments are written as pages are merged, not with the other files.
    let fragments = files(&public)
        .iter()
        .filter(|f| f.starts_with("pagefind/fragment/") && f.ends_with(".pf_fragment"))
        .count();
    assert_eq!(fragments, articles, "a fragment per article");
    for unused in ["pagefind-modular-ui.js", "pagefind-component-ui.js"] {
        assert!(!public.join("pagefind").join(unused).exists(), "{unused}");
    }

    // The search page loads the bundle and the results from under the subpath.
    let search = read(public.join("search/index.html"));
    assert!(search.contains("<script src=\"/sub/pagefind/pagefind-ui.js\"></script>"));
    assert!(search.contains("data-bundle=\"/sub/pagefind/\" data-base=\"/sub/\""));
    assert!(search.contains("href=\"/sub/pagefind/pagefind-ui.css\""));
    assert!(
        !search.contains("class=\"site-search\""),
        "no second box on the search page"
    );
    let home = read(public.join("index.html"));
    assert!(home.contains("<form class=\"site-search\" role=\"search\" action=\"/sub/search/\""));

    // An article marks what is indexed and its tags as filters; the
    // related cards below it are not part of it.
    let page = read(public.join("articles/llama-3-1/index.html"));
    assert_eq!(page.matches("data-pagefind-body").count(), 1);
    assert!(page.contains("data-pagefind-filter=\"Companies\">Meta Platforms</a>"));
    assert!(page.contains("data-pagefind-filter=\"Topics\">Open-source AI</a>"));
    let body_end = page.find("</article>").unwrap();
    assert!(
        !page[body_end..].contains("data-pagefind-filter"),
        "filters come from the article itself"
    );
}

#[test]
fn a_site_without_articles_has_a_search_page_and_no_index() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content/companies")).unwrap();
    std::fs::write(
        dir.path().join("content/companies/acme.md"),
        "---\nname: \"Acme\"\n---\n",
    )
    .unwrap();
    build_ok(dir.path(), &[]);
    let public = dir.path().join("public");
    let search = read(public.join("search/index.html"));
    assert!(search.contains("There are no briefings to search yet."));
    assert!(!search.contains("pagefind"), "nothing to load");
    assert!(!public.join("pagefind").exists());
    let check = briefing(dir.path(), &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
}
