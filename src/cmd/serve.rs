//! `briefing serve`: the live preview, with one console line per rebuild.

use crate::diagnostic::Failed;
use crate::serve::session::Outcome;
use crate::serve::{self, Notice, ServeOptions};

pub fn run(options: ServeOptions) -> Result<(), Failed> {
    serve::run(options, &print)
}

fn print(notice: Notice) {
    match notice {
        Notice::Listening { url, polling } => {
            let how = if polling { " (polling for changes)" } else { "" };
            println!("serving {url} — watching content/, templates/, static/ and site.yaml{how}; Ctrl-C to stop");
        }
        Notice::WatchLimit => eprintln!(
            "warning: the system's limit on watched folders (inotify) is reached, so briefing polls for changes instead; \
             raise it with `sudo sysctl fs.inotify.max_user_watches=524288` (and in /etc/sysctl.conf to keep it)"
        ),
        Notice::Built(report, changes) => {
            for warning in &report.warnings {
                eprintln!("{warning}");
            }
            let what = if changes.everything {
                "full build".to_string()
            } else {
                let files = changes.content.len() + changes.static_files.len();
                format!("{files} changed file(s)")
            };
            if !report.errors.is_empty() {
                for problem in &report.errors {
                    eprintln!("{problem}");
                }
                eprintln!(
                    "{what}: {} error(s); serving the last good version",
                    report.errors.len()
                );
            }
            if report.outcome != Outcome::Nothing {
                let scope = if report.scoped { "scoped" } else { "all pages" };
                println!("{what}: {} page(s) ({scope}) in {} ms", report.pages, report.millis);
            }
        }
        Notice::Indexed { pages, millis } => {
            println!("search index: {pages} article(s) in {millis} ms");
        }
        Notice::IndexFailed(problem) => {
            eprintln!("{problem}");
            eprintln!("search index: not rebuilt; search shows the previous one");
        }
    }
}
