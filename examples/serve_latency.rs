//! Measures `briefing serve` from saving a file to receiving the reload event:
//!
//! ```text
//! cargo build --release && cargo run --release --example gen_corpus -- --articles 10000 --out /dev/shm/c10k
//! cargo run --release --example serve_latency -- /dev/shm/c10k 20
//! BIN=/path/to/other/briefing cargo run --release --example serve_latency -- /dev/shm/c10k 20
//! SEARCH=1 cargo run --release --example serve_latency -- /dev/shm/c10k 20
//! ```
//!
//! Edits one article N times (a different one each time), then saves
//! three templates (`404.html`, `article.html`, `base.html`) three times
//! each, and prints every time and the medians. Restores the files.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().unwrap_or_else(|| usage()));
    let edits: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(20);
    // BIN= times another build of briefing, to compare in turn.
    let binary = std::env::var_os("BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/briefing"));

    let mut child = Command::new(&binary)
        .args(["serve", "--port", "0", "--root"])
        .arg(&root)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e} (cargo build --release first)", binary.display()));
    let stdout = child.stdout.take().expect("stdout");
    let (url_tx, url_rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("serving ") {
                let _ = url_tx.send(
                    rest.split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_string(),
                );
            }
            eprintln!("  serve: {line}");
        }
    });
    let url = url_rx
        .recv_timeout(Duration::from_secs(300))
        .expect("serve starts");

    let (event_tx, events) = mpsc::channel::<(String, Instant)>();
    let stream = format!("{url}__briefing/events");
    std::thread::spawn(move || {
        let response = ureq::get(&stream).call().expect("event stream");
        let reader = BufReader::new(response.into_body().into_reader());
        for line in reader.lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("event: ") {
                let _ = event_tx.send((name.to_string(), Instant::now()));
            }
        }
    });
    let _ = events.recv_timeout(Duration::from_secs(30)).expect("hello");

    let articles = common::articles(&root);
    let mut times = Vec::new();
    // SEARCH=1: also the time to the search event, once the index is new
    // (the first index of the site is waited for first).
    let search = std::env::var_os("SEARCH").is_some();
    let mut searched = Vec::new();
    if search {
        // Unless it was done before the stream opened.
        let first = Instant::now();
        while first.elapsed() < Duration::from_secs(60) {
            match events.recv_timeout(Duration::from_secs(60)) {
                Ok((event, _)) if event == "search" => break,
                Ok(_) => {}
                Err(_) => break,
            }
        }
    }
    for i in 0..edits {
        let path = common::pick(&articles, i);
        let original = std::fs::read_to_string(path).expect("read");
        std::thread::sleep(Duration::from_millis(300));
        // Events of the previous save that came late must not count for this one.
        while events.try_recv().is_ok() {}
        let saved = Instant::now();
        std::fs::write(path, common::edited(&original, i)).expect("write");
        let arrived = wait_for(&events, "reload");
        times.push(arrived - saved);
        if search {
            searched.push(wait_for(&events, "search") - saved);
        }
        std::fs::write(path, original).expect("restore");
        let _ = wait_for(&events, "reload");
        if search {
            let _ = wait_for(&events, "search");
        }
    }
    summary("article edit -> reload", &mut times);
    if search {
        summary("article edit -> search", &mut searched);
    }

    // Templates: a page of its own (404.html), the article page, and the
    // base that every page extends, each saved as an override of the
    // built-in one and removed again.
    let builtin = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let folder = root.join("templates");
    for (name, rounds) in [("404.html", 3), ("article.html", 3), ("base.html", 3)] {
        let text = std::fs::read_to_string(builtin.join(name)).expect("built-in template");
        let template = folder.join(name);
        let mut times = Vec::new();
        for round in 0..rounds {
            std::fs::create_dir_all(&folder).expect("templates");
            quiet(&events);
            let saved = Instant::now();
            std::fs::write(&template, marked(&text, round)).expect("write");
            times.push(wait_for(&events, "reload") - saved);
            quiet(&events);
            let _ = std::fs::remove_file(&template);
            let _ = std::fs::remove_dir(&folder);
            let _ = wait_for(&events, "reload");
        }
        summary(&format!("template edit ({name}) -> reload"), &mut times);
    }
    if let Ok(status) = std::fs::read_to_string(format!("/proc/{}/status", child.id())) {
        for line in status
            .lines()
            .filter(|l| l.starts_with("VmHWM") || l.starts_with("VmRSS"))
        {
            println!("serve {line}");
        }
    }
    // Ctrl-C, so that serve removes its workspace (a kill would leave it in
    // the temporary folder).
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let _ = child.wait();
}

fn wait_for(events: &mpsc::Receiver<(String, Instant)>, name: &str) -> Instant {
    loop {
        let (event, at) = events
            .recv_timeout(Duration::from_secs(120))
            .expect("event");
        if event == name {
            return at;
        }
    }
}

fn summary(what: &str, times: &mut [Duration]) {
    times.sort();
    for t in times.iter() {
        println!("{what}: {:.1} ms", t.as_secs_f64() * 1000.0);
    }
    println!(
        "{what}, median of {}: {:.1} ms (min {:.1}, max {:.1})",
        times.len(),
        times[times.len() / 2].as_secs_f64() * 1000.0,
        times[0].as_secs_f64() * 1000.0,
        times[times.len() - 1].as_secs_f64() * 1000.0
    );
}

fn usage() -> ! {
    eprintln!("usage: serve_latency SITE_DIR [EDITS]");
    std::process::exit(2);
}

/// The template with a visible change inside the page: in its `main`
/// block when it extends another (text outside a block would not parse),
/// else just before `</main>`.
fn marked(text: &str, round: usize) -> String {
    let mark = format!("<!-- edit {round} -->");
    for anchor in ["{% block main %}", "</main>"] {
        if let Some(at) = text.find(anchor) {
            let at = if anchor.starts_with("{%") {
                at + anchor.len()
            } else {
                at
            };
            return format!("{}{mark}{}", &text[..at], &text[at..]);
        }
    }
    panic!("no main block or element to mark in the template")
}

/// Waits until no event has come for a while (the last save's reload, a
/// search index in the background), then drops what came.
fn quiet(events: &mpsc::Receiver<(String, Instant)>) {
    while events.recv_timeout(Duration::from_millis(1500)).is_ok() {}
}
