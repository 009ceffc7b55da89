//! Social cards (SPEC §10), through the real binary: a 1200×630 PNG beside
//! every article page and the first page of every entity, named by the
//! page's `og:image` and `twitter:card`; the same bytes from build to build,
//! from the cache without drawing, and from `serve` on request; none with
//! `social_cards: false`.

mod common;

use std::fs;
use std::path::Path;

use common::{briefing, build_ok, files, read, stdout, Server};

const LONG: &str = "OpenAI, Anthropic and Google DeepMind agree on a shared framework for \
                    evaluating frontier model risks before any public release, regulators say";
const CJK: &str = "人工智能公司发布新的大型语言模型";
const CJK_OTHER: &str = "东京大学研究团队公开日本语模型";
const CYRILLIC: &str = "Искусственный интеллект в России";

/// A small site: articles with a long, a CJK and a Cyrillic title, one
/// with a lead image in its bundle, and profiled companies.
fn write_site(root: &Path, extra_yaml: &str) {
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    write(
        "site.yaml",
        &format!(
            "title: \"Card Desk\"\ndescription: \"Cards.\"\nbase_url: \"https://example.org/news/\"\nauthor: \"Desk\"\nper_page: 2\n{extra_yaml}"
        ),
    );
    write(
        "content/companies/meta.md",
        "---\nname: \"Meta Platforms\"\nsummary: \"Owner of Facebook and the Llama models.\"\n---\nMeta.\n",
    );
    write(
        "content/companies/openai.md",
        "---\nname: \"OpenAI\"\n---\nOpenAI.\n",
    );
    write("content/topics/safety.md", "---\nname: \"Safety\"\n---\n");
    let article = |name: &str, title: &str, day: u32, companies: &str| {
        write(
            &format!("content/articles/{name}.md"),
            &format!(
                "---\ntitle: \"{title}\"\ndate: 2024-07-{day:02}\ncompanies: [{companies}]\ntopics: [safety]\n---\nText.\n"
            ),
        );
    };
    article("long", LONG, 1, "meta, openai");
    article("cjk", CJK, 2, "meta");
    article("cjk-other", CJK_OTHER, 3, "openai");
    article("cyrillic", CYRILLIC, 4, "meta");
    article("plain-one", "Plain one", 5, "meta");
    article("plain-two", "Plain two", 6, "meta");
    write(
        "content/articles/pictured/index.md",
        "---\ntitle: \"A pictured story\"\ndate: 2024-07-07\nimage: lead.png\nimage_alt: \"Bars\"\ncompanies: [openai]\n---\nText.\n",
    );
    let lead = image::RgbImage::from_fn(1000, 700, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, 200])
    });
    lead.save(root.join("content/articles/pictured/lead.png"))
        .unwrap();
}

fn site(extra_yaml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_site(dir.path(), extra_yaml);
    dir
}

/// `property="NAME" content="…"` (or `name=`) of a page.
fn meta(html: &str, key: &str) -> Option<String> {
    let at = html.find(&format!("=\"{key}\" content=\""))?;
    let rest = &html[at + key.len() + 13..];
    Some(rest[..rest.find('"')?].to_string())
}

fn card(path: &Path) -> image::RgbImage {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    image::load_from_memory_with_format(&bytes, image::ImageFormat::Png)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_rgb8()
}

/// Pixels of a box that are far from the card's background colour.
fn ink(image: &image::RgbImage, xs: std::ops::Range<u32>, ys: std::ops::Range<u32>) -> usize {
    let background = *image.get_pixel(600, 140);
    let mut n = 0;
    for y in ys {
        for x in xs.clone() {
            let p = image.get_pixel(x, y);
            let d: i32 = (0..3)
                .map(|c| (i32::from(p[c]) - i32::from(background[c])).abs())
                .sum();
            n += usize::from(d > 200);
        }
    }
    n
}

