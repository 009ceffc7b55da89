//! Heading ids: every heading gets a stable `id` that is unique on its page,
//! so that `#fragment` links and the table of contents keep working when
//! text around them changes.
//!
//! - An explicit id (`## Title {#why}`) keeps its value when it is free.
//! - Other headings take their text as a slug (`-1`, `-2` on repeats), never
//!   an id that an explicit id anywhere in the body claims, since an author
//!   who wrote `{#x-1}` links to it.
//! - Ids the built-in templates use ([`RESERVED_IDS`]) and footnote labels
//!   are never taken; a repeated or reserved explicit id gets a suffix.
//!
//! A heading is held back while it is read, since its id comes from its
//! whole text, and ids are given once the whole body is read, since a later
//! explicit id outranks an earlier automatic one.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::toc::{self, TocEntry};
use super::State;
use crate::slug::slugify;

/// Every literal `id` in the built-in templates (a test checks that the list
/// keeps up with `templates/`), and a few a site's own templates are likely
/// to use. Headings never take them.
pub(super) const RESERVED_IDS: &[&str] = &[
    // base.html
    "main",
    "site-search-q",
    // article.html
    "briefing-toc",
    "briefing-sources",
    "briefing-related",
    // entity.html
    "entity-chart",
    "entity-coverage",
    "entity-cooccurring",
    // index.html
    "recent-title",
    "most-covered",
    // edition.html
    "edition-covered",
    // search.html
    "search",
    "search-label",
    // Not in the built-in templates, but common in custom ones.
    "top",
    "content",
];

/// A heading being read: its tag, its text so far, and the events inside it.
pub(super) struct Heading<'a> {
    level: HeadingLevel,
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    pub(super) text: String,
    pub(super) events: Vec<Event<'a>>,
}

/// A heading that was read, waiting for its id.
pub(super) struct Written {
    /// Where its start tag is in the output events.
    at: usize,
    level: HeadingLevel,
    /// The id the author wrote, if any.
    explicit: Option<String>,
    /// Its text, as plain text.
    title: String,
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
            self.headings.push(Written {
                at: self.out.len(),
                level: heading.level,
                explicit: heading
                    .id
                    .filter(|id| !id.is_empty())
                    .map(|id| id.to_string()),
                title: heading
                    .text
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            });
            self.out.push(Event::Start(Tag::Heading {
                level: heading.level,
                id: None,
                classes: heading.classes,
                attrs: heading.attrs,
            }));
            self.out.extend(heading.events);
        }
        self.out.push(Event::End(TagEnd::Heading(level)));
    }

    /// Gives every heading its id, in the output and in the table of contents.
    pub(super) fn finish_headings(&mut self) -> Vec<TocEntry> {
        let written = std::mem::take(&mut self.headings);
        if written.is_empty() {
            return Vec::new();
        }
        let explicit = written.iter().map(|h| h.explicit.as_deref());
        let ids = unique_ids(
            explicit,
            written.iter().map(|h| h.title.as_str()),
            &self.footnotes,
        );
        let mut flat = Vec::with_capacity(written.len());
        for (heading, id) in written.into_iter().zip(ids) {
            if let Some(Event::Start(Tag::Heading { id: slot, .. })) = self.out.get_mut(heading.at)
            {
                *slot = Some(id.clone().into());
            }
            flat.push((heading.level as u8, id, heading.title));
        }
        toc::nest(flat)
    }
}

/// One id per heading, in page order, by the rules in the module docs.
fn unique_ids<'h>(
    explicit: impl Iterator<Item = Option<&'h str>> + Clone,
    titles: impl Iterator<Item = &'h str>,
    footnotes: &[String],
) -> Vec<String> {
    let mut taken = Taken {
        footnotes,
        ids: HashSet::new(),
    };
    // Explicit ids claim their value first, wherever they stand.
    let mut ids: Vec<Option<String>> = explicit
        .clone()
        .map(|id| id.filter(|id| taken.claim(id)).map(str::to_string))
        .collect();
    // The next suffix to try for each base, so repeats stay linear.
    let mut next: HashMap<String, usize> = HashMap::new();
    for ((slot, explicit), title) in ids.iter_mut().zip(explicit).zip(titles) {
        if slot.is_some() {
            continue;
        }
        let (base, bare_ok) = match explicit {
            Some(id) => (id.to_string(), false),
            None => match slugify(title) {
                slug if slug.is_empty() => ("section".to_string(), true),
                slug => (slug, true),
            },
        };
        if bare_ok && taken.claim(&base) {
            *slot = Some(base);
            continue;
        }
        let n = next.entry(base.clone()).or_insert(1);
        loop {
            let id = format!("{base}-{n}");
            *n += 1;
            if taken.claim(&id) {
                *slot = Some(id);
                break;
            }
        }
    }
    ids.into_iter().map(Option::unwrap_or_default).collect()
}

