//! Writes a synthetic briefing site for benchmarks:
//!
//! ```text
//! cargo run --release --example gen_corpus -- --articles 10000 --out /dev/shm/corpus10k
//! cargo run --release --example gen_corpus -- --articles 10000 --images 10 --out /dev/shm/corpus10k-img
//! ```
//!
//! `--images N` makes every Nth article a bundle with a photo-like JPEG
//! (1600 × 1000, each one different) as its lead image.
//!
//! Coverage is skewed by default, as news is: `--skew S` tags entity `i` with a
//! weight of `1 / (i + 1)^S` (default 0.85: the most-covered company in about
//! 30% of the articles, the least in about 1%). `--uniform` (or `--skew 0`)
//! writes the uniform corpus of the tests and of the figures before issue 18.
//! The summary line prints the most- and least-covered shares of each kind.
//!
//! The site is described in tests/common/corpus.rs, which the tests share.
//! The same arguments always write the same site.

use std::path::PathBuf;

#[path = "../tests/common/corpus.rs"]
mod corpus;

struct Args {
    articles: usize,
    companies: usize,
    out: PathBuf,
    seed: u64,
    /// Every this many articles gets a lead photo; 0: none.
    images: usize,
    /// The Zipf exponent of entity coverage; 0: uniform.
    skew: f64,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        articles: 1000,
        companies: 60,
        out: PathBuf::from("corpus"),
        seed: 42,
        images: 0,
        skew: corpus::DEFAULT_SKEW,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--uniform" {
            args.skew = 0.0;
            continue;
        }
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--articles" => {
                args.articles = value.parse().map_err(|e| format!("--articles: {e}"))?
            }
            "--companies" => {
                args.companies = value.parse().map_err(|e| format!("--companies: {e}"))?
            }
            "--out" => args.out = PathBuf::from(value),
            "--seed" => args.seed = value.parse().map_err(|e| format!("--seed: {e}"))?,
            "--images" => args.images = value.parse().map_err(|e| format!("--images: {e}"))?,
            "--skew" => {
                args.skew = value.parse().map_err(|e| format!("--skew: {e}"))?;
                if !(args.skew >= 0.0 && args.skew.is_finite()) {
                    return Err("--skew: must be 0 or more".to_string());
                }
            }
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(args)
}

fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!(
                "error: {e}\nusage: gen_corpus --articles N [--companies 60] [--images EVERY] [--skew 0.85 | --uniform] --out DIR [--seed 42]"
            );
            std::process::exit(2);
        }
    };
    let coverage = match corpus::write_skewed(
        &args.out,
        args.articles,
        args.companies,
        args.seed,
        args.skew,
    ) {
        Ok(coverage) => coverage,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    if args.images > 0 {
        if let Err(e) = add_photos(&args.out, args.images) {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
    let (company_top, company_bottom) = coverage.top_bottom(&coverage.companies);
    let (topic_top, topic_bottom) = coverage.top_bottom(&coverage.topics);
    println!(
        "wrote {} articles and {} companies to {} (skew {}: companies in {company_top:.1}% to {company_bottom:.1}% of the articles, topics in {topic_top:.1}% to {topic_bottom:.1}%)",
        args.articles,
        args.companies,
        args.out.display(),
        args.skew,
    );
}

/// Turns every `every`th article into a bundle whose lead image is a
/// photo-like JPEG of its own.
fn add_photos(out: &std::path::Path, every: usize) -> Result<(), String> {
    use rayon::prelude::*;
    let articles = out.join("content/articles");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&articles)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
        .par_iter()
        .enumerate()
        .filter(|(n, _)| n % every == 0)
        .try_for_each(|(n, file)| {
            let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
            let dir = file.with_extension("");
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            let text = text.replacen(
                "---\n",
                "---\nimage: photo.jpg\nimage_alt: \"A generated photo\"\n",
                1,
            );
            std::fs::write(dir.join("index.md"), text).map_err(|e| e.to_string())?;
            std::fs::remove_file(file).map_err(|e| e.to_string())?;
            photo(n as u32)
                .save_with_format(dir.join("photo.jpg"), image::ImageFormat::Jpeg)
                .map_err(|e| e.to_string())
        })
}

/// Smooth light and colour with fine texture, as a photo has: it does not
/// compress like a flat chart.
fn photo(seed: u32) -> image::RgbImage {
    let (w, h) = (1600u32, 1000u32);
    let phase = seed as f32 * 0.7;
    image::RgbImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let light = ((fx / 310.0 + phase).sin() + (fy / 170.0 - phase).cos()) * 40.0;
        let grain = (((x.wrapping_mul(7919) ^ y.wrapping_mul(104_729) ^ seed) % 23) as f32) - 11.0;
        let channel = |base: f32| (base + light + grain).clamp(0.0, 255.0) as u8;
        image::Rgb([
            channel(90.0 + fx / 16.0),
            channel(120.0 + fy / 12.0),
            channel(160.0 - fx / 20.0),
        ])
    })
}
