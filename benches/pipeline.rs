//! The pipeline's stages on a generated 1,000-article site
//! (tests/common/corpus.rs): `cargo bench --bench pipeline`.
//!
//! load (walk and parse), link (ids, links, mentions, graph), render (every
//! page, into a sink that keeps nothing), and the search index (Pagefind, on
//! the rendered article pages). Whole builds of bigger sites are timed with
//! the release binary by benches/corpora.sh.

use std::path::Path;

use briefing::build;
use briefing::config::Config;
use briefing::link;
use briefing::load::{self, LoadOptions};
use briefing::render::{self, Templates};
use briefing::search::Fragments;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

#[path = "../tests/common/corpus.rs"]
mod corpus;

const ARTICLES: usize = 1000;

fn stages(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path().join("site");
    corpus::write(&root, ARTICLES, 60, 42).expect("the corpus is written");
    let config = Config::load(&root).expect("site.yaml loads");
    let load_options = LoadOptions::default();
    let templates = Templates::load(&root).expect("templates load");

    let mut group = c.benchmark_group(format!("{ARTICLES} articles"));
    group.sample_size(10);
    group.bench_function("load", |b| {
        b.iter(|| load::load(&root, &config, load_options))
    });
    group.bench_function("link", |b| {
        b.iter_batched(
            || load::load(&root, &config, load_options).0,
            |content| link::link(config.clone(), content),
            BatchSize::PerIteration,
        )
    });
    let (content, _) = load::load(&root, &config, load_options);
    let (site, _) = link::link(config.clone(), content);
    group.bench_function("render", |b| {
        b.iter(|| render::render_all(&site, &templates, &|_, _| Ok(())))
    });
    // The index reads the article pages back from a written site.
    let public = dir.path().join("public");
    let sink = |path: &str, bytes: &[u8]| {
        briefing::write::write_file(&public, path, bytes)
            .map_err(|e| briefing::diagnostic::Diagnostic::error(Path::new(path), e.to_string()))
    };
    render::render_all(&site, &templates, &sink);
    group.bench_function("search index", |b| {
        b.iter(|| build::index_search(&site, &public, Fragments::Keep).expect("the index builds"))
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
