//! Words as Pagefind's search code looks them up. The reader's query is
//! lowercased, stripped of punctuation, folded to plain letters and stemmed
//! in the browser (by Pagefind's WebAssembly, with the same stemmer crate as
//! here), so the index must hold each word in that same form, or a search
//! finds nothing. These rules follow Pagefind 1.6's indexer
//! (`fossick/splitting.rs`): a word, its diacritic-free form, and the parts of
//! compound words (`open-weights`, `OpenAI`, `sysconfig.is_build`).
//!
//! Left out, because a briefing site does not need them: emoji as words of
//! their own, and katakana suffixes (Pagefind's stopgap for Japanese, which it
//! also does not segment without its `extended` feature).

use convert_case::{Case, Casing};
use hashbrown::HashMap;
use pagefind_stem::{Algorithm, Stemmer};
use rustc_hash::FxBuildHasher;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_normalization::UnicodeNormalization;

/// Characters that count as part of a word (Unicode "Punctuation,
/// Connector"), as in Pagefind's `include_characters`.
pub const WORD_SYMBOLS: [char; 10] = ['_', '‿', '⁀', '⁔', '︳', '︴', '﹍', '﹎', '﹏', '＿'];

/// Dotted tails are cut to this many characters, as in Pagefind.
const MAX_DOTTED_TAIL_CHARS: usize = 64;

/// One form to put in the index for a word of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indexable {
    /// The form looked up: normalized, folded and stemmed.
    pub key: String,
    /// The word as written, when folding its diacritics changed it
    /// (`café` for the key `cafe`); searches that keep the accent rank it first.
    pub original: Option<String>,
    /// A part of a compound word, which weighs less than a whole word.
    pub compound_part: bool,
}

/// The forms of the words met so far, by the word as written: prose
/// repeats its words, and finding the forms (stemming above all) is the
/// dearest part of indexing a page. Each distinct form (key and written
/// form) gets a number, so a page counts its words by number rather than by
/// hashing their keys again.
pub struct Vocabulary<'s> {
    stemmer: Option<&'s Stemmer>,
    seen: HashMap<String, Vec<Seen>, FxBuildHasher>,
    /// Each key's number, and the keys by number.
    key_ids: HashMap<String, u32, FxBuildHasher>,
    keys: Vec<String>,
    /// The forms by number: key number and written form (when it differs).
    forms: Vec<(u32, Option<String>)>,
    /// For each key, its forms' numbers by written form.
    forms_of_key: Vec<Vec<(Option<String>, u32)>>,
    /// Scratch for [`indexable`].
    scratch: Vec<Indexable>,
    /// A page's counts, kept from page to page for their room.
    pub(super) tally: super::page::Tally,
}

/// One form of a word as the vocabulary numbers it.
#[derive(Debug, Clone, Copy)]
pub struct Seen {
    pub form: u32,
    /// A part of a compound word, which weighs less than a whole word.
    pub compound_part: bool,
}

/// Words remembered at most; past it the vocabulary starts afresh.
const REMEMBERED: usize = 1 << 16;

impl<'s> Vocabulary<'s> {
    pub fn new(stemmer: Option<&'s Stemmer>) -> Self {
        Vocabulary {
            stemmer,
            seen: HashMap::default(),
            key_ids: HashMap::default(),
            keys: Vec::new(),
            forms: Vec::new(),
            forms_of_key: Vec::new(),
            scratch: Vec::new(),
            tally: Default::default(),
        }
    }

    /// Called before each page: the numbers of forms hold for a page.
    pub fn begin_page(&mut self) {
        if self.seen.len() >= REMEMBERED {
            self.seen.clear();
            self.key_ids.clear();
            self.keys.clear();
            self.forms.clear();
            self.forms_of_key.clear();
        }
    }

    /// The forms to index for a word of the page text, added to `out`:
    /// [`indexable`] and [`dotted_tails`]. A word seen before costs one
    /// lookup.
    pub fn text_word(&mut self, raw: &str, out: &mut Vec<Seen>) {
        if let Some(numbered) = self.seen.get(raw) {
            out.extend_from_slice(numbered);
            return;
        }
        let mut found = std::mem::take(&mut self.scratch);
        indexable(raw, self.stemmer, &mut found);
        dotted_tails(raw, self.stemmer, &mut found);
        let numbered: Vec<Seen> = found.drain(..).map(|form| self.number(form)).collect();
        self.scratch = found;
        out.extend_from_slice(&numbered);
        self.seen.insert(raw.to_string(), numbered);
    }

