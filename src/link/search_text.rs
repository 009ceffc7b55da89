//! An article's text for the search index, kept from linking, where the
//! Markdown pass makes it, until the render stage indexes the page.

/// An article body's text for the search index, kept until its page is
/// indexed. A one-off build needs it once, so it lets it go then
/// ([`Site::drop_sources`]); `serve` keeps it for the page's next render.
#[derive(Debug, Default)]
pub struct SearchText {
    text: std::sync::Mutex<Option<crate::search::PageText>>,
    once: bool,
}

impl SearchText {
    pub(super) fn new(text: Option<crate::search::PageText>) -> Self {
        SearchText {
            text: std::sync::Mutex::new(text),
            once: false,
        }
    }

    /// From now on, the text goes once it is used.
    pub(super) fn use_once(&mut self) {
        self.once = true;
    }

    /// `f` of the text, if there is one (and no longer, when used once).
    pub fn with<R>(&self, f: impl FnOnce(&crate::search::PageText) -> R) -> Option<R> {
        let mut text = self.text.lock().unwrap_or_else(|e| e.into_inner());
        let made = text.as_ref().map(f);
        if self.once {
            *text = None;
        }
        made
    }
}

impl Clone for SearchText {
    fn clone(&self) -> Self {
        let text = self.text.lock().unwrap_or_else(|e| e.into_inner());
        SearchText {
            text: std::sync::Mutex::new(text.clone()),
            once: self.once,
        }
    }
}
