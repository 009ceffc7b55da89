//! One page as the index holds it: its words with their positions and
//! weights, and the fragment the search page shows for it (URL, title, text
//! for excerpts, filters, anchors). Pages are prepared in parallel and
//! merged in order by [`super::index::Index`].

use std::borrow::Cow;
use std::collections::BTreeMap;

use hashbrown::HashMap;
use rustc_hash::FxBuildHasher;

use serde::Serialize;

use super::extract::{self, Digest, Mark, UNIT_WEIGHT};
use super::file::gzip;
use super::words::Vocabulary;
use crate::checksum::sha256_hex;

/// A page ready to merge into the index.
#[derive(Debug, Clone)]
pub struct Page {
    /// The fragment file: the page's JSON, as the search page reads it.
    pub fragment: Vec<u8>,
    /// The hash of the JSON, which names the file.
    pub hash: String,
    pub word_count: u32,
    /// Each word's forms on the page, in no particular order.
    pub words: Vec<(String, Vec<Form>)>,
    pub filters: BTreeMap<String, Vec<String>>,
}

/// One written form of a word on a page: its positions in the text, and in
/// the meta fields (the title).
#[derive(Debug, Default, Clone)]
pub struct Form {
    /// The form with diacritics, when it differs from the word's key.
    pub original: Option<String>,
    /// Positions and weights, packed as Pagefind stores them.
    pub locations: Vec<i32>,
    /// Positions in meta fields: (field name, word position).
    pub meta: Vec<(String, u32)>,
}

/// One written form of a word while the page is read.
struct Spelling {
    /// `None`: as the word's key.
    original: Option<String>,
    /// Positions and weights in the text.
    at: Vec<(u32, u8)>,
    /// Positions in meta fields.
    meta: Vec<(String, u32)>,
}

/// The words of a page by key, each with its written forms.
type Found = HashMap<String, Vec<Spelling>, FxBuildHasher>;

/// The spelling `original` of a word, added if new.
fn spelling<'f>(spellings: &'f mut Vec<Spelling>, original: &Option<String>) -> &'f mut Spelling {
    match spellings.iter().position(|s| s.original == *original) {
        Some(i) => &mut spellings[i],
        None => {
            spellings.push(Spelling {
                original: original.clone(),
                at: Vec::new(),
                meta: Vec::new(),
            });
            spellings.last_mut().expect("just pushed")
        }
    }
}

#[derive(Serialize)]
struct Fragment<'a> {
    url: &'a str,
    content: &'a str,
    word_count: u32,
    filters: &'a BTreeMap<String, Vec<String>>,
    meta: &'a BTreeMap<String, String>,
    anchors: &'a [Anchor],
}

#[derive(Serialize)]
struct Anchor {
    element: String,
    id: String,
    text: String,
    location: u32,
}

/// Reads the page at `url` (root-relative, as the search page links it).
pub fn prepare(url: &str, html: &str, vocabulary: &mut Vocabulary) -> Result<Page, String> {
    from_digest(url, &extract::read(html)?, vocabulary)
}

/// The page at `url` from its digest, however it was read (settled: its
/// image, if any, is in its meta).
pub fn from_digest(
    url: &str,
    digest: &Digest,
    vocabulary: &mut Vocabulary,
) -> Result<Page, String> {
    let Digest {
        text,
        marks,
        filters,
        meta,
        anchors,
        image: _,
    } = digest;
    let mut read = read_words(text, marks, anchors, vocabulary);
    add_meta_words(meta, vocabulary, &mut read.found);
    let words = read
        .found
        .into_iter()
        .map(|(key, spellings)| {
            let forms = spellings
                .into_iter()
                .map(|spelling| Form {
                    original: spelling.original,
                    locations: pack(spelling.at),
                    meta: spelling.meta,
                })
                .collect();
            (key, forms)
        })
        .collect();

    // Pagefind counts a page without words as one word long.
    let word_count = read.count.max(1);
    let fragment = serde_json::to_string(&Fragment {
        url,
        content: &read.content,
        word_count,
        filters,
        meta,
        anchors: &read.anchors,
    })
    .map_err(|e| e.to_string())?;
    Ok(Page {
        hash: sha256_hex(fragment.as_bytes()),
        fragment: gzip(fragment.as_bytes()),
        word_count,
        words,
        filters: filters.clone(),
    })
}

