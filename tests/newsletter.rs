//! `briefing newsletter` (SPEC §11) on the three-week fixture: the files it
//! writes, the `.eml` as a real mail parser (mail-parser) reads it, the
//! HTML part as mail clients need it, the same bytes from the same input,
//! and its errors and exit codes. No mail is sent.

mod common;

use common::*;
use mail_parser::{MessageParser, MimeHeaders, PartType};

/// Wednesday 7 August 2024: week 31 is the newest week that has ended.
const AUGUST_7: (&str, &str) = ("SOURCE_DATE_EPOCH", "1723000000");
/// Friday 2 August 2024: week 31 has not ended yet.
const AUGUST_2: (&str, &str) = ("SOURCE_DATE_EPOCH", "1722600000");

fn newsletter(site: &std::path::Path, args: &[&str], now: (&str, &str)) -> std::process::Output {
    let mut all = vec!["newsletter"];
    all.extend_from_slice(args);
    briefing_env(site, &all, &[now])
}

fn ok(output: &std::process::Output) {
    assert!(
        output.status.success(),
        "{}{}",
        stdout(output),
        stderr(output)
    );
}

#[test]
fn the_default_week_is_the_newest_that_has_ended() {
    let site = common::site("editions");
    let output = newsletter(site.path(), &[], AUGUST_7);
    ok(&output);
    assert!(stdout(&output).contains("2024-W31"), "{}", stdout(&output));
    for name in ["edition.html", "edition.txt", "edition.eml"] {
        assert!(
            site.path().join("newsletter").join(name).is_file(),
            "{name}"
        );
    }
    let text = read(site.path().join("newsletter/edition.txt"));
    assert!(text.contains("Week 31, 2024"), "{text}");

    let output = newsletter(site.path(), &["--output", "earlier"], AUGUST_2);
    ok(&output);
    let text = read(site.path().join("earlier/edition.txt"));
    assert!(
        text.contains("Week 30, 2024"),
        "week 31 had not ended: {text}"
    );
}

