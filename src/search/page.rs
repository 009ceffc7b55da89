//! One page as the index holds it: its words with their positions and
//! weights, and the fragment the search page shows for it (URL, title, text
//! for excerpts, filters, anchors). Pages are prepared in parallel and
//! merged in order by [`super::index::Index`].

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use super::extract::{self, Mark, PageText, UNIT_WEIGHT};
use super::file::gzip;
use super::words::{Seen, Vocabulary};
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

/// One page's words as they are counted, by the vocabulary's form
/// numbers: buffers kept by each thread's [`Vocabulary`] and reused, so a
/// page costs no allocation per word.
#[derive(Default)]
pub struct Tally {
    /// By form number: 1 + the form's place in `order`; 0 when not on the page.
    slot: Vec<u32>,
    /// The page's forms, by number, in the order first met.
    order: Vec<u32>,
    /// Every occurrence in the text: (place in `order`, position, weight).
    at: Vec<(u32, u32, u8)>,
    /// Every occurrence in meta fields: (place in `order`, field, position).
    meta: Vec<(u32, u16, u32)>,
    /// By key number: 1 + the key's place in the page's words.
    key_slot: Vec<u32>,
    forms: Vec<Seen>,
    /// `at` grouped by form: where each form's occurrences start, and them.
    starts: Vec<u32>,
    grouped: Vec<(u32, u8)>,
}

impl Tally {
    /// The place of form `form` on the page, added if new.
    fn place(&mut self, form: u32) -> u32 {
        let slot = &mut self.slot[form as usize];
        if *slot == 0 {
            self.order.push(form);
            *slot = self.order.len() as u32;
        }
        *slot - 1
    }

