//! `briefing check`: every problem a build would meet, with warnings as errors,
//! without touching the output folder.

use crate::build::{self, BuildOptions, Report};
use crate::diagnostic::Failed;

pub fn run(options: &BuildOptions) -> Result<Report, Failed> {
    build::check(options)
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
