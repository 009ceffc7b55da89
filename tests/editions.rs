//! Weekly editions (SPEC §11) on a fixture site spanning three ISO weeks of
//! 2024 in Europe/Paris: the pages, the feed, the previous/next links, the
//! week boundary (Sunday 23:30 +02:00 against Monday 00:10 +02:00), the
//! up/down/new marks, and that drafts and embargoed articles never count.

mod common;

use common::*;

/// Wednesday 7 August 2024, 03:06 UTC: week 32, after the fixture's weeks.
const NOW: (&str, &str) = ("SOURCE_DATE_EPOCH", "1723000000");

fn built(extra: &[&str]) -> tempfile::TempDir {
    let site = common::site("editions");
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let output = briefing_env(site.path(), &args, &[NOW]);
    assert!(output.status.success(), "{}", stderr(&output));
    site
}

fn page(site: &tempfile::TempDir, path: &str) -> String {
    read(site.path().join("public").join(path))
}

/// The article titles an edition page lists, in order.
fn titles(html: &str) -> Vec<String> {
    html.split("<h2 class=\"card-title\"><a href=\"")
        .skip(1)
        .filter_map(|rest| {
            let title = rest.split_once("\">")?.1;
            Some(title.split_once("</a>")?.0.to_string())
        })
        .collect()
}

/// The rows of an edition's "most covered" table: (name, count, before, change).
fn covered(html: &str) -> Vec<(String, usize, usize, String)> {
    html.split("<tr><th scope=\"row\">")
        .skip(1)
        .filter_map(|row| {
            let (name, rest) = row.split_once("</th>")?;
            let cells: Vec<&str> = rest
                .split("<td>")
                .skip(1)
                .filter_map(|c| c.split_once("</td>").map(|(v, _)| v))
                .collect();
            Some((
                name.to_string(),
                cells.first()?.parse().ok()?,
                cells.get(1)?.parse().ok()?,
                cells.get(2)?.to_string(),
            ))
        })
        .collect()
}

fn row(name: &str, count: usize, before: usize, change: &str) -> (String, usize, usize, String) {
    (name.to_string(), count, before, change.to_string())
}

#[test]
fn each_week_with_articles_has_an_edition_newest_first() {
    let site = built(&[]);
    let editions = site.path().join("public/editions");
    let mut weeks: Vec<String> = std::fs::read_dir(&editions)
        .unwrap()
        .filter_map(|e| {
            let e = e.ok()?;
            e.file_type()
                .ok()?
                .is_dir()
                .then(|| e.file_name().to_string_lossy().into_owned())
        })
        .collect();
    weeks.sort();
    // Week 28 holds only a draft, 2030 only an embargoed briefing.
    assert_eq!(weeks, ["2024-w29", "2024-w30", "2024-w31"]);

    let index = page(&site, "editions/index.html");
    let at = |week: &str| {
        index
            .find(&format!("href=\"/desk/editions/{week}/\""))
            .unwrap_or_else(|| panic!("{week} listed: {index}"))
    };
    assert!(at("2024-w31") < at("2024-w30") && at("2024-w30") < at("2024-w29"));
    assert!(index.contains("Week 31, 2024") && index.contains("29 July – 4 August 2024"));
    assert!(!index.contains("A draft"), "drafts never count");

    let w30 = page(&site, "editions/2024-w30/index.html");
    assert!(w30.contains("<h1>Week 30, 2024</h1>"), "{w30}");
    assert_eq!(
        titles(&w30),
        [
            "Sunday night, late",
            "The second large model",
            "An open model at the frontier",
        ],
        "newest first, without the draft"
    );
    assert!(
        w30.contains("Summary of The second large model."),
        "summaries shown"
    );
    assert!(
        w30.contains("href=\"/desk/companies/mistral/\""),
        "the articles' companies are linked"
    );
    assert!(
        w30.contains("href=\"/desk/topics/open-source/\""),
        "and their topics"
    );
    assert!(
        w30.contains("<svg class=\"chart chart--ranking\""),
        "a chart"
    );
    assert!(
        w30.contains("<caption>Most covered in Week 30, 2024, against the week before</caption>")
    );
    assert!(
        w30.contains("\"@type\":\"BreadcrumbList\""),
        "breadcrumbs in structured data"
    );
    // The nav names the section the page is in.
    assert!(w30.contains("href=\"/desk/editions/\" aria-current=\"true\">Editions</a>"));
}

#[test]
fn editions_link_to_the_editions_before_and_after() {
    let site = built(&[]);
    let link = |html: &str, rel: &str| {
        html.split(&format!("rel=\"{rel}\""))
            .next()
            .and_then(|before| before.rsplit("href=\"").next())
            .and_then(|href| href.split('"').next())
            .filter(|_| html.contains(&format!("rel=\"{rel}\"")))
            .map(str::to_string)
    };
    let w29 = page(&site, "editions/2024-w29/index.html");
    let w30 = page(&site, "editions/2024-w30/index.html");
    let w31 = page(&site, "editions/2024-w31/index.html");
    assert_eq!(link(&w29, "prev"), None);
    assert_eq!(
        link(&w29, "next").as_deref(),
        Some("/desk/editions/2024-w30/")
    );
    assert_eq!(
        link(&w30, "prev").as_deref(),
        Some("/desk/editions/2024-w29/")
    );
    assert_eq!(
        link(&w30, "next").as_deref(),
        Some("/desk/editions/2024-w31/")
    );
    assert_eq!(
        link(&w31, "prev").as_deref(),
        Some("/desk/editions/2024-w30/")
    );
    assert_eq!(link(&w31, "next"), None);
}

