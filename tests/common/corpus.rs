//! A synthetic briefing site, for benchmarks (`examples/gen_corpus.rs`)
//! and for checking the output of a big site (tests/checkers.rs).
//!
//! ~60 companies and 25 topics with aliases, and N articles of ~650 words
//! that tag 1–3 companies and 1–2 topics, mention others in the text, and link
//! to earlier articles.
//!
//! Real news covers a few companies a lot and most of them rarely, and that
//! changes what a build costs (long entity lists, big feeds, many related
//! candidates), so the benchmarks use a skewed corpus ([`write_skewed`]):
//! entity `i` (0-based) is tagged with a weight of `1 / (i + 1)^skew`, and
//! [`DEFAULT_SKEW`] puts the most-covered company in about 30% of the articles
//! and the least in about 1% (topics likewise: about 30% down to 2%). The tests
//! use [`write`], the uniform corpus (every entity about equally often), which
//! stays as it always was.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

const WORDS: &[&str] = &[
    "model",
    "release",
    "weights",
    "training",
    "inference",
    "compute",
    "cluster",
    "benchmark",
    "regulators",
    "investors",
    "revenue",
    "launch",
    "partners",
    "developers",
    "licence",
    "safety",
    "evaluation",
    "context",
    "tokens",
    "latency",
    "pricing",
    "enterprise",
    "customers",
    "agents",
    "the",
    "a",
    "and",
    "of",
    "to",
    "in",
    "on",
    "for",
    "with",
    "as",
    "its",
    "that",
    "which",
    "while",
    "after",
    "before",
    "because",
    "though",
    "new",
    "larger",
    "smaller",
    "faster",
    "cheaper",
    "open",
    "closed",
    "frontier",
    "reasoning",
    "multimodal",
    "quarter",
    "market",
    "share",
    "chips",
    "data",
    "centre",
    "power",
    "policy",
    "report",
    "analysts",
    "expect",
    "said",
    "announced",
    "shipped",
    "raised",
    "cut",
    "doubled",
    "tripled",
    "missed",
    "beat",
    "guidance",
    "roadmap",
    "researchers",
    "paper",
    "dataset",
    "fine-tuning",
    "deployment",
];

const COMPANY_STEMS: &[&str] = &[
    "Aster", "Borealis", "Cobalt", "Dynamo", "Ember", "Fathom", "Granite", "Helix", "Ion",
    "Juniper", "Kestrel", "Lumen", "Meridian", "Nimbus", "Onyx", "Pioneer", "Quasar", "Radiant",
    "Sable", "Tessera", "Umbra", "Vertex", "Willow", "Xenon", "Yonder", "Zephyr",
];

const TOPICS: &[&str] = &[
    "Open-source AI",
    "Frontier models",
    "Regulation",
    "AI safety",
    "Compute",
    "Funding",
    "Enterprise AI",
    "Security",
    "On-device AI",
    "Robotics",
    "Healthcare AI",
    "Chips",
    "Data centres",
    "Copyright",
    "Agents",
    "Search",
    "Advertising",
    "Education",
    "Energy",
    "Semiconductors",
    "Cloud",
    "Talent",
    "Mergers",
    "Benchmarks",
    "Open data",
];

fn company_name(i: usize) -> String {
    let stem = COMPANY_STEMS[i % COMPANY_STEMS.len()];
    match i / COMPANY_STEMS.len() {
        0 => format!("{stem} AI"),
        1 => format!("{stem} Labs"),
        n => format!("{stem} Systems {n}"),
    }
}

/// The Zipf exponent of the benchmarks' corpus: with 60 companies and 25
/// topics, the most-covered of each kind is in about 30% of the articles.
pub const DEFAULT_SKEW: f64 = 0.85;

/// Writes a site of `articles` articles over `companies` companies (and 25
/// topics) into `out`, every entity tagged about equally often; the same
/// arguments always write the same site.
pub fn write(out: &Path, articles: usize, companies: usize, seed: u64) -> std::io::Result<()> {
    write_skewed(out, articles, companies, seed, 0.0).map(|_| ())
}

/// How many articles tag each entity, in the order of the entities' ids
/// (`company-0` first), which is also their order of weight when skewed.
#[derive(Debug, Clone)]
pub struct Coverage {
    pub articles: usize,
    pub companies: Vec<usize>,
    pub topics: Vec<usize>,
}

impl Coverage {
    /// The shares (in %) of the articles that tag the most- and the
    /// least-covered entity of these counts.
    pub fn top_bottom(&self, counts: &[usize]) -> (f64, f64) {
        let share = |n: usize| 100.0 * n as f64 / self.articles.max(1) as f64;
        let top = counts.iter().copied().max().unwrap_or(0);
        let bottom = counts.iter().copied().min().unwrap_or(0);
        (share(top), share(bottom))
    }
}

/// Draws distinct entities out of `0..weights.len()` by their cumulative
/// weights (`cumulative` ends at 1).
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, skew: f64) -> Zipf {
        let weights: Vec<f64> = (0..n).map(|i| 1.0 / ((i + 1) as f64).powf(skew)).collect();
        let total: f64 = weights.iter().sum();
        let mut sum = 0.0;
        let cumulative = weights
            .iter()
            .map(|w| {
                sum += w / total;
                sum
            })
            .collect();
        Zipf { cumulative }
    }

    fn distinct(&self, rng: &mut fastrand::Rng, count: usize) -> Vec<usize> {
        let count = count.min(self.cumulative.len());
        let mut picked = Vec::with_capacity(count);
        while picked.len() < count {
            let x = rng.f64();
            let i = self
                .cumulative
                .partition_point(|&c| c < x)
                .min(self.cumulative.len() - 1);
            if !picked.contains(&i) {
                picked.push(i);
            }
        }
        picked
    }
}

