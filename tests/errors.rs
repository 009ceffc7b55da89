//! Bad input (SPEC §7): one line per problem with file:line:column, every
//! problem in one run, exit 1, and the previous output left exactly as it was.

mod common;

use std::fs;

use common::*;

#[test]
fn every_problem_is_reported_in_one_run_and_the_old_site_survives() {
    let site = site("malformed");
    let public = site.path().join("public");
    fs::create_dir_all(&public).unwrap();
    fs::write(public.join("index.html"), "previous site").unwrap();

    let output = briefing(site.path(), &["build"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr(&output);
    let expected = [
        "error: site.yaml:2:1: unknown key `per_pgae`",
        "error: content/articles/bad-yaml.md:5:1: invalid YAML",
        "error: content/articles/unclosed.md:1:1: front matter is never closed",
        "error: content/articles/no-title.md:2: missing required `title`",
        "error: content/articles/no-date.md:2: missing required `date`",
        "error: content/companies/meta.md: id `meta` is already used by content/companies/Meta.md",
        "error: content/articles/bad-date.md:3:7: `date`: `2024-02-30` is not a date",
        "error: content/articles/tags-string.md:4:12: `companies` must be a list, like `companies: [meta]`",
        "error: content/articles/dup-b.md: slug `same` is already used by content/articles/dup-a.md",
        "error: content/articles/latin1.md:2:12: not valid UTF-8",
        "error: content/articles/broken-link.md:7:5: link to `@/articles/nowhere.md`",
        "error: content/articles/empty.md:1:1: no front matter",
        "error: content/articles/js-source.md:4:1: `sources[0].url` must be an http:// or https:// URL",
        "error: templates/404.html:3:7: Variable `no_such_variable` is not defined",
        "warning: content/articles/unknown-id.md:4: `companies`: unknown id `metta`",
    ];
    for line in expected {
        assert!(
            stderr.lines().any(|l| l.starts_with(line)),
            "missing `{line}` in:\n{stderr}"
        );
    }
    assert!(stderr.contains("did you mean `meta`?"));
    assert!(!stderr.contains("panicked"));
    // One line per problem: every line is a diagnostic or the closing count.
    for line in stderr.lines() {
        assert!(
            line.starts_with("error: ")
                || line.starts_with("warning: ")
                || line.starts_with("failed: "),
            "unexpected line: {line}"
        );
    }

    assert_eq!(read(public.join("index.html")), "previous site");
    assert_eq!(files(&public), ["index.html"]);
    let leftovers: Vec<_> = fs::read_dir(site.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "staging folder left behind");
}

#[test]
fn unknown_ids_warn_but_build_and_fail_under_strict_and_check() {
    let site = site("basic");
    let article = site.path().join("content/articles/2024-05-13-gpt-4o.md");
    let text = read(&article).replace("companies: [openai]", "companies: [openai, anthropc]");
    fs::write(&article, text).unwrap();
    fs::write(
        site.path().join("content/companies/anthropic.md"),
        "---\nname: Anthropic\n---\n",
    )
    .unwrap();

    let output = build_ok(site.path(), &[]);
    let warnings = stderr(&output);
    assert!(
        warnings.contains(
            "warning: content/articles/2024-05-13-gpt-4o.md:4: `companies`: unknown id `anthropc`"
        ),
        "{warnings}"
    );
    assert!(warnings.contains("did you mean `anthropic`?"), "{warnings}");
    // The page is still made from the id.
    assert!(site
        .path()
        .join("public/companies/anthropc/index.html")
        .is_file());

    let strict = briefing(site.path(), &["build", "--strict", "--output", "strict"]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(stderr(&strict).contains("error: content/articles/2024-05-13-gpt-4o.md:4:"));
    assert!(!site.path().join("strict").exists());

    let check = briefing(site.path(), &["check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(stderr(&check).contains("error: content/articles/2024-05-13-gpt-4o.md:4:"));
}

#[test]
fn check_reports_problems_without_touching_the_output() {
    let site = site("malformed");
    let output = briefing(site.path(), &["check"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr(&output);
    assert!(stderr.contains("error: content/articles/broken-link.md:7:5"));
    assert!(stderr.contains("error: templates/404.html:3:7"));
    assert!(
        stderr.contains("error: content/articles/unknown-id.md:4:"),
        "warnings are errors in check"
    );
    assert!(!site.path().join("public").exists());
}

#[test]
fn template_syntax_errors_name_the_template_and_line() {
    let site = site("basic");
    fs::create_dir_all(site.path().join("templates")).unwrap();
    fs::write(
        site.path().join("templates/article.html"),
        "<p>fine</p>\n{% if %}\n",
    )
    .unwrap();
    fs::write(
        site.path().join("templates/archive.html"),
        "{% for x in %}\n",
    )
    .unwrap();
    let output = briefing(site.path(), &["build"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr(&output);
    assert!(
        stderr.contains("error: templates/article.html:2:7: "),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: templates/archive.html:1:"),
        "{stderr}"
    );
}

#[test]
fn an_output_folder_that_holds_the_site_is_refused() {
    let site = site("basic");
    for output in [".", "content"] {
        let run = briefing(site.path(), &["build", "--output", output]);
        assert_eq!(run.status.code(), Some(1), "{output}");
        assert!(stderr(&run).contains("refusing to use this as the output folder"));
    }
    assert!(site.path().join("content/companies/meta.md").is_file());
}

#[test]
fn usage_errors_exit_2() {
    let site = site("basic");
    let output = briefing(site.path(), &["build", "--no-such-flag"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn check_follows_every_link_of_the_built_pages() {
    let site = site("basic");
    fs::write(
        site.path().join("content/articles/2024-08-02-links.md"),
        "---\ntitle: Links\ndate: 2024-08-02\n---\nA [dead anchor](#nowhere), raw <a href=\"/gone/\">HTML</a>, and a [good one](#links-work).\n\n## Links work\n",
    )
    .unwrap();
    let output = briefing(site.path(), &["check"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr(&output);
    assert!(
        stderr.contains("error: public/articles/links/index.html: link to `#nowhere`: no element with id `nowhere` in articles/links/index.html"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: public/articles/links/index.html: link to `/gone/`: no file gone/index.html in the output"),
        "{stderr}"
    );
    assert!(!stderr.contains("#links-work"), "{stderr}");
    assert!(
        !site.path().join("public").exists(),
        "check writes no output"
    );
}

/// A small file system of its own (tmpfs, which only root may mount),
/// unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output()
            .is_ok_and(|o| o.status.success());
        // A capability of the machine, not a tool CI can install: without
        // it the test skips even under BRIEFING_REQUIRE_EXTERNAL.
        if !mounted {
            eprintln!("skipped: cannot mount a small tmpfs (mount -t tmpfs needs root)");
            return None;
        }
        Some(SmallDisk { dir })
    }

    /// Fills the disk but for about `room` bytes.
    fn fill(&self, room: u64) {
        use std::io::Write;
        let path = self.dir.path().join("filler");
        let mut file = fs::File::create(&path).unwrap();
        let chunk = vec![0u8; 64 * 1024];
        while file.write_all(&chunk).and_then(|()| file.flush()).is_ok() {}
        let len = file.metadata().unwrap().len();
        file.set_len(len.saturating_sub(room)).unwrap();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.dir.path())
            .status();
    }
}

#[test]
fn a_full_disk_is_one_line_and_the_old_site_survives() {
    let Some(disk) = SmallDisk::mount("16m") else {
        return;
    };
    let site = site("basic");
    let public = disk.dir.path().join("public");
    let public_arg = public.to_string_lossy().into_owned();
    build_ok(site.path(), &["--output", &public_arg]);
    let before = file_tree(&public);
    disk.fill(100 * 1024);

    let output = briefing(site.path(), &["build", "--output", &public_arg]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let stderr = stderr(&output);
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(lines.len(), 1, "one line for one cause: {stderr}");
    assert!(
        lines[0].starts_with(&format!(
            "error: {public_arg}: cannot write the output: no space left on device ("
        )) && lines[0].contains(" files not written, the first `"),
        "{stderr}"
    );
    assert_eq!(file_tree(&public), before, "the old output is as it was");
    let leftovers: Vec<String> = fs::read_dir(disk.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "public" && name != "filler")
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
}
