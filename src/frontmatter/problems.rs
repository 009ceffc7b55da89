//! Where a problem with a front-matter field is placed: on its key's line,
//! at the column where the value starts, so a writer's editor jumps to it;
//! on the parent key's line inside nested mappings, whose lines the YAML
//! parser does not give back. Keys nobody read are reported last, as
//! unknown.

use super::Fields;
use crate::diagnostic::Diagnostic;

impl Fields {
    /// Records a problem with the value of `key`, placed on that key's line.
    pub fn error(&mut self, key: &str, message: impl Into<String>) {
        let line = self.line_of(key);
        let column = self.value_column(key);
        self.problems
            .push(Diagnostic::error(&self.file, message).at(line, column));
    }

    /// A key that is known but wrong here (another tool's name for one of
    /// ours): when it is present, it is taken out unread and `message` is
    /// recorded on its line.
    pub fn refuse(&mut self, key: &str, message: impl Into<String>) {
        if self.map.remove(key).is_some() {
            self.error(key, message);
        }
    }

    /// Records a missing required key, placed at the top of the front matter.
    pub fn missing(&mut self, key: &str) {
        let line = self.fixed_line.unwrap_or(self.first_line);
        self.problems.push(
            Diagnostic::error(&self.file, format!("missing required `{}`", self.name(key)))
                .at_line(line),
        );
    }

    /// Ends the reading: every key not read is an unknown key. Returns all problems.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        let unknown: Vec<String> = self.map.keys().cloned().collect();
        for key in unknown {
            let line = self.line_of(&key);
            self.problems.push(
                Diagnostic::error(&self.file, format!("unknown key `{}`", self.name(&key)))
                    .at(line, 1),
            );
        }
        self.problems
    }

    /// The key as messages show it, with its parent keys (`sources[0].url`).
    pub fn name(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// 1-based line of `key:` in the source; the first line when not found.
    pub fn line_of(&self, key: &str) -> usize {
        if let Some(line) = self.fixed_line {
            return line;
        }
        self.key_position(key)
            .map_or(self.first_line, |(index, _)| self.first_line + index)
    }

    fn value_column(&self, key: &str) -> usize {
        if self.fixed_line.is_some() {
            return 1;
        }
        self.key_position(key).map_or(1, |(_, column)| column)
    }

    /// (0-based line index, 1-based column of the value) of a top-level key.
    fn key_position(&self, key: &str) -> Option<(usize, usize)> {
        self.source.lines().enumerate().find_map(|(index, line)| {
            let rest = line
                .strip_prefix(key)
                .or_else(|| line.strip_prefix(&format!("\"{key}\"")))
                .or_else(|| line.strip_prefix(&format!("'{key}'")))?;
            let after_colon = rest.trim_start().strip_prefix(':')?;
            let value_start = line.len() - after_colon.trim_start().len();
            Some((index, line[..value_start].chars().count() + 1))
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn fields(yaml: &str) -> Fields {
        Fields::parse(yaml, 2, Path::new("a.md")).expect("valid yaml")
    }

    #[test]
    fn a_string_instead_of_a_list_is_named_with_its_line() {
        let mut f = fields("title: x\ncompanies: meta\n");
        assert!(f.list("companies").is_empty());
        let title = f.text("title");
        assert_eq!(title.as_deref(), Some("x"));
        let problems = f.finish();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, Some(3));
        assert_eq!(problems[0].column, Some(12));
        assert!(problems[0].message.contains("[meta]"));
    }

    #[test]
    fn unknown_and_missing_keys_are_reported() {
        let mut f = fields("titel: x\n");
        assert_eq!(f.required_text("title"), None);
        let problems = f.finish();
        let messages: Vec<_> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            messages,
            [
                "error: a.md:2: missing required `title`",
                "error: a.md:2:1: unknown key `titel`"
            ]
        );
    }
}
