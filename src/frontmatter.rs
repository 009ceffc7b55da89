//! Front matter: splits a Markdown file into its YAML header and body, and
//! reads YAML fields with positions so that every problem names its line.
//!
//! This is the only module that knows about `serde_yaml`; everything else sees
//! [`Fields`], which hands out plain Rust values and records what was wrong
//! with each key. Swapping the YAML crate touches this module alone. The cut
//! at the `---` fences is in `document`, the field reader in `fields`, and
//! where its problems are placed in `problems`.

mod document;
mod fields;
mod problems;

use serde_yaml::Value;

pub use document::split;
pub use fields::{without_control_characters, Fields};

/// Writes the front matter of a new article (`briefing new`).
pub fn article_stub(title: &str, date: &str, kinds: &[(&str, Vec<String>)]) -> String {
    let mut map = serde_yaml::Mapping::new();
    map.insert("title".into(), title.into());
    map.insert("date".into(), date.into());
    map.insert("summary".into(), "".into());
    for (kind, ids) in kinds {
        let ids: Vec<Value> = ids.iter().map(|id| Value::from(id.as_str())).collect();
        map.insert((*kind).into(), Value::Sequence(ids));
    }
    map.insert("draft".into(), true.into());
    let yaml = serde_yaml::to_string(&map).unwrap_or_default();
    format!("---\n{yaml}---\n\nWrite the briefing here.\n")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn stub_round_trips() {
        let stub = article_stub(
            "He said: \"yes\" #1",
            "2024-07-23",
            &[("companies", vec!["meta".into()])],
        );
        let doc = split(&stub, Path::new("a.md")).unwrap();
        let mut f = Fields::parse(doc.front, 2, Path::new("a.md")).unwrap();
        assert_eq!(f.text("title").as_deref(), Some("He said: \"yes\" #1"));
        assert_eq!(f.list("companies"), ["meta"]);
    }
}