/// The pages that must have a card: every article page and the first page
/// of every entity (not their later pages, not kind indexes or the home page).
fn carded_pages(public: &Path) -> Vec<String> {
    files(public)
        .into_iter()
        .filter(|f| f.ends_with("/index.html") && !f.split('/').any(|part| part == "page"))
        // Weekly editions are neither articles nor entities.
        .filter(|f| !f.starts_with("editions/"))
        .filter(|f| {
            let parts: Vec<&str> = f.split('/').collect();
            parts.len() == 3 && !read(public.join(f)).contains("http-equiv=\"refresh\"")
        })
        .collect()
}

#[test]
fn every_article_and_entity_page_has_a_card_named_absolutely() {
    let dir = site("");
    build_ok(dir.path(), &[]);
    let public = dir.path().join("public");
    let pages = carded_pages(&public);
    for expected in [
        "articles/long/index.html",
        "articles/pictured/index.html",
        "companies/meta/index.html",
        "companies/openai/index.html",
        "topics/safety/index.html",
    ] {
        assert!(
            pages.iter().any(|p| p == expected),
            "{expected} in {pages:?}"
        );
    }
    for page in &pages {
        let dir_path = page.trim_end_matches("index.html");
        let image = card(&public.join(dir_path).join("card.png"));
        assert_eq!((image.width(), image.height()), (1200, 630), "{page}");
        let html = read(public.join(page));
        let url = format!("https://example.org/news/{dir_path}card.png");
        assert_eq!(
            meta(&html, "og:image").as_deref(),
            Some(url.as_str()),
            "{page}"
        );
        assert_eq!(meta(&html, "og:image:width").as_deref(), Some("1200"));
        assert_eq!(meta(&html, "og:image:height").as_deref(), Some("630"));
        assert!(meta(&html, "og:image:alt").is_some_and(|alt| alt.ends_with("— Card Desk")));
        assert_eq!(
            meta(&html, "twitter:card").as_deref(),
            Some("summary_large_image")
        );
    }
    // No card anywhere else: kind indexes, the home page, later pages.
    let cards: Vec<String> = files(&public)
        .into_iter()
        .filter(|f| f.ends_with("card.png"))
        .collect();
    assert_eq!(cards.len(), pages.len(), "{cards:?}");
    assert!(!public.join("card.png").exists());
    assert!(!public.join("companies/card.png").exists());
    assert!(public.join("companies/meta/page/2/index.html").exists());
    assert!(!public.join("companies/meta/page/2/card.png").exists());
    // The home page names no card.
    assert_eq!(meta(&read(public.join("index.html")), "og:image"), None);
}

#[test]
fn cards_are_the_same_bytes_every_build_and_a_warm_build_draws_none() {
    let dir = site("");
    let cold = build_ok(dir.path(), &[]);
    let public = dir.path().join("public");
    let first = common::file_tree(&public);
    let n = first.keys().filter(|f| f.ends_with("card.png")).count();
    assert!(n >= 10);
    // The build line counts them: all drawn the first time…
    assert!(
        stdout(&cold).contains(&format!("(cards: {n} drawn, 0 from the cache)")),
        "{}",
        stdout(&cold)
    );
    // …none the second, which gives the same bytes from the cache.
    let warm = build_ok(dir.path(), &[]);
    assert!(
        stdout(&warm).contains(&format!("(cards: 0 drawn, {n} from the cache)")),
        "{}",
        stdout(&warm)
    );
    assert_eq!(common::file_tree(&public), first);
    // Without the cache they are drawn again, the same.
    fs::remove_dir_all(dir.path().join(".briefing")).unwrap();
    let again = build_ok(dir.path(), &[]);
    assert!(stdout(&again).contains(&format!("(cards: {n} drawn")));
    assert_eq!(common::file_tree(&public), first);
    // The cache keeps itself out of git.
    assert_eq!(read(dir.path().join(".briefing/cache/.gitignore")), "*\n");
}

