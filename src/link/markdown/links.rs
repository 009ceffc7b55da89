//! Links in Markdown: `@/path.md` and relative `.md` links become page URLs,
//! with a problem at the link's line when no page comes from the file it
//! names (and the nearest name that does, when one is close); links that
//! leave the site are marked external.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

use super::State;
use crate::diagnostic::{line_col, Diagnostic};
use crate::urls;

impl<'a> State<'_, 'a> {
    pub(super) fn open_link(
        &mut self,
        link_type: LinkType,
        dest_url: CowStr<'a>,
        title: CowStr<'a>,
        id: CowStr<'a>,
        offset: usize,
    ) {
        self.no_link_depth += 1;
        if is_external(&dest_url, self.links.base_url) {
            let mut open = String::from("<a class=\"external\" rel=\"external noopener\" href=\"");
            let _ = escape_href(&mut open, &dest_url);
            open.push('"');
            if !title.is_empty() {
                open.push_str(" title=\"");
                let _ = escape_html(&mut open, &title);
                open.push('"');
            }
            open.push('>');
            self.external_stack.push(true);
            self.emit(Event::InlineHtml(open.into()));
        } else {
            let resolved = match self.bundle_file(&dest_url, offset) {
                Some((url, _)) => Some(url),
                None => self.resolve(&dest_url, offset),
            };
            let dest_url = match resolved {
                Some(url) => url.into(),
                None => dest_url,
            };
            self.external_stack.push(false);
            self.emit(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }));
        }
    }

    pub(super) fn close_link(&mut self) {
        self.no_link_depth = self.no_link_depth.saturating_sub(1);
        if self.external_stack.pop() == Some(true) {
            self.emit(Event::InlineHtml("</a>".into()));
        } else {
            self.emit(Event::End(TagEnd::Link));
        }
    }

    /// Resolves `@/path.md` and relative `.md` links to page URLs; records a
    /// problem when the target does not exist. Other links are left as they are.
    fn resolve(&mut self, dest: &str, offset: usize) -> Option<String> {
        let (path, fragment) = match dest.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (dest, None),
        };
        let target = if let Some(rest) = path.strip_prefix("@/") {
            // From the top of content/: `..` may not climb out of it.
            urls::join("", rest)
        } else if path.ends_with(".md") && !urls::has_scheme(path) && !path.starts_with('/') {
            urls::join(self.source.content_path, path)
        } else {
            return None;
        };
        if let Some(target) = &target {
            self.targets.push(target.clone());
        }
        let found = target.as_ref().and_then(|target| {
            self.links.pages.get(target).or_else(|| {
                let stem = target.strip_prefix("articles/")?.strip_suffix(".md")?;
                self.links.article_slugs.get(stem)
            })
        });
        match found {
            Some(url) => Some(match fragment {
                Some(fragment) => format!("{url}#{fragment}"),
                None => url.clone(),
            }),
            None => {
                let message = match target {
                    None => format!("link to `{dest}` goes outside content/"),
                    Some(target) => match nearest(&target, self.links.pages.keys()) {
                        Some(near) => format!(
                            "link to `{dest}`: no page comes from content/{target} (did you mean `@/{near}`?)"
                        ),
                        None => format!("link to `{dest}`: no page comes from content/{target}"),
                    },
                };
                let (line, column) = line_col(self.source.body, offset);
                self.problems.push(
                    Diagnostic::error(self.source.file, message)
                        .at(self.source.body_line + line - 1, column),
                );
                None
            }
        }
    }
}

fn is_external(dest: &str, base_url: &str) -> bool {
    (dest.starts_with("http://") || dest.starts_with("https://") || dest.starts_with("//"))
        && !dest.starts_with(base_url)
}

fn nearest<'k>(target: &str, candidates: impl Iterator<Item = &'k String>) -> Option<&'k String> {
    candidates
        .map(|c| (strsim::jaro_winkler(target, c), c))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::super::tests::render_with;

    #[test]
    fn resolves_internal_links_and_marks_external_ones() {
        let r = render_with(
            "[a](@/articles/2024-07-23-llama.md#x) [b](@/articles/llama.md) [c](../companies/meta.md) [d](https://x.org \"T\") [e](https://example.org/y/)",
            false,
        );
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert!(r.html.contains("href=\"/articles/llama/#x\""));
        assert!(r.html.contains("href=\"/articles/llama/\">b"));
        assert!(r.html.contains("href=\"/companies/meta/\">c"));
        assert!(r.html.contains(
            "<a class=\"external\" rel=\"external noopener\" href=\"https://x.org\" title=\"T\">d</a>"
        ));
        assert!(r.html.contains("<a href=\"https://example.org/y/\">e</a>"));
    }

    #[test]
    fn broken_internal_links_name_their_line() {
        let r = render_with(
            "text\n\n[x](@/articles/2024-07-23-lama.md)\n[y](../../etc/passwd.md)",
            false,
        );
        let messages: Vec<String> = r.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(messages.len(), 2);
        assert!(
            messages[0].starts_with(
                "error: content/articles/a.md:7:1: link to `@/articles/2024-07-23-lama.md`"
            ),
            "{}",
            messages[0]
        );
        assert!(messages[0].contains("did you mean `@/articles/2024-07-23-llama.md`"));
        assert!(
            messages[1].contains("goes outside content/"),
            "{}",
            messages[1]
        );
    }
}
