//! Which files in a site's folders are no part of the site. Editors, file
//! managers and git leave files beside the writer's own (`.a.md.swp`,
//! `a.md~`, `.DS_Store`, `.gitkeep`). Loading `content/`, collecting
//! `static/` and watching all pass them over by these rules, so `serve`
//! never reacts to a file the build does not read, nor misses one it does.

/// Left by an editor, a file manager or git, never written by hand: passed
/// over in every folder of the site, `static/` included.
pub fn is_junk(name: &str) -> bool {
    matches!(
        name,
        ".keep" | ".gitkeep" | ".DS_Store" | "Thumbs.db" | "4913"
    ) || name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

/// Passed over in `content/` and `templates/`, file or folder: junk, and
/// anything hidden (`.git`, `.obsidian`), which is no writing. `static/`
/// publishes hidden files (`.well-known/`) and passes over only junk.
pub fn is_ignored(name: &str) -> bool {
    is_junk(name) || (name.starts_with('.') && name != "." && name != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn junk_is_what_tools_leave() {
        for name in [
            ".a.md.swp",
            ".a.md.swo",
            ".base.html.swx",
            "a.md~",
            ".#a.md",
            "4913",
            "4913.tmp",
            ".DS_Store",
            "Thumbs.db",
            ".keep",
            ".gitkeep",
        ] {
            assert!(is_junk(name), "{name}");
            assert!(is_ignored(name), "{name}");
        }
        for name in ["a.md", "style.css", ".well-known", ".htaccess", "v2.0"] {
            assert!(!is_junk(name), "{name}");
        }
    }

    #[test]
    fn sources_also_pass_over_hidden_files() {
        for name in [".git", ".obsidian", ".draft.md", ".well-known"] {
            assert!(is_ignored(name), "{name}");
        }
        for name in ["a.md", "2024", "v2.0", ".", ".."] {
            assert!(!is_ignored(name), "{name}");
        }
    }
}
