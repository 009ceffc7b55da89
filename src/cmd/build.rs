//! `briefing build`: the site into its output folder.

use crate::diagnostic::Failed;
use crate::pipeline::{self, BuildOptions, Progress, Report};

pub fn run(options: &BuildOptions, progress: &dyn Progress) -> Result<Report, Failed> {
    pipeline::build(options, progress)
}

/// The closing line: what was built, where, how fast.
pub fn summary(report: &Report, options: &BuildOptions) -> String {
    let images = match (report.images_made, report.images_cached) {
        (0, 0) => String::new(),
        (made, cached) => format!(" (images: {made} decoded, {cached} from the cache)"),
    };
    let cards = match (report.cards_made, report.cards_cached) {
        (0, 0) => String::new(),
        (made, cached) => format!(" (cards: {made} drawn, {cached} from the cache)"),
    };
    format!(
        "built {} articles, {} entity pages, {} pages and {} assets into {} in {} ms{images}{cards}",
        report.articles,
        report.entities,
        report.pages,
        report.assets,
        options.output_dir().display(),
        report.elapsed.as_millis()
    )
}
