//! `briefing serve`: builds the site, serves it on loopback with live reload,
//! and rebuilds only what each save touches. The building is the
//! [`crate::pipeline`]'s; this adds watching, HTTP and live events.

pub(crate) mod http;
pub(crate) mod search;
pub mod session;
pub mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use crate::diagnostic::{Diagnostic, Failed};
use crate::pipeline::BuildOptions;
use http::{LiveEvent, Shared};
use search::{Indexer, Request};
use session::{Changes, Outcome, Report, Session};
use watch::{WatchError, Watcher};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: bool,
    /// Poll the files instead of relying on the OS's change events.
    pub poll: bool,
}

/// What `serve` tells the person running it.
#[derive(Debug)]
pub enum Notice<'a> {
    Listening {
        url: &'a str,
        polling: bool,
    },
    WatchLimit,
    Built(&'a Report, &'a Changes),
    /// The search index is new: it holds `pages` articles.
    Indexed {
        pages: usize,
        millis: u128,
    },
    /// The search index could not be rebuilt; search shows the previous one.
    IndexFailed(&'a Diagnostic),
}

/// Runs until Ctrl-C. `notice` is called for everything worth printing.
pub fn run(options: ServeOptions, notice: &(dyn Fn(Notice) + Sync)) -> Result<(), Failed> {
    let fail = |message: String| Failed(vec![Diagnostic::setting("serve", message)]);
    let listener = TcpListener::bind(SocketAddr::new(options.bind, options.port)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            fail(format!(
                "port {} on {} is already in use: stop the other server or pass --port N",
                options.port, options.bind
            ))
        } else {
            fail(format!(
                "cannot listen on {}:{}: {e}",
                options.bind, options.port
            ))
        }
    })?;
    let address = listener.local_addr().map_err(|e| fail(e.to_string()))?;
    let url = match address {
        SocketAddr::V4(a) => format!("http://{}:{}/", a.ip(), a.port()),
        SocketAddr::V6(a) => format!("http://[{}]:{}/", a.ip(), a.port()),
    };
    listener
        .set_nonblocking(true)
        .map_err(|e| fail(e.to_string()))?;

    let workspace =
        preview_folder().map_err(|e| fail(format!("cannot make a folder for the preview: {e}")))?;
    // Absolute, so that the watcher's paths and the loader's agree.
    let root = std::path::absolute(&options.root).unwrap_or(options.root.clone());
    let build = BuildOptions {
        base_url: Some(url.clone()),
        drafts: options.drafts,
        fingerprint: false,
        ..BuildOptions::new(&root)
    };

    let (mut watcher, batches, polling) = match Watcher::start(&root, options.poll) {
        Ok((watcher, batches)) => (watcher, batches, options.poll),
        Err(WatchError::Limit) => {
            notice(Notice::WatchLimit);
            let (watcher, batches) = Watcher::start(&root, true)
                .map_err(|e| fail(format!("cannot watch the site: {e:?}")))?;
            (watcher, batches, true)
        }
        Err(WatchError::Other(e)) => return Err(fail(format!("cannot watch the site: {e}"))),
    };

    let (mut session, first) = Session::start(build, workspace.path().to_path_buf());
    let shared = Shared::new(session.current_dir().to_path_buf(), session.social_cards());
    publish(&shared, &first);
    notice(Notice::Built(&first, &Changes::everything()));
    let stop = Arc::new(AtomicBool::new(false));
    let indexer = Indexer::start(Arc::clone(&stop));
    if first.search_stale {
        indexer.request(search_request(&session));
    }
    crate::memory::give_back(None);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| fail(format!("cannot start the server: {e}")))?;

    std::thread::scope(|scope| {
        let shared_for_loop = Arc::clone(&shared);
        let root_for_loop = root.clone();
        let stop = &stop;
        let indexer = &indexer;
        scope.spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let batch = match batches.recv_timeout(Duration::from_millis(100)) {
                    Ok(batch) => batch,
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        indexer.report(&shared_for_loop, notice);
                        // An embargoed article may have come due.
                        if let Some(report) = session.tick() {
                            // Before the old folder goes: an index job
                            // reading it then finds this newer one queued.
                            if report.search_stale {
                                indexer.request(search_request(&session));
                            }
                            finish(&mut session, &shared_for_loop, &report);
                            notice(Notice::Built(&report, &Changes::everything()));
                        }
                        continue;
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                };
                let mut changes = Changes::default();
                for event_batch in std::iter::once(batch).chain(batches.try_iter()) {
                    if let Ok(events) = &event_batch {
                        let created = events.iter().filter(|e| e.kind.is_create());
                        for path in created.flat_map(|e| e.paths.iter()) {
                            if let Some(dir) = watch::watched_dir(&root_for_loop, path) {
                                let _ = watcher.watch_if_present(&dir);
                                // A new templates/ folder overrides some templates;
                                // new content/ or static/ folders rebuild everything.
                                watch::classify_path(&root_for_loop, &dir, &mut changes);
                            }
                        }
                    }
                    changes.merge(watch::classify(&root_for_loop, event_batch));
                }
                if changes.is_empty() {
                    continue;
                }
                let held = indexer.hold();
                let report = session.apply(&changes);
                if report.search_stale {
                    indexer.request(search_request(&session));
                }
                drop(held);
                finish(&mut session, &shared_for_loop, &report);
                notice(Notice::Built(&report, &changes));
                indexer.report(&shared_for_loop, notice);
                crate::memory::give_back(None);
            }
        });

        let served = runtime.block_on(async {
            let listener = tokio::net::TcpListener::from_std(listener)?;
            notice(Notice::Listening { url: &url, polling });
            let server = axum::serve(listener, http::router(Arc::clone(&shared)));
            tokio::select! {
                result = server => result,
                _ = tokio::signal::ctrl_c() => Ok(()),
            }
        });
        runtime.shutdown_background();
        stop.store(true, Ordering::Relaxed);
        served.map_err(|e| fail(format!("the server stopped: {e}")))
    })
}

