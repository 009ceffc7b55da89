//! Mentions in Markdown: every entity the text names is recorded, and with
//! `autolink` its first mention is linked to its page, except in headings,
//! in links (Markdown's or the author's raw `<a>`) and images, and on the
//! entity's own profile. Finding the names
//! is [`MentionFinder`](crate::link::mentions::MentionFinder)'s job.

use pulldown_cmark::Event;
use pulldown_cmark_escape::escape_href;

use super::State;

impl State<'_, '_> {
    /// Records the entities `text` mentions and emits it, with the first
    /// mention of each entity linked when it may be.
    pub(super) fn link_mentions(&mut self, text: String) {
        let found = self.links.finder.find(&text);
        let may_link = self.links.autolink
            && self.heading.is_none()
            && self.no_link_depth == 0
            && !self.raw.in_link();
        let mut cursor = 0;
        for (range, entity) in found {
            if Some(entity) != self.source.own_entity {
                self.mentions.insert(entity);
            }
            if !may_link || Some(entity) == self.source.own_entity || !self.linked.insert(entity) {
                continue;
            }
            if range.start > cursor {
                self.emit(Event::Text(text[cursor..range.start].to_string().into()));
            }
            let mut open = String::from("<a class=\"mention\" href=\"");
            let _ = escape_href(&mut open, &self.links.entity_urls[entity]);
            open.push_str("\">");
            self.emit(Event::InlineHtml(open.into()));
            self.emit(Event::Text(text[range.clone()].to_string().into()));
            self.emit(Event::InlineHtml("</a>".into()));
            cursor = range.end;
        }
        if cursor == 0 {
            self.emit(Event::Text(text.into()));
        } else if cursor < text.len() {
            self.emit(Event::Text(text[cursor..].to_string().into()));
        }
    }

    /// Records the entities `text` mentions, where none may be linked.
    pub(super) fn record_mentions(&mut self, text: &str) {
        for (_, entity) in self.links.finder.find(text) {
            if Some(entity) != self.source.own_entity {
                self.mentions.insert(entity);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::render_with;

    #[test]
    fn links_the_first_mention_only_outside_headings_code_and_links() {
        let r = render_with(
            "# Meta news\n\n`Meta` and [Meta](https://x.org) then Meta, Meta and OpenAI.\n",
            true,
        );
        assert_eq!(r.mentions, [0, 1]);
        assert_eq!(r.html.matches("class=\"mention\"").count(), 2, "{}", r.html);
        assert!(
            r.html.contains("<h1 id=\"meta-news\">Meta news</h1>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<code>Meta</code>"));
        assert!(r
            .html
            .contains("then <a class=\"mention\" href=\"/companies/meta/\">Meta</a>, Meta and"));
    }

    #[test]
    fn records_mentions_without_linking_when_autolink_is_off() {
        let r = render_with("Meta and OpenAI.", false);
        assert_eq!(r.mentions, [0, 1]);
        assert!(!r.html.contains("mention"));
    }

    #[test]
    fn no_mention_link_inside_the_authors_raw_links() {
        let r = render_with("x <a href=\"/y\">Meta</a> and OpenAI.\n", true);
        assert_eq!(r.mentions, [0, 1], "still recorded");
        assert_eq!(
            r.html,
            "<p>x <a href=\"/y\">Meta</a> and <a class=\"mention\" href=\"/companies/openai/\">OpenAI</a>.</p>\n"
        );
        // Not linked inside the raw link, so the first mention outside it is.
        let r = render_with("<A HREF='/y'>Meta</A> then Meta.\n", true);
        assert!(
            r.html
                .ends_with("then <a class=\"mention\" href=\"/companies/meta/\">Meta</a>.</p>\n"),
            "{}",
            r.html
        );
    }

    #[test]
    fn no_mentions_inside_the_authors_raw_code() {
        for body in [
            "Press <kbd>Meta</kbd> or <code class=x>OpenAI</code>.\n",
            "x <script>var Meta;</script> <style>.OpenAI{}</style> <textarea>Meta</textarea>\n",
            "<pre>\nMeta and OpenAI\n</pre>\n",
        ] {
            let r = render_with(body, true);
            assert!(!r.html.contains("mention"), "{}", r.html);
            assert!(r.mentions.is_empty(), "{body}: {:?}", r.mentions);
        }
    }

    #[test]
    fn raw_blocks_span_markdown_between_them() {
        let r = render_with("<a href=\"/y\">\n\nMeta\n\n</a>\n\nMeta again.\n", true);
        assert_eq!(r.html.matches("class=\"mention\"").count(), 1, "{}", r.html);
        assert!(r.html.contains("<p>Meta</p>"), "{}", r.html);
        assert!(r
            .html
            .contains("<a class=\"mention\" href=\"/companies/meta/\">Meta</a> again"));
    }

    #[test]
    fn an_unclosed_raw_element_ends_with_its_body() {
        let r = render_with("x <code>Meta\n", true);
        assert!(!r.html.contains("mention"));
        let r = render_with("Meta.\n", true);
        assert!(
            r.html.contains("class=\"mention\""),
            "a new body starts afresh"
        );
    }
}
