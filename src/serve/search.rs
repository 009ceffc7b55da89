//! Search in the preview: keeping the served folder's Pagefind index in
//! step with its article pages. Indexing a big site takes seconds, so it runs
//! on a thread of its own, after the pages have reloaded, and never holds up
//! the next save. What an index holds is [`crate::search`]'s business.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use super::http::{LiveEvent, Shared};
use super::Notice;
use crate::diagnostic::Diagnostic;
use crate::search::{self, Fragments};

/// Rebuilding the search index of the served folder. It reads every article
/// page, which takes seconds on a big site, so `serve` runs it on a thread of
/// its own after the pages have reloaded.
#[derive(Debug, Clone)]
pub struct SearchJob {
    pub dir: PathBuf,
    pub(super) paths: Vec<String>,
    pub(super) language: String,
    /// The search page, to reload once the index is new.
    pub page_url: String,
}

impl SearchJob {
    /// Indexes the article pages as they are in the folder now, unless
    /// `interrupted` says to give up (`None`).
    pub fn build(
        &self,
        interrupted: &(dyn Fn() -> bool + Sync),
    ) -> Result<Option<search::Bundle>, Diagnostic> {
        search::index_unless(
            &self.dir,
            &self.paths,
            &self.language,
            Fragments::Keep,
            interrupted,
        )
    }

    /// Builds the index and swaps it in; returns how many pages it holds.
    pub fn run(&self) -> Result<usize, Diagnostic> {
        let bundle = self.build(&|| false)?.unwrap_or_default();
        self.write(&bundle)?;
        Ok(bundle.pages)
    }

    /// Puts a built index in the folder, unless the folder is gone (a full
    /// rebuild replaced it in the meantime).
    pub fn write(&self, bundle: &search::Bundle) -> Result<(), Diagnostic> {
        if !self.dir.is_dir() {
            return Ok(());
        }
        search::replace_in_place(&self.dir, bundle).map_err(|e| {
            Diagnostic::error(
                self.dir.join(search::BUNDLE_DIR),
                format!("cannot write the search index: {e}"),
            )
        })
    }
}

/// Hard-links the search index of folder `from` into folder `to`. Index
/// files are only ever replaced by renames, never rewritten in place, so the
/// two folders cannot disturb each other.
pub(super) fn link_search_index(from: &Path, to: &Path) {
    let bundle = from.join(search::BUNDLE_DIR);
    for entry in walkdir::WalkDir::new(&bundle).into_iter().flatten() {
        let Ok(relative) = entry.path().strip_prefix(from) else {
            continue;
        };
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            let _ = std::fs::create_dir_all(&target);
        } else if std::fs::hard_link(entry.path(), &target).is_err() {
            let _ = std::fs::copy(entry.path(), &target);
        }
    }
}

/// Rebuilds the search index on a thread of its own, so that a save reloads
/// the pages at once and search catches up a moment later. Requests that
/// queue up while it works fold into one: only the newest counts. While a
/// save is being rebuilt ([`Indexer::hold`]) it does not index: an index
/// under way is given up, since the save makes it stale, and the cores go
/// to the save. The thread is not scoped: Ctrl-C must not wait for the
/// index of a big site.
pub(super) struct Indexer {
    jobs: Mutex<mpsc::Sender<SearchJob>>,
    done: Mutex<mpsc::Receiver<Indexed>>,
    held: Arc<AtomicBool>,
}

/// While alive, the indexer waits; see [`Indexer::hold`].
pub(super) struct Hold<'a>(&'a AtomicBool);

impl Drop for Hold<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Relaxed);
    }
}

/// What a finished job gave.
struct Indexed {
    /// The number of articles indexed.
    result: Result<usize, Diagnostic>,
    millis: u128,
    /// The search page, to reload.
    page_url: String,
}

/// How long the indexer waits for newer requests, or for a save to finish.
const SETTLE: Duration = Duration::from_millis(250);

impl Indexer {
    pub(super) fn start(stop: Arc<AtomicBool>) -> Indexer {
        let (jobs, queue) = mpsc::channel::<SearchJob>();
        let (report, done) = mpsc::channel();
        let held = Arc::new(AtomicBool::new(false));
        let worker = Worker {
            queue,
            report,
            held: Arc::clone(&held),
            stop,
        };
        std::thread::spawn(move || worker.run());
        Indexer {
            jobs: Mutex::new(jobs),
            done: Mutex::new(done),
            held,
        }
    }

