//! `briefing newsletter`: one week's edition as email, in three files that
//! any mail tool can send: `edition.html` (styles inlined, for mail
//! clients), `edition.txt` (the plain-text version) and `edition.eml` (both
//! in one MIME message with its headers). The same input gives the same
//! bytes: nothing here reads the clock, and the message's `Date` and
//! `Message-ID` follow from the week.
//!
//! The edition itself is rendered by the pipeline (`pipeline/letter.rs`);
//! this module turns it into mail (`inline.rs`, `mail.rs`) and writes it.

mod inline;
mod mail;

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Failed};
use crate::pipeline::{self, BuildOptions};
pub use crate::week::Week;

/// The folder the files go to by default, under the site root.
pub const DEFAULT_OUTPUT: &str = "newsletter";

/// What `briefing newsletter` is asked for.
#[derive(Debug, Clone)]
pub struct NewsletterOptions {
    pub root: PathBuf,
    /// `None`: the newest week that has ended and has articles.
    pub week: Option<Week>,
    /// Relative paths are taken from `root`.
    pub output: PathBuf,
}

/// What it wrote.
#[derive(Debug)]
pub struct Written {
    pub week: Week,
    pub subject: String,
    /// The three files, as written.
    pub files: Vec<PathBuf>,
    pub warnings: Vec<Diagnostic>,
}

/// Reads `2024-W31` for `--week`: a malformed week, or one that does not
/// exist, is a usage error.
pub fn parse_week(text: &str) -> Result<Week, String> {
    Week::parse(text)
}

/// Renders the week's edition and writes `edition.html`, `edition.txt` and
/// `edition.eml` into the output folder.
pub fn run(options: &NewsletterOptions) -> Result<Written, Failed> {
    let build = BuildOptions::new(&options.root);
    let letter = pipeline::letter(&build, options.week)?;
    let html = inline::inline(&letter.html).map_err(|message| {
        Failed(vec![Diagnostic::error(
            "templates/newsletter.html",
            message,
        )])
    })?;
    let eml = mail::message(&letter, &html, &letter.text)?;
    let dir = if options.output.is_absolute() {
        options.output.clone()
    } else {
        options.root.join(&options.output)
    };
    let files = [
        ("edition.html", html.as_bytes()),
        ("edition.txt", letter.text.as_bytes()),
        ("edition.eml", eml.as_slice()),
    ];
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        write(&path, bytes)?;
        written.push(path);
    }
    Ok(Written {
        week: letter.week,
        subject: letter.subject,
        files: written,
        warnings: letter.warnings,
    })
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Failed> {
    let fail = |e: std::io::Error| {
        Failed(vec![Diagnostic::error(
            path,
            format!("cannot be written: {e}"),
        )])
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    std::fs::write(path, bytes).map_err(fail)
}
