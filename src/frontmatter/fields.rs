//! Reading YAML fields: the header parsed into a mapping, and accessors that
//! hand out plain Rust values and record what was wrong with each key (placed
//! on its line by `problems`). Nobody outside this module sees a YAML value.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_yaml::Value;

use crate::diagnostic::Diagnostic;

/// The keys of one YAML mapping, read one by one. Each accessor removes the key
/// it reads and records a [`Diagnostic`] when the value has the wrong shape;
/// [`Fields::finish`] then reports every key nobody asked for.
#[derive(Debug)]
pub struct Fields {
    pub(super) map: BTreeMap<String, Value>,
    /// The YAML source, to find the line a key sits on.
    pub(super) source: String,
    pub(super) first_line: usize,
    /// Set for nested mappings: every problem points at the parent key's line.
    pub(super) fixed_line: Option<usize>,
    /// Prefix for key names in messages (`kinds.models.`).
    pub(super) prefix: String,
    pub(super) file: PathBuf,
    pub(super) problems: Vec<Diagnostic>,
}

impl Fields {
    /// Parses `yaml` (starting at 1-based `first_line` of `file`) as a mapping.
    /// Empty YAML is an empty mapping.
    pub fn parse(yaml: &str, first_line: usize, file: &Path) -> Result<Fields, Diagnostic> {
        let value: Value = if yaml.trim().is_empty() {
            Value::Null
        } else {
            serde_yaml::from_str(yaml).map_err(|e| {
                let message = e.to_string();
                // serde_yaml appends "at line X column Y"; we report the position ourselves.
                let message = match message.find(" at line ") {
                    Some(i) => message[..i].to_string(),
                    None => message,
                };
                let line_text = e
                    .location()
                    .and_then(|loc| yaml.lines().nth(loc.line().saturating_sub(1)))
                    .unwrap_or_default();
                let hint = if line_text.contains('\t') {
                    " (YAML does not allow tabs for indentation: use spaces)"
                } else {
                    ""
                };
                let diagnostic = Diagnostic::error(file, format!("invalid YAML: {message}{hint}"));
                match e.location() {
                    Some(loc) => diagnostic.at(first_line + loc.line() - 1, loc.column()),
                    None => diagnostic.at_line(first_line),
                }
            })?
        };
        let map = match value {
            Value::Null => BTreeMap::new(),
            Value::Mapping(mapping) => {
                let mut map = BTreeMap::new();
                for (key, value) in mapping {
                    match scalar_to_string(&key) {
                        Some(key) => {
                            map.insert(key, value);
                        }
                        None => {
                            return Err(Diagnostic::error(file, "keys must be plain names")
                                .at_line(first_line))
                        }
                    }
                }
                map
            }
            _ => {
                return Err(Diagnostic::error(
                    file,
                    "front matter must be a YAML mapping of `key: value` lines",
                )
                .at_line(first_line))
            }
        };
        Ok(Fields {
            map,
            source: yaml.to_string(),
            first_line,
            fixed_line: None,
            prefix: String::new(),
            file: file.to_path_buf(),
            problems: Vec::new(),
        })
    }

    /// A scalar read as text (`title: 2024` is the text "2024"). Null is absent.
    pub fn text(&mut self, key: &str) -> Option<String> {
        let value = self.map.remove(key)?;
        match scalar_to_string(&value) {
            Some(text) => Some(text),
            None if value.is_null() => None,
            None => {
                self.error(key, format!("`{}` must be text", self.name(key)));
                None
            }
        }
    }

    /// Like [`Fields::text`], and a problem when it is missing or empty.
    pub fn required_text(&mut self, key: &str) -> Option<String> {
        match self.map.get(key) {
            None => {
                self.missing(key);
                return None;
            }
            Some(value) if value.is_null() => {
                self.map.remove(key);
                self.error(key, format!("`{}` is empty", self.name(key)));
                return None;
            }
            Some(_) => {}
        }
        let text = self.text(key)?;
        if text.trim().is_empty() {
            self.error(key, format!("`{}` is empty", self.name(key)));
            return None;
        }
        Some(text)
    }

