//! The pipeline's stages on a generated 1,000-article site
//! (tests/common/corpus.rs): `cargo bench --bench pipeline`.
//!
//! load (walk and parse), link (ids, links, mentions, graph), render (every
//! page, into an output that keeps nothing), and render with the search
//! index, as a build does it. Whole builds of bigger sites are timed with
//! the release binary by benches/corpora.sh.

use briefing::pipeline::Discard;
use briefing::stages::{self, Pages, Settings, Templates};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

#[path = "../tests/common/corpus.rs"]
mod corpus;

const ARTICLES: usize = 1000;

fn stages(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path().join("site");
    corpus::write(&root, ARTICLES, 60, 42).expect("the corpus is written");
    let settings = Settings::load(&root);
    let templates = Templates::load(&root).expect("templates load");

    let mut group = c.benchmark_group(format!("{ARTICLES} articles"));
    group.sample_size(10);
    group.bench_function("load", |b| b.iter(|| stages::load(&root, &settings)));
    group.bench_function("link", |b| {
        b.iter_batched(
            || stages::load(&root, &settings),
            |content| stages::link(settings.clone(), content),
            BatchSize::PerIteration,
        )
    });
    let site = stages::link(settings.clone(), stages::load(&root, &settings)).with_assets(&root);
    group.bench_function("render", |b| {
        b.iter(|| stages::render(&site, &templates, Pages::All, &Discard))
    });
    // What a build does with the article pages: render them and index them.
    group.bench_function("render with search index", |b| {
        b.iter(|| stages::render_with_search(&site, &templates, Some(&root), &Discard))
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