    /// Keeps the indexer waiting, and makes it give up an index under way,
    /// until the returned guard is dropped: for the time a save is rebuilt.
    pub(super) fn hold(&self) -> Hold<'_> {
        self.held.store(true, Ordering::Relaxed);
        Hold(&self.held)
    }

    pub(super) fn request(&self, job: Option<SearchJob>) {
        if let (Some(job), Ok(jobs)) = (job, self.jobs.lock()) {
            let _ = jobs.send(job);
        }
    }

    /// Tells of finished jobs; an open search page reloads to use the new index.
    pub(super) fn report(&self, shared: &Shared, notice: &(dyn Fn(Notice) + Sync)) {
        let Ok(done) = self.done.lock() else {
            return;
        };
        for Indexed {
            result,
            millis,
            page_url,
        } in done.try_iter()
        {
            match result {
                Ok(pages) => {
                    notice(Notice::Indexed { pages, millis });
                    shared.send(LiveEvent::Search(page_url));
                }
                Err(problem) => notice(Notice::IndexFailed(&problem)),
            }
        }
    }
}

/// The indexer's thread: takes requests, indexes, reports.
struct Worker {
    queue: mpsc::Receiver<SearchJob>,
    report: mpsc::Sender<Indexed>,
    /// Set while a save is being rebuilt ([`Indexer::hold`]).
    held: Arc<AtomicBool>,
    /// Set when `serve` stops.
    stop: Arc<AtomicBool>,
}

impl Worker {
    fn run(self) {
        // The indexer works on rayon's pool. Left on the global one, its tasks
        // would queue ahead of the next save's pages; on a pool of its own
        // at low priority, the pages come first.
        let pool = rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("briefing-search-{i}"))
            .start_handler(|_| lower_priority())
            .build();
        let interrupted = || self.held.load(Ordering::Relaxed) || self.stop.load(Ordering::Relaxed);
        let mut superseding: Option<SearchJob> = None;
        while let Some(job) = superseding.take().or_else(|| self.queue.recv().ok()) {
            let job = self.settle(job);
            let started = Instant::now();
            let built = match &pool {
                Ok(pool) => pool.install(|| job.build(&interrupted)),
                Err(_) => job.build(&interrupted),
            };
            // The preview's folder is being removed: write nothing there.
            if self.stop.load(Ordering::Relaxed) {
                break;
            }
            let bundle = match built {
                Ok(Some(bundle)) => Ok(bundle),
                // A save came: index again once it is done, the newest
                // request if it made one.
                Ok(None) => {
                    superseding = Some(self.queue.try_recv().unwrap_or(job));
                    continue;
                }
                Err(problem) => {
                    // A full rebuild replaces the folder being read, and
                    // queues the job for its new one: that job's outcome
                    // is the one to tell.
                    if let Ok(newer) = self.queue.try_recv() {
                        superseding = Some(newer);
                        continue;
                    }
                    Err(problem)
                }
            };
            let result = bundle.and_then(|bundle| job.write(&bundle).map(|()| bundle.pages));
            let indexed = Indexed {
                result,
                millis: started.elapsed().as_millis(),
                page_url: job.page_url,
            };
            if self.report.send(indexed).is_err() {
                break;
            }
        }
    }

    /// The newest request once saves have paused: saves in quick succession
    /// make one index, after the last, and none while one is rebuilt.
    fn settle(&self, mut job: SearchJob) -> SearchJob {
        loop {
            while let Ok(newer) = self.queue.recv_timeout(SETTLE) {
                job = newer;
            }
            if !self.held.load(Ordering::Relaxed) {
                return job;
            }
        }
    }
}

/// Makes the calling thread yield the CPU to the rest of `serve`.
#[cfg(target_os = "linux")]
fn lower_priority() {
    // SAFETY: setpriority only reads its arguments; on Linux, PRIO_PROCESS
    // with a thread id sets that thread's nice value. Failing leaves the
    // priority as it was, which is harmless.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, 10);
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder with one article page, and the job that indexes it.
    fn folder() -> (tempfile::TempDir, SearchJob) {
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("articles/x");
        std::fs::create_dir_all(&page).unwrap();
        std::fs::write(
            page.join("index.html"),
            "<html><body><main data-pagefind-body><h1>Open weights</h1></main></body></html>",
        )
        .unwrap();
        let job = SearchJob {
            dir: dir.path().to_path_buf(),
            paths: vec!["articles/x/".into()],
            language: "en".into(),
            page_url: "/search/".into(),
        };
        (dir, job)
    }

    #[test]
    fn an_interrupted_index_is_given_up() {
        let (_dir, job) = folder();
        assert!(job.build(&|| true).unwrap().is_none());
        assert_eq!(job.build(&|| false).unwrap().unwrap().pages, 1);
    }

    #[test]
    fn the_indexer_waits_while_a_save_is_rebuilt() {
        let (dir, job) = folder();
        let indexer = Indexer::start(Arc::new(AtomicBool::new(false)));
        let done = || indexer.done.lock().unwrap().recv_timeout(SETTLE * 4);
        let held = indexer.hold();
        indexer.request(Some(job));
        assert!(done().is_err(), "nothing is indexed while held");
        drop(held);
        assert_eq!(done().expect("indexed once released").result.unwrap(), 1);
        assert!(dir
            .path()
            .join(search::BUNDLE_DIR)
            .join("pagefind-entry.json")
            .is_file());
    }
}
