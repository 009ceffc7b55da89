//! Any text as a whole content file, front matter and body, read as an
//! article and as a company profile: it must give a value or diagnostics,
//! never a panic, and every diagnostic must name the file.
#![no_main]

use briefing::stages::{self, Settings};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let settings = Settings::defaults();
    for path in ["articles/fuzz.md", "companies/fuzz.md"] {
        if let Err(problems) = stages::parse(&settings, path, text) {
            assert!(!problems.is_empty());
            for problem in problems {
                assert!(problem.to_string().contains("fuzz.md"), "{problem}");
            }
        }
    }
});
