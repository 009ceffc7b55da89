//! What linking makes of an article that its own page is the last to read:
//! the body's HTML and its text for the search index. A one-off build
//! renders each page once, so each goes as its page is rendered, and a
//! build of many articles does not hold them all to the end
//! ([`crate::link::Site::drop_sources`]); `serve` keeps the HTML, packed
//! ([`crate::link::Site::pack_kept`]), for the next render. The search
//! text goes with its first page everywhere: the page's own text for the
//! index, laid out from it, is what `serve` keeps.

use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

/// A value kept until its own page reads it (and no longer, in a one-off
/// build). Pages that read it besides its own (feeds read the body's HTML)
/// [`peek`](Kept::peek), and a one-off build renders them first.
#[derive(Debug, Default)]
pub struct Kept<T> {
    value: Mutex<Option<Arc<T>>>,
    once: bool,
}

impl<T> Kept<T> {
    pub fn new(value: Option<T>) -> Self {
        Kept {
            value: Mutex::new(value.map(Arc::new)),
            once: false,
        }
    }

    /// A value that goes once its own page reads it, in every build.
    pub fn once(value: Option<T>) -> Self {
        Kept {
            value: Mutex::new(value.map(Arc::new)),
            once: true,
        }
    }

    /// From now on, the value goes once its own page reads it.
    pub(super) fn use_once(&mut self) {
        self.once = true;
    }

    /// The value as its own page reads it: the last read, when used once.
    pub fn read(&self) -> Option<Arc<T>> {
        let mut value = self.value.lock().unwrap_or_else(|e| e.into_inner());
        match self.once {
            true => value.take(),
            false => value.clone(),
        }
    }

    /// The value, left for its own page.
    pub fn peek(&self) -> Option<Arc<T>> {
        self.value.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Kept<crate::packed::Text> {
    /// Packs the text, if it is still here.
    pub fn pack(&mut self) {
        let value = self.value.get_mut().unwrap_or_else(|e| e.into_inner());
        if let Some(text) = value.as_mut() {
            if let crate::packed::Text::Plain(plain) = &**text {
                *text = Arc::new(crate::packed::Text::packed(plain));
            }
        }
    }
}

impl<T> Clone for Kept<T> {
    fn clone(&self) -> Self {
        Kept {
            value: Mutex::new(self.peek()),
            once: self.once,
        }
    }
}

impl<T: Hash> Hash for Kept<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.peek().as_deref().hash(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_used_once_goes_with_its_own_pages_read() {
        let mut kept = Kept::new(Some("body".to_string()));
        assert_eq!(kept.read().as_deref().map(String::as_str), Some("body"));
        assert!(kept.read().is_some(), "kept for the next render");
        kept.use_once();
        assert!(kept.peek().is_some(), "a feed's read leaves it");
        assert!(kept.read().is_some());
        assert!(kept.read().is_none() && kept.peek().is_none());
        let once = Kept::once(Some(1));
        assert_eq!(once.read().as_deref(), Some(&1));
        assert!(once.read().is_none());
    }
}
