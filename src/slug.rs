//! Ids and slugs: the lowercase `[a-z0-9-]+` names that become URL segments.

/// Whether `s` is already a valid id: non-empty, `a-z`, `0-9` and single inner `-`.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// Makes an id from any text: transliterates to ASCII, lowercases, and joins
/// words with `-` ("Élan Vital & Co." -> "elan-vital-co").
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    let mut pending_dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("OpenAI ships GPT-4o mini"),
            "openai-ships-gpt-4o-mini"
        );
        assert_eq!(slugify("  Élan & Co. "), "elan-co");
        assert_eq!(slugify("北京 AI"), "bei-jing-ai");
        assert_eq!(slugify("!!!"), "");
        assert!(is_slug("llama-3-1"));
        assert!(!is_slug("Meta"));
        assert!(!is_slug("a/b"));
        assert!(!is_slug(""));
    }
}