/// Like [`write`], with entity `i` tagged with a weight of
/// `1 / (i + 1)^skew` and an article's entities distinct; `skew` 0 is
/// [`write`]'s uniform corpus, byte for byte. Returns how often each entity
/// was tagged.
pub fn write_skewed(
    out: &Path,
    articles: usize,
    companies: usize,
    seed: u64,
    skew: f64,
) -> std::io::Result<Coverage> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let content = out.join("content");
    for dir in ["articles", "companies", "topics"] {
        std::fs::create_dir_all(content.join(dir))?;
    }
    std::fs::write(
        out.join("site.yaml"),
        "title: \"Synthetic Briefing\"\nbase_url: \"https://bench.example.org/\"\nper_page: 20\nlogo: logo.png\n",
    )?;

    let companies: Vec<(String, String)> = (0..companies)
        .map(|i| (format!("company-{i}"), company_name(i)))
        .collect();
    for (i, (id, name)) in companies.iter().enumerate() {
        let text = format!(
            "---\nname: \"{name}\"\naliases: [\"{name} Inc\"]\nticker: \"NASDAQ: C{i:03}\"\nwebsite: \"https://{id}.example.com\"\nsummary: \"Synthetic company number {i}.\"\n---\n{name} builds models and sells access to them.\n"
        );
        std::fs::write(content.join("companies").join(format!("{id}.md")), text)?;
    }
    let topics: Vec<(String, &str)> = TOPICS.iter().map(|name| (slug(name), *name)).collect();
    for (id, name) in &topics {
        let text = format!("---\nname: \"{name}\"\nsummary: \"Coverage of {name}.\"\n---\nEverything about {name}.\n");
        std::fs::write(content.join("topics").join(format!("{id}.md")), text)?;
    }

    let skewed = (skew > 0.0).then(|| {
        (
            Zipf::new(companies.len(), skew),
            Zipf::new(topics.len(), skew),
        )
    });
    let mut coverage = Coverage {
        articles,
        companies: vec![0; companies.len()],
        topics: vec![0; topics.len()],
    };
    let start = time_day(2020, 1, 1);
    let mut files = Vec::with_capacity(articles);
    for n in 0..articles {
        let day = start + (n * 2500 / articles.max(1)) as i64;
        let (y, m, d) = civil(day);
        let stem = format!("{y:04}-{m:02}-{d:02}-briefing-{n}");
        let (tagged, topic_ids): (Vec<usize>, Vec<usize>) = match &skewed {
            // The uniform corpus draws exactly as it always did (an entity
            // may come twice), so the tests' sites do not change.
            None => (
                (0..rng.usize(1..=3))
                    .map(|_| rng.usize(..companies.len()))
                    .collect(),
                (0..rng.usize(1..=2))
                    .map(|_| rng.usize(..topics.len()))
                    .collect(),
            ),
            Some((by_company, by_topic)) => {
                let c = rng.usize(1..=3);
                let tagged = by_company.distinct(&mut rng, c);
                let t = rng.usize(1..=2);
                (tagged, by_topic.distinct(&mut rng, t))
            }
        };
        for (ids, counts) in [
            (&tagged, &mut coverage.companies),
            (&topic_ids, &mut coverage.topics),
        ] {
            for (i, count) in counts.iter_mut().enumerate() {
                if ids.contains(&i) {
                    *count += 1;
                }
            }
        }
        let mut text = String::with_capacity(5000);
        let title_company = &companies[tagged[0]].1;
        let _ = writeln!(
            text,
            "---\ntitle: \"{title_company} {} {} #{n}\"",
            pick(&mut rng),
            pick(&mut rng)
        );
        let _ = writeln!(text, "date: {y:04}-{m:02}-{d:02}");
        let ids: Vec<&str> = tagged.iter().map(|&c| companies[c].0.as_str()).collect();
        let _ = writeln!(text, "companies: [{}]", ids.join(", "));
        let ids: Vec<&str> = topic_ids.iter().map(|&t| topics[t].0.as_str()).collect();
        let _ = writeln!(text, "topics: [{}]", ids.join(", "));
        let _ = writeln!(text, "author: \"Analyst {}\"", n % 7);
        let _ = writeln!(text, "sources:\n  - title: \"Press release\"\n    url: \"https://example.com/news/{n}\"\n---");
        for paragraph in 0..8 {
            if paragraph == 3 {
                text.push_str("\n## Why it matters\n\n");
            }
            for sentence in 0..5 {
                for w in 0..15 {
                    if w > 0 {
                        text.push(' ');
                    }
                    text.push_str(pick(&mut rng));
                }
                if sentence == 2 && rng.u8(..4) == 0 {
                    let other = &companies[rng.usize(..companies.len())].1;
                    let _ = write!(text, " as {other} noted");
                }
                text.push_str(". ");
            }
            if paragraph == 5 && n > 0 {
                let earlier: &String = &files[rng.usize(..n)];
                let _ = write!(text, "See [an earlier briefing](@/articles/{earlier}.md).");
            }
            text.push_str("\n\n");
        }
        std::fs::write(content.join("articles").join(format!("{stem}.md")), text)?;
        files.push(stem);
    }
    Ok(coverage)
}

fn pick(rng: &mut fastrand::Rng) -> &'static str {
    WORDS[rng.usize(..WORDS.len())]
}

fn slug(name: &str) -> String {
    name.to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Days since 1970-01-01 of a civil date, and back (Howard Hinnant's algorithms).
fn time_day(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}
