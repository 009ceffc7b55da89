//! Times each pipeline stage on a site, writing nothing:
//! `cargo run --release --example stages -- DIR [BUILT]`. With `BUILT`, the
//! site's output folder from `briefing build`, it also times the search
//! index of the article pages in it.

use std::time::Instant;

use briefing::config::Config;
use briefing::link;
use briefing::load::{self, LoadOptions};
use briefing::render::{self, Templates};
use briefing::search::Fragments;

/// The binary's allocator, so that the stages take what they take in a build.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let started = Instant::now();
    let config = Config::load(&root).unwrap_or_default();
    let (content, _) = load::load(&root, &config, LoadOptions::default());
    let loaded = started.elapsed();
    let (site, _) = link::link(config, content);
    let linked = started.elapsed();
    let Ok(templates) = Templates::load(&root) else {
        eprintln!("templates do not load");
        std::process::exit(1);
    };
    let (pages, _) = render::render_all(&site, &templates, &|_, _| Ok(()));
    let rendered = started.elapsed();
    // Render time by page kind, to see what a scoped rebuild pays for.
    let all = render::pages(&site);
    type Filter = fn(&render::Page) -> bool;
    let kinds: [(&str, Filter); 5] = [
        ("articles", |p| matches!(p, render::Page::Article(_))),
        ("home pages", |p| matches!(p, render::Page::Home(_))),
        ("entity pages", |p| matches!(p, render::Page::Entity(_))),
        ("archive", |p| matches!(p, render::Page::Archive)),
        ("feeds+sitemap", |p| {
            matches!(
                p,
                render::Page::Feed | render::Page::EntityFeed(_) | render::Page::Sitemap
            )
        }),
    ];
    for (name, keep) in kinds {
        let pages: Vec<render::Page> = all.iter().copied().filter(keep).collect();
        let t = Instant::now();
        for &page in &pages {
            std::hint::black_box(render::page_context(&site, &render::Cards::new(), page));
        }
        eprintln!("  {name}: contexts alone, one thread: {:?}", t.elapsed());
        let cards = render::Cards::new();
        let t = Instant::now();
        render::render_pages(&site, &templates, &cards, &pages, &|_, _| Ok(()));
        eprintln!("  {name}: {} pages in {:?}", pages.len(), t.elapsed());
        let t = Instant::now();
        render::render_pages(&site, &templates, &cards, &pages, &|_, _| Ok(()));
        eprintln!("  {name}: again with the cards made: {:?}", t.elapsed());
    }
    println!(
        "load {:?}  link {:?}  render {:?} ({pages} pages)",
        loaded,
        linked - loaded,
        rendered - linked
    );
    if let Some(built) = std::env::args().nth(2) {
        let t = Instant::now();
        match briefing::build::index_search(&site, built.as_ref(), Fragments::Keep) {
            Ok(bundle) => println!("search index {:?} ({} pages)", t.elapsed(), bundle.pages),
            Err(problem) => eprintln!("{problem}"),
        }
    }
}
