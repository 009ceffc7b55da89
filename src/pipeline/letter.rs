//! The newsletter's run: load and link the site as a build does, pick the
//! week, and render its edition for mail (`render/letter.rs`). Nothing is
//! written here; the newsletter (`newsletter/`) makes the files.

use super::{prepare, BuildOptions};
use crate::config::DEFAULT_BASE_URL;
use crate::diagnostic::{Diagnostic, Failed};
use crate::render;
use crate::week::Week;

/// A week's edition, rendered for mail, with what its headers need.
pub struct Letter {
    pub week: Week,
    /// `<site title> — week 31, 2024`.
    pub subject: String,
    pub html: String,
    pub text: String,
    /// When the week ended (the next Monday, 00:00 in the site's zone):
    /// the mail's `Date`.
    pub ended: time::OffsetDateTime,
    pub base_url: String,
    pub from: Option<String>,
    pub unsubscribe: Option<String>,
    pub warnings: Vec<Diagnostic>,
}

/// Renders the edition of `week`; without one, of the newest week that
/// has ended (by the build time) and has articles.
pub fn letter(options: &BuildOptions, week: Option<Week>) -> Result<Letter, Failed> {
    let (site, _assets, templates, mut diagnostics) = prepare(options, false)?;
    if diagnostics.has_errors() {
        return Err(super::fail(diagnostics, false));
    }
    let config = &site.config;
    let week = match week {
        Some(week) => {
            if site.edition(week).is_none() {
                return Err(Failed(vec![Diagnostic::setting(
                    "--week",
                    format!("{week} has no articles: there is no edition to send"),
                )]));
            }
            week
        }
        None => site
            .editions
            .iter()
            .map(|e| e.week)
            .find(|w| {
                w.end(&config.zone)
                    .is_some_and(|end| end <= config.build_time)
            })
            .ok_or_else(|| {
                Failed(vec![Diagnostic::setting(
                    "--week",
                    "no week that has ended has articles: name one with --week YYYY-Www",
                )])
            })?,
    };
    if config.base_url == DEFAULT_BASE_URL && options.base_url.is_none() {
        diagnostics.push(Diagnostic::warning(
            crate::config::CONFIG_FILE,
            format!(
                "`base_url` is not set: every link in the newsletter points at {DEFAULT_BASE_URL}"
            ),
        ));
    }
    let rendered = render::letter(&site, &templates, week)
        .ok_or_else(|| {
            Failed(vec![Diagnostic::setting(
                "--week",
                format!("{week} has no articles"),
            )])
        })?
        .map_err(|problem| Failed(vec![problem]))?;
    let ended = week.end(&config.zone).ok_or_else(|| {
        Failed(vec![Diagnostic::setting(
            "--week",
            format!("{week} is out of range"),
        )])
    })?;
    Ok(Letter {
        week,
        subject: rendered.subject,
        html: rendered.html,
        text: rendered.text,
        ended,
        base_url: config.base_url.clone(),
        from: config.newsletter_from.clone(),
        unsubscribe: config.newsletter_unsubscribe.clone(),
        warnings: diagnostics.into_sorted(),
    })
}
