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
