//! The pipeline: one value that owns the settings, the linked site, the
//! templates, the assets and the caches, and runs the stages in one
//! direction, load → link → render → write. It has two entry points: a full
//! build ([`Pipeline::rebuild`], or [`build`] and [`check`] for one-off
//! runs), and applying a set of changed files ([`Pipeline::apply`]).
//! `build`, `check`, `publish` and `serve` all drive it; none of them names
//! a stage.
//!
//! Where the files go is the caller's choice of [`Output`]. What a change
//! renders again is derived: every page records the facts it read
//! (`scope.rs`), and a change renders the pages whose facts moved.

mod files;
mod full;
mod letter;
mod once;
mod options;
mod scope;
mod scoped;
mod search;
mod social;
mod stale;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use rustc_hash::FxHashMap;

use crate::assets::Assets;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics, Failed};
use crate::link::facts::ArticleId;
use crate::link::{self, Site};
use crate::load::{self};
use crate::render::social::Deck;
use crate::render::{self, Cards, Templates};
use crate::write::Writes;
pub use crate::write::{Discard, InPlace, Memory, Output, Staging};
pub use letter::{letter, Letter};
pub(crate) use once::render_everything;
pub use once::{build, build_into, check};
pub use options::{BuildOptions, Progress, Quiet, Report};
pub use scoped::{Applied, Changes, Refusal};
pub use search::{Bundle, Kept, SearchJob};
pub use social::SocialCards;

/// The pipeline of a site that stays open (`serve`): it keeps the linked
/// site between changes, and makes the search index on request
/// ([`Pipeline::search_job`]) instead of in the build.
pub struct Pipeline {
    options: BuildOptions,
    /// The last good site; `None` after errors, so the next change
    /// rebuilds everything from disk.
    state: Option<State>,
    /// Files that do not load now, with their problems. The site keeps
    /// their last good version, and other files still update in scope.
    failing: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// The social cards of the site as last built, drawn on request.
    social: Arc<SocialCards>,
}

struct State {
    site: Site,
    templates: Templates,
    cards: Cards,
    scope: scope::Scope,
    /// Each article page, kept for the search index.
    pages: FxHashMap<ArticleId, Arc<search::Packed>>,
    /// The files each bundle published.
    published: files::Published,
}

