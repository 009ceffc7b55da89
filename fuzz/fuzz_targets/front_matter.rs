//! Any text as a whole content file, front matter and body, read as an
//! article and as a company profile: it must give a value or diagnostics,
//! never a panic, and every diagnostic must name the file.
#![no_main]

use std::path::PathBuf;

use briefing::config::Config;
use briefing::load::{parse_text, Role};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let config = Config::default();
    for role in [Role::Article, Role::Entity(0)] {
        let parsed = parse_text(
            text,
            PathBuf::from("content/articles/fuzz.md"),
            "articles/fuzz.md".into(),
            "fuzz".into(),
            role,
            &config,
        );
        if let Err(problems) = parsed {
            assert!(!problems.is_empty());
            for problem in problems {
                assert!(problem.to_string().contains("fuzz.md"), "{problem}");
            }
        }
    }
});