    /// A list of text items. A bare string is a problem: `companies: meta` was
    /// almost certainly meant as `companies: [meta]`.
    pub fn list(&mut self, key: &str) -> Vec<String> {
        let Some(value) = self.map.remove(key) else {
            return Vec::new();
        };
        match value {
            Value::Null => Vec::new(),
            Value::Sequence(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in &items {
                    match scalar_to_string(item) {
                        Some(text) => out.push(text),
                        None => {
                            self.error(
                                key,
                                format!("`{}` must be a list of names", self.name(key)),
                            );
                            return Vec::new();
                        }
                    }
                }
                out
            }
            other => {
                let example = scalar_to_string(&other).unwrap_or_else(|| "a".into());
                self.error(
                    key,
                    format!(
                        "`{key}` must be a list, like `{key}: [{example}]`, not a single value",
                        key = self.name(key)
                    ),
                );
                Vec::new()
            }
        }
    }

    /// One text or a list of texts (`author: "A"` or `author: ["A", "B"]`).
    pub fn one_or_list(&mut self, key: &str) -> Vec<String> {
        match self.map.get(key) {
            Some(Value::Sequence(_)) => self.list(key),
            Some(_) => self.text(key).into_iter().collect(),
            None => Vec::new(),
        }
    }

    /// A key that is not ours but is easily written for one that is
    /// (`authors:` for `author:`): a problem on its line that says so.
    pub fn misnamed(&mut self, key: &str, instead: &str) {
        if self.map.remove(key).is_some() {
            let line = self.line_of(key);
            self.problems.push(
                Diagnostic::error(&self.file, format!("`{key}` is not a key here: {instead}"))
                    .at(line, 1),
            );
        }
    }

    pub fn boolean(&mut self, key: &str) -> Option<bool> {
        match self.map.remove(key)? {
            Value::Bool(b) => Some(b),
            Value::Null => None,
            _ => {
                self.error(key, format!("`{}` must be true or false", self.name(key)));
                None
            }
        }
    }

    /// A whole number of at least 1.
    pub fn positive_integer(&mut self, key: &str) -> Option<usize> {
        let value = self.map.remove(key)?;
        match value.as_u64().and_then(|n| usize::try_from(n).ok()) {
            Some(n) if n >= 1 => Some(n),
            _ if value.is_null() => None,
            _ => {
                self.error(
                    key,
                    format!("`{}` must be a whole number of at least 1", self.name(key)),
                );
                None
            }
        }
    }

    /// A list of mappings, each read with its own [`Fields`] (e.g. `sources`).
    pub fn list_of_maps(&mut self, key: &str) -> Vec<Fields> {
        let Some(value) = self.map.remove(key) else {
            return Vec::new();
        };
        let line = self.line_of(key);
        match value {
            Value::Null => Vec::new(),
            Value::Sequence(items) => {
                let mut out = Vec::new();
                for (i, item) in items.into_iter().enumerate() {
                    match item {
                        Value::Mapping(m) => out.push(self.nested(m, line, &format!("{key}[{i}]"))),
                        _ => {
                            self.error(
                                key,
                                format!(
                                    "each entry of `{}` must be a mapping like `- title: ...`",
                                    self.name(key)
                                ),
                            );
                            return Vec::new();
                        }
                    }
                }
                out
            }
            _ => {
                self.error(key, format!("`{}` must be a list", self.name(key)));
                Vec::new()
            }
        }
    }

