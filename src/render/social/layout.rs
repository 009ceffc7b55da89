//! Where the words of a card go: the title wrapped at spaces (and between
//! CJK characters, which have none), never inside a word, at the largest
//! size that fits its box, and the rest fitted on one line each. The result
//! is an SVG of one `<text>` per line at fixed positions, so usvg only
//! shapes and draws: nothing is left to a text engine's own wrapping, and
//! the same card is laid out the same everywhere. Widths are measured with
//! the faces that draw the glyphs (`fonts.rs`), without kerning, so a line
//! measures a little wider than it draws, never narrower.

use super::fonts::{fonts, FAMILY};
use super::Card;

pub(super) const WIDTH: u32 = 1200;
pub(super) const HEIGHT: u32 = 630;

/// Left and right margin of the text; the accent bar is inside the left one.
const MARGIN: f32 = 80.0;
const TEXT_WIDTH: f32 = WIDTH as f32 - 2.0 * MARGIN;
const BAR: f32 = 16.0;

/// Title sizes tried, largest first; below the last, only a word too long
/// for a line shrinks the title further.
const TITLE_SIZES: [f32; 8] = [76.0, 68.0, 62.0, 56.0, 50.0, 44.0, 40.0, 36.0];
const LINE_HEIGHT: f32 = 1.18;
const HEADER_SIZE: f32 = 30.0;
const HEADER_BASELINE: f32 = 112.0;
const TITLE_TOP: f32 = 160.0;
/// Where the title must end: above the chips, or above the summary (two
/// lines of it, whose top follows the title's last line).
const TITLE_BOTTOM: f32 = 496.0;
const TITLE_BOTTOM_WITH_SUMMARY: f32 = 404.0;
const SUMMARY_SIZE: f32 = 32.0;
const SUMMARY_LINES: usize = 2;
const CHIP_TOP: f32 = 526.0;
const CHIP_HEIGHT: f32 = 56.0;
const CHIP_SIZE: f32 = 26.0;
const CHIP_PADDING: f32 = 20.0;
const CHIP_GAP: f32 = 16.0;
/// The widest a chip's name may be before it is cut short.
const CHIP_TEXT_MAX: f32 = 420.0;
pub(super) const MAX_CHIPS: usize = 3;

const ELLIPSIS: &str = "…";

/// The built-in theme's colours (`static/style.css`): light on a plain
/// card, dark over a lead image (under a veil of the dark `--bg`).
struct Palette {
    background: &'static str,
    text: &'static str,
    muted: &'static str,
    accent: &'static str,
    chip: &'static str,
    chip_text: &'static str,
}

const LIGHT: Palette = Palette {
    background: "#f6f5f2", // --surface
    text: "#1b1c1e",       // --text
    muted: "#595e66",      // --muted
    accent: "#b3261e",     // --accent
    chip: "#e6eef9",       // --tagged-bg
    chip_text: "#0b4a99",  // --tagged-fg
};

const DARK: Palette = Palette {
    background: "#121417", // --bg (dark), as the veil
    text: "#e6e7e9",
    muted: "#a4aab3",
    accent: "#ff8f85",
    chip: "#1c2b42",
    chip_text: "#b9d4ff",
};

/// How dark the veil over a lead image is.
const VEIL_OPACITY: &str = "0.78";

/// One unit of text that is never broken: a word, or a CJK character with
/// the punctuation that must stay with it.
#[derive(Debug, Clone, PartialEq)]
struct Token {
    text: String,
    /// Whether a space comes before it (when it is not first on its line).
    space: bool,
}

/// A block of lines at one size.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Block {
    pub size: f32,
    pub lines: Vec<String>,
}

/// The width of `text` at `size`, in pixels. A character no face has
/// counts as a wide one (it draws as a box).
pub(super) fn width(text: &str, size: f32, bold: bool) -> f32 {
    let fonts = fonts();
    let em: f32 = text
        .chars()
        .map(|c| fonts.advance(c, bold).unwrap_or(1.0))
        .sum();
    em * size
}