/// The words of a page's text, as the index and the fragment hold them.
struct Read {
    /// The text, one space between words, for excerpts.
    content: String,
    found: Found,
    anchors: Vec<Anchor>,
    /// How many words.
    count: u32,
}

/// Numbers the words of `text` and finds their forms, weighing each as the
/// marks in force where it stands say, and placing each anchor at the word
/// it starts at.
fn read_words(
    text: &str,
    marks: &[(usize, Mark)],
    anchors: &[extract::Anchor],
    vocabulary: &mut Vocabulary,
) -> Read {
    let mut read = Read {
        content: String::with_capacity(text.len()),
        found: Found::default(),
        anchors: Vec::with_capacity(anchors.len()),
        count: 0,
    };
    let mut anchors = anchors.iter();
    let mut weights = vec![UNIT_WEIGHT];
    let mut marks = marks.iter().copied().peekable();
    let mut apply = |mark: Mark, position: u32, weights: &mut Vec<u8>, read: &mut Read| match mark {
        Mark::Weight { weight, automatic } => {
            // A heading inside a weighted part weighs what the part does.
            let inherited = weights
                .last()
                .copied()
                .filter(|_| automatic && weights.len() > 1);
            weights.push(inherited.unwrap_or(weight));
        }
        Mark::End => {
            if weights.len() > 1 {
                weights.pop();
            }
        }
        Mark::Anchor(_) => {
            if let Some(anchor) = anchors.next() {
                read.anchors.push(Anchor {
                    element: anchor.element.clone(),
                    id: anchor.id.clone(),
                    text: anchor.text.clone(),
                    location: position,
                });
            }
        }
    };
    for word in text.split_whitespace() {
        let offset = word.as_ptr() as usize - text.as_ptr() as usize;
        while let Some((_, mark)) = marks.next_if(|(at, _)| *at <= offset) {
            apply(mark, read.count, &mut weights, &mut read);
        }
        let word = match word.contains('\u{200B}') {
            true => Cow::Owned(word.replace('\u{200B}', "")),
            false => Cow::Borrowed(word),
        };
        if word.is_empty() {
            continue;
        }
        read.content.push_str(&word);
        read.content.push(' ');
        let weight = weights.last().copied().unwrap_or(UNIT_WEIGHT);
        let forms = vocabulary.text_word(&word);
        let parts = forms.iter().filter(|f| f.compound_part).count();
        // The parts of a compound word share its weight.
        let part_weight = match u8::try_from(parts) {
            _ if parts == 0 || weight == 0 => 0,
            Ok(parts) => (weight / parts).max(1),
            Err(_) => 1,
        };
        for form in forms {
            let weight = if form.compound_part {
                part_weight
            } else {
                weight
            };
            // The key is copied only the first time on the page.
            let spellings = read.found.entry_ref(form.key.as_str()).or_default();
            spelling(spellings, &form.original)
                .at
                .push((read.count, weight));
        }
        read.count += 1;
    }
    for (_, mark) in marks {
        apply(mark, read.count, &mut weights, &mut read);
    }
    read.content.pop();
    read
}

/// Adds the words of the meta fields (the title) to the page's words.
fn add_meta_words(meta: &BTreeMap<String, String>, vocabulary: &Vocabulary, found: &mut Found) {
    for (field, value) in meta {
        for (at, word) in value.split_whitespace().enumerate() {
            for form in vocabulary.meta_word(word) {
                let spellings = found.entry(form.key).or_default();
                spelling(spellings, &form.original)
                    .meta
                    .push((field.clone(), at as u32));
            }
        }
    }
}

