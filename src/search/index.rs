//! The index in Pagefind 1.x's format, which its WebAssembly reads in the
//! browser (Pagefind's `index/` and `output/` modules write the same):
//!
//! - `pagefind.<hash>.pf_meta`: the version, every page (fragment hash and
//!   word count), which word chunk holds which range of words, the filter
//!   files, and the meta field names;
//! - `index/<hash>.pf_index`: chunks of words in order, each word with the
//!   pages it is on (page numbers as gaps) and its packed positions;
//! - `filter/<hash>.pf_filter`: each value of a filter with its pages;
//! - `fragment/<hash>.pf_fragment`: one page's JSON;
//! - `pagefind-entry.json`: the version and, per language, the meta file.
//!
//! All but the entry are CBOR or JSON, encoded by [`super::file`]. File
//! names are content hashes, so a browser may cache them forever. Pages are merged in the order given, so the same pages give the
//! same bytes.

use std::collections::{BTreeMap, HashSet};
use std::convert::Infallible;

use minicbor::Encoder;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::fields;
use super::file::gzip;
use super::page::{pack_meta, Page};
use super::words::WORD_SYMBOLS;
use crate::checksum::sha256_hex;

/// Words are cut into chunks of about this many positions, so a search
/// loads only the chunks its words fall in (Pagefind's default).
const CHUNK_SIZE: usize = 20_000;

/// The index being built, a page at a time.
#[derive(Default)]
pub struct Index {
    words: FxHashMap<String, Word>,
    filters: BTreeMap<String, BTreeMap<String, Vec<u32>>>,
    /// Fragment file name and word count of each page, by page number.
    pages: Vec<(String, u32)>,
    meta_fields: Vec<String>,
    names: HashSet<String>,
    language: String,
}

/// A word's pages, already encoded as the chunk holds them.
#[derive(Default)]
struct Word {
    pages: Postings,
    /// The word's forms with diacritics, each with its own pages.
    variants: Vec<(String, Postings)>,
}

#[derive(Default)]
struct Postings {
    /// CBOR of each `[page gap, locations, meta locations]`.
    cbor: Vec<u8>,
    count: u64,
    last_page: u32,
    /// The positions held, which decide where chunks end.
    size: usize,
}

impl Index {
    pub fn new(language: &str) -> Self {
        Index {
            language: language.to_string(),
            ..Index::default()
        }
    }

    /// Adds the next page; returns its fragment file, bundle-relative, for
    /// the caller to write or keep.
    pub fn add(&mut self, page: Page) -> (String, Vec<u8>) {
        let number = self.pages.len() as u32;
        let name = self.name(&page.hash);
        let fragment = (format!("fragment/{name}.pf_fragment"), page.fragment);
        self.pages.push((name, page.word_count));
        for (key, forms) in page.words {
            let word = self.words.entry(key).or_default();
            for form in forms {
                let meta = match form.meta.is_empty() {
                    true => Vec::new(),
                    false => pack_meta(
                        form.meta
                            .into_iter()
                            .map(|(field, at)| (field_id(&mut self.meta_fields, field), at))
                            .collect(),
                    ),
                };
                let postings = match form.original {
                    None => &mut word.pages,
                    Some(original) => {
                        match word.variants.iter().position(|(v, _)| *v == original) {
                            Some(i) => &mut word.variants[i].1,
                            None => {
                                word.variants.push((original, Postings::default()));
                                &mut word.variants.last_mut().expect("just pushed").1
                            }
                        }
                    }
                };
                postings.add(number, &form.locations, &meta);
            }
        }
        for (filter, values) in page.filters {
            let filter = self.filters.entry(filter).or_default();
            for value in values {
                filter.entry(value).or_default().push(number);
            }
        }
        fragment
    }

    /// The bundle's other files (chunks, filters, meta and entry),
    /// bundle-relative, the entry file last.
    pub fn finish(mut self, version: &str, stems: bool) -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        if let Some(map) = fields::renumbering(&mut self.meta_fields) {
            self.words.par_iter_mut().for_each(|(_, word)| {
                word.pages.renumber(&map);
                for (_, postings) in &mut word.variants {
                    postings.renumber(&map);
                }
            });
        }

