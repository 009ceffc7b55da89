//! Page bundles, their files and lead images (SPEC §8), through the real
//! binary: what a build publishes and writes, and the errors of files that
//! are not there, in `build` and `check` alike.

mod common;

use std::fs;
use std::path::Path;

use common::{briefing, build_ok, read, stderr};

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

const META: &str = "---\nname: \"Meta\"\n---\nMeta's profile.\n";

/// A site under a base path, with an article bundle, a profile bundle and a
/// plain article whose lead image sits under `static/`.
fn bundle_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    write(
        root,
        "site.yaml",
        "title: Bundles\nbase_url: \"https://example.org/desk/\"\n",
    );
    write(
        root,
        "content/companies/meta/index.md",
        "---\nname: \"Meta\"\n---\nIts mark: ![Meta's mark](logo.svg)\n",
    );
    write(
        root,
        "content/companies/meta/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    write(
        root,
        "content/articles/2024-09-01-open-weights/index.md",
        "---\ntitle: \"Open weights, counted\"\ndate: 2024-09-01\ncompanies: [meta]\nimage: chart.svg\nimage_alt: \"Releases by month\"\n---\nMeta led. ![Releases](chart.svg \"By month\")\n\nGet [the data](data/releases%20by%20month.csv) or [the notes](./notes.txt).\n",
    );
    write(
        root,
        "content/articles/2024-09-01-open-weights/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    write(
        root,
        "content/articles/2024-09-01-open-weights/data/releases by month.csv",
        "month,releases\n2024-07,3\n",
    );
    write(
        root,
        "content/articles/2024-09-01-open-weights/notes.txt",
        "notes",
    );
    write(
        root,
        "content/articles/2024-09-01-open-weights/draft-section.md",
        "---\ntitle: not an article\n---\n",
    );
    write(
        root,
        "content/articles/plain.md",
        "---\ntitle: \"Plain\"\ndate: 2024-09-02\nimage: /img/wide.svg\nimage_alt: \"A wide picture\"\n---\nText.\n",
    );
    write(
        root,
        "static/img/wide.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site
}

#[test]
fn a_bundle_publishes_its_files_beside_its_page_under_the_base_path() {
    let site = bundle_site();
    build_ok(site.path(), &["--strict"]);
    let public = site.path().join("public");
    let page = public.join("articles/open-weights");
    assert!(page.join("index.html").is_file(), "slug from the folder");
    assert!(!public.join("articles/index").exists());
    for file in ["chart.svg", "data/releases by month.csv", "notes.txt"] {
        assert!(page.join(file).is_file(), "{file} published");
    }
    assert!(
        !page.join("draft-section.md").exists() && !public.join("articles/draft-section").exists(),
        "other Markdown in a bundle is neither published nor an article"
    );
    assert!(public.join("companies/meta/logo.svg").is_file());

    let html = read(page.join("index.html"));
    assert!(
        html.contains(
            "src=\"/desk/articles/open-weights/chart.svg\" alt=\"Releases\" title=\"By month\""
        ),
        "{html}"
    );
    assert!(html.contains("href=\"/desk/articles/open-weights/data/releases%20by%20month.csv\""));
    assert!(html.contains("href=\"/desk/articles/open-weights/notes.txt\""));
    // The lead image: on the page, loaded at once, and in link previews.
    assert!(html.contains("<figure class=\"lead-image\">"));
    assert!(html.contains(
        "<img src=\"/desk/articles/open-weights/chart.svg\" alt=\"Releases by month\" fetchpriority=\"high\""
    ));
    assert!(html.contains(
        "<meta property=\"og:image\" content=\"https://example.org/desk/articles/open-weights/chart.svg\">"
    ));
    let profile = read(public.join("companies/meta/index.html"));
    assert!(
        profile.contains("src=\"/desk/companies/meta/logo.svg\""),
        "{profile}"
    );

    // Cards show it, lazily; feeds carry it as an enclosure, and their
    // content has the same root-relative URLs as the page.
    let home = read(public.join("index.html"));
    assert!(home.contains(
        "<img class=\"card-image\" src=\"/desk/img/wide.svg\" alt=\"A wide picture\" loading=\"lazy\""
    ));
    let feed = read(public.join("atom.xml"));
    assert!(feed.contains(
        "<link rel=\"enclosure\" type=\"image/svg+xml\" href=\"https://example.org/desk/articles/open-weights/chart.svg\""
    ));
    assert!(feed.contains("src=&quot;/desk/articles/open-weights/chart.svg&quot;"));
    assert_eq!(
        common::broken_links(&public, "/desk/"),
        Vec::<String>::new()
    );
}

#[test]
fn missing_files_are_errors_at_their_line_in_build_and_check() {
    let site = bundle_site();
    let root = site.path();
    fs::remove_file(root.join("content/articles/2024-09-01-open-weights/notes.txt")).unwrap();
    fs::remove_file(root.join("static/img/wide.svg")).unwrap();
    write(root, "public/keep.txt", "the last good output");
    for command in [&["build"][..], &["check"]] {
        let output = briefing(root, command);
        assert_eq!(output.status.code(), Some(1), "{command:?}");
        let text = stderr(&output);
        let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(errors.len(), 2, "{command:?}: {text}");
        assert!(
            errors.contains(&"error: content/articles/2024-09-01-open-weights/index.md:10:51: `./notes.txt` is not a file of this bundle (content/articles/2024-09-01-open-weights/): add the file, or fix the name"),
            "{text}"
        );
        assert!(
            errors.contains(&"error: content/articles/plain.md:4: `image`: `/img/wide.svg` names no file: not under static/"),
            "{text}"
        );
    }
    assert_eq!(read(root.join("public/keep.txt")), "the last good output");
}

#[test]
fn a_lead_image_needs_its_alt_text_and_bundle_files_keep_out_of_the_page_s_way() {
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    write(root, "content/companies/meta.md", META);
    write(
        root,
        "content/articles/a.md",
        "---\ntitle: \"A\"\ndate: 2024-09-01\nimage: https://example.com/a.png\n---\nText.\n",
    );
    write(
        root,
        "content/articles/b/index.md",
        "---\ntitle: \"B\"\ndate: 2024-09-01\n---\nText.\n",
    );
    write(root, "content/articles/b/card.png", "not ours to take");
    write(root, "content/articles/b/page/x.txt", "x");
    let output = briefing(root, &["build"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 3, "{text}");
    assert!(
        errors[0].starts_with("error: content/articles/a.md:4:"),
        "{text}"
    );
    assert!(errors[0].contains("`image` needs `image_alt:`"), "{text}");
    assert!(errors.iter().any(|e| e.starts_with(
        "error: content/articles/b/card.png: a bundle file may not be named `card.png`"
    )));
    assert!(errors.iter().any(|e| e.starts_with(
        "error: content/articles/b/page: a bundle may not have a folder named `page`"
    )));
}
