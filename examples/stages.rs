//! Times each pipeline stage on a site, writing nothing:
//! `cargo run --release --example stages -- DIR`: load, link, render (by
//! page kind too, to see what a scoped rebuild pays for), and render with
//! the search index, as a build makes it (social cards from the site's
//! `.briefing/cache`, which the first run fills).

use std::time::Instant;

use briefing::pipeline::Discard;
use briefing::stages::{self, Pages, Settings, Templates};

/// The binary's allocator, so that the stages take what they take in a build.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let settings = Settings::load(&root);
    let started = Instant::now();
    let content = stages::load(&root, &settings);
    let loaded = started.elapsed();
    let site = stages::link(settings, content).with_assets(&root);
    let linked = started.elapsed();
    let Some(templates) = Templates::load(&root) else {
        eprintln!("templates do not load");
        std::process::exit(1);
    };
    let pages = stages::render(&site, &templates, Pages::All, &Discard);
    let rendered = started.elapsed();
    for (name, kind) in [
        ("articles", Pages::Articles),
        ("home pages", Pages::Home),
        ("entity pages", Pages::Entities),
        ("archive", Pages::Archive),
        ("feeds+sitemap", Pages::Feeds),
    ] {
        let t = Instant::now();
        let n = stages::render(&site, &templates, kind, &Discard);
        eprintln!("  {name}: {n} pages in {:?}", t.elapsed());
    }
    println!(
        "load {:?}  link {:?}  render {:?} ({pages} pages)",
        loaded,
        linked - loaded,
        rendered - linked
    );
    let t = Instant::now();
    let problems = stages::render_with_search(&site, &templates, Some(&root), &Discard);
    println!("render with the search index {:?}", t.elapsed());
    for problem in problems {
        eprintln!("{problem}");
    }
}