    /// Makes room for every form the vocabulary has numbered.
    fn fit(&mut self, vocabulary: &Vocabulary) {
        if self.slot.len() < vocabulary.forms() {
            self.slot.resize(vocabulary.forms(), 0);
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
#[cfg(test)]
fn prepare(url: &str, html: &str, vocabulary: &mut Vocabulary) -> Result<Page, String> {
    let page_text = extract::read(html)?;
    from_parts(url, &page_text.text, &page_text, vocabulary)
}

/// The page at `url` from its text, however it was read (settled: its
/// image, if any, is in its meta). Its `text` is given apart from the rest
/// of `page_text`, whose own `text` is not read: kept compressed, it is
/// unpacked only for as long as the page is prepared.
pub fn from_parts(
    url: &str,
    text: &str,
    page_text: &PageText,
    vocabulary: &mut Vocabulary,
) -> Result<Page, String> {
    let PageText {
        text: _,
        marks,
        filters,
        meta,
        anchors,
        image: _,
    } = page_text;
    vocabulary.begin_page();
    let mut tally = std::mem::take(&mut vocabulary.tally);
    let read = read_words(text, marks, anchors, vocabulary, &mut tally);
    add_meta_words(meta, vocabulary, &mut tally);
    let words = words_of(vocabulary, &mut tally, meta);
    vocabulary.tally = tally;

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

/// The text of a page, as the fragment holds it.
struct Read {
    /// The text, one space between words, for excerpts.
    content: String,
    anchors: Vec<Anchor>,
    /// How many words.
    count: u32,
}

/// Numbers the words of `text` and counts their forms in `tally`, weighing
/// each as the marks in force where it stands say, and placing each anchor
/// at the word it starts at.
fn read_words(
    text: &str,
    marks: &[(usize, Mark)],
    anchors: &[extract::Anchor],
    vocabulary: &mut Vocabulary,
    tally: &mut Tally,
) -> Read {
    let mut read = Read {
        content: String::with_capacity(text.len()),
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
    // Zero-width spaces are rare: look for them once, not in every word.
    let zero_width = text.contains('\u{200B}');
    for word in text.split_whitespace() {
        let offset = word.as_ptr() as usize - text.as_ptr() as usize;
        while let Some((_, mark)) = marks.next_if(|(at, _)| *at <= offset) {
            apply(mark, read.count, &mut weights, &mut read);
        }
        let word = match zero_width && word.contains('\u{200B}') {
            true => Cow::Owned(word.replace('\u{200B}', "")),
            false => Cow::Borrowed(word),
        };
        if word.is_empty() {
            continue;
        }
        read.content.push_str(&word);
        read.content.push(' ');
        let weight = weights.last().copied().unwrap_or(UNIT_WEIGHT);
        tally.forms.clear();
        vocabulary.text_word(&word, &mut tally.forms);
        tally.fit(vocabulary);
        let parts = tally.forms.iter().filter(|f| f.compound_part).count();
        // The parts of a compound word share its weight.
        let part_weight = match u8::try_from(parts) {
            _ if parts == 0 || weight == 0 => 0,
            Ok(parts) => (weight / parts).max(1),
            Err(_) => 1,
        };
        for i in 0..tally.forms.len() {
            let form = tally.forms[i];
            let weight = if form.compound_part {
                part_weight
            } else {
                weight
            };
            let place = tally.place(form.form);
            tally.at.push((place, read.count, weight));
        }
        read.count += 1;
    }
    for (_, mark) in marks {
        apply(mark, read.count, &mut weights, &mut read);
    }
    read.content.pop();
    read
}

/// Counts the words of the meta fields (the title) in `tally`.
fn add_meta_words(meta: &BTreeMap<String, String>, vocabulary: &mut Vocabulary, tally: &mut Tally) {
    let mut forms = std::mem::take(&mut tally.forms);
    for (field, (_, value)) in meta.iter().enumerate() {
        for (at, word) in value.split_whitespace().enumerate() {
            vocabulary.meta_word(word, &mut forms);
            tally.fit(vocabulary);
            for form in &forms {
                let place = tally.place(form.form);
                tally.meta.push((place, field as u16, at as u32));
            }
        }
    }
    tally.forms = forms;
}

/// The page's words with their forms, from `tally`, which is left empty:
/// each key once, its forms in the order first met.
fn words_of(
    vocabulary: &Vocabulary,
    tally: &mut Tally,
    meta: &BTreeMap<String, String>,
) -> Vec<(String, Vec<Form>)> {
    let fields: Vec<&String> = meta.keys().collect();
    // Occurrences grouped by form (a counting sort: each form's stay in
    // the order they came).
    let forms = tally.order.len();
    tally.starts.clear();
    tally.starts.resize(forms + 1, 0);
    for &(place, _, _) in &tally.at {
        tally.starts[place as usize + 1] += 1;
    }
    for i in 0..forms {
        tally.starts[i + 1] += tally.starts[i];
    }
    tally.grouped.clear();
    tally.grouped.resize(tally.at.len(), (0, 0));
    let mut next: Vec<u32> = tally.starts[..forms].to_vec();
    for &(place, position, weight) in &tally.at {
        let slot = &mut next[place as usize];
        tally.grouped[*slot as usize] = (position, weight);
        *slot += 1;
    }
    tally.meta.sort_by_key(|&(place, _, _)| place);
    if tally.key_slot.len() < vocabulary.keys() {
        tally.key_slot.resize(vocabulary.keys(), 0);
    }
    let mut words: Vec<(String, Vec<Form>)> = Vec::with_capacity(forms);
    let mut in_meta = &tally.meta[..];
    for (place, &form) in tally.order.iter().enumerate() {
        let (start, end) = (tally.starts[place], tally.starts[place + 1]);
        let positions = &mut tally.grouped[start as usize..end as usize];
        let place = place as u32;
        let run = in_meta.iter().take_while(|&&(p, _, _)| p == place).count();
        let meta_at = in_meta[..run]
            .iter()
            .map(|&(_, field, position)| (fields[field as usize].clone(), position))
            .collect();
        in_meta = &in_meta[run..];
        let (key, original) = vocabulary.form(form);
        let slot = &mut tally.key_slot[key as usize];
        if *slot == 0 {
            words.push((vocabulary.key(key).to_string(), Vec::new()));
            *slot = words.len() as u32;
        }
        words[*slot as usize - 1].1.push(Form {
            original: original.map(str::to_string),
            locations: pack(positions),
            meta: meta_at,
        });
    }
    for &form in &tally.order {
        tally.slot[form as usize] = 0;
        let (key, _) = vocabulary.form(form);
        tally.key_slot[key as usize] = 0;
    }
    tally.order.clear();
    tally.at.clear();
    tally.meta.clear();
    words
}

/// Positions with their weights as Pagefind packs them: grouped by weight,
/// each group opened by `-(weight + 1)` and its first position, then the
/// gaps between positions.
fn pack(at: &mut [(u32, u8)]) -> Vec<i32> {
    // Pagefind sorts a weight of 25 first, as the one it once meant to be
    // the most common; no weight here is 25, but the order must match.
    at.sort_unstable_by_key(|&(position, weight)| {
        (if weight == 25 { 0 } else { weight }, position)
    });
    let mut packed = Vec::with_capacity(at.len() + 2);
    let mut current = 25;
    let mut last = 0;
    for &mut (position, weight) in at {
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
