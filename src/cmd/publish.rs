//! `briefing publish TARGET`: the plan, and one summary line.

use crate::diagnostic::Failed;
use crate::pipeline::Progress;
use crate::publish::{self, PublishOptions, Published};

pub fn run(options: &PublishOptions, progress: &dyn Progress) -> Result<Published, Failed> {
    publish::run(options, progress)
}

/// The lines to print: with `--dry-run` every path of the plan, then the summary.
pub fn lines(published: &Published, options: &PublishOptions, target: &str) -> Vec<String> {
    let plan = &published.plan;
    let mut lines = Vec::new();
    if options.dry_run {
        for (label, paths) in [
            ("new", &plan.new),
            ("changed", &plan.changed),
            ("deleted", &plan.deleted),
            ("kept", &plan.stale),
        ] {
            lines.extend(paths.iter().map(|p| format!("{label:>8}  {p}")));
        }
    }
    let verb = if options.dry_run {
        "dry run, nothing changed"
    } else if published.applied {
        "published"
    } else {
        "nothing to publish"
    };
    let detail = published
        .detail
        .as_deref()
        .map(|d| format!("; {d}"))
        .unwrap_or_default();
    lines.push(format!("{target}: {}: {verb}{detail}", plan.summary()));
    lines
}