        let mut words: Vec<(String, Word)> = std::mem::take(&mut self.words).into_iter().collect();
        words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let chunks = chunk(words);
        let encoded: Vec<(String, Vec<u8>)> = chunks
            .par_iter()
            .map(|words| {
                let cbor = encode_chunk(words);
                (sha256_hex(&cbor), gzip(&cbor))
            })
            .collect();
        let mut chunk_meta = Vec::with_capacity(chunks.len());
        for ((from, to), (hash, file)) in chunk_ranges(&chunks).into_iter().zip(encoded) {
            let name = self.name(&hash);
            files.push((format!("index/{name}.pf_index"), file));
            chunk_meta.push((from, to, name));
        }

        let mut filter_meta = Vec::new();
        for (filter, values) in std::mem::take(&mut self.filters) {
            let cbor = encode_filter(&filter, &values);
            let name = self.name(&sha256_hex(&cbor));
            files.push((format!("filter/{name}.pf_filter"), gzip(&cbor)));
            filter_meta.push((filter, name));
        }

        let meta = self.encode_meta(version, &chunk_meta, &filter_meta);
        let meta_name = self.name(&sha256_hex(&meta));
        files.push((format!("pagefind.{meta_name}.pf_meta"), gzip(&meta)));

        let wasm = stems.then_some(self.language.as_str());
        let entry = serde_json::json!({
            "version": version,
            "languages": { &self.language: {
                "hash": meta_name,
                "wasm": wasm,
                "page_count": self.pages.len(),
            }},
            "include_characters": WORD_SYMBOLS,
        });
        files.push((
            "pagefind-entry.json".to_string(),
            entry.to_string().into_bytes(),
        ));
        files
    }

    /// A file name from a content hash, `en_1a2b3c4`, longer where two
    /// files would otherwise share one.
    fn name(&mut self, hash: &str) -> String {
        let mut length = 7;
        loop {
            let name = format!("{}_{}", self.language, &hash[..length]);
            if length == hash.len() || self.names.insert(name.clone()) {
                return name;
            }
            length += 1;
        }
    }

    fn encode_meta(
        &self,
        version: &str,
        chunks: &[(String, String, String)],
        filters: &[(String, String)],
    ) -> Vec<u8> {
        cbor(|e| {
            e.array(6)?.str(version)?;
            e.array(self.pages.len() as u64)?;
            for (hash, word_count) in &self.pages {
                e.array(3)?.str(hash)?.u32(*word_count)?.str("")?;
            }
            e.array(chunks.len() as u64)?;
            for (from, to, hash) in chunks {
                e.array(3)?.str(from)?.str(to)?.str(hash)?;
            }
            e.array(filters.len() as u64)?;
            for (filter, hash) in filters {
                e.array(2)?.str(filter)?.str(hash)?;
            }
            // No sort orders.
            e.array(0)?;
            e.array(self.meta_fields.len() as u64)?;
            for field in &self.meta_fields {
                e.str(field)?;
            }
            Ok(())
        })
    }
}

impl Postings {
    fn add(&mut self, page: u32, locations: &[i32], meta: &[i32]) {
        let gap = page - self.last_page;
        append(&mut self.cbor, |e| {
            e.array(3)?.u32(gap)?;
            e.array(locations.len() as u64)?;
            for &at in locations {
                e.i32(at)?;
            }
            e.array(meta.len() as u64)?;
            for &at in meta {
                e.i32(at)?;
            }
            Ok(())
        });
        self.count += 1;
        self.last_page = page;
        self.size += locations.len() + meta.len() + 1;
    }

    /// Renumbers the meta fields of these postings (see `fields.rs`).
    fn renumber(&mut self, map: &[u16]) {
        // Postings this index encoded itself always decode.
        if let Ok(cbor) = fields::renumber(&self.cbor, self.count, map) {
            self.cbor = cbor;
        }
    }

    fn encode(&self, e: &mut Cbor) -> Written {
        e.array(self.count)?;
        e.writer_mut().extend_from_slice(&self.cbor);
        Ok(())
    }
}