/// Characters written without spaces between them, each a place to break:
/// CJK ideographs, kana and bopomofo, CJK punctuation and full-width forms.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF       // radicals, Kangxi
        | 0x3000..=0x31FF     // CJK punctuation, kana, bopomofo
        | 0x3400..=0x4DBF     // CJK extension A
        | 0x4E00..=0x9FFF     // CJK unified ideographs
        | 0xF900..=0xFAFF     // compatibility ideographs
        | 0xFF00..=0xFFEF     // full-width forms
        | 0x20000..=0x3FFFF) // the supplementary ideographic planes
}

/// Punctuation that may not start a line: it stays with what is before it.
fn closes(c: char) -> bool {
    "、。，．・：；？！）」』】〕〉》ー々～…,.:;?!)]}%".contains(c)
}

/// Punctuation that may not end a line: it stays with what follows it.
fn opens(c: char) -> bool {
    "（「『【〔〈《([{".contains(c)
}

/// The text's unbreakable units: words between spaces, and, where CJK
/// meets anything without a space, each side of that place.
fn tokens(text: &str) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() {
            space = true;
            continue;
        }
        let before = tokens.last().and_then(|t| t.text.chars().last());
        let breaks = match before {
            None => true,
            Some(_) if space => true,
            Some(p) => (is_cjk(p) || is_cjk(c)) && !closes(c) && !opens(p),
        };
        match tokens.last_mut() {
            Some(last) if !breaks => last.text.push(c),
            _ => tokens.push(Token {
                text: c.to_string(),
                space: space && !tokens.is_empty(),
            }),
        }
        space = false;
    }
    tokens
}

fn line_width(line: &[Token], size: f32, bold: bool) -> f32 {
    let space = width(" ", size, bold);
    line.iter()
        .enumerate()
        .map(|(k, t)| width(&t.text, size, bold) + if k > 0 && t.space { space } else { 0.0 })
        .sum()
}

fn join(line: &[Token]) -> String {
    let mut text = String::new();
    for (k, token) in line.iter().enumerate() {
        if k > 0 && token.space {
            text.push(' ');
        }
        text.push_str(&token.text);
    }
    text
}

