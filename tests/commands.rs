//! `briefing new` and `briefing init`: what a writer runs first.

mod common;

use std::fs;

use common::*;

#[test]
fn new_writes_a_dated_article_with_valid_front_matter_and_never_overwrites() {
    let site = site("basic");
    let args = [
        "new",
        "OpenAI ships GPT-4o mini",
        "--companies",
        "openai,meta",
        "--topics",
        "open-source",
    ];
    let output = briefing(site.path(), &args);
    assert!(output.status.success(), "{}", stderr(&output));
    let written = stdout(&output);
    let path = written
        .trim()
        .strip_prefix("wrote ")
        .expect("prints the path")
        .to_string();
    assert!(path.starts_with("content/articles/"), "{path}");
    assert!(path.ends_with("-openai-ships-gpt-4o-mini.md"), "{path}");
    let text = read(site.path().join(&path));
    assert!(text.contains("title: OpenAI ships GPT-4o mini"), "{text}");
    assert!(text.contains("- openai") && text.contains("- meta") && text.contains("- open-source"));

    // The new file is a draft that builds with --drafts and links to its companies.
    build_ok(site.path(), &["--drafts", "--strict"]);
    let page = read(
        site.path()
            .join("public/articles/openai-ships-gpt-4o-mini/index.html"),
    );
    assert!(page.contains("href=\"/companies/openai/\""));

    let again = briefing(site.path(), &args);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already exists; not overwritten"));
    assert_eq!(read(site.path().join(&path)), text);
}

#[test]
fn new_warns_about_ids_without_a_profile() {
    let site = site("basic");
    let output = briefing(site.path(), &["new", "A title", "--companies", "nobody"]);
    assert!(output.status.success());
    assert!(
        stderr(&output).contains("warning: content/companies/nobody.md: no profile for `nobody`")
    );
}

#[test]
fn init_makes_a_site_that_builds_with_built_in_templates() {
    let dir = tempfile::tempdir().unwrap();
    let output = briefing(dir.path(), &["init", "mysite"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let site = dir.path().join("mysite");
    // What a build makes stays out of git: the output and the image cache.
    let ignored = read(site.join(".gitignore"));
    for line in ["/public/", "/.briefing/"] {
        assert!(ignored.lines().any(|l| l == line), "{line} in {ignored}");
    }
    assert!(
        !site.join("templates/base.html").exists(),
        "uses embedded templates"
    );
    let build = build_ok(&site, &["--strict"]);
    assert!(stderr(&build).is_empty(), "{}", stderr(&build));
    let public = site.join("public");
    assert!(public.join("articles/welcome/index.html").is_file());
    assert!(public.join("companies/example-labs/index.html").is_file());
    let home = read(public.join("index.html"));
    let stylesheet = attribute_values(&home, "href")
        .into_iter()
        .find(|h| h.ends_with(".css"))
        .expect("a stylesheet link");
    assert!(
        stylesheet.starts_with("/style.") && stylesheet != "/style.css",
        "{stylesheet}"
    );
    assert_eq!(broken_links(&public, "/"), Vec::<String>::new());

    // A second init into the same non-empty folder is refused.
    let again = briefing(dir.path(), &["init", "mysite"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(fs::read_dir(&site).unwrap().count() > 0);
}