    /// The forms to index for a word of a meta field (the title).
    pub fn meta_word(&mut self, raw: &str, out: &mut Vec<Seen>) {
        let mut found = std::mem::take(&mut self.scratch);
        indexable(raw, self.stemmer, &mut found);
        out.clear();
        out.extend(found.drain(..).map(|form| self.number(form)));
        self.scratch = found;
    }

    /// How many forms have numbers (each number is below it).
    pub fn forms(&self) -> usize {
        self.forms.len()
    }

    /// How many keys have numbers.
    pub fn keys(&self) -> usize {
        self.keys.len()
    }

    /// The key number and written form of form `form`.
    pub fn form(&self, form: u32) -> (u32, Option<&str>) {
        let (key, original) = &self.forms[form as usize];
        (*key, original.as_deref())
    }

    /// Key number `key`.
    pub fn key(&self, key: u32) -> &str {
        &self.keys[key as usize]
    }

    fn number(&mut self, form: Indexable) -> Seen {
        let key = match self.key_ids.get(form.key.as_str()) {
            Some(&id) => id,
            None => {
                let id = self.keys.len() as u32;
                self.keys.push(form.key.clone());
                self.key_ids.insert(form.key, id);
                self.forms_of_key.push(Vec::new());
                id
            }
        };
        let variants = &mut self.forms_of_key[key as usize];
        let number = match variants.iter().find(|(o, _)| *o == form.original) {
            Some(&(_, number)) => number,
            None => {
                let number = self.forms.len() as u32;
                self.forms.push((key, form.original.clone()));
                variants.push((form.original, number));
                number
            }
        };
        Seen {
            form: number,
            compound_part: form.compound_part,
        }
    }
}

/// The stemmer of a page language (`en`, `en-GB`), where Pagefind's
/// WebAssembly has one for the browser too. Without one, words are indexed
/// unstemmed, which is what the browser then looks up.
pub fn stemmer(language: &str) -> Option<Stemmer> {
    let algorithm = match language.split('-').next().unwrap_or_default() {
        "ar" => Algorithm::Arabic,
        "hy" => Algorithm::Armenian,
        "eu" => Algorithm::Basque,
        "ca" => Algorithm::Catalan,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "eo" => Algorithm::Esperanto,
        "et" => Algorithm::Estonian,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hi" => Algorithm::Hindi,
        "hu" => Algorithm::Hungarian,
        "id" => Algorithm::Indonesian,
        "ga" => Algorithm::Irish,
        "it" => Algorithm::Italian,
        "lt" => Algorithm::Lithuanian,
        "nb" | "nn" | "no" => Algorithm::Norwegian,
        "ne" => Algorithm::Nepali,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "sr" => Algorithm::Serbian,
        "pl" => Algorithm::Polish,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        "yi" => Algorithm::Yiddish,
        _ => return None,
    };
    Some(Stemmer::create(algorithm))
}

/// The forms to index for one whitespace-separated word of the text, added
/// to `out` (cleared first).
pub fn indexable(raw: &str, stemmer: Option<&Stemmer>, out: &mut Vec<Indexable>) {
    out.clear();
    let normalized = normalize(raw);
    if !normalized.is_empty() {
        out.push(stem(&normalized, stemmer, false));
    }
    let possibly_compound =
        raw.chars().any(|c| !c.is_alphanumeric()) || raw.chars().skip(1).any(char::is_uppercase);
    if possibly_compound {
        compound_parts(raw, &normalized, stemmer, out);
    }
}

/// Lowercase letters and digits (and the word symbols) of a word; the rest
/// of its characters dropped.
fn normalize(raw: &str) -> String {
    let mut word = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_alphanumeric() || WORD_SYMBOLS.contains(&c) {
            if c.is_ascii() {
                word.push(c.to_ascii_lowercase());
            } else {
                word.extend(c.to_lowercase());
            }
        }
    }
    word
}

fn stem(normalized: &str, stemmer: Option<&Stemmer>, compound_part: bool) -> Indexable {
    let folded = fold_diacritics(normalized);
    let plain = folded.as_deref().unwrap_or(normalized);
    let key = match stemmer {
        Some(stemmer) => stemmer.stem(plain).into_owned(),
        None => plain.to_string(),
    };
    Indexable {
        key,
        original: folded.map(|_| normalized.to_string()),
        compound_part,
    }
}

