//! Times `serve`'s scoped rebuild alone, without the watcher or HTTP:
//! `cargo run --release --example scoped_edits -- DIR [EDITS]` edits one
//! article at a time (a different one each time), applies it to a serve
//! session, and prints each rebuild's time and the median. Restores the files.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

use briefing::build::BuildOptions;
use briefing::serve::session::{Changes, Session};

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect("usage: scoped_edits DIR [EDITS]"));
    let edits: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(20);
    let workspace = tempfile::tempdir().expect("temp dir");
    let (mut session, _) = Session::start(BuildOptions::new(&root), workspace.path().to_path_buf());
    let mut articles: Vec<PathBuf> = std::fs::read_dir(root.join("content/articles"))
        .expect("articles")
        .map(|e| e.expect("entry").path())
        .collect();
    articles.sort();
    let mut times = Vec::new();
    for i in 0..edits {
        let path = &articles[(i * 7919) % articles.len()];
        let original = std::fs::read_to_string(path).expect("read");
        let changes = Changes {
            content: BTreeSet::from([path.clone()]),
            ..Changes::default()
        };
        std::fs::write(path, format!("{original}\nOne more sentence, edit {i}.\n")).expect("write");
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
