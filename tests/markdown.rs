//! What the Markdown pass writes, read from a real build: the table of
//! contents, highlighted code, the author's raw HTML left alone, plain
//! image alt text and heading ids that are unique on the page.

mod common;

use common::*;

/// The article page of `slug` in a built fixture.
fn page(site: &std::path::Path, slug: &str) -> String {
    read(site.join(format!("public/articles/{slug}/index.html")))
}

/// The ids of the headings inside the article's text.
fn heading_ids(html: &str) -> Vec<String> {
    let prose = html
        .split("<div class=\"prose\">")
        .nth(1)
        .unwrap_or_default();
    let prose = prose.split("</div>").next().unwrap_or_default();
    prose
        .split("<h")
        .skip(1)
        .filter_map(|h| h.split_once(" id=\"").map(|(_, rest)| rest))
        .filter_map(|rest| rest.split_once('"').map(|(id, _)| id.to_string()))
        .collect()
}

#[test]
fn headings_get_unique_ids_and_an_on_this_page_list() {
    let site = site("markdown");
    build_ok(site.path(), &[]);
    let html = page(site.path(), "fidelity");
    let ids = heading_ids(&html);
    assert_eq!(
        ids,
        [
            "site-search-q-1",
            "overview",
            "the-main-loop",
            "site-search-q-2"
        ]
    );
    // The search box keeps its id: it is on the page once.
    assert_eq!(html.matches("id=\"site-search-q\"").count(), 1);
    // Four headings: the list is shown, nested, linking each id.
    let nav = html
        .split("<nav class=\"toc\"")
        .nth(1)
        .and_then(|n| n.split("</nav>").next())
        .expect("an On this page list");
    assert!(nav.contains(">On this page</h2>"), "{nav}");
    let links: Vec<&str> = nav
        .split("href=\"#")
        .skip(1)
        .filter_map(|l| l.split('"').next())
        .collect();
    assert_eq!(links, ids);
    assert!(
        nav.contains("<a href=\"#overview\">Overview</a><ol>"),
        "the h3 nests under its h2: {nav}"
    );
    assert!(nav.contains(">The main loop</a>"), "{nav}");
    // Two headings are not enough for the list.
    let short = page(site.path(), "short");
    assert!(!short.contains("class=\"toc\""), "{short}");
    assert_eq!(heading_ids(&short), ["one", "two"]);
}

#[test]
fn every_article_template_has_toc_even_without_headings() {
    let site = site("markdown");
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/article.html"),
        "{{ toc | length }}:{{ toc_count }}:{% for e in toc %}({{ e.level }} {{ e.id }} {{ e.title }}{% for c in e.children %} [{{ c.level }} {{ c.id }}]{% endfor %}){% endfor %}",
    )
    .unwrap();
    std::fs::write(
        site.path().join("content/articles/2024-07-03-bare.md"),
        "---\ntitle: \"Bare\"\ndate: 2024-07-03\n---\nNo headings.\n",
    )
    .unwrap();
    build_ok(site.path(), &[]);
    assert_eq!(page(site.path(), "bare"), "0:0:");
    assert_eq!(page(site.path(), "short"), "2:2:(2 one One)(2 two Two)");
    assert_eq!(
        page(site.path(), "fidelity"),
        "3:4:(2 site-search-q-1 Overview)(2 overview Overview [3 the-main-loop])(2 site-search-q-2 Site search q)"
    );
}

#[test]
fn code_in_a_known_language_is_highlighted_and_an_unknown_one_is_not() {
    let site = site("markdown");
    let built = build_ok(site.path(), &[]);
    assert!(stderr(&built).is_empty(), "{}", stderr(&built));
    let html = page(site.path(), "fidelity");
    let open = "<pre tabindex=\"0\"><code class=\"language-rust\">";
    let rust = html
        .split(open)
        .nth(1)
        .and_then(|c| c.split("</code></pre>").next())
        .expect("the rust block");
    assert!(rust.contains("<span class=\"hl-"), "{rust}");
    assert!(rust.contains("hl-keyword"), "{rust}");
    assert!(rust.contains("hl-comment"), "{rust}");
    // Only spans were added; the text is the code, still escaped.
    let text = strip_spans(rust);
    assert_eq!(
        text,
        "fn main() {\n    let who = &quot;&lt;Meta &amp; OpenAI&gt;&quot;;\n    println!(&quot;{who}&quot;); // Meta\n}\n"
    );
    assert!(!rust.contains("mention"));
    assert!(html.contains(
        "<pre tabindex=\"0\"><code class=\"language-klingon\">Qapla' &lt;Meta&gt;\n</code></pre>"
    ));
    // The stylesheet colours the classes, in both schemes.
    let css = std::fs::read_dir(site.path().join("public"))
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with("style."))
        .map(|e| read(e.path()))
        .expect("a stylesheet");
    assert!(css.contains(".hl-keyword"));
    assert!(css.matches("--hl-keyword:").count() >= 2, "light and dark");
}

/// `html` without its `<span …>` and `</span>` tags.
fn strip_spans(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find("<") {
        out.push_str(&rest[..lt]);
        let tag_end = rest[lt..].find('>').expect("a closed tag") + lt + 1;
        let tag = &rest[lt..tag_end];
        assert!(
            tag.starts_with("<span class=\"hl-") || tag == "</span>",
            "{tag}"
        );
        rest = &rest[tag_end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn raw_html_and_image_alt_text_are_the_authors() {
    let site = site("markdown");
    build_ok(site.path(), &[]);
    let html = page(site.path(), "fidelity");
    // The author's link is left as it is, with no link inside it.
    assert!(
        html.contains("A story about <a href=\"/elsewhere/\">Meta</a>, and then <a class=\"mention\" href=\"/companies/openai/\">OpenAI</a>, <kbd>Meta</kbd> and <a class=\"mention\" href=\"/companies/meta/\">Meta</a> again."),
        "{html}"
    );
    // The image's description, as plain text.
    assert!(
        html.contains("<img src=\"/logo.png\" alt=\"The Meta logo large\" title=\"Logo\">"),
        "{html}"
    );
    // Meta is still related to the article, by mention.
    let meta = read(site.path().join("public/companies/meta/index.html"));
    assert!(meta.contains("/articles/fidelity/"));
}
