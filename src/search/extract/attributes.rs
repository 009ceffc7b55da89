//! The little language of Pagefind's attributes: `data-pagefind-filter`
//! and `-meta` entries (`name`, `name:value`, `name[attribute]`),
//! `data-pagefind-weight` numbers as Pagefind stores them, and the weights
//! headings get by themselves.

use super::{Element, UNIT_WEIGHT};

const MAX_WEIGHT: f32 = 10.0;

pub(super) fn heading_weight(tag: &str) -> Option<u8> {
    let level = match tag {
        "h1" => 7,
        "h2" => 6,
        "h3" => 5,
        "h4" => 4,
        "h5" => 3,
        "h6" => 2,
        _ => return None,
    };
    Some(level * UNIT_WEIGHT)
}

/// `data-pagefind-weight` as stored: 0 keeps words out of ranking, and any
/// weight above it counts for at least the smallest step.
pub(super) fn weight_of(value: &str) -> u8 {
    let weight = value.trim().parse::<f32>().unwrap_or(1.0);
    if weight <= 0.0 {
        0
    } else {
        ((weight.min(MAX_WEIGHT) * f32::from(UNIT_WEIGHT)) as u8).max(1)
    }
}

/// The entries of a filter or meta attribute: `name`, `name:value` (the
/// value may hold commas and colons) or `name[attribute]`, resolved to
/// `name:value` where the value is known now.
pub(super) fn specs(el: &dyn Element, attribute: &str) -> Vec<String> {
    let Some(value) = el.attribute(attribute) else {
        return Vec::new();
    };
    let (names, literal) = match value.split_once(':') {
        Some((names, literal)) => (names, Some(literal)),
        None => (value.as_str(), None),
    };
    let mut specs: Vec<String> = names
        .split(',')
        .map(|chunk| {
            let chunk = chunk.trim();
            match chunk.strip_suffix(']').and_then(|c| c.split_once('[')) {
                Some((name, attribute)) if !name.trim().is_empty() => {
                    let value = el.attribute(attribute.trim()).unwrap_or_default();
                    format!("{}:{value}", name.trim())
                }
                _ => chunk.to_string(),
            }
        })
        .collect();
    if let (Some(last), Some(literal)) = (specs.last_mut(), literal) {
        last.push(':');
        last.push_str(literal);
    }
    specs
}

/// A filter or meta entry with its value: the literal after the colon, or
/// else the element's own text.
pub(super) fn pair(spec: &str, own_text: &str) -> Option<(String, String)> {
    match spec.split_once(':') {
        Some((name, value)) => Some((name.to_string(), collapse(value))),
        None if own_text.trim().is_empty() => None,
        None => Some((spec.to_string(), collapse(own_text))),
    }
}

/// Whitespace runs as single spaces, none at the ends.
pub(super) fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::super::tests::page;
    use super::super::*;
    use super::*;

    #[test]
    fn filters_take_the_text_a_literal_or_an_attribute() {
        let page_text = read(&page(
            "<div data-pagefind-body><a data-pagefind-filter=\"Companies\">Meta  AI</a>\
             <span data-pagefind-filter=\"Topics:Open, weights\"></span>\
             <b data-id=\"x\" data-pagefind-filter=\"Id[data-id]\"></b>\
             <i data-pagefind-ignore data-pagefind-filter=\"Companies\">OpenAI</i>\
             <i data-pagefind-ignore=\"all\" data-pagefind-filter=\"Companies\">Gone</i></div>",
        ))
        .unwrap();
        assert_eq!(page_text.filters["Companies"], ["Meta AI", "OpenAI"]);
        assert_eq!(page_text.filters["Topics"], ["Open, weights"]);
        assert_eq!(page_text.filters["Id"], ["x"]);
        assert_eq!(collapse(&page_text.text), "Meta AI.");
    }

    #[test]
    fn weights_are_stored_as_pagefind_does() {
        assert_eq!(weight_of("2"), 48);
        assert_eq!(weight_of("0"), 0);
        assert_eq!(weight_of("0.00001"), 1);
        assert_eq!(weight_of("99"), 240);
        assert_eq!(weight_of("junk"), 24);
    }
}
