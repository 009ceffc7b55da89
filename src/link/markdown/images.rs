//! Images in Markdown. An image's description is its `alt` text, which is
//! plain text: a link, emphasis or code inside `![…]` gives its words and
//! no markup (`![a [b](https://x.org) c](/i.png)` is `alt="a b c"`), and
//! no mention is linked there. The `<img>` element itself is written in
//! one place, [`image_tag`].

use std::path::PathBuf;

use pulldown_cmark::{CowStr, Event, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

use super::State;
use crate::diagnostic::{line_col, Diagnostic};
use crate::images::{is_raster, Attributes, Shown};

/// An image being read: where it points and its alt text so far.
pub(super) struct Image<'a> {
    url: CowStr<'a>,
    title: CowStr<'a>,
    /// The local file, for a bundle's image or one under `static/`.
    source: Option<PathBuf>,
    /// The URL as the author wrote it, for messages.
    written: String,
    /// Where it starts in the body, for messages.
    offset: usize,
    /// Images inside this one's description (their words join its alt).
    nested: usize,
    pub(super) alt: String,
}

impl<'a> State<'_, 'a> {
    pub(super) fn open_image(&mut self, url: CowStr<'a>, title: CowStr<'a>, offset: usize) {
        match &mut self.image {
            Some(image) => image.nested += 1,
            None => {
                let written = url.to_string();
                let (url, source) = match self.bundle_file(&url, offset) {
                    Some((resolved, source)) => (resolved.into(), Some(source)),
                    None => {
                        let source = self.static_file(&url);
                        (url, source)
                    }
                };
                self.image = Some(Image {
                    url,
                    title,
                    source,
                    written,
                    offset,
                    nested: 0,
                    alt: String::new(),
                })
            }
        }
    }

    /// The attributes of a local raster image, processed; `None` for any
    /// other image (remote, SVG, animated), which is left as it is.
    fn processed(
        &mut self,
        source: Option<&PathBuf>,
        url: &str,
        offset: usize,
    ) -> Option<Attributes> {
        let source = source.filter(|s| is_raster(s))?;
        match self.links.images.get(source) {
            Ok(picture) if picture.responsive => {
                let shown = Shown::new(source, picture);
                let attributes = shown.attributes(self.source.page_url);
                self.pictures.push(shown);
                Some(attributes)
            }
            Ok(_) => None,
            Err(reason) => {
                let (line, column) = line_col(self.source.body, offset);
                self.problems.push(
                    Diagnostic::error(self.source.file, format!("image `{url}` {reason}"))
                        .at(self.source.body_line + line - 1, column),
                );
                None
            }
        }
    }

    /// Handles an event inside an image's description: text joins the alt
    /// text, everything else is dropped.
    pub(super) fn image_event(&mut self, event: Event<'a>) {
        match event {
            Event::Code(code) => {
                self.read(&code);
                if let Some(image) = &mut self.image {
                    image.alt.push_str(&code);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                self.space();
                if let Some(image) = &mut self.image {
                    image.alt.push(' ');
                }
            }
            Event::Start(pulldown_cmark::Tag::Image {
                dest_url, title, ..
            }) => self.open_image(dest_url, title, 0),
            Event::End(TagEnd::Image) => self.close_image(),
            _ => {}
        }
    }

    fn close_image(&mut self) {
        let Some(image) = &mut self.image else { return };
        if image.nested > 0 {
            image.nested -= 1;
            return;
        }
        if let Some(image) = self.image.take() {
            let processed = self.processed(image.source.as_ref(), &image.written, image.offset);
            let tag = image_tag(&image.url, &image.alt, &image.title, processed.as_ref());
            self.emit(Event::InlineHtml(tag.into()));
        }
    }
}

/// The `<img>` element for an image at `url` with plain-text `alt` and an
/// optional `title` (empty for none); a processed one gets its size and
/// versions, and waits until it is near the screen. Every image of a body
/// is written here.
pub(crate) fn image_tag(
    url: &str,
    alt: &str,
    title: &str,
    processed: Option<&Attributes>,
) -> String {
    let mut tag = String::with_capacity(url.len() + alt.len() + title.len() + 24);
    tag.push_str("<img src=\"");
    // Writing into a String cannot fail.
    let _ = escape_href(&mut tag, url);
    tag.push_str("\" alt=\"");
    let _ = escape_html(&mut tag, alt);
    tag.push('"');
    if !title.is_empty() {
        tag.push_str(" title=\"");
        let _ = escape_html(&mut tag, title);
        tag.push('"');
    }
    if let Some(processed) = processed {
        tag.push_str(&processed.html());
        tag.push_str(" loading=\"lazy\" decoding=\"async\"");
    }
    tag.push('>');
    tag
}

#[cfg(test)]
mod tests {
    use super::super::tests::render_with;
    use super::image_tag;

    #[test]
    fn alt_text_is_plain_text() {
        let r = render_with("![a [b](https://x.org) c](/i.png)\n", true);
        assert_eq!(r.html, "<p><img src=\"/i.png\" alt=\"a b c\"></p>\n");
        let r = render_with(
            "![*Meta* `code` ![inner **x**](/j.png) <b>raw</b>\nend](/i.png \"T\")\n",
            true,
        );
        assert_eq!(
            r.html,
            "<p><img src=\"/i.png\" alt=\"Meta code inner x raw end\" title=\"T\"></p>\n"
        );
    }

    #[test]
    fn mentions_in_alt_text_are_recorded_not_linked() {
        let r = render_with("![Meta logo](/m.png) then Meta.\n", true);
        assert_eq!(r.mentions, [0]);
        assert!(
            r.html
                .starts_with("<p><img src=\"/m.png\" alt=\"Meta logo\"> then <a class=\"mention\""),
            "{}",
            r.html
        );
    }

    #[test]
    fn links_inside_alt_text_are_not_links() {
        let r = render_with("![see [x](@/articles/nowhere.md)](/i.png)\n", false);
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert!(r.targets.is_empty());
        assert!(r.html.contains("alt=\"see x\""), "{}", r.html);
    }

    #[test]
    fn the_tag_escapes_what_it_is_given() {
        assert_eq!(
            image_tag("/a b\"<.png", "x \"<y>\" & z", "t\"", None),
            "<img src=\"/a%20b%22%3C.png\" alt=\"x &quot;&lt;y&gt;&quot; &amp; z\" title=\"t&quot;\">"
        );
    }
}
