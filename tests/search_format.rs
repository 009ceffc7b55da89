//! Our search index against Pagefind's own indexer: built from the same
//! rendered article pages, in the same order, the two must hold the same
//! bytes in every fragment, word chunk and filter file (only the file
//! names, which are content hashes, differ), and the meta files must list
//! the same pages with the same word counts. The sample site, and a
//! generated site with every kind of word, are both checked.

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use common::*;
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

/// Payload of every file of a bundle, decompressed and without Pagefind's
/// signature, grouped by folder (`fragment`, `index`, `filter`, `meta`);
/// within a folder, sorted, since the names differ.
fn payloads(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> BTreeMap<String, Vec<Vec<u8>>> {
    let mut found: BTreeMap<String, Vec<Vec<u8>>> = BTreeMap::new();
    for (name, bytes) in files {
        let name = name.trim_start_matches("pagefind/");
        let folder = match name.split_once('/') {
            Some((folder, _)) => folder,
            None if name.ends_with(".pf_meta") => "meta",
            None => continue,
        };
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut plain)
            .unwrap();
        assert!(plain.starts_with(b"pagefind_dcd"), "{name}");
        found
            .entry(folder.to_string())
            .or_default()
            .push(plain[12..].to_vec());
    }
    for list in found.values_mut() {
        list.sort();
    }
    found
}

fn pagefind_bundle(dir: &Path, paths: &[String]) -> Vec<(String, Vec<u8>)> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        let config = PagefindServiceConfig::builder()
            .force_language("en".to_string())
            .build();
        let mut index = PagefindIndex::new(Some(config)).unwrap();
        for path in paths {
            let html = read(dir.join(path).join("index.html"));
            index
                .add_html_file(None, Some(format!("/{path}")), html)
                .await
                .unwrap();
        }
        index
            .get_files()
            .await
            .unwrap()
            .into_iter()
            .map(|f| (f.filename.to_string_lossy().into_owned(), f.contents))
            .collect()
    })
}

/// The article pages of a built site, in the site's order, as the build
/// indexes them: the order of the sitemap.
fn article_paths(out: &Path) -> Vec<String> {
    let sitemap = read(out.join("sitemap.xml"));
    sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|rest| rest.split("</loc>").next())
        .filter_map(|loc| loc.split_once("/articles/"))
        .map(|(_, slug)| format!("articles/{slug}"))
        .collect()
}

