//! Search in the preview: keeping the served folder's Pagefind index in
//! step with its article pages. Indexing a big site takes seconds, so it runs
//! on a thread of its own, after the pages have reloaded, and never holds up
//! the next save. The thread keeps the last index, so that a save which
//! changed a few articles re-indexes only those. The index itself is the
//! pipeline's ([`crate::pipeline::SearchJob`]).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use super::http::{LiveEvent, Shared};
use super::Notice;
use crate::diagnostic::Diagnostic;
use crate::pipeline::{Kept, SearchJob};

/// One index to make: the job, and the served folder it goes into.
pub(super) struct Request {
    pub job: SearchJob,
    pub dir: PathBuf,
}

/// Rebuilds the search index on a thread of its own, so that a save reloads
/// the pages at once and search catches up a moment later. Requests that
/// queue up while it works fold into one: only the newest counts. While a
/// save is being rebuilt ([`Indexer::hold`]) it does not index: an index
/// under way is given up, since the save makes it stale, and the cores go
/// to the save. The thread is not scoped: Ctrl-C must not wait for the
/// index of a big site.
pub(super) struct Indexer {
    jobs: Mutex<mpsc::Sender<Request>>,
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

/// How long the indexer waits for newer requests, or for a save to finish:
/// short, since an index of a few changed pages takes little longer, and a
/// save that comes while one is made gives it up (see [`Indexer::hold`]).
const SETTLE: Duration = Duration::from_millis(30);

impl Indexer {
    pub(super) fn start(stop: Arc<AtomicBool>) -> Indexer {
        let (jobs, queue) = mpsc::channel::<Request>();
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

    pub(super) fn request(&self, job: Option<Request>) {
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
    queue: mpsc::Receiver<Request>,
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
        let mut superseding: Option<Request> = None;
        // The index of the last job, which the next one changes in place.
        let mut kept: Option<Kept> = None;
        while let Some(job) = superseding.take().or_else(|| self.queue.recv().ok()) {
            let job = self.settle(job);
            let started = Instant::now();
            let built = match &pool {
                Ok(pool) => pool.install(|| job.job.update(&mut kept, &interrupted)),
                Err(_) => job.job.update(&mut kept, &interrupted),
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
            let result = bundle.and_then(|bundle| job.job.write_kept(&job.dir, bundle, &mut kept));
            crate::memory::give_back(pool.as_ref().ok());
            let indexed = Indexed {
                result,
                millis: started.elapsed().as_millis(),
                page_url: job.job.page_url,
            };
            if self.report.send(indexed).is_err() {
                break;
            }
        }
    }

    /// The newest request once saves have paused: saves in quick succession
    /// make one index, after the last, and none while one is rebuilt.
    fn settle(&self, mut job: Request) -> Request {
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

    /// A served folder, and the job that indexes one article page into it.
    fn folder() -> (tempfile::TempDir, Request) {
        let dir = tempfile::tempdir().unwrap();
        let html =
            "<html><body><main data-pagefind-body><h1>Open weights</h1></main></body></html>";
        let job = SearchJob::of_pages("en", &[("articles/x/", html)]);
        let dir_path = dir.path().to_path_buf();
        (dir, Request { job, dir: dir_path })
    }

    #[test]
    fn an_interrupted_index_is_given_up() {
        let (_dir, request) = folder();
        assert!(request.job.build(&|| true).unwrap().is_none());
        assert_eq!(request.job.build(&|| false).unwrap().unwrap().pages, 1);
    }

    #[test]
    fn the_indexer_waits_while_a_save_is_rebuilt() {
        let (dir, job) = folder();
        let indexer = Indexer::start(Arc::new(AtomicBool::new(false)));
        let done = |wait| indexer.done.lock().unwrap().recv_timeout(wait);
        let held = indexer.hold();
        indexer.request(Some(job));
        assert!(done(SETTLE * 10).is_err(), "nothing is indexed while held");
        drop(held);
        let indexed = done(Duration::from_secs(30)).expect("indexed once released");
        assert_eq!(indexed.result.unwrap(), 1);
        assert!(dir
            .path()
            .join(crate::urls::SEARCH_BUNDLE)
            .join("pagefind-entry.json")
            .is_file());
    }
}