impl Pipeline {
    pub fn new(options: BuildOptions) -> Pipeline {
        let social = Arc::new(SocialCards::new(
            options.root.join(crate::images::CACHE_DIR),
        ));
        Pipeline {
            options,
            state: None,
            failing: BTreeMap::new(),
            social,
        }
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// The social cards of the site as it was last built or updated; they
    /// follow every later rebuild and save.
    pub fn social_cards(&self) -> Arc<SocialCards> {
        Arc::clone(&self.social)
    }

    /// Builds everything into `out`, an empty folder, without the search
    /// index. Assets keep their names (nothing is cached forever in a
    /// preview, and a stylesheet can then be swapped without a page).
    pub fn rebuild(&mut self, out: &dyn Output) -> Result<Report, Failed> {
        let started = Instant::now();
        // One copy of the site at a time: the old one goes before the new is built.
        self.state = None;
        self.failing.clear();
        let (mut site, assets, templates, diagnostics) =
            prepare(&self.options, false).map_err(|failed| self.named(failed))?;
        if diagnostics.has_errors() {
            return Err(self.named(Failed(diagnostics.into_sorted())));
        }
        let writes = Writes::new(out);
        let mut problems = full::copy_assets(&assets, &writes);
        let cards = Cards::new();
        let rendering = full::render(
            &site,
            &templates,
            &cards,
            &writes,
            full::Search::Keep,
            &Quiet,
        );
        problems.extend(rendering.problems);
        let (published, unread) = files::write(&site, &files::owners(&site), &writes);
        problems.extend(unread);
        problems.extend(writes.problems());
        if problems.iter().any(Diagnostic::is_error) {
            return Err(self.named(Failed(problems)));
        }
        let mut scope = scope::Scope::default();
        scope.record(&site, rendering.records);
        cards.forget_cards();
        site.pack_kept();
        // Drawn when asked for (`serve`), so no rebuild waits on them.
        self.social.replace(rendering.cards);
        let report = report(
            &site,
            rendering.pages,
            assets.files.len(),
            diagnostics,
            started,
            None,
        );
        self.state = Some(State {
            site,
            templates,
            cards,
            scope,
            pages: rendering.articles,
            published,
        });
        Ok(report)
    }

    /// Whether an embargoed article's date has passed since the last build.
    pub fn embargo_ended(&self) -> bool {
        let now = crate::date::build_time().unwrap_or_else(|_| time::OffsetDateTime::now_utc());
        self.state.as_ref().is_some_and(|state| {
            !self.options.future
                && state
                    .site
                    .held_back
                    .values()
                    .any(|h| h.due.is_some_and(|due| due <= now))
        })
    }

    /// The problems of the files that do not load now.
    pub fn failing(&self) -> Vec<Diagnostic> {
        let mut problems: Vec<Diagnostic> = self.failing.values().flatten().cloned().collect();
        for problem in &mut problems {
            problem.relative_to(&self.options.root);
        }
        problems
    }

    /// Problems as the user names the files, errors only, with those of the
    /// files that still do not load; forgets the site, so that the next
    /// change rebuilds it from disk.
    fn named(&mut self, Failed(mut problems): Failed) -> Failed {
        problems.extend(self.failing.values().flatten().cloned());
        problems.sort();
        problems.dedup();
        self.state = None;
        self.failing.clear();
        for problem in &mut problems {
            problem.relative_to(&self.options.root);
        }
        problems.retain(Diagnostic::is_error);
        Failed(problems)
    }
}

/// Loads and links the site at `options.root`: everything up to rendering.
fn load_site(options: &BuildOptions) -> Result<(Site, Diagnostics), Failed> {
    let mut diagnostics = Diagnostics::new();
    // A broken site.yaml still lets the content be checked, with defaults.
    let mut config = Config::load(&options.root).unwrap_or_else(|problems| {
        diagnostics.extend(problems);
        Config::default()
    });
    config.related_window = options.related_window;
    config.build_time = crate::date::build_time()
        .map_err(|message| Failed(vec![Diagnostic::setting("SOURCE_DATE_EPOCH", message)]))?;
    if let Some(base_url) = &options.base_url {
        config
            .set_base_url(base_url)
            .map_err(|message| Failed(vec![Diagnostic::setting("--base-url", message)]))?;
    }
    let (content, load_problems) = load::load(
        &options.root,
        &config,
        options.load_options(config.build_time),
    );
    diagnostics.extend(load_problems.into_sorted());
    let (site, link_problems) = link::link(config, content);
    diagnostics.extend(link_problems.into_sorted());
    Ok((site, diagnostics))
}

/// Everything up to rendering: the linked site, its assets (whose published
/// names the site now knows) and the templates. Fails only when the
/// templates do not load; other problems are in the diagnostics.
fn prepare(
    options: &BuildOptions,
    strict: bool,
) -> Result<(Site, Assets, Templates, Diagnostics), Failed> {
    let (mut site, mut diagnostics) = load_site(options)?;
    let assets = Assets::scan(&options.root, options.fingerprint).unwrap_or_else(|problems| {
        diagnostics.extend(problems);
        Assets::default()
    });
    site.assets = assets.names.clone();
    if let Some(logo) = &site.config.logo {
        if !site.assets.contains_key(logo) {
            diagnostics.push(Diagnostic::error(
                crate::config::CONFIG_FILE,
                format!("`logo`: `{logo}` is no file under static/ (nor a built-in asset)"),
            ));
        }
    }
    diagnostics.extend(render::redirect_clashes(&site));
    match Templates::load(&options.root) {
        Ok(templates) => Ok((site, assets, templates, diagnostics)),
        Err(problems) => {
            diagnostics.extend(problems);
            Err(fail(diagnostics, strict))
        }
    }
}

fn fail(mut diagnostics: Diagnostics, strict: bool) -> Failed {
    if strict {
        diagnostics.make_strict();
    }
    Failed(diagnostics.into_sorted())
}

fn report(
    site: &Site,
    pages: usize,
    assets: usize,
    diagnostics: Diagnostics,
    started: Instant,
    deck: Option<&Deck>,
) -> Report {
    let images = site.index.images.stats();
    let (cards_made, cards_cached) = deck.map(Deck::stats).unwrap_or_default();
    let mut warnings = diagnostics.into_sorted();
    // Never errors, even with --strict: the build goes on without the cache.
    warnings.extend(
        site.index
            .images
            .warnings()
            .into_iter()
            .map(|reason| Diagnostic::warning(crate::images::CACHE_DIR, reason)),
    );
    warnings.extend(
        deck.map(Deck::warnings)
            .unwrap_or_default()
            .into_iter()
            .map(|reason| Diagnostic::warning(crate::images::CACHE_DIR, reason)),
    );
    Report {
        articles: site.articles.len(),
        entities: site.entities.len(),
        pages,
        assets,
        images_made: images.decoded,
        images_cached: images.cached,
        cards_made,
        cards_cached,
        warnings,
        elapsed: started.elapsed(),
    }
}
