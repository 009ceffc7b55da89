//! Pagination, the one rule for every paginated list (the home page and
//! each entity's articles): `per_page` to a page, newest first, the first
//! page at the list's own URL, and the same page list and links on each.

use serde::Serialize;

/// How many pages `items` fill at `per_page` each: always at least one, so
/// an empty list still has its page.
pub(crate) fn pages_for(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page).max(1)
}

/// The places `from..to` of the list that page `n` (1-based) shows.
pub(crate) fn places(n: usize, per_page: usize) -> (usize, usize) {
    let from = (n - 1) * per_page;
    (from, from + per_page)
}

/// `pagination` in templates.
#[derive(Serialize)]
pub(crate) struct Pagination {
    current: usize,
    total: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
    pages: Vec<PageLink>,
}

/// One entry of the page list: a page link, or a gap (`…`) where pages
/// are left out.
#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
    /// Two or more pages from the current one: hidden on phones.
    far: bool,
    gap: bool,
}

impl Pagination {
    /// Page `current` of `total`, whose URLs `url` gives.
    pub(crate) fn new(current: usize, total: usize, url: impl Fn(usize) -> String) -> Self {
        Pagination {
            current,
            total,
            prev_url: (current > 1).then(|| url(current - 1)),
            next_url: (current < total).then(|| url(current + 1)),
            pages: page_links(current, total, url),
        }
    }
}

/// The page list of page `current` of `total`: the first and last pages
/// and the current one ± 2, with a gap for each run left out (a gap that
/// would stand for one page shows that page instead). Only these are made,
/// so each page costs the same however many there are.
fn page_links(current: usize, total: usize, url: impl Fn(usize) -> String) -> Vec<PageLink> {
    let mut candidates: Vec<usize> = [1, 2, total.saturating_sub(1), total]
        .into_iter()
        .chain(current.saturating_sub(3)..=current + 3)
        .filter(|&n| (1..=total).contains(&n))
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    candidates
        .into_iter()
        .filter_map(|number| {
            let distance = number.abs_diff(current);
            let end = number == 1 || number == total;
            let shown =
                end || distance <= 2 || (distance == 3 && (number == 2 || number + 1 == total));
            (shown || distance == 3).then(|| PageLink {
                number,
                url: url(number),
                current: number == current,
                far: shown && distance >= 2 && !end,
                gap: !shown,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_has_a_first_page() {
        assert_eq!(pages_for(0, 20), 1);
        assert_eq!(pages_for(20, 20), 1);
        assert_eq!(pages_for(21, 20), 2);
        assert_eq!(places(1, 20), (0, 20));
        assert_eq!(places(3, 20), (40, 60));
    }

    #[test]
    fn page_lists_keep_the_ends_and_the_neighbourhood() {
        let shown = |current, total| -> Vec<String> {
            page_links(current, total, |n| n.to_string())
                .iter()
                .map(|p| match p.gap {
                    true => "…".to_string(),
                    false => p.number.to_string(),
                })
                .collect()
        };
        assert_eq!(shown(1, 1), ["1"]);
        assert_eq!(shown(1, 9), ["1", "2", "3", "…", "9"]);
        assert_eq!(shown(5, 9), ["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
        assert_eq!(shown(6, 20), ["1", "…", "4", "5", "6", "7", "8", "…", "20"]);
        let p = Pagination::new(1, 3, |n| format!("/p{n}"));
        assert_eq!((p.prev_url, p.next_url.as_deref()), (None, Some("/p2")));
    }
}
