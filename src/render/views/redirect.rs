//! The page at an old address (`redirect_from`): where the page is now,
//! and what it is called, so the reader knows where they are sent.

use serde::Serialize;

use super::super::context::{page_view, PageView};
use super::super::reader::Reader;
use crate::link::facts::Target;

#[derive(Serialize)]
pub(in crate::render) struct RedirectPage<'a> {
    /// The old address itself.
    page: PageView,
    redirect: RedirectView<'a>,
}

#[derive(Serialize)]
struct RedirectView<'a> {
    /// The title of the page it sends to (an article's, an entity's name).
    title: &'a str,
    /// Root-relative URL of that page.
    url: String,
    /// Its absolute URL.
    permalink: String,
}

/// The redirect page at `path` to `target`; `None` when the target is gone.
pub(in crate::render) fn redirect<'a>(
    r: &Reader<'a>,
    target: Target,
    path: &str,
) -> Option<RedirectPage<'a>> {
    let now = r.redirected(target)?;
    Some(RedirectPage {
        page: page_view(r.fixed(), path, Some(now.title.to_string())),
        redirect: RedirectView {
            title: now.title,
            url: r.urls().url(&now.path),
            permalink: r.urls().permalink(&now.path),
        },
    })
}
