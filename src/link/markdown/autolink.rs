//! Mentions in Markdown: every entity the text names is recorded, and with
//! `autolink` its first mention is linked to its page, except in headings,
//! in links and images, and on the entity's own profile. Finding the names
//! is [`MentionFinder`](crate::link::mentions::MentionFinder)'s job.

use pulldown_cmark::Event;
use pulldown_cmark_escape::escape_href;

use super::State;

impl State<'_, '_> {
    /// Records the entities `text` mentions and emits it, with the first
    /// mention of each entity linked when it may be.
    pub(super) fn link_mentions(&mut self, text: String) {
        let found = self.links.finder.find(&text);
        let may_link = self.links.autolink && self.heading.is_none() && self.no_link_depth == 0;
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
}
