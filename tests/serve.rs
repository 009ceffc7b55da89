//! `briefing serve`, through real HTTP: pages and their content types, path
//! safety, live-reload events, scoped rebuilds that equal a clean build, the
//! error overlay, and a burst of saves.

mod common;

use std::fs;
use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

use common::*;

const WAIT: u64 = 30;

/// Every page of a fresh `briefing build` of `dir` is served with the same bytes
/// (HTML apart from the live-reload script).
fn assert_served_equals_clean_build(server: &Server, dir: &Path) {
    let out = tempfile::tempdir().unwrap();
    let out_arg = out.path().join("site");
    build_ok(
        dir,
        &[
            "--base-url",
            &server.url,
            "--no-fingerprint",
            "--output",
            &out_arg.to_string_lossy(),
        ],
    );
    let built = files(&out_arg);
    assert!(built.len() > 10);
    // The search index catches up on a thread of its own.
    let entry = fs::read(out_arg.join("pagefind/pagefind-entry.json")).unwrap();
    eventually("the search index is the clean build's", || {
        server.get("/pagefind/pagefind-entry.json").body == entry
    });
    for file in built {
        let expected = fs::read(out_arg.join(&file)).unwrap();
        let url = file.trim_end_matches("index.html");
        let served = server.get(url);
        assert_eq!(served.status, 200, "{url}");
        if file.ends_with(".html") {
            let served = without_live_script(&served.text());
            assert!(
                served == String::from_utf8_lossy(&expected),
                "{url} differs from a clean build:\n--- served\n{served}\n--- built\n{}",
                String::from_utf8_lossy(&expected)
            );
        } else {
            assert!(served.body == expected, "{url} differs from a clean build");
        }
    }
}

/// Waits until the server has been quiet for a moment (no more events).
fn settle(server: &Server) {
    while server.next_event(Duration::from_millis(400)).is_some() {}
}

