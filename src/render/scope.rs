//! Which pages a scoped change touches. Given what the link stage says
//! changed ([`SiteChange`]), lists every page whose output can differ, so
//! that re-rendering just those gives what a clean build would.

use std::collections::BTreeSet;

use super::{home_pages, home_pages_for, tagging_kinds, top_entities, Page, FEED_ENTRIES};
use crate::link::change::SiteChange;
use crate::link::Site;
use crate::urls;

/// The pages to render again, and the site-relative files of pages that no
/// longer exist (to delete).
pub fn affected(site: &Site, change: &SiteChange) -> (Vec<Page>, Vec<String>) {
    let mut pages: BTreeSet<Page> = BTreeSet::new();
    let mut stale: Vec<String> = change
        .removed_paths
        .iter()
        .map(|p| urls::file_for(p))
        .collect();

    pages.extend(change.article_pages.iter().map(|&i| Page::Article(i)));
    for &e in &change.profiles {
        pages.insert(Page::Entity(e));
        pages.insert(Page::EntityFeed(e));
    }
    // An entity page lists its articles' cards; its feed carries the text
    // of its newest ones.
    for &e in &change.entities {
        let in_feed = || {
            site.graph.entity_articles[e]
                .iter()
                .take(FEED_ENTRIES)
                .any(|(a, _)| change.articles.contains(a))
        };
        if change.cards_changed {
            pages.insert(Page::Entity(e));
            pages.insert(Page::EntityFeed(e));
        } else if in_feed() {
            pages.insert(Page::EntityFeed(e));
        }
    }

    let counts = site.entity_counts();
    for (e, (now, was)) in counts.iter().zip(&change.old_counts).enumerate() {
        if now != was {
            pages.insert(Page::KindIndex(site.entities[e].kind));
        }
    }
    // Kind indexes show a sparkline per entity: redo those whose coverage
    // per month changed.
    for &e in change.profiles.iter().chain(&change.coverage_changed) {
        pages.insert(Page::KindIndex(site.entities[e].kind));
    }

    // Home pages: the span of the order that moved (when the cards there
    // changed), or all of them when the pagination or the "most covered"
    // aside changed.
    let per_page = site.config.per_page;
    let total = home_pages(site);
    let old_total = home_pages_for(change.old_article_count, per_page);
    let totals: Vec<usize> = counts.iter().map(|c| c.0).collect();
    let old_totals: Vec<usize> = change.old_counts.iter().map(|c| c.0).collect();
    let aside_changed = top_entities(site, &totals) != top_entities(site, &old_totals);
    let page_of = |index: usize| index / per_page + 1;
    if total != old_total || aside_changed {
        pages.extend((1..=total).map(Page::Home));
    } else if let (true, Some((lo, hi))) = (change.cards_changed, change.span) {
        let last = if change.old_article_count != site.articles.len() {
            total
        } else {
            page_of(hi).min(total)
        };
        pages.extend((page_of(lo).min(total)..=last).map(Page::Home));
    }
    stale.extend((total + 1..=old_total).map(|n| urls::file_for(&urls::home(n))));

    // The search page counts the articles and names the kinds that tag some.
    if change.old_article_count != site.articles.len()
        || tagging_kinds(site, &counts) != tagging_kinds(site, &change.old_counts)
    {
        pages.insert(Page::Search);
    }

    // Feeds with no entries take their `updated` from the site's newest change.
    if change.newest_changed {
        for (e, articles) in site.graph.entity_articles.iter().enumerate() {
            if articles.is_empty() {
                pages.insert(Page::EntityFeed(e));
            }
        }
    }

    if change.old_article_count != site.articles.len() || change.listings_changed {
        // Page 1 also shows what was covered most lately.
        pages.extend([Page::Archive, Page::Feed, Page::Sitemap, Page::Home(1)]);
        // Sparklines share the site's time axis in months: when an article
        // stretches or shrinks it, every kind index changes.
        let months = |extent: Option<(time::OffsetDateTime, time::OffsetDateTime)>| {
            extent.map(|(old, new)| ((old.year(), old.month()), (new.year(), new.month())))
        };
        if months(change.old_extent) != months(site.extent()) {
            pages.extend((0..site.config.kinds.len()).map(Page::KindIndex));
        }
    }
    // An edit that keeps an article in place: the site feed carries the
    // newest articles' text; the sitemap dates entity pages by their newest
    // article, and page 1 charts what recent articles cover.
    if change.articles.iter().any(|&i| i < FEED_ENTRIES) {
        pages.insert(Page::Feed);
    }
    if change.memberships_changed {
        pages.extend([Page::Sitemap, Page::Home(1)]);
    }
    (pages.into_iter().collect(), stale)
}
