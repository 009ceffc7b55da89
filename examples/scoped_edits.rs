//! Times `serve`'s scoped rebuild alone, without the watcher or HTTP:
//! `cargo run --release --example scoped_edits -- DIR [EDITS]` edits one
//! article at a time (a different one each time), applies it to a serve
//! session, and prints each rebuild's time and the median. Restores the files.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

use briefing::pipeline::BuildOptions;
use briefing::serve::session::{Changes, Session};

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect("usage: scoped_edits DIR [EDITS]"));
    let edits: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(20);
    let workspace = tempfile::tempdir().expect("temp dir");
    let (mut session, _) = Session::start(BuildOptions::new(&root), workspace.path().to_path_buf());
    let articles = common::articles(&root);
    let mut times = Vec::new();
    for i in 0..edits {
        let path = common::pick(&articles, i);
        let original = std::fs::read_to_string(path).expect("read");
        let changes = Changes {
            content: BTreeSet::from([path.to_path_buf()]),
            ..Changes::default()
        };
        std::fs::write(path, common::edited(&original, i)).expect("write");
        let started = Instant::now();
        let report = session.apply(&changes);
        times.push(started.elapsed());
        println!(
            "edit {i}: {} page(s) in {:?}",
            report.pages,
            started.elapsed()
        );
        std::fs::write(path, original).expect("restore");
        session.apply(&changes);
    }
    times.sort();
    println!("median of {edits}: {:?}", times[edits / 2]);
}