/// The bundle the build wrote, as (bundle path, bytes).
fn built_bundle(out: &Path) -> Vec<(String, Vec<u8>)> {
    let bundle = out.join("pagefind");
    walkdir::WalkDir::new(&bundle)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e.path().strip_prefix(&bundle).unwrap();
            let name = name.to_string_lossy().replace('\\', "/");
            (format!("pagefind/{name}"), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn assert_same_index(out: &Path) {
    let paths = article_paths(out);
    assert!(!paths.is_empty());
    let ours = payloads(built_bundle(out));
    let theirs = payloads(pagefind_bundle(out, &paths));
    for folder in ["fragment", "index", "filter"] {
        assert_eq!(ours[folder].len(), theirs[folder].len(), "{folder} files");
        // BRIEFING_DUMP_INDEX=DIR writes both sides out, to decode and diff.
        if let Ok(dir) = std::env::var("BRIEFING_DUMP_INDEX") {
            for (n, (a, b)) in ours[folder].iter().zip(&theirs[folder]).enumerate() {
                std::fs::write(format!("{dir}/{folder}-{n}-ours"), a).unwrap();
                std::fs::write(format!("{dir}/{folder}-{n}-theirs"), b).unwrap();
            }
        }
        let differing = ours[folder]
            .iter()
            .zip(&theirs[folder])
            .filter(|(a, b)| a != b)
            .count();
        assert_eq!(differing, 0, "{folder} files whose bytes differ");
    }
    // The meta files differ in the hashes they name; compare the rest.
    let meta = |bundle: &BTreeMap<String, Vec<Vec<u8>>>| {
        let bytes = &bundle["meta"][0];
        let mut decoder = minicbor::Decoder::new(bytes);
        decoder.array().unwrap();
        let version = decoder.str().unwrap().to_string();
        let pages = decoder.array().unwrap().unwrap();
        let word_counts: Vec<u32> = (0..pages)
            .map(|_| {
                decoder.array().unwrap();
                decoder.str().unwrap();
                let count = decoder.u32().unwrap();
                decoder.str().unwrap();
                count
            })
            .collect();
        (version, word_counts)
    };
    assert_eq!(meta(&ours), meta(&theirs));
}

#[test]
fn the_sample_site_is_indexed_as_pagefind_indexes_it() {
    let out = tempfile::tempdir().unwrap();
    let output = briefing(
        &repo(),
        &["build", "--output", &out.path().to_string_lossy()],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_same_index(out.path());
}

#[test]
fn a_generated_site_is_indexed_as_pagefind_indexes_it() {
    let dir = tempfile::tempdir().unwrap();
    corpus::write(dir.path(), 300, 20, 7).unwrap();
    // Words with accents, digits, dots, hyphens, markup and headings with
    // ids, in one article of its own.
    std::fs::write(
        dir.path().join("content/articles/2024-01-02-words.md"),
        "---\ntitle: \"Café, naïve and Zürich: GPT-4o.mini vs e.g. 405B\"\ndate: 2024-01-02\n\
         companies: [openai]\n---\n\n## Why it matters {#why}\n\n\
         *Crème brûlée* sysconfig.is_python_build OpenAI's \"open-weights\" &amp; co\u{200B}op.\n\n\
         | a | b |\n| - | - |\n| naïve | 10^25 |\n",
    )
    .unwrap();
    build_ok(dir.path(), &[]);
    let out = dir.path().join("public");
    assert!(article_paths(&out).contains(&"articles/words/".to_string()));
    assert_same_index(&out);
}

/// `articles/raw/`, whose body is `body`, with more front matter `extra`.
fn write_raw_article(site: &Path, extra: &str, body: &str) {
    std::fs::write(
        site.join("content/articles/2024-01-03-raw.md"),
        format!("---\ntitle: \"Raw\"\ndate: 2024-01-03\n{extra}---\n\n{body}"),
    )
    .unwrap();
}

#[test]
fn a_site_with_its_own_article_layout_is_indexed_from_its_pages() {
    let dir = tempfile::tempdir().unwrap();
    corpus::write(dir.path(), 60, 10, 5).unwrap();
    // The built-in layout with the byline indexed and a weighted lede:
    // marks the pipeline's own layout does not know of, read from the pages.
    let builtin = read(repo().join("templates/article.html"));
    let own = builtin
        .replace(
            "<p class=\"meta article-meta\" data-pagefind-ignore>",
            "<p class=\"meta article-meta\">",
        )
        .replace(
            "<p class=\"lede\">",
            "<p class=\"lede\" data-pagefind-weight=\"3\">",
        );
    assert_ne!(own, builtin);
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(dir.path().join("templates/article.html"), own).unwrap();
    // Raw HTML in a body: read from the body's HTML.
    write_raw_article(
        dir.path(),
        "summary: \"A lede.\"\n",
        "<div data-pagefind-filter=\"Desk:raw\">Raw <b>HTML</b> here</div>\n\nThen text.\n",
    );
    build_ok(dir.path(), &[]);
    let out = dir.path().join("public");
    let page = read(out.join("articles/raw/index.html"));
    assert!(
        page.contains("<p class=\"meta article-meta\">"),
        "the site's own layout"
    );
    assert_same_index(&out);
}

#[test]
fn raw_html_in_a_body_is_indexed_as_pagefind_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    corpus::write(dir.path(), 30, 10, 5).unwrap();
    write_raw_article(
        dir.path(),
        "",
        "<div data-pagefind-filter=\"Desk:raw\" id=\"top\">Raw <b>HTML</b> here</div>\n\n\
         Then <span data-pagefind-ignore>hidden</span> text.\n",
    );
    build_ok(dir.path(), &[]);
    assert_same_index(&dir.path().join("public"));
}

/// The words are stemmed here and in the reader's browser, by Pagefind's
/// WebAssembly that we ship from the `pagefind` crate: the two stemmers
/// must be the same, or a search misses words that are in the index. Both
/// crates are pinned with `=` in Cargo.toml; this fails when one moves
/// without the other.
#[test]
fn the_stemmer_is_the_one_the_shipped_runtime_is_built_with() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lock = read(root.join("Cargo.lock"));
    let packages: Vec<&str> = lock.split("[[package]]").collect();
    let field = |package: &str, key: &str| -> Option<String> {
        package
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{key} = \"")))
            .map(|v| v.trim_end_matches('"').to_string())
    };
    let named = |name: &str| -> Vec<&str> {
        packages
            .iter()
            .copied()
            .filter(|p| field(p, "name").as_deref() == Some(name))
            .collect()
    };
    let stems = named("pagefind_stem");
    assert_eq!(stems.len(), 1, "one pagefind_stem in Cargo.lock");
    let stem = field(stems[0], "version").unwrap();
    let pagefind = named("pagefind");
    assert_eq!(pagefind.len(), 1, "one pagefind in Cargo.lock");
    let pagefind_version = field(pagefind[0], "version").unwrap();
    assert!(
        pagefind[0].contains("\"pagefind_stem\""),
        "pagefind uses pagefind_stem"
    );

    // The version of the stemmer that pagefind itself was released with,
    // from its manifest in the registry's copy of the crate.
    let manifest_dir = std::env::var("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| Path::new(&std::env::var("HOME").unwrap()).join(".cargo"))
        .join("registry/src");
    let manifest = std::fs::read_dir(&manifest_dir)
        .ok()
        .into_iter()
        .flatten()
        .flatten()
        .map(|index| {
            index
                .path()
                .join(format!("pagefind-{pagefind_version}/Cargo.toml"))
        })
        .find(|path| path.is_file());
    if let Some(manifest) = manifest {
        let manifest = read(manifest);
        let section = manifest
            .split("[dependencies.pagefind_stem]")
            .nth(1)
            .expect("pagefind depends on pagefind_stem");
        let wanted = field(section, "version").unwrap();
        assert_eq!(
            stem, wanted,
            "pagefind {pagefind_version} is built with pagefind_stem {wanted}"
        );
    } else {
        eprintln!(
            "skipping the manifest check: pagefind's source is not in {}",
            manifest_dir.display()
        );
    }

    // Our pins name exactly what is locked.
    let ours = read(root.join("Cargo.toml"));
    assert!(
        ours.contains(&format!("pagefind = {{ version = \"={pagefind_version}\"")),
        "pagefind pinned"
    );
    assert!(
        ours.contains(&format!("pagefind_stem = \"={stem}\"")),
        "pagefind_stem pinned"
    );
}
