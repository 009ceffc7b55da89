//! `briefing build`: the site into its output folder.

use crate::build::{self, BuildOptions, Report};
use crate::diagnostic::Failed;

pub fn run(options: &BuildOptions) -> Result<Report, Failed> {
    build::build(options)
}

/// The closing line: what was built, where, how fast.
pub fn summary(report: &Report, options: &BuildOptions) -> String {
    format!(
        "built {} articles, {} entity pages, {} pages and {} assets into {} in {} ms",
        report.articles,
        report.entities,
        report.pages,
        report.assets,
        options.output_dir().display(),
        report.elapsed.as_millis()
    )
}