fn field_id(fields: &mut Vec<String>, field: String) -> u16 {
    let id = match fields.iter().position(|f| *f == field) {
        Some(id) => id,
        None => {
            fields.push(field);
            fields.len() - 1
        }
    };
    u16::try_from(id).unwrap_or(u16::MAX)
}

/// Words in order, cut where a chunk has held enough positions.
fn chunk(words: Vec<(String, Word)>) -> Vec<Vec<(String, Word)>> {
    let mut chunks = Vec::new();
    let mut current = Vec::new();
    let mut size = 0;
    for (key, word) in words {
        size += word.pages.size
            + word.variants.iter().map(|(_, p)| p.size).sum::<usize>()
            + word.variants.len();
        current.push((key, word));
        if size >= CHUNK_SIZE {
            chunks.push(std::mem::take(&mut current));
            size = 0;
        }
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

/// The range of words each chunk answers for, as short as tells them apart:
/// the prefixes up to the first letter where neighbours differ.
fn chunk_ranges(chunks: &[Vec<(String, Word)>]) -> Vec<(String, String)> {
    let mut ranges: Vec<(String, String)> = chunks
        .iter()
        .map(|words| {
            let first = words.first().map(|(k, _)| k.clone()).unwrap_or_default();
            let last = words.last().map(|(k, _)| k.clone()).unwrap_or_default();
            (first, last)
        })
        .collect();
    for i in 1..ranges.len() {
        let (to, from) = prefixes(&ranges[i - 1].1, &ranges[i].0);
        // Trimming `to` below `from` would leave words out of the range.
        if to >= ranges[i - 1].0 {
            ranges[i - 1].1 = to;
        }
        ranges[i].0 = from;
    }
    ranges
}

fn prefixes(a: &str, b: &str) -> (String, String) {
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    (
        a.chars().take(common + 1).collect(),
        b.chars().take(common + 1).collect(),
    )
}

fn encode_chunk(words: &[(String, Word)]) -> Vec<u8> {
    cbor(|e| {
        e.array(1)?.array(words.len() as u64)?;
        for (key, word) in words {
            e.array(3)?.str(key)?;
            word.pages.encode(e)?;
            e.array(word.variants.len() as u64)?;
            for (form, postings) in &word.variants {
                e.array(2)?.str(form)?;
                postings.encode(e)?;
            }
        }
        Ok(())
    })
}

fn encode_filter(filter: &str, values: &BTreeMap<String, Vec<u32>>) -> Vec<u8> {
    cbor(|e| {
        e.array(2)?.str(filter)?.array(values.len() as u64)?;
        for (value, pages) in values {
            e.array(2)?.str(value)?.array(pages.len() as u64)?;
            for &page in pages {
                e.u32(page)?;
            }
        }
        Ok(())
    })
}

type Cbor<'a> = Encoder<&'a mut Vec<u8>>;
type Written = Result<(), minicbor::encode::Error<Infallible>>;

fn cbor(write: impl FnOnce(&mut Cbor) -> Written) -> Vec<u8> {
    let mut buffer = Vec::new();
    append(&mut buffer, write);
    buffer
}

fn append(buffer: &mut Vec<u8>, write: impl FnOnce(&mut Cbor) -> Written) {
    write(&mut Encoder::new(buffer)).expect("writing to memory does not fail");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_ranges_are_trimmed_to_telling_prefixes() {
        let word = |key: &str| (key.to_string(), Word::default());
        let chunks = vec![
            vec![word("apple")],
            vec![word("apricot"), word("banana")],
            vec![word("peach")],
        ];
        assert_eq!(
            chunk_ranges(&chunks),
            [
                ("apple".into(), "apple".into()),
                ("apr".into(), "b".into()),
                ("p".into(), "peach".into())
            ]
        );
    }

    #[test]
    fn names_grow_only_where_hashes_meet() {
        let mut index = Index::new("en");
        let hash = sha256_hex(b"one");
        let first = index.name(&hash);
        assert_eq!(first, format!("en_{}", &hash[..7]));
        assert_eq!(index.name(&hash), format!("en_{}", &hash[..8]));
    }
}