#[test]
fn the_eml_is_a_multipart_alternative_message_a_parser_reads() {
    let site = common::site("editions");
    ok(&newsletter(site.path(), &["--week", "2024-W31"], AUGUST_7));
    let bytes = std::fs::read(site.path().join("newsletter/edition.eml")).unwrap();
    let message = MessageParser::default()
        .parse(&bytes[..])
        .expect("mail-parser reads the message");

    assert_eq!(message.subject(), Some("Fixture Desk — week 31, 2024"));
    let from = message.from().and_then(|f| f.first()).expect("From");
    assert_eq!(from.address(), Some("desk@example.org"));
    assert_eq!(from.name(), Some("Fixture desk"));
    let unsubscribe = message
        .header_raw("List-Unsubscribe")
        .expect("List-Unsubscribe");
    assert_eq!(
        unsubscribe.trim(),
        "<mailto:desk@example.org?subject=unsubscribe>"
    );
    // The end of the week: Monday 5 August, 00:00 in Paris.
    let date = message.date().expect("Date");
    assert_eq!(date.to_timestamp(), 1722808800, "{}", date.to_rfc3339());
    assert_eq!(
        message.message_id(),
        Some("edition-2024-w31@news.example.org")
    );

    // One multipart/alternative root holding text/plain, then text/html.
    let root = message.root_part();
    let content_type = root.content_type().expect("Content-Type");
    assert_eq!(content_type.ctype(), "multipart");
    assert_eq!(content_type.subtype(), Some("alternative"));
    let parts = root.sub_parts().expect("parts");
    assert_eq!(parts.len(), 2);
    let part = |i: usize| &message.parts[parts[i] as usize];
    let (text, html) = match (&part(0).body, &part(1).body) {
        (PartType::Text(text), PartType::Html(html)) => (text.to_string(), html.to_string()),
        other => panic!("text then HTML, not {other:?}"),
    };

    // The text part: titles, summaries and absolute links.
    for needle in [
        "The act enters into force",
        "Summary of Monday morning, early.",
        "https://news.example.org/desk/articles/monday-morning/",
        "https://news.example.org/desk/editions/2024-w31/",
    ] {
        assert!(text.contains(needle), "{needle} in the text part:\n{text}");
    }

    // The HTML part, as mail clients need it.
    let lower = html.to_lowercase();
    for banned in ["<script", "<link", "<svg", "@import", "@font-face"] {
        assert!(!lower.contains(banned), "no {banned} in the HTML part");
    }
    assert_eq!(lower.matches("<style").count(), 1, "one style element");
    let style = lower
        .split_once("<style>")
        .and_then(|(_, rest)| rest.split_once("</style>"))
        .map(|(style, _)| style.trim().to_string())
        .expect("a style element");
    assert!(
        style.starts_with("@media (prefers-color-scheme: dark)") && style.matches('@').count() == 1,
        "the style element holds only the dark-mode query: {style}"
    );
    let urls: Vec<String> = ["href", "src"]
        .iter()
        .flat_map(|attr| attribute_values(&html, attr))
        .collect();
    assert!(!urls.is_empty());
    for url in &urls {
        assert!(
            url.starts_with("https://news.example.org/desk/") || url.starts_with("mailto:"),
            "absolute link: {url}"
        );
    }
    assert!(html.contains("width=\"600\""), "a 600 px table layout");
    assert!(html.contains("class=\"preheader\""), "a preheader");
    assert!(
        html.contains("<h2 style=\"") && html.contains("The act enters into force"),
        "styles are inline"
    );
    // Bars are table cells, as long as their share of the top count.
    assert!(html.contains("class=\"bar\" width=\"100%\""), "{html}");
    assert!(html.contains("class=\"bar\" width=\"50%\""), "{html}");

    // The .html file is the same HTML.
    let file = read(site.path().join("newsletter/edition.html"));
    assert_eq!(file.replace("\r\n", "\n"), html.replace("\r\n", "\n"));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let site = common::site("editions");
    ok(&newsletter(
        site.path(),
        &["--week", "2024-W30", "--output", "a"],
        AUGUST_7,
    ));
    ok(&newsletter(
        site.path(),
        &["--week", "2024-w30", "--output", "b"],
        AUGUST_2,
    ));
    for name in ["edition.html", "edition.txt", "edition.eml"] {
        let a = std::fs::read(site.path().join("a").join(name)).unwrap();
        let b = std::fs::read(site.path().join("b").join(name)).unwrap();
        assert!(a == b, "{name} differs between runs");
    }
}

#[test]
fn weeks_without_articles_and_weeks_that_do_not_exist() {
    let site = common::site("editions");
    let output = newsletter(site.path(), &["--week", "2023-W01"], AUGUST_7);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("2023-W01"), "{}", stderr(&output));
    // Week 28 has only a draft.
    let output = newsletter(site.path(), &["--week", "2024-W28"], AUGUST_7);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));

    for bad in ["2024-W99", "2024-W53", "2024-31", "last-week"] {
        let output = newsletter(site.path(), &["--week", bad], AUGUST_7);
        assert_eq!(output.status.code(), Some(2), "{bad}: {}", stderr(&output));
        assert!(stderr(&output).contains(bad), "{bad}: {}", stderr(&output));
    }
    assert!(!site.path().join("newsletter").exists(), "nothing written");
}

#[test]
fn without_a_base_url_it_warns_and_leaves_the_optional_headers_out() {
    let site = common::site("editions");
    let yaml: String = read(site.path().join("site.yaml"))
        .lines()
        .filter(|l| !l.starts_with("base_url") && !l.starts_with("newsletter_"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(site.path().join("site.yaml"), yaml).unwrap();
    let output = newsletter(site.path(), &[], AUGUST_7);
    ok(&output);
    let err = stderr(&output);
    assert!(
        err.contains("warning: site.yaml") && err.contains("localhost"),
        "{err}"
    );
    let bytes = std::fs::read(site.path().join("newsletter/edition.eml")).unwrap();
    let message = MessageParser::default().parse(&bytes[..]).unwrap();
    assert!(message.from().is_none());
    assert!(message.header_raw("List-Unsubscribe").is_none());
    assert_eq!(message.subject(), Some("Fixture Desk — week 31, 2024"));
}
