//! Writes a synthetic briefing site for benchmarks:
//!
//! ```text
//! cargo run --release --example gen_corpus -- --articles 10000 --out /dev/shm/corpus10k
//! ```
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
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        articles: 1000,
        companies: 60,
        out: PathBuf::from("corpus"),
        seed: 42,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
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
                "error: {e}\nusage: gen_corpus --articles N [--companies 60] --out DIR [--seed 42]"
            );
            std::process::exit(2);
        }
    };
    if let Err(e) = corpus::write(&args.out, args.articles, args.companies, args.seed) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
    println!(
        "wrote {} articles and {} companies to {}",
        args.articles,
        args.companies,
        args.out.display()
    );
}
