//! One-off runs: `build` (into a staging folder swapped in on success),
//! `check` (into memory, then every link followed), and a build into any
//! [`Output`]. Each loads and links once, frees the Markdown, and makes the
//! search index with the pages.

use std::path::Path;
use std::time::Instant;

use super::{fail, files, full, prepare, report, BuildOptions, Progress, Quiet, Report};
use crate::assets::Assets;
use crate::diagnostic::{Diagnostic, Failed};
use crate::link::Site;
use crate::linkcheck;
use crate::render::social::Deck;
use crate::render::{Cards, Templates};
use crate::write::{Discard, Memory, Output, Staging, Writes};

/// Builds the site into its output folder, replacing it only on success.
pub fn build(options: &BuildOptions, progress: &dyn Progress) -> Result<Report, Failed> {
    let target = options.output_dir();
    refuse_unsafe_output(&options.root, &target)?;
    let staging = Staging::create(&target).map_err(|e| {
        Failed(vec![Diagnostic::error(
            &target,
            format!("cannot create the output folder: {e}"),
        )])
    })?;
    match build_into(options, &staging, progress) {
        Ok(report) => {
            staging.commit().map_err(|e| {
                Failed(vec![Diagnostic::error(
                    &target,
                    format!("cannot replace the output folder: {e}"),
                )])
            })?;
            Ok(report)
        }
        Err(failed) => {
            staging.abandon();
            Err(failed)
        }
    }
}

/// Builds the site once into `out`, search index included. On errors,
/// what was written to `out` is to be thrown away.
pub fn build_into(
    options: &BuildOptions,
    out: &dyn Output,
    progress: &dyn Progress,
) -> Result<Report, Failed> {
    let started = Instant::now();
    let strict = options.strict;
    let (mut site, assets, templates, mut diagnostics) = prepare(options, strict)?;
    // One-off: the Markdown is linked, so it can go before rendering.
    site.drop_sources();
    if diagnostics.has_errors() || (strict && !diagnostics.is_empty()) {
        // Render anyway, writing nothing, so template errors show in this run too.
        let rendering = full::render(
            &site,
            &templates,
            &Cards::new(),
            &Writes::new(&Discard),
            full::Search::Off,
            progress,
        );
        diagnostics.extend(rendering.problems);
        return Err(fail(diagnostics, strict));
    }
    let deck = Deck::new(Some(options.root.join(crate::images::CACHE_DIR)));
    let (pages, problems) = make(&site, &assets, &templates, out, progress, Some(&deck));
    diagnostics.extend(problems);
    if diagnostics.has_errors() {
        return Err(fail(diagnostics, strict));
    }
    Ok(report(
        &site,
        pages,
        assets.files.len(),
        diagnostics,
        started,
        Some(&deck),
    ))
}

/// Validates everything a build would (content, ids, links, templates, by
/// rendering every page, and every internal link of what it renders)
/// without writing anything. Warnings count as errors.
pub fn check(options: &BuildOptions, progress: &dyn Progress) -> Result<Report, Failed> {
    let started = Instant::now();
    let (mut site, assets, templates, mut diagnostics) = prepare(options, true)?;
    site.drop_sources();
    let memory = Memory::new();
    // No cards: nothing links to them, and they cannot fail.
    let (pages, problems) = make(&site, &assets, &templates, &memory, progress, None);
    diagnostics.extend(problems);
    // Links in the output are followed once the content is sound: a link
    // that the content already gets an error for would be named twice.
    if !diagnostics.has_errors() {
        // Name each page as it will be in the output folder.
        diagnostics.extend(linkcheck::check_memory(
            &memory.into_files(),
            &site.config.base_path,
            &options.output,
        ));
    }
    if diagnostics.is_empty() {
        return Ok(report(
            &site,
            pages,
            assets.files.len(),
            diagnostics,
            started,
            None,
        ));
    }
    Err(fail(diagnostics, true))
}

/// Writes the assets and every page, with the search index, into `out`:
/// what a one-off build makes, and with `deck` the social cards. Returns
/// the number of pages and the problems.
fn make(
    site: &Site,
    assets: &Assets,
    templates: &Templates,
    out: &dyn Output,
    progress: &dyn Progress,
    deck: Option<&Deck>,
) -> (usize, Vec<Diagnostic>) {
    let writes = Writes::new(out);
    let mut problems = full::copy_assets(assets, &writes);
    let cards = Cards::new();
    let rendering = full::render(
        site,
        templates,
        &cards,
        &writes,
        full::Search::Write,
        progress,
    );
    problems.extend(rendering.problems);
    if let Some(deck) = deck {
        full::write_cards(deck, &rendering.cards, &writes);
    }
    problems.extend(files::write(site, &files::owners(site), &writes).1);
    problems.extend(writes.problems());
    (rendering.pages, problems)
}

/// Renders every page and the search index of a linked site into `out`,
/// as a build does, for [`crate::stages`]; the social cards are cached in
/// `cache` when given.
pub(crate) fn render_everything(
    site: &Site,
    templates: &Templates,
    cache: Option<std::path::PathBuf>,
    out: &dyn Output,
) -> Vec<Diagnostic> {
    let deck = Deck::new(cache);
    make(
        site,
        &Assets::default(),
        templates,
        out,
        &Quiet,
        Some(&deck),
    )
    .1
}

/// The output folder is replaced whole: never let that be the site itself.
fn refuse_unsafe_output(root: &Path, target: &Path) -> Result<(), Failed> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let root = absolute(root);
    let target = absolute(target);
    let inside_sources = ["content", "templates", "static"]
        .iter()
        .any(|dir| target.starts_with(root.join(dir)));
    if root.starts_with(&target) || inside_sources {
        return Err(Failed(vec![Diagnostic::error(
            &target,
            "refusing to use this as the output folder: it holds the site's own files and would be replaced",
        )]));
    }
    Ok(())
}
