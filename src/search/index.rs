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

use minicbor::{Decoder, Encoder};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::fields;
use super::file::gzip;
use super::page::{pack_meta, Form, Page};
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
    /// The content hash of each page's fragment, by page number.
    hashes: Vec<String>,
    meta_fields: Vec<String>,
    names: HashSet<String>,
    language: String,
}

/// The compressed word chunks of the last [`Index::finish`], by the hash
/// of their content: an index finished again after a few pages changed
/// compresses only the chunks those pages changed.
#[derive(Default)]
pub struct ChunkCache {
    files: FxHashMap<String, Vec<u8>>,
}

/// A page that [`Index::replace`] cannot put in place of another exactly
/// as a build from scratch would order it: a new meta field, or a word's
/// diacritic forms first met on a page whose order is not at hand. Index
/// everything again.
#[derive(Debug)]
pub struct Rebuild;

/// A word's pages, already encoded as the chunk holds them.
#[derive(Default)]
struct Word {
    pages: Postings,
    /// The word's forms with diacritics, each with its own pages.
    variants: Vec<(String, Postings)>,
}

impl Word {
    /// Sets the postings of `page` in the word's diacritic forms to
    /// `variants` (form, locations, meta locations, in the page's order),
    /// keeping the forms in the order a build from scratch gives them: of
    /// the page each was first met on, and on one page, of the page's forms.
    fn replace_variants(
        &mut self,
        page: u32,
        variants: &[(String, Vec<i32>, Vec<i32>)],
    ) -> Result<(), Rebuild> {
        let first = |p: &Postings| p.first_page().map_err(|_| Rebuild);
        let before: Vec<(String, Option<u32>)> = self
            .variants
            .iter()
            .map(|(form, postings)| Ok((form.clone(), first(postings)?)))
            .collect::<Result<_, Rebuild>>()?;
        for (form, postings) in &mut self.variants {
            let entry = variants
                .iter()
                .find(|(f, _, _)| f == form)
                .map(|(_, l, m)| (&l[..], &m[..]));
            postings.set(page, entry).map_err(|_| Rebuild)?;
        }
        for (form, locations, meta) in variants {
            if !self.variants.iter().any(|(f, _)| f == form) {
                let mut postings = Postings::default();
                postings.add(page, locations, meta);
                self.variants.push((form.clone(), postings));
            }
        }
        self.variants.retain(|(_, postings)| postings.count > 0);
        let mut order = Vec::with_capacity(self.variants.len());
        for (form, postings) in &self.variants {
            let now = first(postings)?.ok_or(Rebuild)?;
            let was = before.iter().find(|(f, _)| f == form).and_then(|(_, p)| *p);
            // First met on a later page now, beside others first met there:
            // their order is that page's, which is not at hand.
            if was == Some(page) && now != page {
                let beside = self
                    .variants
                    .iter()
                    .filter(|(f, p)| f != form && first(p).ok().flatten() == Some(now));
                if beside.count() > 0 {
                    return Err(Rebuild);
                }
            }
            let on_page = match now == page {
                true => variants.iter().position(|(f, _, _)| f == form),
                false => None,
            };
            order.push((now, on_page.unwrap_or(0)));
        }
        let mut keyed: Vec<((u32, usize), (String, Postings))> =
            order.into_iter().zip(self.variants.drain(..)).collect();
        keyed.sort_by_key(|(key, _)| *key);
        self.variants = keyed.into_iter().map(|(_, variant)| variant).collect();
        Ok(())
    }
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
        let name = name(&mut self.names, &self.language, &page.hash);
        self.hashes.push(page.hash);
        let fragment = (format!("fragment/{name}.pf_fragment"), page.fragment);
        self.pages.push((name, page.word_count));
        for (key, forms) in page.words {
            let word = self.words.entry(key).or_default();
            for form in forms {
                let meta = packed_meta(&mut self.meta_fields, form.meta);
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

    /// Puts `new` in place of page `number`, which was `old`: the same
    /// bytes as an index built from scratch with `new` in that place.
    /// Returns the new page's fragment file. On [`Rebuild`] the index is
    /// left half changed, and must be dropped.
    pub fn replace(
        &mut self,
        number: usize,
        old: Page,
        new: Page,
    ) -> Result<(String, Vec<u8>), Rebuild> {
        let page = u32::try_from(number).map_err(|_| Rebuild)?;
        if number >= self.pages.len() {
            return Err(Rebuild);
        }
        // Names that met depend on the order they were given in: all are
        // given again, in page order.
        self.hashes[number].clone_from(&new.hash);
        self.names.clear();
        for (i, hash) in self.hashes.iter().enumerate() {
            self.pages[i].0 = name(&mut self.names, &self.language, hash);
        }
        self.pages[number].1 = new.word_count;
        let fragment = (
            format!("fragment/{}.pf_fragment", self.pages[number].0),
            new.fragment,
        );

        // Each word the page had or has: its posting for the page, if any.
        let mut touched: FxHashMap<String, Vec<Form>> = old
            .words
            .into_iter()
            .map(|(key, _)| (key, Vec::new()))
            .collect();
        for (key, forms) in new.words {
            touched.insert(key, forms);
        }
        for (key, forms) in touched {
            let known = |field: &String| self.meta_fields.contains(field);
            if forms
                .iter()
                .any(|f| !f.meta.iter().all(|(field, _)| known(field)))
            {
                return Err(Rebuild);
            }
            let word = self.words.entry(key).or_default();
            let mut main = None;
            let mut variants: Vec<(String, Vec<i32>, Vec<i32>)> = Vec::new();
            for form in forms {
                let meta = packed_meta(&mut self.meta_fields, form.meta);
                match form.original {
                    None => main = Some((form.locations, meta)),
                    Some(original) => variants.push((original, form.locations, meta)),
                }
            }
            word.pages
                .set(page, main.as_ref().map(|(l, m)| (&l[..], &m[..])))
                .map_err(|_| Rebuild)?;
            if !word.variants.is_empty() || !variants.is_empty() {
                word.replace_variants(page, &variants)?;
            }
        }
        self.words
            .retain(|_, word| word.pages.count > 0 || !word.variants.is_empty());

        for values in self.filters.values_mut() {
            for pages in values.values_mut() {
                pages.retain(|&p| p != page);
            }
            values.retain(|_, pages| !pages.is_empty());
        }
        for (filter, values) in new.filters {
            let filter = self.filters.entry(filter).or_default();
            for value in values {
                let pages = filter.entry(value).or_default();
                if let Err(at) = pages.binary_search(&page) {
                    pages.insert(at, page);
                }
            }
        }
        self.filters.retain(|_, values| !values.is_empty());
        Ok(fragment)
    }

    /// The fragment file of page `number`, bundle-relative.
    pub fn fragment_path(&self, number: usize) -> Option<String> {
        let (name, _) = self.pages.get(number)?;
        Some(format!("fragment/{name}.pf_fragment"))
    }

    /// The bundle's other files (chunks, filters, meta and entry),
    /// bundle-relative, the entry file last.
    ///
    /// It can be called again after [`Index::replace`]: with a `cache`, the
    /// word chunks whose bytes did not change are not compressed again.
    pub fn finish(
        &mut self,
        version: &str,
        stems: bool,
        cache: Option<&mut ChunkCache>,
    ) -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        // The fragments' names are the index's; the other files' are made anew.
        let mut names = self.names.clone();
        let language = self.language.clone();
        let mut name = |hash: &str| name(&mut names, &language, hash);
        if let Some(map) = fields::renumbering(&mut self.meta_fields) {
            self.words.par_iter_mut().for_each(|(_, word)| {
                word.pages.renumber(&map);
                for (_, postings) in &mut word.variants {
                    postings.renumber(&map);
                }
            });
        }

        let mut words: Vec<(&String, &Word)> = self.words.iter().collect();
        words.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let chunks = chunk(words);
        let cached = cache.as_deref();
        let encoded: Vec<(String, Vec<u8>)> = chunks
            .par_iter()
            .map(|words| {
                let cbor = encode_chunk(words);
                let hash = sha256_hex(&cbor);
                let file = match cached.and_then(|c| c.files.get(&hash)) {
                    Some(file) => file.clone(),
                    None => gzip(&cbor),
                };
                (hash, file)
            })
            .collect();
        if let Some(cache) = cache {
            cache.files = encoded.iter().cloned().collect();
        }
        let mut chunk_meta = Vec::with_capacity(chunks.len());
        for ((from, to), (hash, file)) in chunk_ranges(&chunks).into_iter().zip(encoded) {
            let name = name(&hash);
            files.push((format!("index/{name}.pf_index"), file));
            chunk_meta.push((from, to, name));
        }

        let mut filter_meta = Vec::new();
        for (filter, values) in &self.filters {
            let cbor = encode_filter(filter, values);
            let name = name(&sha256_hex(&cbor));
            files.push((format!("filter/{name}.pf_filter"), gzip(&cbor)));
            filter_meta.push((filter.clone(), name));
        }

        let meta = self.encode_meta(version, &chunk_meta, &filter_meta);
        let meta_name = name(&sha256_hex(&meta));
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

    /// The page of the first posting.
    fn first_page(&self) -> Result<Option<u32>, minicbor::decode::Error> {
        if self.count == 0 {
            return Ok(None);
        }
        let mut d = Decoder::new(&self.cbor);
        d.array()?;
        Ok(Some(d.u32()?))
    }

    /// Sets the posting of `page` to `entry` (locations and meta
    /// locations), or removes it, keeping the others as they are.
    fn set(
        &mut self,
        page: u32,
        entry: Option<(&[i32], &[i32])>,
    ) -> Result<(), minicbor::decode::Error> {
        // The postings before `page`, the one of `page`, and the next.
        let mut d = Decoder::new(&self.cbor);
        let mut at = 0;
        let mut before_end = 0;
        let mut before_last = 0;
        let mut removed_size = 0;
        let mut found = false;
        let mut next: Option<(usize, u32)> = None;
        let mut index = 0;
        while (index as u64) < self.count {
            let start = d.position();
            d.array()?;
            let gap = d.u32()?;
            let here = at + gap;
            let locations = d.array()?.unwrap_or_default();
            for _ in 0..locations {
                d.skip()?;
            }
            let meta = d.array()?.unwrap_or_default();
            for _ in 0..meta {
                d.skip()?;
            }
            index += 1;
            if here < page {
                before_end = d.position();
                before_last = here;
            } else if here == page {
                found = true;
                removed_size = (locations + meta + 1) as usize;
            } else {
                next = Some((start, here));
                break;
            }
            at = here;
        }
        let mut cbor = Vec::with_capacity(self.cbor.len() + 64);
        cbor.extend_from_slice(&self.cbor[..before_end]);
        let mut last = before_last;
        let mut count = self.count - u64::from(found);
        let mut size = self.size - removed_size;
        if let Some((locations, meta)) = entry {
            let mut entry = Postings {
                last_page: before_last,
                ..Postings::default()
            };
            entry.add(page, locations, meta);
            cbor.extend_from_slice(&entry.cbor);
            last = page;
            count += 1;
            size += entry.size;
        }
        match next {
            Some((start, here)) => {
                // The next posting's gap counts from the one before it now.
                let mut d = Decoder::new(&self.cbor[start..]);
                d.array()?;
                d.u32()?;
                let rest = start + d.position();
                append(&mut cbor, |e| {
                    e.array(3)?.u32(here - last)?;
                    Ok(())
                });
                cbor.extend_from_slice(&self.cbor[rest..]);
            }
            None => self.last_page = last,
        }
        self.cbor = cbor;
        self.count = count;
        self.size = size;
        Ok(())
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

/// A file name from a content hash, `en_1a2b3c4`, longer where two
/// files would otherwise share one.
fn name(names: &mut HashSet<String>, language: &str, hash: &str) -> String {
    let mut length = SHORT_NAME;
    loop {
        let name = format!("{language}_{}", &hash[..length]);
        if length == hash.len() || names.insert(name.clone()) {
            return name;
        }
        length += 1;
    }
}

/// The hex digits of a content hash that name a file when no other file
/// of the bundle starts with the same.
const SHORT_NAME: usize = 7;

/// A form's meta positions, packed, its fields numbered in `fields`.
fn packed_meta(fields: &mut Vec<String>, meta: Vec<(String, u32)>) -> Vec<i32> {
    match meta.is_empty() {
        true => Vec::new(),
        false => pack_meta(
            meta.into_iter()
                .map(|(field, at)| (field_id(fields, field), at))
                .collect(),
        ),
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
fn chunk<'w>(words: Vec<(&'w String, &'w Word)>) -> Vec<Vec<(&'w String, &'w Word)>> {
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
fn chunk_ranges(chunks: &[Vec<(&String, &Word)>]) -> Vec<(String, String)> {
    let mut ranges: Vec<(String, String)> = chunks
        .iter()
        .map(|words| {
            let first = words
                .first()
                .map(|(k, _)| k.to_string())
                .unwrap_or_default();
            let last = words.last().map(|(k, _)| k.to_string()).unwrap_or_default();
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

fn encode_chunk(words: &[(&String, &Word)]) -> Vec<u8> {
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
        let words: Vec<(String, Word)> = ["apple", "apricot", "banana", "peach"]
            .iter()
            .map(|key| (key.to_string(), Word::default()))
            .collect();
        let word = |i: usize| (&words[i].0, &words[i].1);
        let chunks = vec![vec![word(0)], vec![word(1), word(2)], vec![word(3)]];
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
        let mut names = HashSet::new();
        let hash = sha256_hex(b"one");
        let first = name(&mut names, "en", &hash);
        assert_eq!(first, format!("en_{}", &hash[..7]));
        assert_eq!(name(&mut names, "en", &hash), format!("en_{}", &hash[..8]));
    }
}
