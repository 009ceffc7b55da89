//! `briefing init DIR`: a new site that builds at once. It needs no templates
//! or static files of its own: the built-in ones are in the binary.

use std::path::Path;

use crate::date;
use crate::diagnostic::{Diagnostic, Failed};

const SITE_YAML: &str = r#"title: "My AI Briefing"
description: "What moved in AI this week."
base_url: "https://example.org/"
language: en
author: "The Briefing desk"
per_page: 20
autolink: true
"#;

const COMPANY: &str = r#"---
name: "Example Labs"
aliases: ["ExampleLabs"]
website: "https://example.org"
summary: "A placeholder company: rename or delete this file."
---
Profiles live in `content/companies/`. The file name is the id that articles
list under `companies:`.
"#;

const TOPIC: &str = r#"---
name: "Open-source AI"
aliases: ["open weights"]
summary: "Models whose weights anyone can download."
---
Topics live in `content/topics/`.
"#;

fn article(today: &str) -> String {
    format!(
        r#"---
title: "Welcome to your briefing"
date: {today}
companies: [example-labs]
topics: [open-source]
author: "The Briefing desk"
---
This is your first article. Example Labs is mentioned here, so its name links
to its page, and the article appears on the company's page.

Write a new one with `briefing new "Title" --companies example-labs`, then run
`briefing build`.
"#
    )
}

pub fn run(dir: &Path) -> Result<(), Failed> {
    let fail = |message: String| Failed(vec![Diagnostic::error(dir, message)]);
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut entries| entries.next().is_some())
            .unwrap_or(true)
    {
        return Err(fail(
            "already exists and is not empty; choose a new folder".into(),
        ));
    }
    let today = date::today();
    let files = [
        ("site.yaml".to_string(), SITE_YAML.to_string()),
        ("content/companies/example-labs.md".into(), COMPANY.into()),
        ("content/topics/open-source.md".into(), TOPIC.into()),
        (
            format!("content/articles/{today}-welcome.md"),
            article(&today),
        ),
        (
            ".gitignore".into(),
            "/public/\n/.public.building-*\n/.briefing/\n".into(),
        ),
    ];
    for (path, text) in files {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| fail(format!("cannot create: {e}")))?;
        }
        std::fs::write(&path, text)
            .map_err(|e| fail(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(())
}
