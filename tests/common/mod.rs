//! Shared helpers for the integration tests: run the real binary on fixture
//! sites copied into temporary folders, and read what it wrote.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (the sample site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// Copies a fixture site into a fresh temporary folder and returns it.
pub fn site(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixture(name), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("fixture readable");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Runs `briefing ARGS` in `dir`.
pub fn briefing(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("binary runs")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Builds `dir` and panics with its messages if that fails.
pub fn build_ok(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let output = briefing(dir, &args);
    assert!(
        output.status.success(),
        "build failed:\n{}{}",
        stdout(&output),
        stderr(&output)
    );
    output
}

pub fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `dir`, as sorted relative paths with `/`.
pub fn files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

/// Values of `attr="..."` in an HTML page, unescaped for `&amp;`.
pub fn attribute_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| rest[..end].replace("&amp;", "&"))
        })
        .collect()
}

/// Every internal `href`/`src` of every HTML page under `public` that does not
/// resolve to a file (and, with a fragment, to an `id` in it). `base_path` is
/// the site's path prefix (`/` or `/sub/`).
pub fn broken_links(public: &Path, base_path: &str) -> Vec<String> {
    let mut broken = Vec::new();
    for page in files(public).iter().filter(|f| f.ends_with(".html")) {
        let html = read(public.join(page));
        let mut targets = attribute_values(&html, "href");
        targets.extend(attribute_values(&html, "src"));
        for target in targets {
            if target.starts_with("http")
                || target.starts_with("mailto:")
                || target.starts_with("//")
            {
                continue;
            }
            let (path, fragment) = match target.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (target.clone(), None),
            };
            let file = if path.is_empty() {
                public.join(page)
            } else {
                let Some(inside) = path.strip_prefix(base_path) else {
                    broken.push(format!("{page}: {target} is outside {base_path}"));
                    continue;
                };
                let mut file = public.join(inside);
                if path.ends_with('/') {
                    file = file.join("index.html");
                }
                file
            };
            if !file.is_file() {
                broken.push(format!("{page}: {target} (no {})", file.display()));
                continue;
            }
            if let Some(fragment) = fragment {
                let text = read(&file);
                if !text.contains(&format!("id=\"{fragment}\"")) {
                    broken.push(format!("{page}: {target} (no id {fragment})"));
                }
            }
        }
    }
    broken
}

/// Whether CI asked for every outside tool to be present (`.ci/run` sets it).
pub fn external_required() -> bool {
    std::env::var("BRIEFING_REQUIRE_EXTERNAL").is_ok_and(|v| v == "1")
}

/// Returns the outside tool, or `None` after printing why the test skips.
/// Under `BRIEFING_REQUIRE_EXTERNAL=1` a missing tool fails the test instead.
pub fn external_tool(what: &str, found: Option<PathBuf>, how: &str) -> Option<PathBuf> {
    match found {
        Some(path) => Some(path),
        None if external_required() => {
            panic!("{what} is required (BRIEFING_REQUIRE_EXTERNAL=1) but missing: {how}")
        }
        None => {
            eprintln!("skipped: {what} not found ({how})");
            None
        }
    }
}

/// The W3C Nu HTML checker: `$BRIEFING_VNU_JAR`, or where `.ci/run` installs it.
pub fn vnu_jar() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("BRIEFING_VNU_JAR").map(PathBuf::from),
        Some(repo().join("target/ci-tools/node_modules/vnu-jar/build/dist/vnu.jar")),
    ];
    let java = Command::new("java").arg("-version").output().is_ok();
    let jar = candidates.into_iter().flatten().find(|p| p.is_file());
    external_tool(
        "the Nu HTML checker (vnu.jar and java)",
        jar.filter(|_| java),
        "run .ci/run, or set BRIEFING_VNU_JAR to a vnu.jar from npm's vnu-jar",
    )
}
