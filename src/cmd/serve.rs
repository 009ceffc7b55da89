//! `briefing serve`: the live preview, with one console line per rebuild.
//! What to print is made here; `main` prints it.

use crate::diagnostic::Failed;
use crate::serve::session::Outcome;
use crate::serve::{self, Notice, ServeOptions};

pub fn run(options: ServeOptions, show: &(dyn Fn(&[Line]) + Sync)) -> Result<(), Failed> {
    serve::run(options, &|notice| show(&lines(notice)))
}

/// One line for the console.
pub enum Line {
    /// For standard output.
    Out(String),
    /// For standard error: warnings and errors.
    Err(String),
}

/// What to print for one notice.
pub fn lines(notice: Notice) -> Vec<Line> {
    let mut lines = Vec::new();
    match notice {
        Notice::Listening { url, polling } => {
            let how = if polling { " (polling for changes)" } else { "" };
            lines.push(Line::Out(format!(
                "serving {url} — watching content/, templates/, static/ and site.yaml{how}; Ctrl-C to stop"
            )));
        }
        Notice::WatchLimit => lines.push(Line::Err(
            "warning: the system's limit on watched folders (inotify) is reached, so briefing polls for changes instead; \
             raise it with `sudo sysctl fs.inotify.max_user_watches=524288` (and in /etc/sysctl.conf to keep it)"
                .to_string(),
        )),
        Notice::Built(report, changes) => {
            lines.extend(report.warnings.iter().map(|w| Line::Err(w.to_string())));
            let what = if changes.everything {
                "full build".to_string()
            } else {
                let files = changes.content.len() + changes.static_files.len();
                format!("{files} changed file(s)")
            };
            if !report.errors.is_empty() {
                lines.extend(report.errors.iter().map(|p| Line::Err(p.to_string())));
                lines.push(Line::Err(format!(
                    "{what}: {} error(s); serving the last good version",
                    report.errors.len()
                )));
            }
            if report.outcome != Outcome::Nothing {
                let scope = match (&report.rebuilt_because, report.scoped) {
                    (_, true) => "scoped".to_string(),
                    (Some(why), false) => format!("all pages: {why}"),
                    (None, false) => "all pages".to_string(),
                };
                lines.push(Line::Out(format!(
                    "{what}: {} page(s) ({scope}) in {} ms",
                    report.pages, report.millis
                )));
            }
        }
        Notice::Indexed { pages, millis } => {
            lines.push(Line::Out(format!(
                "search index: {pages} article(s) in {millis} ms"
            )));
        }
        Notice::IndexFailed(problem) => {
            lines.push(Line::Err(problem.to_string()));
            lines.push(Line::Err(
                "search index: not rebuilt; search shows the previous one".to_string(),
            ));
        }
    }
    lines
}