/// Positions with their weights as Pagefind packs them: grouped by weight,
/// each group opened by `-(weight + 1)` and its first position, then the
/// gaps between positions.
fn pack(mut at: Vec<(u32, u8)>) -> Vec<i32> {
    // Pagefind sorts a weight of 25 first, as the one it once meant to be
    // the most common; no weight here is 25, but the order must match.
    at.sort_unstable_by_key(|&(position, weight)| {
        (if weight == 25 { 0 } else { weight }, position)
    });
    let mut packed = Vec::with_capacity(at.len() + 2);
    let mut current = 25;
    let mut last = 0;
    for (position, weight) in at {
        if weight != current {
            packed.push(-i32::from(weight) - 1);
            packed.push(position as i32);
            current = weight;
        } else {
            packed.push((position - last) as i32);
        }
        last = position;
    }
    packed
}

/// Meta positions as Pagefind packs them: for each field (by its number in
/// the index's list of fields), `-(field + 1)`, then the gaps between the
/// positions in it.
pub fn pack_meta(mut at: Vec<(u16, u32)>) -> Vec<i32> {
    at.sort_unstable();
    let mut packed = Vec::with_capacity(at.len() + 2);
    let mut field = None;
    let mut last = 0;
    for (id, position) in at {
        if field != Some(id) {
            packed.push(-i32::from(id) - 1);
            field = Some(id);
            last = 0;
        }
        packed.push((position - last) as i32);
        last = position;
    }
    packed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::words;

    fn fragment(page: &Page) -> serde_json::Value {
        let mut json = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(&page.fragment[..]),
            &mut json,
        )
        .unwrap();
        assert!(json.starts_with(b"pagefind_dcd"));
        serde_json::from_slice(&json[12..]).unwrap()
    }

    fn page(body: &str) -> Page {
        let html =
            format!("<html><body><article data-pagefind-body>{body}</article></body></html>");
        let stemmer = words::stemmer("en");
        prepare(
            "/articles/x/",
            &html,
            &mut Vocabulary::new(stemmer.as_ref()),
        )
        .unwrap()
    }

    fn form<'p>(page: &'p Page, key: &str) -> &'p [Form] {
        &page.words.iter().find(|(k, _)| k == key).unwrap().1
    }

    #[test]
    fn positions_count_words_and_headings_weigh_more() {
        let page = page("<h1>Models</h1><p>Meta releases models.</p>");
        assert_eq!(page.word_count, 4);
        let models = &form(&page, "model")[0];
        // The heading (weight 7) and the text (weight 1), by weight.
        assert_eq!(models.locations, [-25, 3, -169, 0]);
        assert_eq!(models.meta, [("title".to_string(), 0)]);
        let json = fragment(&page);
        assert_eq!(json["content"], "Models. Meta releases models.");
        assert_eq!(json["meta"]["title"], "Models");
        assert_eq!(json["word_count"], 4);
    }

    #[test]
    fn anchors_know_the_word_they_start_at() {
        let page = page("<p>One two.</p><h2 id=\"why\">Why</h2><p>Three</p>");
        let json = fragment(&page);
        assert_eq!(json["anchors"][0]["location"], 2);
        assert_eq!(json["anchors"][0]["text"], "Why");
    }

    #[test]
    fn compound_parts_share_the_weight() {
        let page = page("<p>open-weights</p>");
        assert_eq!(form(&page, "openweight")[0].locations, [-25, 0]);
        assert_eq!(form(&page, "open")[0].locations, [-13, 0]);
    }

    #[test]
    fn meta_positions_restart_in_each_field() {
        assert_eq!(pack_meta(vec![(1, 4), (0, 2), (0, 0)]), [-1, 0, 2, -2, 4]);
    }
}
