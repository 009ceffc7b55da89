//! The whole pipeline, load → link → render → write, as `build` and `check`
//! run it. `serve` and `publish` call these and never reach into the middle.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::assets::Assets;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics, Failed};
use crate::link::related::RELATED_WINDOW;
use crate::link::{self, Site};
use crate::linkcheck;
use crate::load::{self, LoadOptions};
use crate::render::{self, Templates};
use crate::search::{self, Bundle, Fragments};
use crate::urls;
use crate::write::{self, Output};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Relative paths are taken from `root`.
    pub output: PathBuf,
    /// Overrides `base_url` from site.yaml.
    pub base_url: Option<String>,
    pub drafts: bool,
    pub future: bool,
    /// Warnings fail the build.
    pub strict: bool,
    /// Put a content hash in CSS and JS file names.
    pub fingerprint: bool,
    /// How many places away in date order a related article may be
    /// ([`RELATED_WINDOW`] unless a test wants a small site to reach it).
    pub related_window: usize,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: PathBuf::from("public"),
            base_url: None,
            drafts: false,
            future: false,
            strict: false,
            fingerprint: true,
            related_window: RELATED_WINDOW,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        if self.output.is_absolute() {
            self.output.clone()
        } else {
            self.root.join(&self.output)
        }
    }
}

/// What a successful build or check reports.
#[derive(Debug)]
pub struct Report {
    pub articles: usize,
    pub entities: usize,
    pub pages: usize,
    pub assets: usize,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
}

/// Loads and links the site at `options.root`: everything up to rendering.
pub fn load_site(options: &BuildOptions) -> Result<(Site, Diagnostics), Failed> {
    let mut diagnostics = Diagnostics::new();
    // A broken site.yaml still lets the content be checked, with defaults.
    let mut config = Config::load(&options.root).unwrap_or_else(|problems| {
        diagnostics.extend(problems);
        Config::default()
    });
    config.related_window = options.related_window;
    if let Some(base_url) = &options.base_url {
        config
            .set_base_url(base_url)
            .map_err(|message| Failed(vec![Diagnostic::setting("--base-url", message)]))?;
    }
    let load_options = LoadOptions {
        drafts: options.drafts,
        future: options.future,
        ..LoadOptions::default()
    };
    let (content, load_problems) = load::load(&options.root, &config, load_options);
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
    match Templates::load(&options.root) {
        Ok(templates) => Ok((site, assets, templates, diagnostics)),
        Err(problems) => {
            diagnostics.extend(problems);
            Err(fail(diagnostics, strict))
        }
    }
}

/// Builds the site into its output folder, replacing it only on success.
pub fn build(options: &BuildOptions) -> Result<Report, Failed> {
    let started = Instant::now();
    let target = options.output_dir();
    refuse_unsafe_output(&options.root, &target)?;
    let (mut site, assets, templates, mut diagnostics) = prepare(options, options.strict)?;
    site.drop_sources();
    if diagnostics.has_errors() || (options.strict && !diagnostics.is_empty()) {
        // Render anyway, writing nothing, so template errors show in this run too.
        let (_, problems) = render::render_all(&site, &templates, &|_, _| Ok(()));
        diagnostics.extend(problems.into_sorted());
        return Err(fail(diagnostics, options.strict));
    }

    let output = Output::create(&target).map_err(|e| {
        Failed(vec![Diagnostic::error(
            &target,
            format!("cannot create the output folder: {e}"),
        )])
    })?;
    let sink = |path: &str, bytes: &[u8]| {
        output
            .write(path, bytes)
            .map_err(|e| Diagnostic::error(target.join(path), format!("cannot write: {e}")))
    };
    let assets = output.copy_assets(&assets);
    let (pages, render_problems) = render::render_all(&site, &templates, &sink);
    diagnostics.extend(render_problems.into_sorted());
    let assets = match assets {
        Ok(n) => n,
        Err(problem) => {
            diagnostics.push(problem);
            0
        }
    };
    if !diagnostics.has_errors() {
        if let Err(problem) = write_search_index(&site, output.dir(), &sink) {
            diagnostics.push(problem);
        }
    }
    if diagnostics.has_errors() {
        output.abandon();
        return Err(fail(diagnostics, options.strict));
    }
    output.commit().map_err(|e| {
        Failed(vec![Diagnostic::error(
            &target,
            format!("cannot replace the output folder: {e}"),
        )])
    })?;
    Ok(report(&site, pages, assets, diagnostics, started))
}

/// Validates everything a build would (content, ids, links, templates, by
/// rendering every page) without writing anything. Warnings count as errors.
pub fn check(options: &BuildOptions) -> Result<Report, Failed> {
    let started = Instant::now();
    let (mut site, assets, templates, mut diagnostics) = prepare(options, true)?;
    site.drop_sources();
    // Build into a throwaway folder and follow every link in it, as a
    // reader's browser would.
    let scratch = tempfile::Builder::new()
        .prefix("briefing-check-")
        .tempdir()
        .map_err(|e| {
            Failed(vec![Diagnostic::setting(
                "check",
                format!("no temporary folder: {e}"),
            )])
        })?;
    let dir = scratch.path();
    let sink = |path: &str, bytes: &[u8]| {
        write::write_file(dir, path, bytes)
            .map_err(|e| Diagnostic::error(dir.join(path), format!("cannot write: {e}")))
    };
    if let Err(problem) = write::copy_assets(&assets, dir) {
        diagnostics.push(problem);
    }
    let (pages, problems) = render::render_all(&site, &templates, &sink);
    diagnostics.extend(problems.into_sorted());
    if !diagnostics.has_errors() {
        if let Err(problem) = write_search_index(&site, dir, &sink) {
            diagnostics.push(problem);
        }
    }
    for mut broken in linkcheck::check(dir, &site.config.base_path) {
        // Name the page as it will be in the output folder.
        broken.rebase(dir, &options.output);
        diagnostics.push(broken);
    }
    if diagnostics.is_empty() {
        return Ok(report(
            &site,
            pages,
            assets.files.len(),
            diagnostics,
            started,
        ));
    }
    Err(fail(diagnostics, true))
}

/// Indexes the article pages rendered into `dir` and hands the index's
/// files to `sink`.
fn write_search_index(site: &Site, dir: &Path, sink: &render::Sink) -> Result<(), Diagnostic> {
    let bundle = index_search(site, dir, Fragments::Write(sink))?;
    bundle
        .files
        .iter()
        .try_for_each(|(path, bytes)| sink(path, bytes))
}

/// The search index of the article pages written in `dir`.
pub fn index_search(site: &Site, dir: &Path, fragments: Fragments) -> Result<Bundle, Diagnostic> {
    search::index(dir, &article_paths(site), &site.config.language, fragments)
}

/// Every article page's site-relative path, in the site's article order:
/// what the search index holds, in the order that keeps it deterministic.
pub fn article_paths(site: &Site) -> Vec<String> {
    site.articles
        .iter()
        .map(|a| urls::article(&a.slug))
        .collect()
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
) -> Report {
    Report {
        articles: site.articles.len(),
        entities: site.entities.len(),
        pages,
        assets,
        warnings: diagnostics.into_sorted(),
        elapsed: started.elapsed(),
    }
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