/// The search index to make for the folder served now.
fn search_request(session: &Session) -> Option<Request> {
    let job = session.search_job()?;
    Some(Request {
        job,
        dir: session.current_dir().to_path_buf(),
    })
}

/// After a batch: the server reads the new folder, old folders go, open pages hear of it.
fn finish(session: &mut Session, shared: &Shared, report: &Report) {
    if let Ok(mut dir) = shared.dir.write() {
        *dir = session.current_dir().to_path_buf();
    }
    // The pages reload from the new folder while the old one is removed.
    publish(shared, report);
    session.clean_up();
}

/// Updates the shared error state and tells the open pages.
fn publish(shared: &Shared, report: &Report) {
    let had_errors = shared.errors.read().map(|e| !e.is_empty()).unwrap_or(false);
    let lines: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
    if let Ok(mut errors) = shared.errors.write() {
        errors.clone_from(&lines);
    }
    if !lines.is_empty() {
        shared.send(LiveEvent::Errors(lines));
    } else if had_errors {
        shared.send(LiveEvent::Ok);
    }
    match &report.outcome {
        Outcome::Reload(paths) => shared.send(LiveEvent::Reload(paths.clone())),
        Outcome::Stylesheets => shared.send(LiveEvent::Stylesheets),
        Outcome::Nothing => {}
    }
}

/// The preview's folder: under `$TMPDIR` when it is set, else in a file
/// system in memory (`/dev/shm`) when there is one that takes it, since a
/// save there is a rename in memory rather than on a disk (a template edit
/// that rewrites 14,000 pages takes a second less), else in the temporary
/// folder.
fn preview_folder() -> std::io::Result<tempfile::TempDir> {
    let mut builder = tempfile::Builder::new();
    builder.prefix("briefing-serve-");
    let memory = std::path::Path::new("/dev/shm");
    if std::env::var_os("TMPDIR").is_none() && memory.is_dir() {
        if let Ok(folder) = builder.tempdir_in(memory) {
            return Ok(folder);
        }
    }
    builder.tempdir()
}
