//! Heading ids: every heading gets a stable, unique `id` (its text as a
//! slug, `-1`, `-2` on repeats) so that `#fragment` links and the table of
//! contents keep working when text around them changes. Ids the templates use
//! themselves are never taken. A heading is held back while it is read, since
//! its id comes from its whole text.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::State;
use crate::slug::slugify;

/// Ids the templates use themselves; headings never take them.
pub(super) const RESERVED_IDS: &[&str] = &["main", "top", "content"];

/// A heading being read: its tag, its text so far, and the events inside it.
pub(super) struct Heading<'a> {
    level: HeadingLevel,
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    pub(super) text: String,
    pub(super) events: Vec<Event<'a>>,
}

impl<'a> State<'_, 'a> {
    pub(super) fn open_heading(
        &mut self,
        level: HeadingLevel,
        id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
        attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    ) {
        self.heading = Some(Heading {
            level,
            id,
            classes,
            attrs,
            text: String::new(),
            events: Vec::new(),
        });
    }

    pub(super) fn close_heading(&mut self, level: HeadingLevel) {
        if let Some(heading) = self.heading.take() {
            let id = match heading.id {
                Some(id) => id.to_string(),
                None => self.unique_id(&heading.text),
            };
            self.out.push(Event::Start(Tag::Heading {
                level: heading.level,
                id: Some(id.into()),
                classes: heading.classes,
                attrs: heading.attrs,
            }));
            self.out.extend(heading.events);
        }
        self.out.push(Event::End(TagEnd::Heading(level)));
    }

    fn unique_id(&mut self, text: &str) -> String {
        let base = match slugify(text) {
            slug if slug.is_empty() => "section".to_string(),
            slug => slug,
        };
        let count = self.ids.entry(base.clone()).or_insert(0);
        *count += 1;
        if *count == 1 {
            base
        } else {
            let id = format!("{base}-{}", *count - 1);
            self.ids.insert(id.clone(), 1);
            id
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::render_with;

    #[test]
    fn heading_ids_are_unique_and_stable() {
        let r = render_with(
            "## Why it matters\n\n## Why it matters\n\n## Main\n\n## {#custom}\n",
            false,
        );
        assert!(r.html.contains("id=\"why-it-matters\""));
        assert!(r.html.contains("id=\"why-it-matters-1\""));
        assert!(r.html.contains("id=\"main-1\""), "{}", r.html);
    }
}
