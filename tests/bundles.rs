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
    // Link previews show the social card (drawn over the lead image); the
    // lead image itself goes to the structured data.
    assert!(html.contains(
        "<meta property=\"og:image\" content=\"https://example.org/desk/articles/open-weights/card.png\">"
    ));
    assert!(
        html.contains("\"image\":[\"https://example.org/desk/articles/open-weights/chart.svg\",")
    );
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

/// A photo-like picture: smooth gradients with some texture.
fn picture(width: u32, height: u32) -> image::RgbImage {
    image::RgbImage::from_fn(width, height, |x, y| {
        let wave = ((x as f32 / 37.0).sin() * (y as f32 / 23.0).cos() * 40.0) as i32;
        image::Rgb([
            ((x * 255 / width) as i32 + wave).clamp(0, 255) as u8,
            ((y * 255 / height) as i32 - wave).clamp(0, 255) as u8,
            (128 + wave).clamp(0, 255) as u8,
        ])
    })
}

fn image_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    write(
        root,
        "site.yaml",
        "title: Pictures\nbase_url: \"https://example.org/desk/\"\n",
    );
    write(
        root,
        "content/articles/2024-10-01-photos/index.md",
        "---\ntitle: \"Photos\"\ndate: 2024-10-01\nimage: lead.jpg\nimage_alt: \"The lead photo\"\n---\nA wide one: ![A wide photo](wide.png)\n\nA small one: ![A small chart](small.png)\n\nAnd one from static: ![Shared](/desk/img/shared.jpg)\n",
    );
    let dir = root.join("content/articles/2024-10-01-photos");
    picture(2000, 1000).save(dir.join("wide.png")).unwrap();
    picture(300, 200).save(dir.join("small.png")).unwrap();
    picture(1000, 750).save(dir.join("lead.jpg")).unwrap();
    fs::create_dir_all(root.join("static/img")).unwrap();
    picture(800, 600)
        .save(root.join("static/img/shared.jpg"))
        .unwrap();
    site
}

/// The `<img>` tag whose `alt` is `alt`.
fn img_with_alt<'h>(html: &'h str, alt: &str) -> &'h str {
    let at = html.find(&format!("alt=\"{alt}\"")).expect("the image");
    let start = html[..at].rfind("<img").unwrap();
    let end = at + html[at..].find('>').unwrap();
    &html[start..=end]
}

fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&tag[at..at + tag[at..].find('"')?])
}

#[test]
fn local_raster_images_get_their_size_and_webp_versions_once() {
    let site = image_site();
    let root = site.path();
    let first = build_ok(root, &["--strict"]);
    assert!(
        common::stdout(&first).contains("(images: 4 decoded, 0 from the cache)"),
        "{}",
        common::stdout(&first)
    );
    let public = root.join("public");
    let html = read(public.join("articles/photos/index.html"));

    let wide = img_with_alt(&html, "A wide photo");
    assert_eq!(
        attribute(wide, "src"),
        Some("/desk/articles/photos/wide.png")
    );
    assert_eq!(attribute(wide, "width"), Some("2000"));
    assert_eq!(attribute(wide, "height"), Some("1000"));
    assert_eq!(attribute(wide, "loading"), Some("lazy"));
    assert_eq!(attribute(wide, "decoding"), Some("async"));
    assert!(
        attribute(wide, "sizes").is_some(),
        "width descriptors need sizes"
    );
    let srcset = attribute(wide, "srcset").expect("a srcset");
    let candidates: Vec<(&str, &str)> = srcset
        .split(", ")
        .map(|c| c.split_once(' ').unwrap())
        .collect();
    let widths: Vec<&str> = candidates.iter().map(|(_, w)| *w).collect();
    assert_eq!(widths, ["480w", "960w", "1600w"]);
    for (url, descriptor) in &candidates {
        let name = url.rsplit('/').next().unwrap();
        let (stem, rest) = name.split_once('.').unwrap();
        assert!(stem.starts_with("wide-"), "{name}");
        let hash = rest.strip_suffix(".webp").expect("a WebP");
        assert!(
            hash.len() >= 8 && hash.chars().all(|c| c.is_ascii_hexdigit()),
            "{name}"
        );
        let file = public.join(url.strip_prefix("/desk/").unwrap());
        let bytes = fs::read(&file).unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(
            image::guess_format(&bytes).unwrap(),
            image::ImageFormat::WebP
        );
        let decoded = image::load_from_memory(&bytes).unwrap();
        let width: u32 = descriptor.trim_end_matches('w').parse().unwrap();
        assert_eq!(
            (decoded.width(), decoded.height()),
            (width, width / 2),
            "{url}"
        );
    }

    // Too narrow for versions: only its size. From static/: versions beside the page.
    let small = img_with_alt(&html, "A small chart");
    assert_eq!(
        (attribute(small, "width"), attribute(small, "height")),
        (Some("300"), Some("200"))
    );
    assert_eq!(attribute(small, "srcset"), None);
    let shared = img_with_alt(&html, "Shared");
    assert_eq!(attribute(shared, "src"), Some("/desk/img/shared.jpg"));
    let shared_set = attribute(shared, "srcset").unwrap();
    assert!(
        shared_set.starts_with("/desk/articles/photos/shared-480."),
        "{shared_set}"
    );

    // The lead image loads at once.
    let lead = img_with_alt(&html, "The lead photo");
    assert_eq!(attribute(lead, "loading"), None);
    assert_eq!(attribute(lead, "fetchpriority"), Some("high"));
    assert_eq!(attribute(lead, "width"), Some("1000"));
    assert_eq!(
        common::broken_links(&public, "/desk/"),
        Vec::<String>::new()
    );

    // The cache stays out of git, and a second build takes everything from
    // it: the same bytes, and nothing decoded or encoded.
    assert_eq!(read(root.join(".briefing/cache/.gitignore")).trim(), "*");
    let before = common::file_tree(&public);
    let second = build_ok(root, &["--strict"]);
    assert!(
        common::stdout(&second).contains("(images: 0 decoded, 4 from the cache)"),
        "{}",
        common::stdout(&second)
    );
    assert!(
        common::file_tree(&public) == before,
        "a warm build writes the same bytes"
    );

    // The cache is safe to delete.
    fs::remove_dir_all(root.join(".briefing")).unwrap();
    build_ok(root, &[]);
    assert!(
        common::file_tree(&public) == before,
        "a cold build again writes the same bytes"
    );
}

#[test]
fn a_file_that_is_no_image_is_an_error_at_its_line() {
    let site = image_site();
    let root = site.path();
    write(
        root,
        "content/articles/2024-10-01-photos/wide.png",
        "not a picture",
    );
    let output = briefing(root, &["build"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(
        text.lines().any(|l| l.starts_with(
            "error: content/articles/2024-10-01-photos/index.md:7:13: image `wide.png` is not"
        ) && l.contains("wide.png")),
        "{text}"
    );
}
