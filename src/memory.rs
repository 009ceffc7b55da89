//! Giving freed memory back to the system, for `serve`, which stays open
//! between saves. mimalloc, the global allocator (src/main.rs), keeps the
//! pages a thread freed for that thread until it allocates again, and
//! returns them to the system only then; the threads that built the site
//! then sit idle, holding what the build freed (about 100 MB at 10,000
//! articles) until the next save.

/// Has every thread of `pool` (rayon's global pool when `None`), and the
/// calling thread, return its free pages to the system now. The cost is a
/// walk of each thread's pages, a few milliseconds, so it is made after a
/// save's pages are out, not while a save waits.
pub(crate) fn give_back(pool: Option<&rayon::ThreadPool>) {
    let collect = || {
        // SAFETY: mi_collect only walks and frees the calling thread's own
        // heap, and is safe to call at any time from any thread; when
        // mimalloc is not the global allocator (tests), that heap is empty.
        unsafe { libmimalloc_sys::mi_collect(true) }
    };
    match pool {
        Some(pool) => pool.broadcast(|_| collect()),
        None => rayon::broadcast(|_| collect()),
    };
    collect();
}
