//! Any text as the body of an article on a small site, through the whole
//! pipeline: link (internal links, mentions, the graph) and render (every
//! page, with the built-in templates). No input may panic, and text from the
//! body must never open a script element that the author did not write as
//! raw HTML.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use briefing::config::Config;
use briefing::link;
use briefing::load::{parse_text, Loaded, Role};
use briefing::model::Content;
use briefing::render::{self, Templates};
use libfuzzer_sys::fuzz_target;

const PROFILES: [(&str, &str); 2] = [
    ("meta", "---\nname: \"Meta Platforms\"\naliases: [\"Meta\"]\n---\nSee [Llama](@/articles/other.md).\n"),
    ("openai", "---\nname: \"OpenAI\"\n---\n"),
];

const OTHER: &str = "---\ntitle: \"Other\"\ndate: 2024-07-01\ncompanies: [meta]\n---\nMeta and OpenAI.\n";

fuzz_target!(|body: &str| {
    let config = Config::default();
    let mut content = Content::default();
    for (id, text) in PROFILES {
        let file = PathBuf::from(format!("content/companies/{id}.md"));
        let path = format!("companies/{id}.md");
        if let Ok(Loaded::Entity(e)) = parse_text(text, file, path, id.into(), Role::Entity(0), &config) {
            content.entities.push(*e);
        }
    }
    let article = format!("---\ntitle: \"Fuzz\"\ndate: 2024-07-02\ncompanies: [openai]\n---\n{body}");
    for (stem, text) in [("fuzz", article.as_str()), ("other", OTHER)] {
        let file = PathBuf::from(format!("content/articles/{stem}.md"));
        let path = format!("articles/{stem}.md");
        if let Ok(Loaded::Article(a)) = parse_text(text, file, path, stem.into(), Role::Article, &config) {
            content.articles.push(*a);
        }
    }
    content.articles.sort_by(|a, b| b.date.cmp(&a.date));
    let (site, _problems) = link::link(config, content);
    // The built-in templates, parsed once.
    static TEMPLATES: OnceLock<Option<Templates>> = OnceLock::new();
    let templates = TEMPLATES.get_or_init(|| Templates::load(std::path::Path::new("/nonexistent")).ok());
    let Some(templates) = templates else {
        return;
    };
    let raw_script = body.contains("<script") || body.contains("<SCRIPT");
    let sink = |path: &str, bytes: &[u8]| {
        if !raw_script && path.ends_with(".html") {
            let page = String::from_utf8_lossy(bytes);
            let scripts = page.matches("<script").count();
            assert!(scripts <= 2, "{path} opens a script from the body");
        }
        Ok(())
    };
    let _ = render::render_all(&site, templates, &sink);
});
