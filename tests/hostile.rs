//! Malformed and unusual input, one case at a time: each file of
//! tests/fixtures/hostile/ (plus a few that only exist at run time: symbolic
//! links, a named pipe, an unreadable file, a 10 MB article) is added to a good
//! site that has been built once, and the site is built again.
//!
//! No case may panic or hang. Each gives either the page a reader would
//! expect, or one clear error line naming the file and position, with the
//! previous output left exactly as it was. Text from front matter never
//! reaches a page unescaped.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// What a case must give.
enum Expect {
    /// The build succeeds and this page (site-relative folder) shows this text.
    Page(&'static str, &'static str),
    /// The build fails with exactly one error, starting with this location
    /// (`content/articles/x.md:3:7`), and the output is untouched.
    Error(&'static str),
    /// The build succeeds with a warning starting with this location.
    Warning(&'static str),
}

use Expect::*;

/// Files of tests/fixtures/hostile/, by their path there (which is also
/// where they go under `content/`).
const FILES: &[(&str, Expect)] = &[
    ("articles/empty.md", Error("content/articles/empty.md:1:1: no front matter")),
    ("articles/only-dashes.md", Error("content/articles/only-dashes.md:1:1: front matter is never closed")),
    ("articles/unclosed.md", Error("content/articles/unclosed.md:1:1: front matter is never closed")),
    ("articles/tabs-in-yaml.md", Error("content/articles/tabs-in-yaml.md:3:1: invalid YAML")),
    ("articles/yaml-anchors.md", Page("articles/yaml-anchors/", "<p class=\"lede\">Anchored title</p>")),
    ("articles/alias-bomb.md", Error("content/articles/alias-bomb.md:2: invalid YAML: repetition limit exceeded")),
    ("articles/deep-nesting.md", Error("content/articles/deep-nesting.md:4:131: invalid YAML: recursion limit exceeded")),
    ("articles/duplicate-key.md", Error("content/articles/duplicate-key.md:2:1: invalid YAML: duplicate entry")),
    ("articles/list-front-matter.md", Error("content/articles/list-front-matter.md:2: front matter must be a YAML mapping")),
    ("articles/title-not-text.md", Error("content/articles/title-not-text.md:2:8: `title` must be text")),
    ("articles/empty-title.md", Error("content/articles/empty-title.md:2:8: `title` is empty")),
    ("articles/unknown-key.md", Error("content/articles/unknown-key.md:4:1: unknown key `compnies`")),
    ("articles/script-title.md", Page("articles/script-title/", "&lt;script&gt;alert(")),
    ("articles/script-close-title.md", Page("articles/script-close-title/", "<h1 class=\"article-title\">&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>")),
    ("articles/json-breaking.md", Page("articles/json-breaking/", "backslashes")),
    ("articles/rtl-title.md", Page("articles/rtl-title/", "سباق النماذج المفتوحة — מרוץ המודלים")),
    ("articles/cjk-title.md", Page("articles/cjk-title/", "通义千问 2.5 と オープンモデル")),
    ("articles/crlf.md", Page("articles/crlf/", "<h1 class=\"article-title\">Windows line endings</h1>")),
    ("articles/bom.md", Page("articles/bom/", "<h1 class=\"article-title\">Starts with a byte-order mark</h1>")),
    ("articles/latin1.md", Error("content/articles/latin1.md:2:12: not valid UTF-8")),
    ("articles/Récap de la semaine.md", Page("articles/recap-de-la-semaine/", "A file name with spaces and accents")),
    ("articles/feb-30.md", Error("content/articles/feb-30.md:3:7: `date`: `2024-02-30` is not a date")),
    ("articles/year-10000.md", Error("content/articles/year-10000.md:3:7: `date`: `10000-01-01` is not a date")),
    ("articles/not-a-date.md", Error("content/articles/not-a-date.md:3:7: `date`: `yesterday` is not a date")),
    ("articles/rfc3339-date.md", Page("articles/rfc3339-date/", "<time datetime=\"2024-07-01\">1 July 2024</time>")),
    ("articles/uppercase-id.md", Error("content/articles/uppercase-id.md:4:12: `companies`: `Meta` is not an id")),
    ("articles/slash-id.md", Error("content/articles/slash-id.md:4:12: `companies`: `meta/evil` is not an id")),
    ("articles/bad-slug.md", Error("content/articles/bad-slug.md:4:7: `slug` must be lowercase")),
    ("articles/link-out-of-content.md", Error("content/articles/link-out-of-content.md:5:5: link to `../../../etc/passwd.md` goes outside content/")),
    ("articles/at-link-out-of-content.md", Error("content/articles/at-link-out-of-content.md:5:5: link to `@/../site.yaml.md` goes outside content/")),
    ("articles/javascript-url.md", Error("content/articles/javascript-url.md:4:1: `sources[0].url` must be an http:// or https:// URL")),
    ("articles/nul-bytes.md", Page("articles/nul-bytes/", "Null\u{fffd} bytes")),
    ("articles/no-body.md", Page("articles/no-body/", "Front matter only")),
    ("articles/long-title-and-line.md", Page("articles/long-title-and-line/", "Long Long Long")),
    ("companies/smith-and-sons.md", Page("companies/smith-and-sons/", "Smith &amp; Sons 🚀")),
    ("companies/UpperCase.md", Page("companies/uppercase/", "<h1")),
    ("companies/one-letter-alias.md", Warning("content/companies/one-letter-alias.md: `M` is too short")),
    ("companies/bad-website.md", Error("content/companies/bad-website.md:3:10: `website` must be an http:// or https:// URL")),
];

/// Markers of text from the fixtures that must only ever appear escaped.
const UNESCAPED: &[&str] = &[
    "<script>alert",
    "</script><script>",
    "<img src=x",
    "\"><script>",
    "</title><script>",
];

/// Generous: the slowest case (10 MB) takes about 4 s in a debug build.
const TIMEOUT: Duration = Duration::from_secs(60);

struct Built {
    code: Option<i32>,
    stderr: String,
}

/// Runs `briefing build` on `root`, killing it if it outlives TIMEOUT.
fn build(root: &Path, case: &str) -> Built {
    let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["build", "--root"])
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut stderr = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                use std::io::Read;
                let _ = pipe.read_to_string(&mut stderr);
            }
            return Built {
                code: status.code(),
                stderr,
            };
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            panic!("{case}: the build hangs (still running after {TIMEOUT:?})");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A copy of the basic fixture, built once; returns it and its output.
fn built_site() -> (
    tempfile::TempDir,
    std::collections::BTreeMap<String, Vec<u8>>,
) {
    let site = site("basic");
    build_ok(site.path(), &[]);
    let before = file_tree(&site.path().join("public"));
    (site, before)
}

fn check(
    case: &str,
    root: &Path,
    before: &std::collections::BTreeMap<String, Vec<u8>>,
    expect: &Expect,
) {
    let built = build(root, case);
    assert!(
        !built.stderr.contains("panicked"),
        "{case}: panicked\n{}",
        built.stderr
    );
    let public = root.join("public");
    match expect {
        Error(location) => {
            assert_eq!(built.code, Some(1), "{case}: exit status\n{}", built.stderr);
            let errors: Vec<&str> = built
                .stderr
                .lines()
                .filter(|l| l.starts_with("error: "))
                .collect();
            assert_eq!(errors.len(), 1, "{case}: one error line\n{}", built.stderr);
            assert!(
                errors[0].starts_with(&format!("error: {location}")),
                "{case}: expected `error: {location}…`, got\n{}",
                built.stderr
            );
            assert!(
                file_tree(&public) == *before,
                "{case}: the previous output changed"
            );
        }
        Page(page, text) => {
            assert_eq!(built.code, Some(0), "{case}: exit status\n{}", built.stderr);
            let html = read(public.join(page).join("index.html"));
            assert!(html.contains(text), "{case}: {page} lacks {text:?}");
        }
        Warning(location) => {
            assert_eq!(built.code, Some(0), "{case}: exit status\n{}", built.stderr);
            assert!(
                built.stderr.contains(&format!("warning: {location}")),
                "{case}: expected `warning: {location}…`, got\n{}",
                built.stderr
            );
        }
    }
    if built.code == Some(0) {
        for file in files(&public) {
            let bytes = std::fs::read(public.join(&file)).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            for marker in UNESCAPED {
                assert!(
                    !text.contains(marker),
                    "{case}: {file} holds `{marker}` unescaped"
                );
            }
        }
    }
}

#[test]
fn every_fixture_gives_a_page_or_one_clear_error() {
    let fixtures = fixture("hostile");
    let mut seen = 0;
    for (path, expect) in FILES {
        let (site, before) = built_site();
        let target = site.path().join("content").join(path);
        std::fs::copy(fixtures.join(path), &target).unwrap_or_else(|e| panic!("{path}: {e}"));
        check(path, site.path(), &before, expect);
        seen += 1;
    }
    // Every file of the fixture folder has its expectation here.
    let on_disk = files(&fixtures)
        .into_iter()
        .filter(|f| f.ends_with(".md"))
        .count();
    assert_eq!(seen, on_disk, "a fixture without an expectation");
}

/// Cases that cannot live in git: made in the site just before the build.
#[test]
fn links_pipes_unreadable_and_huge_files_are_survived() {
    type Setup = fn(&Path) -> Option<String>;
    let cases: &[(&str, Setup, Expect)] = &[
        (
            "a symbolic link loop",
            |root| {
                std::os::unix::fs::symlink(".", root.join("content/articles/loop")).unwrap();
                None
            },
            Warning("content/articles/loop: symbolic link loop, skipped"),
        ),
        (
            "a dangling symbolic link",
            |root| {
                std::os::unix::fs::symlink(
                    "../nowhere.md",
                    root.join("content/articles/dangling.md"),
                )
                .unwrap();
                None
            },
            Warning("content/articles/dangling.md: cannot be read, skipped"),
        ),
        (
            "a named pipe",
            |root| {
                let pipe = root.join("content/articles/pipe.md");
                let made = Command::new("mkfifo").arg(&pipe).status();
                (!made.is_ok_and(|s| s.success())).then(|| "mkfifo is not available".to_string())
            },
            Warning("content/articles/pipe.md: not a regular file, skipped"),
        ),
        (
            "an unreadable file",
            |root| {
                use std::os::unix::fs::PermissionsExt;
                let file = root.join("content/articles/secret.md");
                std::fs::write(&file, "---\ntitle: \"Secret\"\ndate: 2024-07-01\n---\n").unwrap();
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
                // root reads whatever the permissions say.
                std::fs::read(&file)
                    .is_ok()
                    .then(|| "running as root, which can read any file".to_string())
            },
            Error("content/articles/secret.md: cannot be read"),
        ),
        (
            "a 10 MB article",
            |root| {
                let paragraph =
                    "Meta released a model and OpenAI answered within the week. ".repeat(30);
                let mut text =
                    String::from("---\ntitle: \"Ten megabytes\"\ndate: 2024-07-01\n---\n");
                while text.len() < 10 * 1024 * 1024 {
                    text.push_str(&paragraph);
                    text.push_str("\n\n");
                }
                std::fs::write(root.join("content/articles/huge.md"), text).unwrap();
                None
            },
            Page("articles/huge/", "Ten megabytes"),
        ),
    ];
    for (case, setup, expect) in cases {
        let (site, before) = built_site();
        if let Some(reason) = setup(site.path()) {
            eprintln!("skipped {case}: {reason}");
            continue;
        }
        check(case, site.path(), &before, expect);
    }
}

/// The JSON-LD of pages whose text would break a script element or JSON:
/// nothing in it can close the element (`<`, `>` and `&` are JSON escapes,
/// never HTML entities), and a JSON parser reads every title back exactly.
#[test]
fn structured_data_keeps_hostile_titles_inside_their_script() {
    let site = site("basic");
    let fixtures = fixture("hostile");
    for case in [
        "script-close-title.md",
        "json-breaking.md",
        "script-title.md",
    ] {
        std::fs::copy(
            fixtures.join("articles").join(case),
            site.path().join("content/articles").join(case),
        )
        .unwrap();
    }
    build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let titles = [
        ("script-close-title", "</script><script>alert(1)</script>"),
        (
            "json-breaking",
            "Quotes \" and \\\" backslashes \\\\ \\u0000 and a brace }, ] in a title",
        ),
        (
            "script-title",
            "<script>alert('title')</script> \"quoted\" & 'single' <img src=x onerror=alert(1)>",
        ),
    ];
    for (slug, title) in titles {
        let html = read(public.join("articles").join(slug).join("index.html"));
        let open = "<script type=\"application/ld+json\">";
        let start = html
            .find(open)
            .unwrap_or_else(|| panic!("{slug}: no JSON-LD"))
            + open.len();
        let end = start + html[start..].find("</script>").expect("closed");
        let json = &html[start..end];
        assert!(
            !json.contains(['<', '>']) && !json.contains("&"),
            "{slug}: raw markup characters in the JSON-LD: {json}"
        );
        assert!(
            !json.contains("&lt;") && !json.contains("&quot;"),
            "{slug}: HTML entities: {json}"
        );
        let value: serde_json::Value = serde_json::from_str(json)
            .unwrap_or_else(|e| panic!("{slug}: the JSON-LD does not parse: {e}\n{json}"));
        let article = value["@graph"]
            .as_array()
            .and_then(|nodes| nodes.iter().find(|n| n["@type"] == "NewsArticle"))
            .unwrap_or_else(|| panic!("{slug}: no NewsArticle in {json}"));
        assert_eq!(article["headline"], title, "{slug}");
    }
}
