//! Social cards in `serve`: no save waits on them. A rebuild or a save
//! learns each page's [`Card`] with the page (it is part of the render) and
//! keeps it here, by the card's site-relative path; the HTTP side asks for
//! a card when a browser does, and gets it drawn then, through the same
//! [`Deck`] and disk cache as a build, so it is the very file a clean build
//! writes. A card that changed is simply drawn anew on the next request.

use std::path::PathBuf;
use std::sync::{PoisonError, RwLock};

use rustc_hash::FxHashMap;

use crate::render::social::{Card, Deck};

/// The cards of the site as it is served now.
pub struct SocialCards {
    deck: Deck,
    cards: RwLock<FxHashMap<String, Card>>,
}

impl SocialCards {
    pub(super) fn new(cache: PathBuf) -> SocialCards {
        SocialCards {
            deck: Deck::new(Some(cache)),
            cards: RwLock::new(FxHashMap::default()),
        }
    }

    /// The PNG of the card at `path` (site-relative: `articles/x/card.png`);
    /// `None` when no page has a card there. Draws it when the cache does
    /// not have it: call it off the async threads.
    pub fn png(&self, path: &str) -> Option<std::io::Result<Vec<u8>>> {
        let card = self
            .cards
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(path)
            .cloned()?;
        Some(self.deck.bytes(&card))
    }

    /// Every card path there is now, sorted.
    pub fn paths(&self) -> Vec<String> {
        let cards = self.cards.read().unwrap_or_else(PoisonError::into_inner);
        let mut paths: Vec<String> = cards.keys().cloned().collect();
        paths.sort();
        paths
    }

    /// The site was built anew: these are all its cards.
    pub(super) fn replace(&self, cards: Vec<(String, Card)>) {
        *self.cards.write().unwrap_or_else(PoisonError::into_inner) = cards.into_iter().collect();
    }

    /// Pages were rendered again (with their cards, or none now) or are
    /// gone: `changes` holds each card path with what is there now.
    pub(super) fn update(&self, changes: Vec<(String, Option<Card>)>) {
        let mut cards = self.cards.write().unwrap_or_else(PoisonError::into_inner);
        for (path, card) in changes {
            match card {
                Some(card) => cards.insert(path, card),
                None => cards.remove(&path),
            };
        }
    }
}