/// Greedy wrapping into lines no wider than `max`; `None` when some token
/// alone is wider.
fn wrap(tokens: &[Token], size: f32, bold: bool, max: f32) -> Option<Vec<Vec<Token>>> {
    let mut lines: Vec<Vec<Token>> = Vec::new();
    let mut line: Vec<Token> = Vec::new();
    for token in tokens {
        if width(&token.text, size, bold) > max {
            return None;
        }
        line.push(token.clone());
        if line.len() > 1 && line_width(&line, size, bold) > max {
            let last = line.pop().unwrap_or_else(|| token.clone());
            lines.push(std::mem::replace(&mut line, vec![last]));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    Some(lines)
}

/// Cuts `lines` to `max_lines`, ending the last with an ellipsis after a
/// whole token (never inside one).
fn truncate(
    mut lines: Vec<Vec<Token>>,
    max_lines: usize,
    size: f32,
    bold: bool,
    max: f32,
) -> Vec<Vec<Token>> {
    if lines.len() <= max_lines {
        return lines;
    }
    lines.truncate(max_lines.max(1));
    if let Some(last) = lines.last_mut() {
        let ellipsis = Token {
            text: ELLIPSIS.into(),
            space: false,
        };
        last.push(ellipsis.clone());
        while last.len() > 2 && line_width(last, size, bold) > max {
            last.pop();
            last.pop();
            last.push(ellipsis.clone());
        }
    }
    lines
}

/// The title at the largest size whose lines fit `max` wide and `height`
/// high. A title too long even at the smallest size ends with an ellipsis
/// after its last whole word that fits; a word too long for a line at the
/// smallest size makes the size smaller still, so it is never cut.
pub(super) fn fit_title(text: &str, max: f32, height: f32) -> Block {
    let tokens = tokens(text);
    let lines_at = |size: f32| ((height / (size * LINE_HEIGHT)).floor() as usize).max(1);
    for size in TITLE_SIZES {
        if let Some(lines) = wrap(&tokens, size, true, max) {
            if lines.len() <= lines_at(size) {
                return block(size, lines);
            }
        }
    }
    let smallest = TITLE_SIZES[TITLE_SIZES.len() - 1];
    let widest = tokens
        .iter()
        .map(|t| width(&t.text, smallest, true))
        .fold(0.0, f32::max);
    let size = if widest > max {
        // Whole pixels, rounded down, so the word fits.
        (smallest * max / widest).floor().max(1.0)
    } else {
        smallest
    };
    let lines = wrap(&tokens, size, true, max).unwrap_or_default();
    block(size, truncate(lines, lines_at(size), size, true, max))
}

fn block(size: f32, lines: Vec<Vec<Token>>) -> Block {
    Block {
        size,
        lines: lines.iter().map(|l| join(l)).collect(),
    }
}

/// `text` wrapped into at most `max_lines` at `size`, with an ellipsis
/// when it is longer; a word too long for a line is cut short itself.
pub(super) fn fit_lines(
    text: &str,
    size: f32,
    bold: bool,
    max: f32,
    max_lines: usize,
) -> Vec<String> {
    let mut tokens = tokens(text);
    for token in &mut tokens {
        if width(&token.text, size, bold) > max {
            token.text = fit_line(&token.text, size, bold, max);
        }
    }
    let lines = wrap(&tokens, size, bold, max).unwrap_or_default();
    truncate(lines, max_lines, size, bold, max)
        .iter()
        .map(|l| join(l))
        .collect()
}

/// `text` on one line no wider than `max`: whole words with an ellipsis
/// when they do not all fit, else (one long word) as many characters as fit.
pub(super) fn fit_line(text: &str, size: f32, bold: bool, max: f32) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if width(&text, size, bold) <= max {
        return text;
    }
    let lines = wrap(&tokens(&text), size, bold, max)
        .map(|lines| truncate(lines, 1, size, bold, max))
        .unwrap_or_default();
    if let Some(line) = lines
        .first()
        .filter(|l| l.len() > 1 && line_width(l, size, bold) <= max)
    {
        return join(line);
    }
    let room = max - width(ELLIPSIS, size, bold);
    let mut cut = String::new();
    for c in text.chars() {
        cut.push(c);
        if width(&cut, size, bold) > room {
            cut.pop();
            break;
        }
    }
    format!("{}{ELLIPSIS}", cut.trim_end())
}

/// The card as an SVG, over `lead` (whether a lead image is drawn
/// underneath, so that the veil and the dark colours go on).
pub(super) fn svg(card: &Card, lead: bool) -> String {
    let p = if lead { &DARK } else { &LIGHT };
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FAMILY}">"#
    );
    let opacity = if lead { VEIL_OPACITY } else { "1" };
    svg += &format!(
        r#"<rect width="{WIDTH}" height="{HEIGHT}" fill="{}" fill-opacity="{opacity}"/>"#,
        p.background
    );
    svg += &format!(
        r#"<rect width="{BAR}" height="{HEIGHT}" fill="{}"/>"#,
        p.accent
    );

    // The header: the site's name, and the date or kind at the right.
    let corner = fit_line(&card.corner, HEADER_SIZE, false, TEXT_WIDTH / 2.0);
    let corner_width = width(&corner, HEADER_SIZE, false);
    let room = TEXT_WIDTH - corner_width - if corner.is_empty() { 0.0 } else { 40.0 };
    let site = fit_line(&card.site, HEADER_SIZE, true, room);
    svg += &text(
        MARGIN,
        HEADER_BASELINE,
        HEADER_SIZE,
        true,
        p.accent,
        "start",
        &site,
    );
    svg += &text(
        WIDTH as f32 - MARGIN,
        HEADER_BASELINE,
        HEADER_SIZE,
        false,
        p.muted,
        "end",
        &corner,
    );

    let bottom = match card.summary {
        Some(_) => TITLE_BOTTOM_WITH_SUMMARY,
        None => TITLE_BOTTOM,
    };
    let title = fit_title(&card.title, TEXT_WIDTH, bottom - TITLE_TOP);
    for (k, line) in title.lines.iter().enumerate() {
        // The first baseline one size below the top (DejaVu's caps are 0.73 em).
        let y = TITLE_TOP + title.size * (0.92 + LINE_HEIGHT * k as f32);
        svg += &text(MARGIN, y, title.size, true, p.text, "start", line);
    }
    if let Some(summary) = &card.summary {
        // Right under the title.
        let top = TITLE_TOP + title.size * LINE_HEIGHT * title.lines.len() as f32 + 16.0;
        let lines = fit_lines(summary, SUMMARY_SIZE, false, TEXT_WIDTH, SUMMARY_LINES);
        for (k, line) in lines.iter().enumerate() {
            let y = top + SUMMARY_SIZE * (0.92 + 1.3 * k as f32);
            svg += &text(MARGIN, y, SUMMARY_SIZE, false, p.muted, "start", line);
        }
    }
    let mut x = MARGIN;
    for name in chips(&card.chips) {
        let w = width(&name, CHIP_SIZE, true) + 2.0 * CHIP_PADDING;
        svg += &format!(
            r#"<rect x="{x}" y="{CHIP_TOP}" width="{w:.1}" height="{CHIP_HEIGHT}" rx="8" fill="{}"/>"#,
            p.chip
        );
        let baseline = CHIP_TOP + CHIP_HEIGHT / 2.0 + CHIP_SIZE * 0.36;
        svg += &text(
            x + CHIP_PADDING,
            baseline,
            CHIP_SIZE,
            true,
            p.chip_text,
            "start",
            &name,
        );
        x += w + CHIP_GAP;
    }
    svg += "</svg>";
    svg
}