#[test]
fn titles_in_any_script_draw_real_glyphs_and_long_ones_fit() {
    let dir = site("");
    build_ok(dir.path(), &[]);
    let public = dir.path().join("public");
    let title_box = |slug: &str| card(&public.join(format!("articles/{slug}/card.png")));
    for slug in ["cjk", "cjk-other", "cyrillic", "long"] {
        let image = title_box(slug);
        assert!(
            ink(&image, 80..1120, 160..500) > 3000,
            "{slug}: no title drawn"
        );
        // Nothing spills past the right margin (the date sits above the title).
        assert_eq!(
            ink(&image, 1125..1200, 160..500),
            0,
            "{slug}: the title overflows"
        );
    }
    // Two CJK titles draw differently: missing glyphs would be the same boxes.
    let (one, two) = (title_box("cjk"), title_box("cjk-other"));
    let differ = one
        .enumerate_pixels()
        .filter(|(x, y, p)| (160..300).contains(y) && *x > 80 && two.get_pixel(*x, *y) != *p)
        .count();
    assert!(
        differ > 2000,
        "CJK titles draw alike ({differ} pixels differ)"
    );
    // The long title takes more than one line: ink on the third line.
    let long = title_box("long");
    assert!(
        ink(&long, 80..1120, 330..420) > 1000,
        "the long title is not wrapped"
    );
    // The lead image goes under a dark veil: the bottom right corner is
    // dark but not the flat light background.
    let pictured = title_box("pictured");
    let corner = pictured.get_pixel(1190, 620);
    assert!(corner[0] < 120 && corner[2] < 120, "{corner:?}");
    let plain = title_box("plain-one");
    assert_eq!(plain.get_pixel(1190, 620), &image::Rgb([0xf6, 0xf5, 0xf2]));
}

#[test]
fn social_cards_false_writes_no_card_and_names_none() {
    let dir = site("social_cards: false\n");
    build_ok(dir.path(), &[]);
    let public = dir.path().join("public");
    assert!(!files(&public).iter().any(|f| f.ends_with("card.png")));
    assert!(!dir.path().join(".briefing/cache/cards").exists());
    let plain = read(public.join("articles/long/index.html"));
    assert_eq!(meta(&plain, "og:image"), None);
    assert_eq!(meta(&plain, "twitter:card"), None);
    assert!(!plain.contains("card.png"));
    // The lead image stays the picture of its page.
    let pictured = read(public.join("articles/pictured/index.html"));
    let image = meta(&pictured, "og:image").unwrap();
    assert!(image.ends_with("/articles/pictured/lead.png"), "{image}");
    assert_eq!(
        meta(&pictured, "twitter:card").as_deref(),
        Some("summary_large_image")
    );
    assert!(!pictured.contains("card.png"));
}

#[test]
fn serve_draws_a_card_on_request_and_follows_a_new_title() {
    let dir = site("");
    let server = Server::start(dir.path(), &[]);
    // The preview folder holds no card: it is drawn when asked for.
    let served = server.get("/articles/long/card.png");
    assert_eq!(served.status, 200);
    assert_eq!(served.content_type, "image/png");
    let built = |public: &Path| {
        let out = tempfile::tempdir().unwrap();
        let output = out.path().join("site");
        build_ok(
            dir.path(),
            &[
                "--output",
                &output.to_string_lossy(),
                "--base-url",
                &server.url,
            ],
        );
        fs::read(output.join(public)).unwrap()
    };
    assert!(served.body == built(Path::new("articles/long/card.png")));
    let entity = server.get("/companies/meta/card.png");
    assert!(entity.body == built(Path::new("companies/meta/card.png")));
    assert_eq!(server.get("/companies/card.png").status, 404);
    assert_eq!(server.get("/articles/nope/card.png").status, 404);

    let path = dir.path().join("content/articles/long.md");
    fs::write(
        &path,
        read(&path).replace(LONG, "A brand new title for the card"),
    )
    .unwrap();
    server.wait_for("reload", 30);
    let after = server.get("/articles/long/card.png");
    assert_eq!(after.status, 200);
    assert!(
        after.body != served.body,
        "the card did not follow the title"
    );
    assert!(after.body == built(Path::new("articles/long/card.png")));
    // Removed, its card goes too.
    fs::remove_file(dir.path().join("content/articles/plain-two.md")).unwrap();
    server.wait_for("reload", 30);
    assert_eq!(server.get("/articles/plain-two/card.png").status, 404);
}

#[test]
fn check_passes_with_cards() {
    let dir = site("");
    let output = briefing(dir.path(), &["check"]);
    assert!(output.status.success(), "{}", common::stderr(&output));
}
