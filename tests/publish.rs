//! `briefing publish` to a folder and to a git branch (with the real `git`):
//! only what changed moves, a second publish moves nothing, --dry-run changes
//! nothing, and the working tree of the repository is never touched.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::*;

fn publish(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["publish"];
    all.extend_from_slice(args);
    let output = briefing(dir, &all);
    assert!(
        output.status.success(),
        "publish {args:?} failed:\n{}{}",
        stdout(&output),
        stderr(&output)
    );
    stdout(&output)
}

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_folder_gets_only_what_changed() {
    let site = site("basic");
    let target = tempfile::tempdir().unwrap();
    let www = target.path().join("www");
    let www_arg = www.to_string_lossy().into_owned();

    let first = publish(site.path(), &[&www_arg]);
    assert!(
        first.contains("new, 0 changed, 0 deleted, 0 unchanged: published"),
        "{first}"
    );
    let files_first = files(&www);
    assert!(files_first.contains(&"articles/llama-3-1/index.html".to_string()));
    assert!(!www.join(".briefing-publish").exists());

    let second = publish(site.path(), &[&www_arg]);
    assert!(second.contains(" 0 new, 0 changed, 0 deleted,"), "{second}");
    assert!(second.contains("nothing to publish"), "{second}");

    // An edit to one article changes its page and the pages that show it.
    let article = site.path().join("content/articles/2024-05-13-gpt-4o.md");
    fs::write(
        &article,
        read(&article).replace("OpenAI launches GPT-4o", "OpenAI ships GPT-4o"),
    )
    .unwrap();
    let before = fs::read(www.join("topics/open-source/index.html")).unwrap();
    let dry = publish(site.path(), &[&www_arg, "--dry-run"]);
    assert!(dry.contains("changed  articles/gpt-4o/index.html"), "{dry}");
    assert!(dry.contains("dry run, nothing changed"), "{dry}");
    assert!(
        read(www.join("articles/gpt-4o/index.html")).contains("OpenAI launches GPT-4o"),
        "dry run wrote"
    );
    let third = publish(site.path(), &[&www_arg]);
    // Only the search index has new files: they are named by their content.
    let new = planned(&dry, "new");
    assert!(
        !new.is_empty() && new.iter().all(|p| p.starts_with("pagefind/")),
        "{dry}"
    );
    assert!(!third.contains(" 0 changed"), "{third}");
    assert!(read(www.join("articles/gpt-4o/index.html")).contains("OpenAI ships GPT-4o"));
    let after = fs::read(www.join("topics/open-source/index.html")).unwrap();
    assert!(
        after == before,
        "a page that does not show the article was rewritten"
    );

    // Files the site no longer has (a page of ours, the search index's
    // files from before the edit) stay unless --delete.
    fs::write(www.join("old.html"), "old").unwrap();
    let kept = publish(site.path(), &[&www_arg, "--dry-run"]);
    let stale = planned(&kept, "kept");
    assert!(stale.contains(&"old.html"), "{kept}");
    assert!(
        stale
            .iter()
            .all(|p| *p == "old.html" || p.starts_with("pagefind/")),
        "{kept}"
    );
    assert!(www.join("old.html").exists());
    let deleted = publish(site.path(), &[&www_arg, "--delete"]);
    assert!(
        deleted.contains(&format!(" {} deleted", stale.len())),
        "{deleted}"
    );
    assert!(!www.join("old.html").exists());
}

