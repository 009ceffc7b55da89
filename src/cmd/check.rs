//! `briefing check`: every problem a build would meet, with warnings as errors,
//! without touching the output folder.

use crate::diagnostic::Failed;
use crate::pipeline::{self, BuildOptions, Progress, Report};

pub fn run(options: &BuildOptions, progress: &dyn Progress) -> Result<Report, Failed> {
    pipeline::check(options, progress)
}

pub fn summary(report: &Report) -> String {
    format!(
        "ok: {} articles, {} entities, {} pages checked in {} ms",
        report.articles,
        report.entities,
        report.pages,
        report.elapsed.as_millis()
    )
}