/// The chips that fit on the line, each name cut to [`CHIP_TEXT_MAX`]: at
/// most [`MAX_CHIPS`], in order, stopping at the first that does not fit.
pub(super) fn chips(names: &[String]) -> Vec<String> {
    let mut fitted = Vec::new();
    let mut x = 0.0;
    for name in names.iter().take(MAX_CHIPS) {
        let name = fit_line(name, CHIP_SIZE, true, CHIP_TEXT_MAX);
        let w = width(&name, CHIP_SIZE, true) + 2.0 * CHIP_PADDING;
        if x + w > TEXT_WIDTH {
            break;
        }
        x += w + CHIP_GAP;
        fitted.push(name);
    }
    fitted
}

#[allow(clippy::too_many_arguments)]
fn text(x: f32, y: f32, size: f32, bold: bool, fill: &str, anchor: &str, content: &str) -> String {
    if content.is_empty() {
        return String::new();
    }
    let weight = if bold { "bold" } else { "normal" };
    format!(
        r#"<text x="{x:.1}" y="{y:.1}" font-size="{size}" font-weight="{weight}" fill="{fill}" text-anchor="{anchor}" xml:space="preserve">{}</text>"#,
        escape(content)
    )
}

/// Text as XML character data, without the characters XML cannot hold.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if c.is_control() => out.push(' '),
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn words_break_at_spaces_and_cjk_between_characters() {
        assert_eq!(
            words("Meta ships  Llama 3"),
            ["Meta", "ships", "Llama", "3"]
        );
        assert_eq!(words("人工智能。新"), ["人", "工", "智", "能。", "新"]);
        assert_eq!(words("「人工」AI"), ["「人", "工」", "AI"]);
        let spaced = tokens("a b");
        assert!(!spaced[0].space && spaced[1].space);
        // Joined again, CJK keeps no spaces and words keep theirs.
        assert_eq!(join(&tokens("人工 智能 and more")), "人工 智能 and more");
    }

    #[test]
    fn a_short_title_is_one_line_at_the_largest_size() {
        let block = fit_title("Meta ships Llama", TEXT_WIDTH, TITLE_BOTTOM - TITLE_TOP);
        assert_eq!(block.size, TITLE_SIZES[0]);
        assert_eq!(block.lines, ["Meta ships Llama"]);
    }

    #[test]
    fn a_long_title_wraps_at_words_and_shrinks_to_fit() {
        let title = "OpenAI, Anthropic and Google DeepMind agree on a shared framework for \
                     evaluating frontier model risks before public release, regulators say";
        let height = TITLE_BOTTOM - TITLE_TOP;
        let block = fit_title(title, TEXT_WIDTH, height);
        assert!(block.size < TITLE_SIZES[0], "{block:?}");
        assert!(block.lines.len() > 1);
        // Every word is whole, in order, nothing dropped or cut.
        assert_eq!(
            block.lines.join(" "),
            title.split_whitespace().collect::<Vec<_>>().join(" ")
        );
        for line in &block.lines {
            assert!(width(line, block.size, true) <= TEXT_WIDTH, "{line}");
        }
        assert!(block.lines.len() as f32 * block.size * LINE_HEIGHT <= height);
    }

    #[test]
    fn a_title_too_long_for_any_size_ends_with_an_ellipsis_after_a_word() {
        let title = "word ".repeat(200);
        let block = fit_title(&title, TEXT_WIDTH, TITLE_BOTTOM - TITLE_TOP);
        assert_eq!(block.size, TITLE_SIZES[TITLE_SIZES.len() - 1]);
        let last = block.lines.last().unwrap();
        assert!(last.ends_with("word…"), "{last}");
        for line in &block.lines {
            assert!(
                line.split(' ').all(|w| w == "word" || w == "word…"),
                "{line}"
            );
        }
    }

    #[test]
    fn a_word_longer_than_a_line_shrinks_the_title_rather_than_break() {
        let word = "Supercalifragilisticexpialidocious".repeat(3);
        let block = fit_title(&word, TEXT_WIDTH, TITLE_BOTTOM - TITLE_TOP);
        assert_eq!(block.lines, std::slice::from_ref(&word));
        assert!(width(&word, block.size, true) <= TEXT_WIDTH);
    }

    #[test]
    fn cjk_titles_wrap_between_characters() {
        let title = "人工智能公司发布新的大型语言模型，在多项基准测试中超过此前所有的开源模型，并宣布将免费提供给研究人员使用";
        let block = fit_title(title, TEXT_WIDTH, TITLE_BOTTOM - TITLE_TOP);
        assert!(block.lines.len() > 1);
        assert_eq!(block.lines.concat(), title);
        assert!(!block
            .lines
            .iter()
            .skip(1)
            .any(|l| l.starts_with(['，', '。'])));
    }

    #[test]
    fn one_line_texts_are_cut_with_an_ellipsis() {
        assert_eq!(fit_line("Short", 30.0, false, 500.0), "Short");
        let cut = fit_line(
            "The Very Long Name Of A Desk That Goes On",
            30.0,
            true,
            300.0,
        );
        assert!(
            cut.ends_with('…') && width(&cut, 30.0, true) <= 300.0,
            "{cut}"
        );
        assert!(
            "The Very Long Name Of A Desk That Goes On".starts_with(cut.trim_end_matches(['…']))
        );
        let word = fit_line(&"x".repeat(100), 30.0, true, 300.0);
        assert!(
            word.ends_with('…') && width(&word, 30.0, true) <= 300.0,
            "{word}"
        );
        let summary = fit_lines(&"many words ".repeat(50), 32.0, false, TEXT_WIDTH, 2);
        assert_eq!(summary.len(), 2);
        assert!(summary[1].ends_with('…'));
    }

    #[test]
    fn at_most_three_chips_that_fit() {
        let names: Vec<String> = ["Meta", "OpenAI", "Anthropic", "Nvidia"]
            .map(String::from)
            .into();
        assert_eq!(chips(&names), ["Meta", "OpenAI", "Anthropic"]);
        let long: Vec<String> =
            vec!["An entity with a name far too long to show whole on one chip".into(); 3];
        let fitted = chips(&long);
        assert!(!fitted.is_empty() && fitted.len() < 3, "{fitted:?}");
        assert!(fitted
            .iter()
            .all(|n| n.ends_with('…') && width(n, CHIP_SIZE, true) <= CHIP_TEXT_MAX));
    }

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(escape("a<b>&\u{7}c"), "a&lt;b&gt;&amp; c");
    }
}
