//! Problems found in a site, reported the way a compiler reports them.
//!
//! Every stage of the pipeline returns its problems as [`Diagnostic`]s instead
//! of stopping at the first one, so a writer sees everything that is wrong with
//! their folder in one run. Library code never prints: `main` decides how and
//! where diagnostics are shown.

use std::cmp::Ordering;
use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is. Warnings become errors under `--strict` and in `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// Where a problem is: a file of the site, or a setting that is no file
/// (`--base-url`, a publish target, the search index as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Path as the user would type it, relative to the site root where possible.
    File(PathBuf),
    /// The setting's name as the user knows it.
    Setting(String),
}

impl Source {
    /// The name as shown, a path for both kinds, so that settings sort among
    /// files exactly as they did when they were written as paths.
    fn shown(&self) -> &Path {
        match self {
            Source::File(path) => path,
            Source::Setting(name) => Path::new(name),
        }
    }
}

impl Ord for Source {
    fn cmp(&self, other: &Self) -> Ordering {
        let rank = |source: &Source| matches!(source, Source::Setting(_));
        self.shown()
            .cmp(other.shown())
            .then_with(|| rank(self).cmp(&rank(other)))
    }
}

impl PartialOrd for Source {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::File(path) => write!(f, "{}", path.display()),
            Source::Setting(name) => f.write_str(name),
        }
    }
}

/// One problem with one place in the site: a file and, where known, a line
/// and column; or a setting.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub source: Source,
    /// 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// 1-based column, when the problem has one.
    pub column: Option<usize>,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    /// An error in a file.
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic::new(Source::File(file.into()), Severity::Error, message)
    }

    /// A warning about a file.
    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic::new(Source::File(file.into()), Severity::Warning, message)
    }

    /// An error in a setting rather than a file: `Diagnostic::setting("--base-url", ...)`.
    pub fn setting(name: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic::new(Source::Setting(name.into()), Severity::Error, message)
    }

    fn new(source: Source, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            source,
            line: None,
            column: None,
            severity,
            message: message.into(),
        }
    }

    /// Places the problem at a 1-based line and column.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line.max(1));
        self.column = Some(column.max(1));
        self
    }

    /// Places the problem at a 1-based line, column unknown.
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line.max(1));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The file the problem is in, when it is in one.
    pub fn file(&self) -> Option<&Path> {
        match &self.source {
            Source::File(path) => Some(path),
            Source::Setting(_) => None,
        }
    }

    /// Names the file relative to `root` when it lies inside it (see [`display_path`]).
    pub fn relative_to(&mut self, root: &Path) {
        self.rebase(root, Path::new(""));
    }

    /// Names the file under `to` instead of `from`, when it lies inside `from`.
    pub fn rebase(&mut self, from: &Path, to: &Path) {
        if let Source::File(path) = &mut self.source {
            *path = to.join(display_path(from, path));
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{label}: {}", self.source)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        // One line per problem, whatever the message holds.
        let message = self.message.replace(['\n', '\r'], " ");
        write!(f, ": {message}")
    }
}

/// The problems of one run, in a stable order (by file, then position).
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Turns every warning into an error (`--strict`, `check`).
    pub fn make_strict(&mut self) {
        for item in &mut self.items {
            item.severity = Severity::Error;
        }
    }

    /// Sorted, deduplicated list of everything found.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort();
        self.items.dedup();
        self.items
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// What a build that failed hands back: everything it found, errors and warnings.
#[derive(Debug)]
pub struct Failed(pub Vec<Diagnostic>);

impl fmt::Display for Failed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors = self.0.iter().filter(|d| d.is_error()).count();
        write!(f, "{errors} error(s)")
    }
}

impl std::error::Error for Failed {}

/// Shows `path` relative to `root` when it lies inside it, so messages read
/// `content/articles/x.md` rather than a long absolute path.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// 1-based line and column of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_like_a_compiler() {
        let d = Diagnostic::error("content/articles/x.md", "missing field `title`").at(3, 7);
        assert_eq!(
            d.to_string(),
            "error: content/articles/x.md:3:7: missing field `title`"
        );
        let w = Diagnostic::warning("site.yaml", "two\nlines");
        assert_eq!(w.to_string(), "warning: site.yaml: two lines");
    }

    #[test]
    fn settings_read_and_sort_as_files_do() {
        let s = Diagnostic::setting("--base-url", "not a URL");
        assert_eq!(s.to_string(), "error: --base-url: not a URL");
        assert_eq!(s.file(), None);
        let mut all = Diagnostics::new();
        all.push(Diagnostic::error("site.yaml", "x"));
        all.push(Diagnostic::setting("search index", "x"));
        all.push(Diagnostic::error("content/a.md", "x"));
        all.push(Diagnostic::setting("--base-url", "x"));
        let shown: Vec<String> = all
            .into_sorted()
            .iter()
            .map(|d| d.source.to_string())
            .collect();
        assert_eq!(
            shown,
            ["--base-url", "content/a.md", "search index", "site.yaml"]
        );
    }

    #[test]
    fn rebasing_moves_files_and_leaves_settings() {
        let mut d = Diagnostic::error("/tmp/scratch/a/index.html", "x");
        d.rebase(Path::new("/tmp/scratch"), Path::new("public"));
        assert_eq!(d.file(), Some(Path::new("public/a/index.html")));
        d.relative_to(Path::new("public"));
        assert_eq!(d.file(), Some(Path::new("a/index.html")));
        let mut s = Diagnostic::setting("publish", "x");
        s.relative_to(Path::new("publish"));
        assert_eq!(s.source, Source::Setting("publish".into()));
    }

    #[test]
    fn line_col_counts_chars() {
        let text = "ab\ncdé f\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 8), (2, 5));
    }
}
