//! Text kept in memory compressed while it waits to be read again: what
//! `serve` holds of every article between renders (its Markdown, its
//! body's HTML, its text for the search index), in about half the room.
//! LZ4, the fastest to unpack of the common codecs, because a template
//! edit unpacks every article's HTML while the writer waits for the reload.

use std::borrow::Cow;
use std::hash::{Hash, Hasher};

/// A text, plain or packed. It compares, hashes and serializes (for a
/// template) as its text, however it is held.
#[derive(Debug, Clone)]
pub(crate) enum Text {
    Plain(String),
    Packed(Box<[u8]>),
}

impl Text {
    /// `text` packed.
    pub(crate) fn packed(text: &str) -> Text {
        Text::Packed(lz4_flex::compress_prepend_size(text.as_bytes()).into_boxed_slice())
    }

    /// Packs a plain text in place; a packed one stays as it is.
    pub(crate) fn pack(&mut self) {
        if let Text::Plain(text) = self {
            *self = Text::packed(text);
        }
    }

    /// The text, unpacked when it is packed.
    pub(crate) fn as_str(&self) -> Cow<'_, str> {
        match self {
            Text::Plain(text) => Cow::Borrowed(text),
            Text::Packed(bytes) => Cow::Owned(unpack(bytes)),
        }
    }
}

/// Bytes that [`Text::packed`] made from a `str`, so they unpack to one;
/// anything else (which nothing makes) reads as empty.
fn unpack(bytes: &[u8]) -> String {
    let bytes = lz4_flex::decompress_size_prepended(bytes).unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

impl Default for Text {
    fn default() -> Self {
        Text::Plain(String::new())
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Text::Plain(text)
    }
}

impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.as_str())
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(text: &Text) -> u64 {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut hasher);
        hasher.finish()
    }

    #[test]
    fn a_packed_text_reads_compares_and_hashes_as_the_plain_one() {
        let words = "Meta released Llama 3.1 with a 405B-parameter model. ".repeat(40);
        let plain = Text::from(words.clone());
        let mut packed = plain.clone();
        packed.pack();
        assert!(matches!(&packed, Text::Packed(bytes) if bytes.len() < words.len() / 2));
        assert_eq!(packed.as_str(), words);
        assert_eq!(packed, plain);
        assert_eq!(hash(&packed), hash(&plain));
        assert_eq!(
            serde_json::to_string(&packed).unwrap(),
            serde_json::to_string(&words).unwrap()
        );
        packed.pack();
        assert_eq!(packed.as_str(), words, "packing twice changes nothing");
        assert_eq!(Text::packed(""), Text::default());
    }
}