#[test]
fn weeks_end_at_midnight_in_the_site_zone() {
    let site = built(&[]);
    let w30 = titles(&page(&site, "editions/2024-w30/index.html"));
    let w31 = titles(&page(&site, "editions/2024-w31/index.html"));
    // Sunday 23:30 in Paris is still week 30; Monday 00:10 is week 31
    // there, though it is Sunday 22:10 in UTC.
    assert!(w30.contains(&"Sunday night, late".to_string()), "{w30:?}");
    assert_eq!(w31, ["The act enters into force", "Monday morning, early"]);

    // Counted in UTC, Monday 00:10 +02:00 falls in week 30.
    let utc = common::site("editions");
    let yaml = read(utc.path().join("site.yaml")).replace("Europe/Paris", "UTC");
    std::fs::write(utc.path().join("site.yaml"), yaml).unwrap();
    let output = briefing_env(utc.path(), &["build"], &[NOW]);
    assert!(output.status.success(), "{}", stderr(&output));
    let w30 = titles(&read(
        utc.path().join("public/editions/2024-w30/index.html"),
    ));
    assert_eq!(w30[0], "Monday morning, early", "{w30:?}");
}

#[test]
fn a_day_without_a_time_is_midnight_in_the_site_zone() {
    let site = built(&[]);
    let feed = page(&site, "atom.xml");
    // 1 August 2024 at 00:00 in Paris (summer time, +02:00).
    assert!(
        feed.contains("<published>2024-07-31T22:00:00Z</published>"),
        "{feed}"
    );
    let article = page(&site, "articles/act-in-force/index.html");
    assert!(
        article.contains("2024-08-01T00:00:00+02:00"),
        "structured data keeps the zone"
    );
    assert!(article.contains(">1 August 2024</time>"));
}

#[test]
fn most_covered_is_marked_against_the_week_before() {
    let site = built(&[]);
    assert_eq!(
        covered(&page(&site, "editions/2024-w29/index.html")),
        [
            row("Mistral AI", 1, 0, "new"),
            row("OpenAI", 1, 0, "new"),
            row("Open source", 1, 0, "new"),
        ]
    );
    assert_eq!(
        covered(&page(&site, "editions/2024-w30/index.html")),
        [
            row("Meta Platforms", 2, 0, "new"),
            row("Mistral AI", 2, 1, "up"),
            row("OpenAI", 1, 1, "same"),
            row("Open source", 1, 1, "same"),
        ],
        "the draft of week 30 does not count for OpenAI or Meta"
    );
    let w31 = page(&site, "editions/2024-w31/index.html");
    assert_eq!(
        covered(&w31),
        [
            row("Regulation", 2, 0, "new"),
            row("Meta Platforms", 1, 2, "down"),
            row("OpenAI", 1, 1, "same"),
        ]
    );
    assert!(
        w31.contains("<span class=\"change change--down\">"),
        "{w31}"
    );
}

#[test]
fn the_editions_feed_has_one_entry_per_edition() {
    let site = built(&[]);
    let feed = page(&site, "editions/atom.xml");
    let doc = roxmltree::Document::parse(&feed).expect("well-formed Atom");
    let atom = "http://www.w3.org/2005/Atom";
    let entries: Vec<_> = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name((atom, "entry")))
        .collect();
    let text = |node: roxmltree::Node, name: &str| {
        node.children()
            .find(|n| n.has_tag_name((atom, name)))
            .and_then(|n| n.text())
            .unwrap_or_default()
            .to_string()
    };
    let ids: Vec<String> = entries.iter().map(|e| text(*e, "id")).collect();
    assert_eq!(
        ids,
        [
            "https://news.example.org/desk/editions/2024-w31/",
            "https://news.example.org/desk/editions/2024-w30/",
            "https://news.example.org/desk/editions/2024-w29/",
        ]
    );
    assert_eq!(text(entries[0], "title"), "Week 31, 2024");
    let content = text(entries[0], "content");
    assert!(
        content.contains("<a href=\"https://news.example.org/desk/articles/act-in-force/\">The act enters into force</a>"),
        "{content}"
    );
    assert_eq!(text(entries[0], "updated"), "2024-07-31T22:00:00Z");

    let sitemap = page(&site, "sitemap.xml");
    for path in ["editions/", "editions/2024-w29/", "editions/2024-w31/"] {
        assert!(
            sitemap.contains(&format!("<loc>https://news.example.org/desk/{path}</loc>")),
            "{path} in the sitemap"
        );
    }
    assert!(!sitemap.contains("editions/atom.xml"));
}

#[test]
fn drafts_and_embargoed_articles_never_count() {
    let site = built(&["--drafts", "--future"]);
    let public = site.path().join("public");
    // Both are on the site now, but in no edition.
    assert!(public.join("articles/held-draft/index.html").exists());
    assert!(public.join("articles/far-future/index.html").exists());
    assert!(!public.join("editions/2024-w28").exists());
    assert!(!public.join("editions/2030-w01").exists());
    let w30 = titles(&read(public.join("editions/2024-w30/index.html")));
    assert_eq!(w30.len(), 3, "{w30:?}");
}

#[test]
fn an_unknown_time_zone_is_an_error_naming_the_line() {
    let site = common::site("editions");
    let yaml = read(site.path().join("site.yaml")).replace("Europe/Paris", "Europe/Atlantis");
    std::fs::write(site.path().join("site.yaml"), yaml).unwrap();
    let output = briefing(site.path(), &["build"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("error: site.yaml:5:") && err.contains("Europe/Atlantis"),
        "{err}"
    );
}