/// The parts of a word that case changes, digits or punctuation split
/// (`GPT-4o` → `gpt`, `4`, `o`), each of two characters or more.
fn compound_parts(
    raw: &str,
    normalized: &str,
    stemmer: Option<&Stemmer>,
    out: &mut Vec<Indexable>,
) {
    let parts = raw
        .replace(|c: char| c.is_ascii_punctuation(), " ")
        .to_case(Case::Lower)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if normalized.is_empty() || (!parts.contains(' ') && normalized.starts_with(&parts)) {
        return;
    }
    for part in parts.split(' ').filter(|part| part.len() > 1) {
        out.push(stem(part, stemmer, true));
    }
}

/// What follows each dot of a dotted word, when that tail is itself compound
/// (`sysconfig.is_python_build` → `is_python_build`), so a search for the
/// tail finds it without the whole word being taken apart. Added to `out`,
/// after the word's other forms; the page text has them, meta fields not.
pub fn dotted_tails(raw: &str, stemmer: Option<&Stemmer>, out: &mut Vec<Indexable>) {
    for (i, _) in raw.match_indices('.') {
        let rest = &raw[i + 1..];
        let tail = match rest.char_indices().nth(MAX_DOTTED_TAIL_CHARS) {
            Some((end, _)) => &rest[..end],
            None => rest,
        };
        let compound = tail.chars().any(|c| !c.is_alphanumeric())
            || tail.chars().skip(1).any(char::is_uppercase);
        if !compound {
            continue;
        }
        let normalized = normalize(tail);
        if normalized.chars().count() < 2 {
            continue;
        }
        let tail = stem(&normalized, stemmer, true);
        if !out.iter().any(|w| w.key == tail.key) {
            out.push(tail);
        }
    }
}

/// The word without its diacritics (`café` → `cafe`), if it has any. The
/// kana sound marks stay: they tell words apart.
fn fold_diacritics(word: &str) -> Option<String> {
    if word.is_ascii() || !has_decomposition(word) {
        return None;
    }
    let kana_mark = |c: char| matches!(c, '\u{3099}' | '\u{309A}');
    let stripped: String = word
        .nfd()
        .filter(|&c| !is_combining_mark(c) || kana_mark(c))
        .collect();
    let folded = if stripped.chars().any(kana_mark) {
        stripped.nfc().collect()
    } else {
        stripped
    };
    (folded != word).then_some(folded)
}

fn has_decomposition(word: &str) -> bool {
    word.chars().any(|c| {
        let mut decomposes = is_combining_mark(c);
        decompose_canonical(c, |part| decomposes |= part != c);
        decomposes
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(raw: &str) -> Vec<(String, bool)> {
        let stemmer = stemmer("en");
        let mut out = Vec::new();
        indexable(raw, stemmer.as_ref(), &mut out);
        dotted_tails(raw, stemmer.as_ref(), &mut out);
        out.into_iter().map(|w| (w.key, w.compound_part)).collect()
    }

    fn whole(key: &str) -> (String, bool) {
        (key.to_string(), false)
    }

    fn part(key: &str) -> (String, bool) {
        (key.to_string(), true)
    }

    #[test]
    fn plain_words_are_lowercased_and_stemmed() {
        assert_eq!(keys("Releases"), [whole("releas")]);
        assert_eq!(keys("models,"), [whole("model")]);
        assert_eq!(keys("(405B)"), [whole("405b"), part("405")]);
    }

    #[test]
    fn compound_words_also_give_their_parts() {
        assert_eq!(
            keys("open-weights"),
            [whole("openweight"), part("open"), part("weight")]
        );
        assert_eq!(keys("OpenAI"), [whole("openai"), part("open"), part("ai")]);
        assert_eq!(keys("GPT-4o"), [whole("gpt4o"), part("gpt")]);
    }

    #[test]
    fn diacritics_are_folded_and_the_written_form_kept() {
        let mut out = Vec::new();
        indexable("Café", None, &mut out);
        assert_eq!(out[0].key, "cafe");
        assert_eq!(out[0].original.as_deref(), Some("café"));
        indexable("cafe", None, &mut out);
        assert_eq!(out[0].original, None);
    }

    #[test]
    fn dotted_tails_are_indexed_once() {
        let found = keys("sysconfig.is_python_build");
        assert!(found.contains(&part("is_python_build")), "{found:?}");
        assert_eq!(keys("e.g."), [whole("eg")]);
    }

    #[test]
    fn punctuation_alone_is_no_word() {
        assert!(keys("—").is_empty());
        assert!(keys("...").is_empty());
    }
}
