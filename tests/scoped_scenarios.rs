//! Edge cases of scoped rebuilds, found in review: each applies edits
//! through the `Session` that `briefing serve` uses, then requires what a
//! clean build gives — the same files, or, when a clean build fails, errors.
mod common;

use std::fs;
use std::path::PathBuf;

use briefing::pipeline::{self as build, BuildOptions, Quiet};
use briefing::serve::session::{Changes, Outcome, Session};

/// Ok(()) when same; Err(description) otherwise.
/// Compares what `session` serves (its folder and the social cards it draws
/// on request) with a clean build of `options`.
fn compare(session: &Session, options: &BuildOptions) -> Result<(), String> {
    let out = tempfile::tempdir().unwrap();
    let clean = BuildOptions {
        output: out.path().join("site"),
        ..options.clone()
    };
    if let Err(e) = build::build(&clean, &Quiet) {
        return Err(format!(
            "clean build FAILED: {:?}",
            e.0.iter().map(|d| d.to_string()).collect::<Vec<_>>()
        ));
    }
    let expected = common::file_tree(&clean.output);
    let actual = common::served_tree(session);
    let ek: Vec<&String> = expected.keys().collect();
    let ak: Vec<&String> = actual.keys().collect();
    if ek != ak {
        let missing: Vec<_> = ek.iter().filter(|k| !actual.contains_key(**k)).collect();
        let extra: Vec<_> = ak.iter().filter(|k| !expected.contains_key(**k)).collect();
        return Err(format!(
            "different files: missing {missing:?} extra {extra:?}"
        ));
    }
    let mut diffs = Vec::new();
    for (file, bytes) in &expected {
        if actual[file] != *bytes {
            diffs.push(file.clone());
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        let f = &diffs[0];
        let a = String::from_utf8_lossy(&actual[f]).to_string();
        let e = String::from_utf8_lossy(&expected[f]).to_string();
        // first differing line
        let line = a
            .lines()
            .zip(e.lines())
            .find(|(x, y)| x != y)
            .map(|(x, y)| format!("served: {x}\n   clean: {y}"));
        Err(format!(
            "files differ: {diffs:?}\n   first diff in {f}:\n   {}",
            line.unwrap_or_default()
        ))
    }
}

struct Sim {
    _site: tempfile::TempDir,
    _ws: tempfile::TempDir,
    root: PathBuf,
    options: BuildOptions,
    session: Session,
    /// Whether the last batch was applied in scope (not a full rebuild).
    scoped: bool,
}

impl Sim {
    fn new(files: &[(&str, &str)]) -> Sim {
        let site = tempfile::tempdir().unwrap();
        let root = site.path().to_path_buf();
        fs::write(root.join("site.yaml"), "title: Review\nper_page: 3\n").unwrap();
        for (p, t) in files {
            let full = root.join(p);
            fs::create_dir_all(full.parent().unwrap()).unwrap();
            fs::write(full, t).unwrap();
        }
        let ws = tempfile::tempdir().unwrap();
        let options = BuildOptions {
            base_url: Some("http://127.0.0.1:1111/".into()),
            fingerprint: false,
            ..BuildOptions::new(&root)
        };
        let (session, first) = Session::start(options.clone(), ws.path().to_path_buf());
        assert_eq!(
            first.outcome,
            Outcome::Reload(None),
            "start: {:?}",
            first.errors
        );
        common::catch_up_search(&session, &first);
        compare(&session, &options).expect("initial equal");
        Sim {
            _site: site,
            _ws: ws,
            root,
            options,
            session,
            scoped: false,
        }
    }
    fn write(&self, p: &str, t: &str) -> PathBuf {
        let full = self.root.join(p);
        fs::create_dir_all(full.parent().unwrap()).unwrap();
        fs::write(&full, t).unwrap();
        full
    }
    fn remove(&self, p: &str) -> PathBuf {
        let full = self.root.join(p);
        fs::remove_file(&full).unwrap();
        full
    }
    /// Applies a batch; the served folder must equal a clean build, or,
    /// when a clean build fails, the session must report errors. Returns
    /// how many pages the session rendered.
    fn apply_changes(&mut self, what: &str, changes: Changes) -> usize {
        let report = self.session.apply(&changes);
        self.scoped = report.scoped;
        self.session.clean_up();
        common::catch_up_search(&self.session, &report);
        match compare(&self.session, &self.options) {
            Ok(()) => assert!(
                report.errors.is_empty(),
                "{what}: errors {:?}",
                report.errors
            ),
            Err(e) if e.starts_with("clean build FAILED") => {
                assert!(
                    !report.errors.is_empty(),
                    "{what}: serve saw no error, but {e}"
                )
            }
            Err(e) => panic!("{what}: {e}"),
        }
        report.pages
    }

    fn apply(&mut self, what: &str, paths: &[PathBuf]) -> usize {
        let changes = Changes {
            content: paths.iter().cloned().collect(),
            ..Changes::default()
        };
        self.apply_changes(what, changes)
    }

    /// Applies paths as the watcher classifies them (a bundle's file
    /// stands for its page, `static/` files are statics).
    fn apply_watched(&mut self, what: &str, paths: &[PathBuf]) -> usize {
        let changes = watched(self, paths);
        self.apply_changes(what, changes)
    }

    fn apply_static(&mut self, what: &str, paths: &[PathBuf]) -> usize {
        let changes = Changes {
            static_files: paths.iter().cloned().collect(),
            ..Changes::default()
        };
        self.apply_changes(what, changes)
    }
}

fn art(title: &str, date: &str, companies: &str, extra: &str, body: &str) -> String {
    format!("---\ntitle: \"{title}\"\ndate: {date}\ncompanies: [{companies}]\n{extra}---\n{body}\n")
}

const META: &str = "---\nname: \"Meta\"\n---\nProfile of Meta.\n";
const OPENAI: &str = "---\nname: \"OpenAI\"\n---\nProfile.\n";
const LONELY: &str = "---\nname: \"Lonely Corp\"\n---\nNobody writes about us.\n";

fn base() -> Vec<(&'static str, String)> {
    vec![
        ("content/companies/meta.md", META.to_string()),
        ("content/companies/openai.md", OPENAI.to_string()),
        (
            "content/articles/a.md",
            art("A", "2024-01-01", "meta", "", "Text a."),
        ),
        (
            "content/articles/b.md",
            art("B", "2024-01-02", "openai", "", "Text b."),
        ),
        (
            "content/articles/c.md",
            art("C", "2024-01-03", "meta", "", "Text c."),
        ),
    ]
}

fn sim(extra: &[(&'static str, String)]) -> Sim {
    let mut files = base();
    files.extend(extra.iter().cloned());
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    Sim::new(&refs)
}

#[test]
fn feeds_without_entries_follow_the_newest_change() {
    let mut s = sim(&[("content/companies/lonely.md", LONELY.to_string())]);
    let p = s.write(
        "content/articles/c.md",
        &art("C", "2024-05-03", "meta", "", "Text c."),
    );
    s.apply("a newer date", &[p]);
    let p = s.write(
        "content/articles/a.md",
        &art(
            "A",
            "2024-01-01",
            "meta",
            "updated: 2024-09-09\n",
            "Text a.",
        ),
    );
    s.apply("`updated:` added", &[p]);
    let p = s.remove("content/articles/c.md");
    s.apply("a newest article deleted", &[p]);
}

#[test]
fn profiles_that_link_to_articles_follow_them() {
    let linking = "---\nname: \"OpenAI\"\n---\nSee [the A story](@/articles/a.md).\n".to_string();
    let mut s = sim(&[("content/companies/openai.md", linking.clone())]);
    let p = s.write(
        "content/articles/a.md",
        &art("A", "2024-01-01", "meta", "slug: a-new\n", "Text a."),
    );
    s.apply("the linked article's slug changed", &[p]);
    let mut s = sim(&[("content/companies/openai.md", linking)]);
    let p = s.remove("content/articles/a.md");
    s.apply("the linked article deleted", &[p]);
    let relative = "---\nname: \"OpenAI\"\n---\nSee [A](../articles/a.md).\n".to_string();
    let mut s = sim(&[("content/companies/openai.md", relative)]);
    let p = s.write(
        "content/articles/a.md",
        &art("A", "2024-01-01", "meta", "draft: true\n", "Text a."),
    );
    s.apply("the linked article became a draft", &[p]);
}

#[test]
fn a_profile_may_link_to_an_article_of_the_same_batch() {
    let mut s = sim(&[]);
    let p1 = s.write(
        "content/articles/d.md",
        &art("D", "2024-01-04", "meta", "", "Text d."),
    );
    let p2 = s.write(
        "content/companies/openai.md",
        "---\nname: \"OpenAI\"\n---\nSee [D](@/articles/d.md).\n",
    );
    s.apply("new article and a profile linking to it", &[p1, p2]);
}

#[test]
fn drafts_and_embargoed_articles_keep_their_slugs() {
    let mut s = sim(&[]);
    let p = s.write(
        "content/articles/a2.md",
        &art(
            "A draft",
            "2024-01-05",
            "meta",
            "slug: a\ndraft: true\n",
            "Draft.",
        ),
    );
    s.apply("a draft reusing a published slug", &[p]);
    let mut s = sim(&[(
        "content/articles/zdraft.md",
        art(
            "Z",
            "2024-01-05",
            "meta",
            "slug: zzz\ndraft: true\n",
            "Draft.",
        ),
    )]);
    let p = s.write(
        "content/articles/a.md",
        &art("A", "2024-01-01", "meta", "slug: zzz\n", "Text a."),
    );
    s.apply("a published slug changed to a draft's", &[p]);
    let mut s = sim(&[]);
    let p = s.write(
        "content/articles/f.md",
        &art("F", "2999-01-05", "meta", "slug: a\n", "Future."),
    );
    s.apply("an embargoed article reusing a published slug", &[p]);
}

#[test]
fn links_follow_renames_that_keep_the_slug() {
    let mut s = sim(&[(
        "content/articles/b.md",
        art("B", "2024-01-02", "openai", "", "See [a](@/articles/a.md)."),
    )]);
    let old = s.remove("content/articles/a.md");
    let new = s.write(
        "content/articles/x.md",
        &art("A", "2024-01-01", "meta", "slug: a\n", "Text a."),
    );
    s.apply("a rename keeping the slug", &[old, new]);
    let p = s.write(
        "content/articles/a.md",
        &art("Other", "2024-01-06", "meta", "slug: other\n", "Other."),
    );
    s.apply("a new file at the old path", &[p]);
}

#[test]
fn static_files_never_replace_pages_or_leave_stale_ones() {
    let mut s = sim(&[("static/img/a.png", "x".to_string())]);
    let p = s.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    s.apply_static("static/robots.txt where a page is", &[p]);
    let gone = s.root.join("static/img");
    fs::rename(&gone, s.root.join("img-moved")).unwrap();
    let mut changes = Changes::default();
    briefing::serve::watch::classify_path(&s.root, &gone, &mut changes);
    s.apply_changes("a static folder moved out", changes);
    let p = s.write("static/app.js", "console.log(1)");
    s.apply_static("a new asset", &[p]);
}

#[test]
fn a_content_folder_with_a_dot_can_go() {
    let mut s = sim(&[(
        "content/articles/v2.0/d.md",
        art("D", "2024-01-04", "meta", "", "Text d."),
    )]);
    let gone = s.root.join("content/articles/v2.0");
    fs::rename(&gone, s.root.join("moved-away")).unwrap();
    let mut changes = Changes::default();
    briefing::serve::watch::classify_path(&s.root, &gone, &mut changes);
    assert!(changes.everything, "{changes:?}");
    s.apply_changes("content/articles/v2.0 moved out", changes);
}

#[test]
fn a_profile_id_taken_twice_is_an_error() {
    let mut s = sim(&[]);
    let p = s.write("content/companies/Meta.md", META);
    s.apply("companies/Meta.md beside meta.md", &[p]);
}

#[test]
fn an_embargo_that_ends_brings_the_article_in() {
    let due = time::OffsetDateTime::now_utc() + time::Duration::seconds(2);
    let due = due
        .replace_nanosecond(0)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let mut s = sim(&[(
        "content/articles/soon.md",
        art("Soon", &due, "meta", "", "Scheduled."),
    )]);
    std::thread::sleep(std::time::Duration::from_secs(3));
    let report = s.session.tick().expect("a rebuild once the embargo ends");
    assert!(report.errors.is_empty());
    s.session.clean_up();
    common::catch_up_search(&s.session, &report);
    compare(&s.session, &s.options).expect("the scheduled article is in");
    let p = s.write(
        "content/articles/b.md",
        &art("B2", "2024-01-02", "openai", "", "Text b."),
    );
    s.apply("an edit after that", &[p]);
}

#[test]
fn errors_stay_shown_until_fixed() {
    let mut s = sim(&[("static/style.css", "body{}".to_string())]);
    let broken = s.write("content/articles/a.md", "---\ntitle: [unclosed\n---\n");
    let report = s.session.apply(&Changes {
        content: [broken.clone()].into(),
        ..Changes::default()
    });
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    let css = s.write("static/style.css", "body{color:red}");
    let report = s.session.apply(&Changes {
        static_files: [css].into(),
        ..Changes::default()
    });
    assert_eq!(
        report.errors.len(),
        1,
        "a stylesheet save does not hide them: {:?}",
        report.errors
    );
    let p = s.write(
        "content/articles/b.md",
        "---\ntitle: \"B\"\ndate: 2024-01-02\n---\nSee [x](@/articles/nope.md).\n",
    );
    let report = s.session.apply(&Changes {
        content: [p].into(),
        ..Changes::default()
    });
    let text: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
    assert!(
        text.iter().any(|e| e.contains("a.md")) && text.iter().any(|e| e.contains("nope.md")),
        "{text:?}"
    );
    let _ = broken;
}

#[test]
fn cards_follow_summaries_and_authors_but_not_text_further_down() {
    let mut s = sim(&[]);
    let b = |body: &str| art("B", "2024-01-02", "openai", "", body);
    // Text after the first paragraph: the cards on entity pages, the
    // neighbours and the home page stay as they are; feeds carry the text.
    let p = s.write(
        "content/articles/b.md",
        &b("Text b.\n\nA second paragraph."),
    );
    let deep = s.apply("a second paragraph", &[p]);
    // The first paragraph is the summary every card shows.
    let p = s.write(
        "content/articles/b.md",
        &b("New text b.\n\nA second paragraph."),
    );
    let summary = s.apply("a new first paragraph", &[p]);
    // The article, the site feed and its company's feed; not the company
    // page, the neighbours or the home page.
    assert_eq!(deep, 3, "pages rendered for text further down");
    assert!(summary > deep, "{summary} pages for a new summary");
    let p = s.write(
        "content/articles/a.md",
        &art(
            "A",
            "2024-01-01",
            "meta",
            "summary: \"Set by hand.\"\n",
            "Text a.",
        ),
    );
    s.apply("a summary in front matter", &[p]);
    let p = s.write(
        "content/articles/c.md",
        &art(
            "C",
            "2024-01-03",
            "meta",
            "author: \"Jane Analyst\"\n",
            "Text c.",
        ),
    );
    s.apply("an author", &[p]);
}

#[test]
fn a_date_that_keeps_its_instant_but_not_its_offset_moves_the_day() {
    let mut s = sim(&[]);
    let b = |date: &str| art("B", date, "openai", "", "Text b.");
    let p = s.write("content/articles/b.md", &b("2024-01-02T01:30:00Z"));
    s.apply("a time in UTC", &[p]);
    // The same instant, written in another offset: the page shows 1 January.
    let p = s.write("content/articles/b.md", &b("2024-01-01T20:30:00-05:00"));
    s.apply("the same instant in another offset", &[p]);
    let updated = |stamp: &str| {
        let extra = format!("updated: {stamp}\n");
        art(
            "B",
            "2024-01-01T20:30:00-05:00",
            "openai",
            &extra,
            "Text b.",
        )
    };
    let p = s.write("content/articles/b.md", &updated("2024-03-01T01:00:00Z"));
    s.apply("an updated stamp", &[p]);
    let p = s.write(
        "content/articles/b.md",
        &updated("2024-02-29T20:00:00-05:00"),
    );
    s.apply("the same updated instant in another offset", &[p]);
}

#[test]
fn bundle_files_follow_saves_and_a_missing_one_is_an_error_until_it_is_back() {
    let mut s = sim(&[
        (
            "content/articles/2024-02-01-d/index.md",
            art("D", "2024-02-01", "meta", "", "See [the data](data.csv)."),
        ),
        (
            "content/articles/2024-02-01-d/data.csv",
            "a,b\n".to_string(),
        ),
    ]);
    assert!(s
        .session
        .current_dir()
        .join("articles/d/data.csv")
        .is_file());
    let p = s.write("content/articles/2024-02-01-d/data.csv", "a,b\n1,2\n");
    s.apply_watched("a bundle file rewritten", &[p]);
    let p = s.write("content/articles/2024-02-01-d/more/notes.txt", "new");
    s.apply_watched("a bundle file added in a subfolder", &[p]);
    let p = s.remove("content/articles/2024-02-01-d/data.csv");
    s.apply_watched("the linked bundle file removed", &[p]);
    let p = s.write("content/articles/2024-02-01-d/data.csv", "back\n");
    s.apply_watched("the linked bundle file is back", &[p]);
    let p = s.remove("content/articles/2024-02-01-d/more/notes.txt");
    s.apply_watched("an unlinked bundle file removed", &[p]);
    let p = s.write(
        "content/articles/2024-02-01-d/index.md",
        &art(
            "D",
            "2024-02-01",
            "meta",
            "slug: d-new\n",
            "See [the data](data.csv).",
        ),
    );
    s.apply_watched("the bundle's slug changed", &[p]);
    assert!(s
        .session
        .current_dir()
        .join("articles/d-new/data.csv")
        .is_file());
    assert!(!s.session.current_dir().join("articles/d").exists());
}

#[test]
fn a_lead_image_under_static_follows_its_file() {
    let mut s = sim(&[
        (
            "static/img/lead.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_string(),
        ),
        (
            "content/articles/e.md",
            art(
                "E",
                "2024-02-02",
                "meta",
                "image: /img/lead.svg\nimage_alt: \"A lead\"\n",
                "Text e.",
            ),
        ),
    ]);
    let p = s.write(
        "static/img/lead.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\"/>",
    );
    s.apply_watched("the lead image changed", &[p]);
    let p = s.remove("static/img/lead.svg");
    s.apply_watched("the lead image removed", &[p]);
}

#[test]
fn headings_and_code_follow_a_save() {
    let mut s = sim(&[]);
    let b = |body: &str| art("B", "2024-01-02", "openai", "", body);
    // Three headings: the page gains its "On this page" list.
    let p = s.write(
        "content/articles/b.md",
        &b("Text b.\n\n## One\n\n## Two\n\n## Three\n\n```rust\nlet x = 1;\n```"),
    );
    let pages = s.apply("three headings and code", &[p]);
    assert_eq!(pages, 3, "the article and the feeds that carry its text");
    let page = fs::read_to_string(s.session.current_dir().join("articles/b/index.html")).unwrap();
    assert!(
        page.contains("class=\"toc\"") && page.contains("hl-"),
        "{page}"
    );
    // A heading renamed, then an explicit id that takes another's place.
    let p = s.write(
        "content/articles/b.md",
        &b("Text b.\n\n## One\n\n## Deux\n\n## Three {#one}"),
    );
    s.apply("a renamed heading and an explicit id", &[p]);
    // Down to two: the list goes.
    let p = s.write("content/articles/b.md", &b("Text b.\n\n## One\n\n## Two"));
    s.apply("two headings", &[p]);
    let page = fs::read_to_string(s.session.current_dir().join("articles/b/index.html")).unwrap();
    assert!(!page.contains("class=\"toc\""));
}

#[test]
fn entity_pages_come_and_go_as_the_list_crosses_per_page() {
    // Three to a page; Meta has two articles.
    let mut s = sim(&[]);
    let page2 = |s: &Sim| {
        s.session
            .current_dir()
            .join("companies/meta/page/2/index.html")
            .is_file()
    };
    let d = s.write(
        "content/articles/d.md",
        &art("D", "2024-01-04", "meta", "", "Text d."),
    );
    s.apply("a third article", &[d]);
    assert!(!page2(&s));
    let e = s.write(
        "content/articles/e.md",
        &art("E", "2023-12-31", "meta", "", "Text e."),
    );
    s.apply("a fourth, the oldest", &[e]);
    assert!(s.scoped && page2(&s), "page 2 is written in scope");
    let e = s.write(
        "content/articles/e.md",
        &art("E", "2024-02-01", "meta", "", "Text e."),
    );
    s.apply("the fourth becomes the newest", &[e]);
    let e = s.remove("content/articles/e.md");
    s.apply("back to three", &[e]);
    assert!(s.scoped && !page2(&s), "page 2 is removed in scope");
}

#[test]
fn authors_without_profiles_stay_in_scope_while_their_page_and_name_stay() {
    let by = |name: &str| format!("author: \"{name}\"\n");
    let mut s = sim(&[]);
    let a = s.write(
        "content/articles/a.md",
        &art("A", "2024-01-01", "meta", &by("Jane Analyst"), "Text a."),
    );
    s.apply("a new author", &[a]);
    assert!(!s.scoped, "a new author page takes a rebuild");
    let c = s.write(
        "content/articles/c.md",
        &art(
            "C",
            "2024-01-03",
            "meta",
            "author: [\"Jane Analyst\", \"Sam\"]\n",
            "Text c.",
        ),
    );
    s.apply("an author and a new one", &[c]);
    let c = s.write(
        "content/articles/c.md",
        &art("C", "2024-01-03", "meta", &by("Jane Analyst"), "Text c."),
    );
    s.apply("Sam's page goes", &[c]);
    assert!(!s.scoped);
    let b = s.write(
        "content/articles/b.md",
        &art("B", "2024-01-02", "openai", &by("Jane Analyst"), "Text b."),
    );
    s.apply("Jane writes one more", &[b]);
    assert!(s.scoped, "an author who has a page already");
    let b = s.write(
        "content/articles/b.md",
        &art("B", "2024-01-02", "openai", &by("jane analyst"), "Text b."),
    );
    s.apply("one spelling more", &[b]);
    assert!(s.scoped, "the name stays the first in order");
    let a = s.write(
        "content/articles/a.md",
        &art("A", "2024-01-01", "meta", "", "Text a."),
    );
    let c = s.write(
        "content/articles/c.md",
        &art("C", "2024-01-03", "meta", "", "Text c."),
    );
    s.apply("the other spelling is left", &[a, c]);
    assert!(!s.scoped, "the page's name changes");
    let p = s.write(
        "content/authors/jane-analyst.md",
        "---\nname: \"Jane A. Analyst\"\nsummary: \"Writes.\"\nimage: \"https://images.example.org/jane.png\"\n---\nBio.\n",
    );
    s.apply("a profile", &[p]);
    let p = s.write(
        "content/authors/jane-analyst.md",
        "---\nname: \"Jane A. Analyst\"\nsummary: \"Writes more.\"\n---\nBio.\n",
    );
    s.apply("the profile's summary", &[p]);
    assert!(s.scoped);
    let p = s.remove("content/authors/jane-analyst.md");
    s.apply("no profile", &[p]);
}

/// The built-in template `name`, as the binary ships it.
fn builtin(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    fs::read_to_string(path.join(name)).unwrap()
}

#[test]
fn template_edits_render_again_the_pages_they_lay_out() {
    let mut s = sim(&[]);
    let folder = s.root.join("templates");
    let p = s.write(
        "templates/404.html",
        &builtin("404.html").replace("Error 404", "Lost"),
    );
    let pages = s.apply_watched(
        "a new templates/ folder with 404.html",
        &[folder.clone(), p],
    );
    assert!(s.scoped, "a template edit is applied in scope");
    assert_eq!(pages, 1, "only the 404 page uses 404.html");

    let every = {
        let p = s.write(
            "templates/base.html",
            &builtin("base.html").replace("</body>", "<!-- base one --></body>"),
        );
        s.apply_watched("base.html", &[p])
    };
    assert!(s.scoped);
    let p = s.write(
        "templates/card.html",
        &builtin("card.html").replace("{{ <article_card", "<!-- card -->{{ <article_card"),
    );
    let lists = s.apply_watched("card.html, which lists lay out cards with", &[p]);
    assert!(
        0 < lists && lists < every,
        "{lists} of {every}: the lists, not every page"
    );
    let p = s.write(
        "templates/components.html",
        &builtin("components.html").replace(
            "{% component feed_icon() -%}",
            "{% component feed_icon() -%}<!-- icon -->",
        ),
    );
    s.apply_watched("a component", &[p]);
    let p = s.write(
        "templates/article.html",
        &builtin("article.html").replace("{% block main %}", "{% block main %}<!-- a -->"),
    );
    let articles = s.apply_watched("article.html", &[p]);
    assert!(articles >= 3 && articles < every, "{articles} of {every}");

    // A partial that base.html includes reaches every page through it.
    s.write("templates/partial.html", "<!-- partial one -->");
    let p = s.write(
        "templates/base.html",
        &builtin("base.html").replace("</body>", "{% include \"partial.html\" %}</body>"),
    );
    s.apply_watched("base.html includes a partial", &[p]);
    let p = s.write("templates/partial.html", "<!-- partial two -->");
    assert_eq!(s.apply_watched("the partial", &[p]), every);

    // With content in the same batch.
    let a = s.write(
        "content/articles/a.md",
        &art("A", "2024-01-01", "meta", "", "Text a, edited."),
    );
    let t = s.write("templates/partial.html", "<!-- partial three -->");
    s.apply_watched("a template and an article", &[a, t]);

    // Removing the overrides brings the built-in templates back.
    for name in [
        "404.html",
        "base.html",
        "card.html",
        "components.html",
        "article.html",
        "partial.html",
    ] {
        s.remove(&format!("templates/{name}"));
    }
    fs::remove_dir(&folder).unwrap();
    s.apply_watched("the templates/ folder gone", &[folder]);
    assert!(s.scoped);
}

#[test]
fn a_template_that_does_not_load_keeps_the_last_good_one_until_fixed() {
    let mut s = sim(&[]);
    let p = s.write(
        "templates/base.html",
        &builtin("base.html").replace("</body>", "{% if %}</body>"),
    );
    let report = s.session.apply(&watched(&s, &[p]));
    let text: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
    assert!(
        text.len() == 1 && text[0].contains("templates/base.html:111:"),
        "one problem, with file and line: {text:?}"
    );
    let a = s.write(
        "content/articles/a.md",
        &art("A", "2024-01-01", "meta", "", "Text a, edited."),
    );
    let report = s.session.apply(&watched(&s, &[a]));
    // The save went in, and its index follows, as in serve.
    common::catch_up_search(&s.session, &report);
    assert_eq!(
        report.errors.len(),
        1,
        "a content save does not hide it: {:?}",
        report.errors
    );
    let p = s.write(
        "templates/base.html",
        &builtin("base.html").replace("</body>", "<!-- fixed --></body>"),
    );
    s.apply_watched("the template fixed", &[p]);
    assert!(s.scoped, "the site stayed open");
}

fn watched(s: &Sim, paths: &[PathBuf]) -> Changes {
    let mut changes = Changes::default();
    for path in paths {
        briefing::serve::watch::classify_path(&s.root, path, &mut changes);
    }
    changes
}

#[test]
fn a_template_that_fails_on_one_page_changes_no_page() {
    let mut s = sim(&[]);
    let before = common::file_tree(s.session.current_dir());
    // It parses, and fails only when it lays out article B: pages are
    // rendered in parallel, so others are done by then.
    let broken = builtin("article.html").replace(
        "{% block main %}",
        "{% block main %}{% if article.title == \"B\" %}{{ nothing.here }}{% endif %}<!-- new -->",
    );
    let p = s.write("templates/article.html", &broken);
    let report = s.session.apply(&watched(&s, &[p]));
    let text: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
    assert!(
        text.len() == 1 && text[0].contains("article.html"),
        "one problem, naming the template: {text:?}"
    );
    s.session.clean_up();
    let after = common::file_tree(s.session.current_dir());
    assert!(
        before == after,
        "the served files are exactly as they were, with nothing staged left: {:?}",
        after
            .keys()
            .filter(|k| before.get(*k) != after.get(*k))
            .collect::<Vec<_>>()
    );
    let p = s.write(
        "templates/article.html",
        &broken.replace("{{ nothing.here }}", ""),
    );
    s.apply_watched("the template fixed", &[p]);
}

#[test]
fn a_template_edit_reindexes_only_when_the_index_reads_the_pages() {
    let mut s = sim(&[]);
    let save = |s: &mut Sim, name: &str, text: String| {
        let p = s.write(&format!("templates/{name}"), &text);
        let report = s.session.apply(&watched(s, &[p]));
        assert!(report.errors.is_empty(), "{name}: {:?}", report.errors);
        common::catch_up_search(&s.session, &report);
        compare(&s.session, &s.options).unwrap_or_else(|e| panic!("{name}: {e}"));
        report.search_stale
    };
    let base = builtin("base.html").replace("</main>", "<!-- edited --></main>");
    assert!(
        !save(&mut s, "base.html", base),
        "the index is laid out from the articles, not from base.html"
    );
    let article = builtin("article.html").replace("{% block main %}", "{% block main %}<p>new</p>");
    assert!(
        save(&mut s, "article.html", article.clone()),
        "an article layout of the site's own is read from its pages"
    );
    assert!(
        save(
            &mut s,
            "article.html",
            article.replace("<p>new</p>", "<p>newer</p>")
        ),
        "and read again when it changes"
    );
}
