//! Any text as the body of an article on a small site, through the whole
//! pipeline: link (internal links, mentions, the graph) and render (every
//! page, with the built-in templates, and the search index). No input may
//! panic, and text from the body must never open a script element that the
//! author did not write as raw HTML.
#![no_main]

use std::sync::OnceLock;

use briefing::pipeline::Memory;
use briefing::stages::{self, Settings, Templates};
use libfuzzer_sys::fuzz_target;

const META: &str = "---\nname: \"Meta Platforms\"\naliases: [\"Meta\"]\n---\nSee [Llama](@/articles/other.md).\n";
const OPENAI: &str = "---\nname: \"OpenAI\"\n---\n";
const OTHER: &str = "---\ntitle: \"Other\"\ndate: 2024-07-01\ncompanies: [meta]\n---\nMeta and OpenAI.\n";

fuzz_target!(|body: &str| {
    let settings = Settings::defaults();
    let article = format!("---\ntitle: \"Fuzz\"\ndate: 2024-07-02\ncompanies: [openai]\n---\n{body}");
    let content = stages::content(
        &settings,
        &[
            ("companies/meta.md", META),
            ("companies/openai.md", OPENAI),
            ("articles/fuzz.md", &article),
            ("articles/other.md", OTHER),
        ],
    );
    let site = stages::link(settings, content);
    // The built-in templates, parsed once.
    static TEMPLATES: OnceLock<Option<Templates>> = OnceLock::new();
    let templates = TEMPLATES.get_or_init(|| Templates::load(std::path::Path::new("/nonexistent")));
    let Some(templates) = templates else {
        return;
    };
    let out = Memory::new();
    let _problems = stages::render_with_search(&site, templates, None, &out);
    let raw_script = body.contains("<script") || body.contains("<SCRIPT");
    for (path, bytes) in out.into_files() {
        if !raw_script && path.ends_with(".html") {
            let page = String::from_utf8_lossy(&bytes);
            let scripts = page.matches("<script").count();
            assert!(scripts <= 2, "{path} opens a script from the body");
        }
    }
});