    /// A mapping of named mappings (e.g. `kinds: { models: { title: ... } }`).
    pub fn map_of_maps(&mut self, key: &str) -> Vec<(String, Fields)> {
        let Some(value) = self.map.remove(key) else {
            return Vec::new();
        };
        let line = self.line_of(key);
        match value {
            Value::Null => Vec::new(),
            Value::Mapping(entries) => {
                let mut out = Vec::new();
                for (name, inner) in entries {
                    let name = scalar_to_string(&name).unwrap_or_default();
                    let inner = match inner {
                        Value::Mapping(m) => m,
                        Value::Null => serde_yaml::Mapping::new(),
                        _ => {
                            self.error(
                                key,
                                format!("`{}.{name}` must be a mapping", self.name(key)),
                            );
                            continue;
                        }
                    };
                    let fields = self.nested(inner, line, &format!("{key}.{name}"));
                    out.push((name, fields));
                }
                out
            }
            _ => {
                self.error(key, format!("`{}` must be a mapping", self.name(key)));
                Vec::new()
            }
        }
    }

    fn nested(&self, map: serde_yaml::Mapping, line: usize, prefix: &str) -> Fields {
        let map = map
            .into_iter()
            .filter_map(|(k, v)| Some((scalar_to_string(&k)?, v)))
            .collect();
        Fields {
            map,
            source: String::new(),
            first_line: line,
            fixed_line: Some(line),
            prefix: format!("{}{prefix}.", self.prefix),
            file: self.file.clone(),
            problems: Vec::new(),
        }
    }

    /// Merges the problems of a nested reader into this one.
    pub fn absorb(&mut self, nested: Fields) {
        let problems = nested.finish();
        self.problems.extend(problems);
    }
}

fn scalar_to_string(value: &Value) -> Option<String> {
    match value {
        // YAML escapes (`"\0"`, `"\x07"`) can make any character.
        Value::String(s) => Some(without_control_characters(s).into_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(tagged) => scalar_to_string(&tagged.value),
        _ => None,
    }
}

/// Replaces control characters that HTML and XML forbid (NUL and the other
/// C0 controls but tab, line feed, form feed and carriage return; DEL and the
/// C1 controls) with U+FFFD, as CommonMark does for NUL: the text stays
/// visible where it was, and every page built from it stays well-formed.
pub fn without_control_characters(text: &str) -> std::borrow::Cow<'_, str> {
    let forbidden =
        |c: char| (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}')) || c == '\u{7f}';
    if text.contains(forbidden) {
        std::borrow::Cow::Owned(text.replace(forbidden, "\u{fffd}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_replacement_characters() {
        assert_eq!(
            without_control_characters("plain\ttext\r\n"),
            "plain\ttext\r\n"
        );
        assert_eq!(
            without_control_characters("a\0b\x07c\u{7f}d\u{85}"),
            "a\u{fffd}b\u{fffd}c\u{fffd}d\u{fffd}"
        );
        let mut f = fields("title: \"Null\\0 byte\"");
        assert_eq!(f.text("title").as_deref(), Some("Null\u{fffd} byte"));
    }

    fn fields(yaml: &str) -> Fields {
        Fields::parse(yaml, 2, Path::new("a.md")).expect("valid yaml")
    }

    #[test]
    fn one_name_or_a_list() {
        let mut f = fields("a: Jane\nb: [Jane, Sam]\nc: [[x]]\nauthors: [x]\n");
        assert_eq!(f.one_or_list("a"), ["Jane"]);
        assert_eq!(f.one_or_list("b"), ["Jane", "Sam"]);
        assert!(f.one_or_list("c").is_empty());
        assert!(f.one_or_list("d").is_empty());
        f.misnamed("authors", "write `author:`");
        let problems = f.finish();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(
            problems[1].to_string(),
            "error: a.md:5:1: `authors` is not a key here: write `author:`"
        );
    }

    #[test]
    fn yaml_errors_carry_their_position() {
        let e = Fields::parse("title: x\ndate: [1\n", 2, Path::new("a.md")).unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
        assert!(e.message.starts_with("invalid YAML"));
    }

    #[test]
    fn tabs_get_a_hint() {
        let e = Fields::parse("\ttitle: x\n", 2, Path::new("a.md")).unwrap_err();
        assert!(e.message.contains("tabs"), "{e}");
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut yaml = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            yaml.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        assert!(Fields::parse(&yaml, 2, Path::new("a.md")).is_err());
    }
}
