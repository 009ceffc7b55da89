//! Mention detection: finds every entity name or alias in a text, as a whole
//! word and case-sensitively, in one pass with an Aho-Corasick automaton over
//! all names at once (not one search per alias per article). Authors are
//! left out: a byline is no subject, and a writer's name in the text (a
//! quote, a sign-off) says nothing about what the article covers.

use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::config::AUTHORS;
use crate::model::Entity;

/// Names shorter than this are never matched: a one-letter alias would link every "A".
pub const MIN_NAME_CHARS: usize = 2;

pub struct MentionFinder {
    automaton: Option<AhoCorasick>,
    /// Entity index for each pattern of the automaton.
    owners: Vec<usize>,
}

impl std::fmt::Debug for MentionFinder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MentionFinder({} names)", self.owners.len())
    }
}

impl MentionFinder {
    pub fn new(entities: &[Entity]) -> Self {
        let mut patterns = Vec::new();
        let mut owners = Vec::new();
        let subjects = entities
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind != AUTHORS);
        for (index, entity) in subjects {
            for name in entity.names() {
                if name.chars().count() >= MIN_NAME_CHARS {
                    patterns.push(name.to_string());
                    owners.push(index);
                }
            }
        }
        // Standard semantics let us see every candidate, including a shorter name
        // hidden inside a longer one that fails the word-boundary test.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .ok()
            .filter(|_| !patterns.is_empty());
        MentionFinder { automaton, owners }
    }

    /// Whole-word mentions in `text`, left to right, longest first where names
    /// overlap ("Google DeepMind" wins over "Google"). Returns byte ranges and entity indexes.
    pub fn find(&self, text: &str) -> Vec<(Range<usize>, usize)> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let mut candidates: Vec<(Range<usize>, usize)> = automaton
            .find_overlapping_iter(text)
            .filter(|m| is_word_boundary(text, m.start(), m.end()))
            .map(|m| (m.range(), self.owners[m.pattern().as_usize()]))
            .collect();
        candidates.sort_by(|a, b| {
            a.0.start
                .cmp(&b.0.start)
                .then(b.0.end.cmp(&a.0.end))
                .then(a.1.cmp(&b.1))
        });
        let mut chosen = Vec::new();
        let mut end = 0;
        for (range, entity) in candidates {
            if range.start >= end {
                end = range.end;
                chosen.push((range, entity));
            }
        }
        chosen
    }
}

fn is_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(name: &str, aliases: &[&str]) -> Entity {
        Entity {
            kind: 0,
            id: name.to_lowercase(),
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            ticker: None,
            website: None,
            same_as: Vec::new(),
            summary: None,
            redirect_from: Default::default(),
            image: None,
            body: String::new(),
            body_line: 1,
            file: None,
            content_path: None,
            bundle: None,
        }
    }

    #[test]
    fn finds_whole_words_only_and_case_sensitively() {
        let finder = MentionFinder::new(&[
            entity("Meta Platforms", &["Meta"]),
            entity("Alphabet", &["Google", "Google DeepMind"]),
        ]);
        let text = "Metadata: Meta and meta. Google DeepMind, Googles, Google.";
        let found: Vec<_> = finder
            .find(text)
            .into_iter()
            .map(|(r, e)| (&text[r], e))
            .collect();
        assert_eq!(found, [("Meta", 0), ("Google DeepMind", 1), ("Google", 1)]);
    }

    #[test]
    fn ignores_one_letter_aliases() {
        let finder = MentionFinder::new(&[entity("X", &["xAI"])]);
        let found: Vec<_> = finder
            .find("X said xAI")
            .into_iter()
            .map(|(_, e)| e)
            .collect();
        assert_eq!(found, [0]);
    }

    #[test]
    fn authors_are_never_mentions() {
        let mut author = entity("Jane Analyst", &[]);
        author.kind = AUTHORS;
        let finder = MentionFinder::new(&[entity("Meta", &[]), author]);
        let found: Vec<_> = finder
            .find("Jane Analyst on Meta")
            .into_iter()
            .map(|(_, e)| e)
            .collect();
        assert_eq!(found, [0]);
    }

    #[test]
    fn handles_non_ascii_neighbours() {
        let finder = MentionFinder::new(&[entity("Meta", &[])]);
        assert!(finder.find("éMeta").is_empty());
        assert_eq!(finder.find("«Meta»").len(), 1);
    }
}
