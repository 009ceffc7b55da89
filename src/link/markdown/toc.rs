//! The table of contents: an article's headings, nested by level, as the
//! `toc` template variable. Built from the headings the Markdown pass has
//! already given their final ids, so every entry links to a real `#id`.

use serde::Serialize;

/// One heading and the headings under it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct TocEntry {
    /// 1 to 6, as in `<h1>`…`<h6>`.
    pub level: u8,
    /// The heading's `id`, for `#id` links.
    pub id: String,
    /// The heading's text, without markup.
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// Nests headings given in page order: a heading goes under the nearest
/// earlier one of a lower level, so an `h4` after an `h2` sits under it even
/// without an `h3` between, and a first `h3` before any `h2` is a root.
pub(super) fn nest(flat: Vec<(u8, String, String)>) -> Vec<TocEntry> {
    let mut roots = Vec::new();
    let mut open: Vec<TocEntry> = Vec::new();
    for (level, id, title) in flat {
        while open.last().is_some_and(|top| top.level >= level) {
            close_one(&mut open, &mut roots);
        }
        open.push(TocEntry {
            level,
            id,
            title,
            children: Vec::new(),
        });
    }
    while !open.is_empty() {
        close_one(&mut open, &mut roots);
    }
    roots
}

/// Moves the innermost open entry into its parent, or to the roots.
fn close_one(open: &mut Vec<TocEntry>, roots: &mut Vec<TocEntry>) {
    if let Some(done) = open.pop() {
        match open.last_mut() {
            Some(parent) => parent.children.push(done),
            None => roots.push(done),
        }
    }
}

/// How many headings a table of contents holds, at every depth.
pub fn count(toc: &[TocEntry]) -> usize {
    toc.iter().map(|e| 1 + count(&e.children)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(levels: &[u8]) -> Vec<(u8, String, String)> {
        levels
            .iter()
            .enumerate()
            .map(|(i, &l)| (l, format!("h{i}"), format!("H {i}")))
            .collect()
    }

    fn shape(toc: &[TocEntry]) -> String {
        toc.iter()
            .map(|e| {
                if e.children.is_empty() {
                    e.id.clone()
                } else {
                    format!("{}({})", e.id, shape(&e.children))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn nests_by_level_and_tolerates_skips() {
        let toc = nest(flat(&[3, 2, 3, 4, 3, 2, 4, 1]));
        assert_eq!(shape(&toc), "h0 h1(h2(h3) h4) h5(h6) h7");
        assert_eq!(count(&toc), 8);
        assert_eq!(toc[1].title, "H 1");
        assert_eq!(toc[1].level, 2);
    }

    #[test]
    fn no_headings_is_an_empty_list() {
        assert!(nest(Vec::new()).is_empty());
        assert_eq!(count(&[]), 0);
    }
}
