//! The cut between a Markdown file's front matter and its body: the `---`
//! fences, found line by line so that both halves keep the line they start
//! on, and every later problem in either can name its line in the file.

use std::path::Path;

use crate::diagnostic::Diagnostic;

/// A Markdown file cut into front matter and body, with the line each starts on.
#[derive(Debug)]
pub struct Document<'a> {
    pub front: &'a str,
    /// 1-based line of the first YAML line (the one after the opening `---`).
    pub front_line: usize,
    pub body: &'a str,
    /// 1-based line of the first body line.
    pub body_line: usize,
}

/// Cuts `text` at its `---` fences. A leading byte-order mark is ignored.
pub fn split<'a>(text: &'a str, file: &Path) -> Result<Document<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(Diagnostic::error(
            file,
            "no front matter: the file must start with a `---` line, then YAML with at least `title` and `date`, then `---`",
        )
        .at(1, 1));
    }
    let front_start = first.len();
    let mut offset = front_start;
    for (line, l) in (2..).zip(lines) {
        if l.trim_end() == "---" {
            return Ok(Document {
                front: &text[front_start..offset],
                front_line: 2,
                body: &text[offset + l.len()..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(Diagnostic::error(
        file,
        "front matter is never closed: add a `---` line after the YAML header",
    )
    .at(1, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body_with_lines() {
        let doc = split("---\ntitle: x\n---\nbody\n", Path::new("a.md")).unwrap();
        assert_eq!(doc.front, "title: x\n");
        assert_eq!(doc.body, "body\n");
        assert_eq!(doc.body_line, 4);
    }

    #[test]
    fn handles_bom_and_crlf() {
        let doc = split("\u{feff}---\r\ntitle: x\r\n---\r\nbody", Path::new("a.md")).unwrap();
        assert_eq!(doc.front, "title: x\r\n");
        assert_eq!(doc.body, "body");
    }

    #[test]
    fn unclosed_and_missing_front_matter_are_errors() {
        let e = split("---\ntitle: x\n", Path::new("a.md")).unwrap_err();
        assert!(e.message.contains("never closed"));
        let e = split("", Path::new("a.md")).unwrap_err();
        assert!(e.message.contains("no front matter"));
    }
}
