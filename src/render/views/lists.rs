//! The pages that list the whole site: the archive by month and the search page.

use serde::Serialize;
use tera::Value;

use super::super::context::{page_view_with, PageView};
use super::super::reader::Reader;

#[derive(Serialize)]
pub(in crate::render) struct ArchivePage {
    page: PageView,
    months: Vec<Month>,
}

#[derive(Serialize)]
struct Month {
    id: String,
    label: String,
    /// One line each (title, url, date, date_iso), shared through [`super::super::Cards`].
    articles: Vec<Value>,
}

pub(in crate::render) fn archive(r: &Reader, path: &str) -> ArchivePage {
    let mut months: Vec<Month> = Vec::new();
    for i in r.slice(0, usize::MAX) {
        let (id, label, row) = r.archive_row(i);
        if months.last().is_none_or(|m| m.id != id) {
            months.push(Month {
                id,
                label,
                articles: Vec::new(),
            });
        }
        if let Some(month) = months.last_mut() {
            month.articles.push(row);
        }
    }
    ArchivePage {
        page: page_view_with(
            r.fixed(),
            path,
            Some("Archive".into()),
            Vec::new(),
            &[("Archive", path)],
        ),
        months,
    }
}

#[derive(Serialize)]
pub(in crate::render) struct SearchPage<'a> {
    page: PageView,
    search: SearchView<'a>,
}

#[derive(Serialize)]
struct SearchView<'a> {
    bundle_url: String,
    base_path: &'a str,
    articles: usize,
    /// Titles of the kinds that tag some article: the search filters.
    filters: Vec<&'a str>,
}

pub(in crate::render) fn search<'a>(r: &Reader<'a>, path: &str) -> SearchPage<'a> {
    let config = r.config();
    SearchPage {
        page: page_view_with(
            r.fixed(),
            path,
            Some("Search".into()),
            Vec::new(),
            &[("Search", path)],
        ),
        search: SearchView {
            bundle_url: r.urls().url(crate::urls::SEARCH_BUNDLE),
            base_path: &config.base_path,
            articles: r.article_count(),
            filters: r
                .tagging_kinds()
                .into_iter()
                .map(|kind| config.kinds[kind].title.as_str())
                .collect(),
        },
    }
}
