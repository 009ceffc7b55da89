//! Code blocks: highlighted at build time, so readers get colour without
//! any script. The block stays `<pre tabindex="0"><code class="language-X">`
//! and only `<span class="hl-…">` elements are added inside, one per scope
//! of syntect's default (Sublime Text) syntaxes; the colours are CSS classes
//! in the stylesheet, so light and dark schemes and custom themes need no
//! rebuild. A block without a language, or with one syntect does not know,
//! is written plain.
//!
//! The syntaxes are loaded once per process, on the first block that names
//! a language, so a site without code pays nothing for them.

use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, Event};
use pulldown_cmark_escape::escape_html;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use super::State;

/// Class names are the scope's atoms, each with this prefix
/// (`keyword.control.rust` is `hl-keyword hl-control hl-rust`).
const CLASS_PREFIX: &str = "hl-";

/// A fenced or indented block being read.
pub(super) struct CodeBlock {
    /// The first word of the fence's info string.
    language: Option<String>,
    pub(super) text: String,
}

impl State<'_, '_> {
    pub(super) fn open_code(&mut self, kind: CodeBlockKind<'_>) {
        let language = match &kind {
            CodeBlockKind::Fenced(info) => info.split_whitespace().next().map(str::to_string),
            CodeBlockKind::Indented => None,
        };
        self.code = Some(CodeBlock {
            language,
            text: String::new(),
        });
    }

    pub(super) fn close_code(&mut self) {
        let Some(block) = self.code.take() else {
            return;
        };
        // Wide code blocks scroll sideways; tabindex lets a keyboard user
        // scroll them too.
        let mut open = String::from("<pre tabindex=\"0\"><code");
        if let Some(language) = &block.language {
            open.push_str(" class=\"language-");
            // Writing into a String cannot fail.
            let _ = escape_html(&mut open, language);
            open.push('"');
        }
        open.push('>');
        self.emit(Event::Html(open.into()));
        match block
            .language
            .as_deref()
            .and_then(|language| highlight(language, &block.text))
        {
            Some(spans) => self.emit(Event::Html(spans.into())),
            None => self.emit(Event::Text(block.text.into())),
        }
        self.emit(Event::Html("</code></pre>\n".into()));
    }
}

fn syntaxes() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// `code` as escaped HTML with classed spans, when `language` (a name or
/// file extension, any case: `rust`, `rs`, `Python`) is one syntect knows
/// and highlighting it works; `None` means "write it plain".
pub(crate) fn highlight(language: &str, code: &str) -> Option<String> {
    // Names fences often use that are no syntax's name or extension.
    let token = match language.to_ascii_lowercase().as_str() {
        "shell" | "console" | "shellscript" => "sh",
        "golang" => "go",
        _ => language,
    };
    let syntaxes = syntaxes();
    let syntax = syntaxes.find_syntax_by_token(token)?;
    if syntax.name == syntaxes.find_syntax_plain_text().name {
        return None;
    }
    let style = ClassStyle::SpacedPrefixed {
        prefix: CLASS_PREFIX,
    };
    let mut html = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, style);
    for line in LinesWithEndings::from(code) {
        html.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(html.finalize())
}

#[cfg(test)]
mod tests {
    use super::super::tests::render_with;
    use super::highlight;

    /// The text of some HTML: tags dropped, the entities this code writes decoded.
    fn text_of(html: &str) -> String {
        let mut text = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    #[test]
    fn known_languages_get_classed_spans_and_keep_their_text() {
        let code = "// Meta's <model>\nfn main() { let s = \"a & b\"; }\n";
        let r = render_with(&format!("```rust\n{code}```\n"), true);
        let open = "<pre tabindex=\"0\"><code class=\"language-rust\">";
        assert!(r.html.starts_with(open), "{}", r.html);
        assert!(r.html.ends_with("</code></pre>\n"), "{}", r.html);
        let inner = &r.html[open.len()..r.html.len() - "</code></pre>\n".len()];
        assert!(inner.contains("<span class=\"hl-keyword"), "{inner}");
        assert!(inner.contains("<span class=\"hl-comment"), "{inner}");
        assert!(inner.contains("<span class=\"hl-string"), "{inner}");
        // Only spans are added, and the text is the code, escaped.
        let mut rest = inner;
        while let Some(lt) = rest.find('<') {
            let tag = &rest[lt..lt + rest[lt..].find('>').unwrap() + 1];
            assert!(
                tag == "</span>" || tag.starts_with("<span class=\"hl-"),
                "{tag}"
            );
            rest = &rest[lt + tag.len()..];
        }
        assert_eq!(text_of(inner), code);
        assert!(r.mentions.is_empty(), "no mentions inside code");
        assert!(!r.html.contains("mention"));
    }

    #[test]
    fn names_and_extensions_work_in_any_case() {
        for language in [
            "rust", "rs", "Rust", "python", "py", "js", "sh", "shell", "json", "yaml", "golang",
        ] {
            assert!(highlight(language, "x = 1\n").is_some(), "{language}");
        }
    }

    #[test]
    fn unknown_or_no_language_stays_plain() {
        for block in [
            "```klingon\nlet <x> = 1;\n```\n",
            "```\nlet <x> = 1;\n```\n",
            "```text\nlet <x> = 1;\n```\n",
            "    let <x> = 1;\n",
        ] {
            let r = render_with(block, false);
            assert!(r.problems.is_empty());
            assert!(!r.html.contains("<span"), "{}", r.html);
            assert!(
                r.html.contains("let &lt;x&gt; = 1;\n</code></pre>"),
                "{}",
                r.html
            );
        }
    }

    #[test]
    fn odd_code_does_not_break_it() {
        for code in [
            "",
            "\n",
            "\"unterminated\n",
            "/* open",
            "\u{0}\u{feff}é\r\n",
        ] {
            let html = highlight("rust", code).unwrap_or_default();
            assert_eq!(text_of(&html), code);
        }
    }
}