/// The ids of a page that headings may no longer take.
struct Taken<'f> {
    footnotes: &'f [String],
    /// Those headings took.
    ids: HashSet<String>,
}

impl Taken<'_> {
    /// Takes `id` if it is free.
    fn claim(&mut self, id: &str) -> bool {
        !RESERVED_IDS.contains(&id)
            && !self.footnotes.iter().any(|f| f == id)
            && self.ids.insert(id.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::render_with;
    use super::RESERVED_IDS;

    fn ids(html: &str) -> Vec<&str> {
        html.split("<h")
            .skip(1)
            .filter_map(|h| h.split_once(" id=\"").map(|(_, rest)| rest))
            .filter_map(|rest| rest.split_once('"').map(|(id, _)| id))
            .collect()
    }

    #[test]
    fn heading_ids_are_unique_and_stable() {
        let r = render_with(
            "## Why it matters\n\n## Why it matters\n\n## Main\n\n## {#custom}\n\n## ¡!\n",
            false,
        );
        assert_eq!(
            ids(&r.html),
            [
                "why-it-matters",
                "why-it-matters-1",
                "main-1",
                "custom",
                "section"
            ]
        );
    }

    #[test]
    fn explicit_ids_claim_their_value_wherever_they_stand() {
        let r = render_with("## x {#x-1}\n\n## x\n\n## x\n", false);
        assert_eq!(ids(&r.html), ["x-1", "x", "x-2"]);
        let r = render_with("## x\n\n## x\n\n## Later {#x-1}\n", false);
        assert_eq!(ids(&r.html), ["x", "x-2", "x-1"]);
        let r = render_with("## A {#same}\n\n## B {#same}\n\n## same\n", false);
        assert_eq!(ids(&r.html), ["same", "same-1", "same-2"]);
        let r = render_with("## A {#main}\n\n## Main\n", false);
        assert_eq!(ids(&r.html), ["main-1", "main-2"]);
    }

    #[test]
    fn template_ids_and_footnotes_are_never_taken() {
        let r = render_with(
            "## Site search q\n\n## Briefing sources\n\n## Briefing related\n\n## 1\n\nA note[^1].\n\n[^1]: The note.\n",
            false,
        );
        assert_eq!(
            ids(&r.html),
            [
                "site-search-q-1",
                "briefing-sources-1",
                "briefing-related-1",
                "1-1"
            ]
        );
    }

    #[test]
    fn the_toc_has_every_heading_with_its_final_id_and_plain_title() {
        let r = render_with(
            "# Top *part*\n\n## `code` and [a link](https://x.org)\n\n### Deep {#deep}\n\n## Top part\n",
            true,
        );
        let toc = &r.toc;
        assert_eq!(toc.len(), 1);
        assert_eq!(
            (toc[0].level, &*toc[0].id, &*toc[0].title),
            (1, "top-part", "Top part")
        );
        let children = &toc[0].children;
        assert_eq!(children.len(), 2);
        assert_eq!(children[0].title, "code and a link");
        assert_eq!(children[0].id, "code-and-a-link");
        assert_eq!(children[0].children[0].id, "deep");
        assert_eq!(children[1].id, "top-part-1");
        assert!(render_with("No headings.\n", false).toc.is_empty());
    }

    /// Every literal `id="…"` in the built-in templates must be reserved,
    /// or a heading could take it. Add new template ids to `RESERVED_IDS`.
    #[test]
    fn every_template_id_is_reserved() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).expect("templates/ is readable") {
            let path = entry.expect("templates/ lists").path();
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for quote in ['"', '\''] {
                let needle = format!("id={quote}");
                for (at, _) in text.match_indices(&needle) {
                    let preceded = text[..at].chars().next_back();
                    if preceded.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_') {
                        continue; // data-id=, aria-describedby-id= and the like
                    }
                    let rest = &text[at + needle.len()..];
                    let value = &rest[..rest.find(quote).unwrap_or(rest.len())];
                    if value.contains("{{") || value.contains("{%") {
                        continue; // made from data, on pages without a body
                    }
                    seen += 1;
                    assert!(
                        RESERVED_IDS.contains(&value),
                        "{} uses id `{value}`: add it to RESERVED_IDS in src/link/markdown/headings.rs",
                        path.display()
                    );
                }
            }
        }
        assert!(seen >= 3, "found only {seen} template ids");
    }
}
