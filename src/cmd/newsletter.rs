//! `briefing newsletter`: one week's edition as email; what `main` prints.

use crate::diagnostic::Failed;
use crate::newsletter::{self, NewsletterOptions, Written};

pub fn run(options: &NewsletterOptions) -> Result<Written, Failed> {
    newsletter::run(options)
}

pub fn summary(written: &Written) -> Vec<String> {
    let mut lines = vec![format!("{}: {}", written.week, written.subject)];
    lines.extend(
        written
            .files
            .iter()
            .map(|f| format!("wrote {}", f.display())),
    );
    lines
}
