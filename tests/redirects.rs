//! Old addresses (`redirect_from`, SPEC §9), with the real binary: the
//! pages they publish under a base path, that those pages stay out of every
//! list, feed, sitemap and search index, the errors for paths that cannot
//! be old addresses, and a preview (`serve`'s session) that follows each
//! save as a clean build would.

mod common;

use std::fs;
use std::io::Read;
use std::path::Path;

use briefing::pipeline::{self as build, BuildOptions, Quiet};
use briefing::serve::session::{Changes, Session};
use common::*;

const LLAMA: &str = "content/articles/2024-07-23-llama-3-1.md";

/// The old addresses of the basic fixture and the page each sends to.
const OLD: &[(&str, &str)] = &[
    ("2024/07/23/llama/index.html", "articles/llama-3-1/"),
    ("articles/llama-405b.html", "articles/llama-3-1/"),
    ("llama/index.html", "articles/llama-3-1/"),
    ("companies/facebook/index.html", "companies/meta/"),
];

#[test]
fn old_addresses_send_readers_on_under_the_base_path() {
    let site = site("basic");
    build_ok(site.path(), &["--base-url", "https://example.org/sub/"]);
    let public = site.path().join("public");
    for (file, target) in OLD {
        let html = read(public.join(file));
        let permalink = format!("https://example.org/sub/{target}");
        assert!(
            html.contains(&format!(
                "<meta http-equiv=\"refresh\" content=\"0; url={permalink}\">"
            )),
            "{file}: {html}"
        );
        assert_eq!(
            attribute_values(&html, "href"),
            [permalink.clone(), format!("/sub/{target}")],
            "{file}: canonical, then the plain link"
        );
        assert!(html.contains("<link rel=\"canonical\" href=\""), "{file}");
        assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(html.contains("<title>Moved: "), "{file}");
    }
    let entity = read(public.join("companies/facebook/index.html"));
    assert!(entity.contains(">Meta Platforms</a>"), "{entity}");
    assert_eq!(broken_links(&public, "/sub/"), Vec::<String>::new());

    // In no list, feed, sitemap or search index.
    let old_urls = [
        "2024/07/23",
        "llama-405b",
        "/sub/llama/",
        "/sub/companies/facebook/",
    ];
    for file in files(&public) {
        if OLD.iter().any(|(old, _)| *old == file) || file.starts_with("pagefind/") {
            continue;
        }
        let text = String::from_utf8_lossy(&fs::read(public.join(&file)).unwrap()).into_owned();
        for old in old_urls {
            assert!(!text.contains(old), "{file} names the old address {old}");
        }
    }
    let entry: serde_json::Value =
        serde_json::from_str(&read(public.join("pagefind/pagefind-entry.json"))).unwrap();
    assert_eq!(entry["languages"]["en"]["page_count"].as_u64(), Some(3));
    let mut indexed = Vec::new();
    for file in files(&public)
        .iter()
        .filter(|f| f.ends_with(".pf_fragment"))
    {
        let mut text = String::new();
        flate2::read::GzDecoder::new(&fs::read(public.join(file)).unwrap()[..])
            .read_to_string(&mut text)
            .unwrap();
        let fragment: serde_json::Value = serde_json::from_str(&text[12..]).unwrap();
        indexed.push(fragment["url"].as_str().unwrap_or_default().to_string());
    }
    indexed.sort();
    // Result URLs are relative to the base path the search page gives.
    assert_eq!(
        indexed,
        [
            "/articles/gpt-4o/",
            "/articles/llama-3-1/",
            "/articles/zuckerberg-letter/"
        ]
    );

    // `check` follows the redirects' links too, and finds nothing wrong.
    let check = briefing(site.path(), &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn the_redirect_template_is_overridden_by_name() {
    let site = site("basic");
    fs::create_dir_all(site.path().join("templates")).unwrap();
    fs::write(
        site.path().join("templates/redirect.html"),
        "moved to {{ redirect.permalink }} from {{ page.url }}\n",
    )
    .unwrap();
    build_ok(site.path(), &[]);
    assert_eq!(
        read(site.path().join("public/llama/index.html")),
        "moved to https://example.org/articles/llama-3-1/ from /llama/\n"
    );
}

/// Builds `site` over a previous output, which must fail with exit 1 and
/// leave it as it was; returns the error lines.
fn failing_build(site: &Path) -> Vec<String> {
    let public = site.join("public");
    fs::create_dir_all(&public).unwrap();
    fs::write(public.join("index.html"), "previous site").unwrap();
    let output = briefing(site, &["build"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let stderr = stderr(&output);
    assert!(!stderr.contains("panicked"), "{stderr}");
    for line in stderr.lines() {
        assert!(
            line.starts_with("error: ")
                || line.starts_with("warning: ")
                || line.starts_with("failed: "),
            "one line per problem: {line}"
        );
    }
    assert_eq!(
        files(&public),
        ["index.html"],
        "the old output is as it was"
    );
    assert_eq!(read(public.join("index.html")), "previous site");
    stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .map(str::to_string)
        .collect()
}

fn write_article(site: &Path, name: &str, front: &str) {
    fs::write(
        site.join(format!("content/articles/{name}.md")),
        format!("---\ntitle: \"{name}\"\ndate: 2024-08-01\n{front}---\nText.\n"),
    )
    .unwrap();
}

#[test]
fn paths_that_are_no_old_address_are_errors_on_the_key_line() {
    let site = site("basic");
    write_article(
        site.path(),
        "bad",
        "summary: x\nredirect_from:\n  - \"old/\"\n  - \"/a/../../etc/\"\n  - \"/old/?p=1\"\n  - \"/old/#top\"\n  - \"https://example.org/old/\"\n  - \"//example.org/old/\"\n  - \"/a\\\\b/\"\n  - \"/a\\x07b/\"\n",
    );
    let errors = failing_build(site.path());
    let at = "error: content/articles/bad.md:5:";
    for reason in [
        "`old/` must start with `/`",
        "`/a/../../etc/` holds a `.` or `..` segment",
        "`/old/?p=1` holds `?`",
        "`/old/#top` holds `#`",
        "`https://example.org/old/` is a URL",
        "`//example.org/old/` has an empty segment",
        "`/a\\b/` holds a backslash",
        "holds a control character",
    ] {
        assert!(
            errors
                .iter()
                .any(|l| l.starts_with(at) && l.contains(reason)),
            "no `{reason}` at {at} in {errors:#?}"
        );
    }
    assert_eq!(errors.len(), 8, "{errors:#?}");
}

#[test]
fn an_address_claimed_twice_or_taken_by_a_page_is_an_error() {
    let site = site("basic");
    // Claimed by the llama article (line 10), an entity and another article.
    write_article(site.path(), "again", "redirect_from: [\"/llama/\"]\n");
    fs::write(
        site.path().join("content/topics/open-source.md"),
        "---\nname: \"Open-source AI\"\nredirect_from: [\"/articles/llama-405b.html\"]\n---\n",
    )
    .unwrap();
    write_article(
        site.path(),
        "taken",
        "redirect_from:\n  - /archive/\n  - /articles/gpt-4o/\n  - /page/2/\n  - /companies/meta/atom.xml\n  - /404.html\n  - /sitemap.xml/\n  - /favicon.svg/\n  - /pagefind/old/\n  - /search\n  - /\n  - /articles/taken/index.html\n",
    );
    let errors = failing_build(site.path());
    let expected = [
        "error: content/articles/again.md:4: `redirect_from`: `/llama/` is already an old address in content/articles/2024-07-23-llama-3-1.md:10",
        "error: content/topics/open-source.md:3: `redirect_from`: `/articles/llama-405b.html` is already an old address in content/articles/2024-07-23-llama-3-1.md:10",
        "error: content/articles/taken.md:4: `redirect_from`: `/archive/` is the address of a page of the site (archive/index.html)",
        "error: content/articles/taken.md:4: `redirect_from`: `/articles/gpt-4o/` is the address of a page",
        "error: content/articles/taken.md:4: `redirect_from`: `/page/2/` is the address of a page",
        "error: content/articles/taken.md:4: `redirect_from`: `/companies/meta/atom.xml/` needs a folder `companies/meta/atom.xml`",
        "error: content/articles/taken.md:4: `redirect_from`: `/404.html` is the address of a page",
        "error: content/articles/taken.md:4: `redirect_from`: `/sitemap.xml/` needs a folder `sitemap.xml`",
        "error: content/articles/taken.md:4: `redirect_from`: `/favicon.svg/` needs a folder `favicon.svg`, but that is the address of a static file",
        "error: content/articles/taken.md:4: `redirect_from`: `/pagefind/old/` is inside the folder of the search index",
        "error: content/articles/taken.md:4: `redirect_from`: `/search/` is the address of a page",
        "error: content/articles/taken.md:4: `redirect_from`: `/` is the address of a page of the site (index.html)",
        "error: content/articles/taken.md:4: `redirect_from`: `/articles/taken/` is the address of a page",
    ];
    for line in expected {
        assert!(
            errors.iter().any(|l| l.starts_with(line)),
            "missing `{line}` in {errors:#?}"
        );
    }
    assert_eq!(errors.len(), expected.len(), "{errors:#?}");
    let check = briefing(site.path(), &["check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(stderr(&check).contains("error: content/articles/again.md:4: `redirect_from`"));
}

#[test]
fn aliases_in_an_article_point_to_redirect_from() {
    let site = site("basic");
    write_article(site.path(), "hugo", "aliases: [\"/old/\"]\n");
    let errors = failing_build(site.path());
    assert_eq!(
        errors,
        ["error: content/articles/hugo.md:4:10: an article has no `aliases`: for its old addresses, write `redirect_from: [\"/old/path/\"]` (Hugo and Zola call them aliases)"]
    );
}

/// The served folder of `session` equals a clean build of `options`.
fn assert_clean(what: &str, session: &Session, options: &BuildOptions) {
    let out = tempfile::tempdir().unwrap();
    let clean = BuildOptions {
        output: out.path().join("site"),
        ..options.clone()
    };
    build::build(&clean, &Quiet).unwrap_or_else(|e| panic!("{what}: clean build: {:?}", e.0));
    let expected = file_tree(&clean.output);
    // With the social cards serve draws on request.
    let served = served_tree(session);
    assert_eq!(
        served.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "{what}: the files"
    );
    for (file, bytes) in &expected {
        assert!(
            served[file] == *bytes,
            "{what}: {file} differs from a clean build"
        );
    }
}

#[test]
fn a_save_writes_moves_and_removes_old_addresses_as_a_clean_build_does() {
    let site = site("basic");
    let root = site.path().to_path_buf();
    let workspace = tempfile::tempdir().unwrap();
    let options = BuildOptions {
        base_url: Some("http://127.0.0.1:1111/sub/".into()),
        fingerprint: false,
        ..BuildOptions::new(&root)
    };
    let (mut session, first) = Session::start(options.clone(), workspace.path().to_path_buf());
    assert!(first.errors.is_empty(), "{:?}", first.errors);
    let llama = root.join(LLAMA);
    let meta = root.join("content/companies/meta.md");
    let original = read(&llama);
    let mut save = |what: &str, paths: &[&Path]| {
        let report = session.apply(&Changes {
            content: paths.iter().map(|p| p.to_path_buf()).collect(),
            ..Changes::default()
        });
        session.clean_up();
        catch_up_search(&session, &report);
        assert!(report.errors.is_empty(), "{what}: {:?}", report.errors);
        assert!(report.scoped, "{what}: {:?}", report.rebuilt_because);
        assert_clean(what, &session, &options);
        session.current_dir().to_path_buf()
    };

    // The usual rename: a new slug, and the old address sends readers on.
    let renamed = original
        .replace(
            "redirect_from: [",
            "slug: llama-three\nredirect_from: [\"/articles/llama-3-1/\", ",
        )
        .replace("\"/llama\"", "\"/llama.html\"");
    fs::write(&llama, renamed).unwrap();
    let served = save("slug changed, old address added", &[&llama]);
    let old = read(served.join("articles/llama-3-1/index.html"));
    assert!(
        old.contains("url=http://127.0.0.1:1111/sub/articles/llama-three/"),
        "{old}"
    );
    assert!(read(served.join("2024/07/23/llama/index.html")).contains("/sub/articles/llama-three/"));
    assert!(served.join("llama.html").is_file());
    assert!(!served.join("llama").exists(), "the folder form is gone");

    // One old address changes in place, the others stay.
    let text = read(&llama).replace("/2024/07/23/llama/", "/2024/07/llama/");
    fs::write(&llama, text).unwrap();
    let served = save("an old address changed", &[&llama]);
    assert!(served.join("2024/07/llama/index.html").is_file());
    assert!(!served.join("2024/07/23").exists());

    // Old addresses of a profile change with it.
    let text = read(&meta).replace("/companies/facebook/", "/firms/meta/");
    fs::write(&meta, text).unwrap();
    let served = save("entity's old address changed", &[&meta]);
    assert!(served.join("firms/meta/index.html").is_file());
    assert!(!served.join("companies/facebook").exists());

    // Taking them away removes their pages.
    let text = read(&llama);
    let line = text
        .lines()
        .find(|l| l.starts_with("redirect_from:"))
        .unwrap();
    fs::write(&llama, text.replace(line, "redirect_from: []")).unwrap();
    let served = save("old addresses removed", &[&llama]);
    assert!(!served.join("2024").exists());
    assert!(!served.join("llama.html").exists());

    // A clash in a save is an error, as in a clean build; fixed, it goes.
    fs::write(&llama, text.replace(line, "redirect_from: [\"/archive/\"]")).unwrap();
    let report = session.apply(&Changes {
        content: [llama.clone()].into(),
        ..Changes::default()
    });
    let shown: Vec<String> = report.errors.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        shown,
        [format!("error: {LLAMA}:11: `redirect_from`: `/archive/` is the address of a page of the site (archive/index.html): a redirect cannot replace it")]
    );
    fs::write(&llama, &original).unwrap();
    let report = session.apply(&Changes {
        content: [llama.clone()].into(),
        ..Changes::default()
    });
    session.clean_up();
    catch_up_search(&session, &report);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_clean("back to the original", &session, &options);
}