/// Polls until `check` holds (a page reached its new state), or fails after WAIT.
fn eventually(what: &str, check: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(WAIT);
    while !check() {
        assert!(
            std::time::Instant::now() < deadline,
            "never happened: {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = read(path);
    assert!(text.contains(from), "{} has no `{from}`", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn serves_the_built_site_only_with_the_right_types() {
    let site = site("basic");
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_with_temp(site.path(), &[], temp.path());

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.content_type, "text/html; charset=utf-8");
    assert!(home
        .text()
        .contains("<script src=\"/__briefing/live.js\" defer></script></body>"));
    let css = server.get("/style.css");
    assert_eq!(
        (css.status, css.content_type.as_str()),
        (200, "text/css; charset=utf-8")
    );
    assert!(server
        .get("/favicon.svg")
        .content_type
        .starts_with("image/svg+xml"));
    assert!(server.get("/atom.xml").content_type.contains("xml"));
    assert!(server
        .get("/__briefing/live.js")
        .content_type
        .starts_with("text/javascript"));

    let missing = server.get("/articles/nope/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.text().contains("Page not found"),
        "the site's own 404 page"
    );

    let head = server.request("HEAD", "/articles/llama-3-1/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(server.request("POST", "/").status, 405);
    assert_eq!(
        server.get("/companies").status,
        301,
        "folders redirect to their slash form"
    );

    // Nothing outside the output: raw requests, since clients normalise `..`.
    fs::write(site.path().join("secret.txt"), "secret").unwrap();
    let address = server
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/articles/%2E%2E/%2e%2e/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "//etc/passwd",
        "/etc/passwd",
    ] {
        let mut stream = std::net::TcpStream::connect(&address).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response
            .split_whitespace()
            .nth(1)
            .unwrap_or_default()
            .to_string();
        assert!(status == "400" || status == "404", "{path} gave {status}");
        assert!(
            !response.contains("secret") && !response.contains("root:"),
            "{path} leaked"
        );
    }

    // The slash-adding redirect stays on this host: `//companies` must not
    // send the browser to a host called `companies`.
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    write!(
        stream,
        "GET //companies HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(
        response
            .to_lowercase()
            .contains("location: /companies/\r\n"),
        "{response}"
    );

    // A symbolic link inside the served folder that points out of it is not followed.
    let preview = fs::read_dir(temp.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let served = fs::read_dir(&preview)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::os::unix::fs::symlink(site.path().join("secret.txt"), served.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(site.path(), served.join("outside")).unwrap();
    assert_eq!(server.get("/leak.txt").status, 404);
    assert_eq!(server.get("/outside/secret.txt").status, 404);

    // The build output never carries the live-reload script.
    build_ok(site.path(), &[]);
    for file in files(&site.path().join("public")) {
        let bytes = fs::read(site.path().join("public").join(&file)).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__briefing"),
            "{file}"
        );
    }
}

#[test]
fn scoped_rebuilds_give_what_a_clean_build_gives() {
    let site = site("basic");
    let dir = site.path();
    let articles = dir.join("content/articles");
    let server = Server::start(dir, &[]);

    // An edit to one article reloads that article and what shows it, not everything.
    edit(
        &articles.join("2024-05-13-gpt-4o.md"),
        "Google answered",
        "Meta and Google answered",
    );
    let paths = server.wait_for("reload", WAIT);
    assert!(paths.lines().any(|p| p == "/articles/gpt-4o/"), "{paths}");
    assert!(
        paths.lines().any(|p| p == "/companies/meta/"),
        "newly mentioned: {paths}"
    );
    assert!(!paths.lines().any(|p| p == "*"), "scoped: {paths}");
    eventually("Meta and Google answered", || {
        server
            .get("/articles/gpt-4o/")
            .text()
            .contains("Meta and Google answered")
    });

    edit(
        &articles.join("2024-07-23-llama-3-1.md"),
        "with a 405B-parameter model",
        "and a 405B model",
    );
    server.wait_for("reload", WAIT);
    edit(
        &articles.join("2024-05-13-gpt-4o.md"),
        "date: 2024-05-13",
        "date: 2024-08-01",
    );
    server.wait_for("reload", WAIT);
    fs::write(
        articles.join("2024-09-01-fresh.md"),
        "---\ntitle: \"A fresh one\"\ndate: 2024-09-01\ncompanies: [openai]\ntopics: [open-source]\n---\nIt cites [GPT-4o](@/articles/2024-05-13-gpt-4o.md) and OpenAI.\n",
    )
    .unwrap();
    server.wait_for("reload", WAIT);
    eventually("the new article is served", || {
        server.get("/articles/fresh/").status == 200
    });
    fs::rename(
        articles.join("2024-09-01-fresh.md"),
        articles.join("2024-09-02-renamed.md"),
    )
    .unwrap();
    let paths = server.wait_for("reload", WAIT);
    assert!(
        paths.lines().any(|p| p == "/articles/fresh/"),
        "the old URL is told: {paths}"
    );
    settle(&server);
    eventually("the old URL is gone", || {
        server.get("/articles/fresh/").status == 404
    });
    eventually("the new URL is served", || {
        server.get("/articles/renamed/").status == 200
    });
    edit(
        &articles.join("2024-07-23-llama-3-1.md"),
        "topics: [open-source]",
        "topics: []",
    );
    server.wait_for("reload", WAIT);
    edit(
        &dir.join("content/companies/meta.md"),
        "Owner of Facebook",
        "Parent of Facebook",
    );
    server.wait_for("reload", WAIT);
    edit(
        &articles.join("2024-09-02-renamed.md"),
        "date: 2024-09-01",
        "date: 2024-09-01\ndraft: true",
    );
    server.wait_for("reload", WAIT);
    settle(&server);
    assert_eq!(
        server.get("/articles/renamed/").status,
        404,
        "drafts leave the site"
    );
    let scoped = server
        .log
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.contains("(scoped)"))
        .count();
    assert!(
        scoped >= 8,
        "edits were scoped: {:?}",
        server.log.lock().unwrap()
    );
    assert_served_equals_clean_build(&server, dir);

    // Deleting an article that another links to is an error until the link goes.
    fs::remove_file(articles.join("2024/zuckerberg-letter.md")).unwrap();
    let errors = server.wait_for("errors", WAIT);
    assert!(
        errors.contains("content/articles/2024-07-23-llama-3-1.md:"),
        "{errors}"
    );
    assert!(
        errors.contains("@/articles/2024/zuckerberg-letter.md"),
        "{errors}"
    );
    edit(
        &articles.join("2024-07-23-llama-3-1.md"),
        "See [the letter](@/articles/2024/zuckerberg-letter.md#the-argument)",
        "See the letter",
    );
    server.wait_for("ok", WAIT);
    server.wait_for("reload", WAIT);
    settle(&server);
    assert_eq!(server.get("/articles/zuckerberg-letter/").status, 404);
    assert_served_equals_clean_build(&server, dir);

    // A template change re-renders the pages it lays out: here one.
    fs::create_dir_all(dir.join("templates")).unwrap();
    fs::write(
        dir.join("templates/404.html"),
        "<!DOCTYPE html><title>x</title><p>Gone for good</p>",
    )
    .unwrap();
    assert_eq!(server.wait_for("reload", WAIT), "/404.html");
    settle(&server);
    eventually("the new 404 page", || {
        server.get("/nope/").text().contains("Gone for good")
    });
    assert_served_equals_clean_build(&server, dir);
}

#[test]
fn a_broken_edit_shows_errors_and_keeps_the_last_good_page() {
    let site = site("basic");
    let article = site.path().join("content/articles/2024-05-13-gpt-4o.md");
    let server = Server::start(site.path(), &[]);
    let before = server.get("/articles/gpt-4o/").text();

    fs::write(
        &article,
        "---\ntitle: \"<b>Half-typed\ndate: 2024-05-13\n---\nText\n",
    )
    .unwrap();
    let errors = server.wait_for("errors", WAIT);
    assert!(
        errors.starts_with("error: content/articles/2024-05-13-gpt-4o.md:"),
        "{errors}"
    );
    assert_eq!(
        server.get("/articles/gpt-4o/").text(),
        before,
        "the last good page stays"
    );

    fs::write(
        &article,
        "---\ntitle: \"Fixed title\"\ndate: 2024-05-13\ncompanies: [openai]\n---\nText\n",
    )
    .unwrap();
    server.wait_for("ok", WAIT);
    server.wait_for("reload", WAIT);
    settle(&server);
    eventually("Fixed title", || {
        server
            .get("/articles/gpt-4o/")
            .text()
            .contains("Fixed title")
    });
    assert_served_equals_clean_build(&server, site.path());
}

#[test]
fn errors_at_start_are_served_as_an_overlay_not_a_crash() {
    let site = site("basic");
    fs::write(
        site.path().join("content/articles/broken.md"),
        "---\ntitle: x\n",
    )
    .unwrap();
    let server = Server::start(site.path(), &[]);
    // A page that connects now is greeted with the errors.
    let (event, data) = &server.first_event;
    assert_eq!(event, "errors");
    assert!(
        data.starts_with("error: content/articles/broken.md:1:1: front matter is never closed"),
        "{data}"
    );
    assert_eq!(server.get("/").status, 404, "nothing built yet");
    fs::remove_file(site.path().join("content/articles/broken.md")).unwrap();
    server.wait_for("ok", WAIT);
    server.wait_for("reload", WAIT);
    settle(&server);
    eventually("the home page", || server.get("/").status == 200);
}

#[test]
fn a_stylesheet_change_swaps_css_without_a_reload() {
    let site = site("basic");
    fs::create_dir_all(site.path().join("static")).unwrap();
    let server = Server::start(site.path(), &[]);
    fs::write(site.path().join("static/style.css"), "body { color: red }").unwrap();
    assert_eq!(server.wait_for("css", WAIT), "*");
    eventually("the new stylesheet", || {
        server.get("/style.css").text() == "body { color: red }"
    });
}

#[test]
fn survives_two_hundred_rapid_saves() {
    let site = site("basic");
    let article = site.path().join("content/articles/2024-05-13-gpt-4o.md");
    let original = read(&article);
    let server = Server::start(site.path(), &[]);
    for i in 0..200 {
        // Every other save is half-typed front matter.
        let text = if i % 2 == 0 {
            original.replace("OpenAI launches GPT-4o", &format!("Save number {i}"))
        } else {
            original.replacen("---\n", "---\ntitle: \"unclosed\n", 1)
        };
        fs::write(&article, text).unwrap();
        std::thread::sleep(Duration::from_millis(2));
    }
    fs::write(
        &article,
        original.replace("OpenAI launches GPT-4o", "The last save"),
    )
    .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(WAIT);
    while !server
        .get("/articles/gpt-4o/")
        .text()
        .contains("The last save")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the last save never showed"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    settle(&server);
    assert_served_equals_clean_build(&server, site.path());
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let site = site("basic");
    let output = briefing(site.path(), &["serve", "--port", &port]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains(&format!("port {port} on 127.0.0.1 is already in use")));
}

#[test]
fn ctrl_c_stops_it_cleanly() {
    let site = site("basic");
    let temp = tempfile::tempdir().unwrap();
    let mut server = Server::start_with_temp(site.path(), &[], temp.path());
    assert_eq!(server.get("/").status, 200);
    assert_eq!(
        fs::read_dir(temp.path()).unwrap().count(),
        1,
        "the preview is built in TMPDIR"
    );
    assert_eq!(server.interrupt(), Some(0), "exit status after Ctrl-C");
    assert_eq!(
        fs::read_dir(temp.path()).unwrap().count(),
        0,
        "the preview folder is removed"
    );
}

#[test]
fn editor_saves_are_followed_and_their_droppings_ignored() {
    let site = site("basic");
    let articles = site.path().join("content/articles");
    let article = articles.join("2024-05-13-gpt-4o.md");
    let server = Server::start(site.path(), &[]);
    server.wait_for("search", WAIT);

    // Swap files, probes, backups and lock files alone start nothing.
    fs::write(articles.join(".2024-05-13-gpt-4o.md.swp"), "swap").unwrap();
    fs::write(articles.join("4913"), "").unwrap();
    fs::write(articles.join("2024-05-13-gpt-4o.md~"), "backup").unwrap();
    fs::write(articles.join(".#2024-05-13-gpt-4o.md"), "lock").unwrap();
    assert_eq!(
        server.next_event(Duration::from_millis(700)),
        None,
        "no build for editor droppings"
    );

    // vim: back up by renaming, write the file anew, delete the backup.
    let text = read(&article);
    fs::rename(&article, articles.join("2024-05-13-gpt-4o.md~")).unwrap();
    fs::write(
        &article,
        text.replace("OpenAI launches GPT-4o", "Saved the vim way"),
    )
    .unwrap();
    fs::remove_file(articles.join("2024-05-13-gpt-4o.md~")).unwrap();
    server.wait_for("reload", WAIT);
    settle(&server);
    eventually("Saved the vim way", || {
        server
            .get("/articles/gpt-4o/")
            .text()
            .contains("Saved the vim way")
    });

    // Many editors: write a temporary file, rename it over the original.
    let text = read(&article);
    let temporary = articles.join(".2024-05-13-gpt-4o.md.tmp");
    fs::write(
        &temporary,
        text.replace("Saved the vim way", "Saved by renaming"),
    )
    .unwrap();
    fs::rename(&temporary, &article).unwrap();
    server.wait_for("reload", WAIT);
    settle(&server);
    eventually("Saved by renaming", || {
        server
            .get("/articles/gpt-4o/")
            .text()
            .contains("Saved by renaming")
    });
    assert_served_equals_clean_build(&server, site.path());
}

#[test]
fn polling_sees_changes_too() {
    let site = site("basic");
    let server = Server::start(site.path(), &["--poll"]);
    assert!(server
        .log
        .lock()
        .unwrap()
        .iter()
        .any(|l| l.contains("polling")));
    let article = site.path().join("content/articles/2024-05-13-gpt-4o.md");
    edit(&article, "OpenAI launches GPT-4o", "Seen by polling");
    server.wait_for("reload", WAIT);
    settle(&server);
    eventually("Seen by polling", || {
        server
            .get("/articles/gpt-4o/")
            .text()
            .contains("Seen by polling")
    });
}

#[test]
fn the_search_index_follows_the_articles() {
    let site = site("basic");
    let server = Server::start(site.path(), &[]);
    assert_eq!(
        server.wait_for("search", WAIT),
        "/search/",
        "the first index"
    );
    let indexed = |server: &Server| {
        let entry = server.get("/pagefind/pagefind-entry.json");
        assert_eq!(entry.status, 200);
        let entry: serde_json::Value = serde_json::from_slice(&entry.body).unwrap();
        entry["languages"]["en"]["page_count"].as_u64().unwrap()
    };
    let before = indexed(&server);
    assert_eq!(server.get("/pagefind/pagefind-ui.js").status, 200);
    assert_eq!(server.get("/search/").status, 200);

    // A new article: its page first, the index a moment later.
    fs::write(
        site.path().join("content/articles/2024-09-01-fresh.md"),
        "---\ntitle: \"A fresh one\"\ndate: 2024-09-01\ncompanies: [openai]\n---\nAbout zyzzyva.\n",
    )
    .unwrap();
    server.wait_for("reload", WAIT);
    assert_eq!(server.wait_for("search", WAIT), "/search/");
    assert_eq!(indexed(&server), before + 1);

    // A full rebuild (site.yaml changed) keeps search working throughout
    // and ends with the index of a clean build.
    let config = site.path().join("site.yaml");
    let settings = fs::read_to_string(&config).unwrap();
    fs::write(&config, format!("{settings}\n# touched\n")).unwrap();
    server.wait_for("reload", WAIT);
    assert_eq!(indexed(&server), before + 1, "the old index, still served");
    server.wait_for("search", WAIT);
    settle(&server);
    assert_served_equals_clean_build(&server, site.path());
}
