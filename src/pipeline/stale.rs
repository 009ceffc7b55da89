//! Rendering what a scoped update made stale: the pages whose facts moved
//! and those a changed template lays out, staged as they render and put in
//! place together, so that a template error leaves no page half new.

use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::search::Packed;
use super::State;
use crate::diagnostic::Diagnostic;
use crate::link::change::SiteChange;
use crate::link::update::Refused;
use crate::render::{self, Page};
use crate::write::Writes;

/// Renders the pages that `change` made stale and those in `relaid`,
/// writes them, and removes the files of pages that are gone. The pages
/// are staged as they are rendered and put in place only when all of them
/// rendered, so a template error leaves no page half new and no page text
/// is held in memory.
pub(super) fn render_stale(
    state: &mut State,
    change: &SiteChange,
    relaid: &Relaid,
    writes: &Writes,
    social: &super::SocialCards,
) -> Result<(Vec<String>, usize, bool), Refused> {
    let mut stale = state.scope.stale(&state.site, change);
    // The pages whose text for the index may have moved: the articles that
    // changed, and all that a template change reaches when the index reads
    // the pages themselves (a site's own article layout). An article that
    // is only rendered again (its related list moved) reads as before: what
    // the index takes of it is its own (title, lede, authors, tags, image,
    // body, sources), and entity names never change in a scoped update.
    let changed = change.articles.iter().map(|&id| Page::Article(id));
    let reindex: FxHashSet<Page> = match relaid.search {
        true => changed.chain(relaid.pages.iter().copied()).collect(),
        false => changed.collect(),
    };
    if !relaid.pages.is_empty() {
        stale
            .render
            .extend(relaid.pages.iter().filter(|p| !stale.gone.contains(p)));
        stale.render.sort_unstable();
        stale.render.dedup();
    }
    let rendered = Mutex::new(Vec::with_capacity(stale.render.len()));
    let problems = render::render_pages(
        &state.site,
        &state.templates,
        &state.cards,
        &stale.render,
        &|mut r| {
            writes.stage(&r.file, r.text.as_bytes());
            let packed = match r.page {
                page @ Page::Article(_) if reindex.contains(&page) => {
                    let path = r.file.trim_end_matches("index.html").to_string();
                    Some(Arc::new(Packed::new(&path, &mut r)))
                }
                _ => None,
            };
            let done = Done {
                page: r.page,
                file: r.file,
                reads: r.reads,
                card: r.card,
                packed,
            };
            rendered
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(done)
        },
    );
    let rendered: Vec<Done> = rendered.into_inner().unwrap_or_else(|e| e.into_inner());
    if problems.iter().any(Diagnostic::is_error) {
        rendered.par_iter().for_each(|r| writes.unstage(&r.file));
        return Err(Refused::Errors(problems));
    }
    rendered.par_iter().for_each(|r| writes.settle(&r.file));
    let site = &state.site;
    let url = |file: &str| site.urls.url(file.trim_end_matches("index.html"));
    let mut search_stale = stale.gone.iter().any(|p| matches!(p, Page::Article(_)));
    // Each page rendered says what card is beside it now (maybe none).
    let mut cards = Vec::new();
    let mut urls: Vec<String> = Vec::with_capacity(rendered.len());
    let mut records = Vec::with_capacity(rendered.len());
    for r in rendered {
        if let (Page::Article(id), Some(packed)) = (r.page, r.packed) {
            search_stale = true;
            state.pages.insert(id, packed);
        }
        if r.file.ends_with("index.html") {
            cards.push((super::full::card_path(&r.file), r.card));
        }
        urls.push(url(&r.file));
        records.push((r.page, r.file, r.reads));
    }
    for page in &stale.gone {
        if let Page::Article(id) = page {
            state.pages.remove(id);
        }
    }
    let written = records.len();
    // Recorded before the gone pages are dropped: a file that a gone page
    // wrote and a new one writes now stays.
    let mut vacated = state.scope.record(site, records);
    vacated.extend(state.scope.drop_pages(&stale.gone));
    for file in &vacated {
        writes.remove(file);
        urls.push(url(file));
    }
    cards.extend(
        vacated
            .iter()
            .filter(|file| file.ends_with("index.html"))
            .map(|file| (super::full::card_path(file), None)),
    );
    social.update(cards);
    Ok((urls, written, search_stale))
}

/// A page rendered and staged: what is kept of it once its text is out.
struct Done {
    page: Page,
    file: String,
    reads: render::Reads,
    card: Option<render::social::Card>,
    /// Its text for the index, when that may have moved.
    packed: Option<Arc<Packed>>,
}

/// The pages that a template change lays out again.
#[derive(Default)]
pub(super) struct Relaid {
    pub(super) pages: Vec<Page>,
    /// The index reads those pages themselves (a site's own article
    /// layout, or one that came or went), so it is out of date too.
    pub(super) search: bool,
}

#[cfg(test)]
mod tests {
    /// A site of articles that all share a company, so that each is in the
    /// others' related lists: a save renders its neighbours' pages again.
    #[test]
    fn a_save_indexes_only_the_article_saved_though_its_neighbours_render_again() {
        let dir = tempfile::tempdir().unwrap();
        let articles = dir.path().join("content/articles");
        std::fs::create_dir_all(&articles).unwrap();
        let companies = dir.path().join("content/companies");
        std::fs::create_dir_all(&companies).unwrap();
        std::fs::write(companies.join("meta.md"), "---\nname: Meta\n---\n").unwrap();
        let write = |n: usize, words: &str| {
            let text = format!(
                "---\ntitle: \"Article {n}\"\ndate: 2024-07-{:02}\ncompanies: [meta]\n---\n{words}\n",
                n + 1
            );
            std::fs::write(articles.join(format!("a{n}.md")), text).unwrap();
        };
        // Enough that one page in eight may be put in place of its old self.
        for n in 0..16 {
            write(n, "Open weights again.");
        }
        let out = crate::write::Memory::new();
        let mut pipeline =
            crate::pipeline::Pipeline::new(crate::pipeline::BuildOptions::new(dir.path()));
        pipeline.rebuild(&out).unwrap();
        let mut kept = None;
        let first = pipeline.search_job().unwrap();
        assert_eq!(
            first
                .update(&mut kept, &|| false)
                .unwrap()
                .unwrap()
                .prepared,
            16
        );

        write(2, "Open weights again, and a zeppelin.");
        let changes = crate::pipeline::Changes {
            content: [articles.join("a2.md")].into(),
            ..Default::default()
        };
        let applied = pipeline.apply(&changes, &out).unwrap();
        assert!(applied.search_stale);
        let rendered = applied.urls.unwrap();
        assert!(
            rendered
                .iter()
                .filter(|u| u.starts_with("/articles/"))
                .count()
                > 1,
            "its neighbours' pages render again: {rendered:?}"
        );
        let second = pipeline.search_job().unwrap();
        let bundle = second.update(&mut kept, &|| false).unwrap().unwrap();
        assert_eq!(
            bundle.prepared, 1,
            "only the saved article is indexed again"
        );
        assert_eq!(bundle.pages, 16);
        assert_eq!(
            bundle.files,
            second.build(&|| false).unwrap().unwrap().files,
            "the same bundle as indexing everything"
        );
    }
}
