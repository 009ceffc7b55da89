//! Writing many files at once without losing track of what failed: every
//! failure is kept by its cause, so that a full disk is one line however
//! many files it stopped ("cannot write the output: no space left on
//! device (8,691 files not written, …)"), not one line per file.

use std::io;
use std::sync::Mutex;

use super::Output;
use crate::diagnostic::Diagnostic;

/// Writes to an [`Output`], keeping what failed: one entry per cause (the
/// kind of error), with the first file it hit and how many it hit.
pub struct Writes<'a> {
    out: &'a dyn Output,
    failed: Mutex<Vec<Failure>>,
}

struct Failure {
    /// A file that could not be removed, rather than written.
    removing: bool,
    cause: String,
    first: String,
    count: usize,
}

impl<'a> Writes<'a> {
    pub fn new(out: &'a dyn Output) -> Self {
        Writes {
            out,
            failed: Mutex::new(Vec::new()),
        }
    }

    /// Writes one file; a failure is kept for [`Writes::problems`].
    pub fn write(&self, path: &str, bytes: &[u8]) {
        if let Err(e) = self.out.write(path, bytes) {
            self.keep(false, path, &e);
        }
    }

    /// Puts a copy of the cache file `source` at `path` ([`Output::link`]);
    /// a failure is kept for [`Writes::problems`].
    pub fn link(&self, path: &str, source: &std::path::Path) {
        if let Err(e) = self.out.link(path, source) {
            self.keep(false, path, &e);
        }
    }

    /// Stages one file ([`Output::stage`]); a failure is kept.
    pub fn stage(&self, path: &str, bytes: &[u8]) {
        if let Err(e) = self.out.stage(path, bytes) {
            self.keep(false, path, &e);
        }
    }

    /// Puts the staged file of `path` in place ([`Output::settle`]).
    pub fn settle(&self, path: &str) {
        if let Err(e) = self.out.settle(path) {
            self.keep(false, path, &e);
        }
    }

    /// Drops the staged file of `path` ([`Output::unstage`]).
    pub fn unstage(&self, path: &str) {
        if let Err(e) = self.out.unstage(path) {
            self.keep(true, path, &e);
        }
    }

    /// Removes one file; a failure is kept for [`Writes::problems`].
    pub fn remove(&self, path: &str) {
        if let Err(e) = self.out.remove(path) {
            self.keep(true, path, &e);
        }
    }

    fn keep(&self, removing: bool, path: &str, error: &io::Error) {
        let cause = cause(error);
        let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
        match failed
            .iter_mut()
            .find(|f| f.cause == cause && f.removing == removing)
        {
            Some(f) => f.count += 1,
            None => failed.push(Failure {
                removing,
                cause,
                first: path.to_string(),
                count: 1,
            }),
        }
    }

    pub fn failed(&self) -> bool {
        !self
            .failed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_empty()
    }

    /// One error per cause.
    pub fn problems(self) -> Vec<Diagnostic> {
        let place = self.out.place().to_path_buf();
        let mut failed = self.failed.into_inner().unwrap_or_else(|e| e.into_inner());
        failed.sort_by(|a, b| (a.removing, &a.cause).cmp(&(b.removing, &b.cause)));
        failed
            .into_iter()
            .map(|f| {
                let (verb, done) = match f.removing {
                    false => ("write", "written"),
                    true => ("remove from", "removed"),
                };
                let what = if f.count == 1 {
                    format!("`{}` not {done}", f.first)
                } else {
                    let files = group(f.count);
                    format!("{files} files not {done}, the first `{}`", f.first)
                };
                Diagnostic::error(
                    &place,
                    format!("cannot {verb} the output: {} ({what})", f.cause),
                )
            })
            .collect()
    }
}

/// An I/O error without what differs from file to file.
fn cause(error: &io::Error) -> String {
    let text = error.to_string();
    // "No space left on device (os error 28)" → "no space left on device".
    let text = match text.rfind(" (os error") {
        Some(at) => &text[..at],
        None => &text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text.to_string(),
    }
}

/// 8691 → "8,691".
fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// An output whose disk is full after `room` files.
    struct Full {
        room: std::sync::atomic::AtomicUsize,
    }

    impl Output for Full {
        fn write(&self, _: &str, _: &[u8]) -> io::Result<()> {
            use std::sync::atomic::Ordering;
            let left = self.room.load(Ordering::Relaxed);
            if left == 0 {
                return Err(io::Error::from_raw_os_error(libc::ENOSPC));
            }
            self.room.store(left - 1, Ordering::Relaxed);
            Ok(())
        }
        fn remove(&self, _: &str) -> io::Result<()> {
            Ok(())
        }
        fn place(&self) -> &Path {
            Path::new("public")
        }
    }

    #[test]
    fn a_full_disk_is_one_line() {
        let out = Full { room: 3.into() };
        let writes = Writes::new(&out);
        for i in 0..8694 {
            writes.write(&format!("articles/{i}/index.html"), b"x");
        }
        let problems = writes.problems();
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].to_string(),
            "error: public: cannot write the output: no space left on device \
             (8,691 files not written, the first `articles/3/index.html`)"
        );
    }

    #[test]
    fn one_failure_names_its_file() {
        let out = Full { room: 0.into() };
        let writes = Writes::new(&out);
        writes.write("atom.xml", b"x");
        assert_eq!(
            writes.problems()[0].message,
            "cannot write the output: no space left on device (`atom.xml` not written)"
        );
    }
}