#[test]
fn a_failed_publish_leaves_the_folder_as_it_was() {
    let site = site("basic");
    let target = tempfile::tempdir().unwrap();
    let www = target.path().join("www");
    let www_arg = www.to_string_lossy().into_owned();
    publish(site.path(), &[&www_arg]);
    let before: Vec<(String, Vec<u8>)> = files(&www)
        .into_iter()
        .map(|f| (f.clone(), fs::read(www.join(&f)).unwrap()))
        .collect();

    // A build error: nothing is published.
    fs::write(
        site.path().join("content/articles/broken.md"),
        "---\ntitle: x\n",
    )
    .unwrap();
    let output = briefing(site.path(), &["publish", &www_arg]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("error: content/articles/broken.md:1:1"));
    let after: Vec<(String, Vec<u8>)> = files(&www)
        .into_iter()
        .map(|f| (f.clone(), fs::read(www.join(&f)).unwrap()))
        .collect();
    assert!(after == before, "the folder changed");

    // --from a folder that is not there.
    let output = briefing(site.path(), &["publish", &www_arg, "--from", "nowhere"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("--from nowhere: no such folder"));
}

#[test]
fn a_git_branch_gets_the_site_as_its_whole_tree() {
    let site = site("basic");
    let dir = site.path();
    fs::write(
        dir.join("site.yaml"),
        read(dir.join("site.yaml")) + "cname: briefing.example.org\n",
    )
    .unwrap();
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "sources"]);
    let head = git(dir, &["rev-parse", "HEAD"]);
    let status = git(dir, &["status", "--porcelain"]);

    let first = publish(dir, &["git:gh-pages", "--message", "First publish"]);
    assert!(first.contains("published; commit "), "{first}");
    let tree = git(dir, &["ls-tree", "-r", "--name-only", "gh-pages"]);
    for path in [
        ".nojekyll",
        "CNAME",
        "index.html",
        "articles/llama-3-1/index.html",
        "atom.xml",
    ] {
        assert!(tree.lines().any(|l| l == path), "{path} not in {tree}");
    }
    assert!(!tree.contains("content/"), "only the built site");
    assert_eq!(
        git(dir, &["show", "gh-pages:CNAME"]),
        "briefing.example.org\n"
    );
    assert_eq!(
        git(dir, &["log", "--format=%s", "gh-pages"]).trim(),
        "First publish"
    );
    // The checked-out branch, the index and the working tree are as they were.
    assert_eq!(git(dir, &["rev-parse", "HEAD"]), head);
    assert_eq!(
        git(dir, &["symbolic-ref", "--short", "HEAD"]).trim(),
        "main"
    );
    assert_eq!(git(dir, &["status", "--porcelain"]), status);

    // Nothing changed: no commit.
    let second = publish(dir, &["git:gh-pages"]);
    assert!(second.contains("nothing to publish"), "{second}");
    assert_eq!(git(dir, &["rev-list", "--count", "gh-pages"]).trim(), "1");

    // An edit: one more commit on top, only the pages that changed differ.
    let article = dir.join("content/articles/2024-05-13-gpt-4o.md");
    fs::write(
        &article,
        read(&article).replace("OpenAI launches GPT-4o", "OpenAI ships GPT-4o"),
    )
    .unwrap();
    let third = publish(dir, &["git:gh-pages"]);
    assert!(third.contains("published"), "{third}");
    assert_eq!(git(dir, &["rev-list", "--count", "gh-pages"]).trim(), "2");
    // Files come and go only in the search index, whose files are named by
    // their content; pages are modified in place.
    let status = git(dir, &["diff", "--name-status", "gh-pages~1", "gh-pages"]);
    assert!(
        status
            .lines()
            .filter(|l| !l.starts_with('M'))
            .all(|l| l.contains("\tpagefind/")),
        "{status}"
    );
    let changed = git(dir, &["diff", "--name-only", "gh-pages~1", "gh-pages"]);
    assert!(
        changed.lines().any(|l| l == "articles/gpt-4o/index.html"),
        "{changed}"
    );
    assert!(
        !changed
            .lines()
            .any(|l| l == "topics/open-source/index.html"),
        "{changed}"
    );

    // --remote pushes the branch.
    let remote = tempfile::tempdir().unwrap();
    git(remote.path(), &["init", "-q", "--bare"]);
    git(
        dir,
        &["remote", "add", "origin", &remote.path().to_string_lossy()],
    );
    fs::write(
        &article,
        read(&article).replace("OpenAI ships GPT-4o", "OpenAI ships GPT-4o again"),
    )
    .unwrap();
    let pushed = publish(dir, &["git:gh-pages", "--remote", "origin"]);
    assert!(pushed.contains("pushed to origin"), "{pushed}");
    assert_eq!(
        git(remote.path(), &["rev-parse", "gh-pages"]),
        git(dir, &["rev-parse", "gh-pages"])
    );

    // The checked-out branch is never a target.
    let refused = briefing(dir, &["publish", "git:main"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("is the checked-out branch"));
}
