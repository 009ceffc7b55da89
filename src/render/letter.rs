//! The newsletter: one week's edition as the context of the `newsletter.html`
//! and `newsletter.txt` templates, for mail. Unlike the site's pages, every
//! URL here is absolute (a mail has no base to resolve against), and the
//! most covered entities come with their share of the top count, so the
//! template can draw bars as table cells: mail clients drop SVG. Inlining
//! the styles and wrapping the parts in MIME is the newsletter's business
//! (`newsletter/`), not the render stage's.

use serde::Serialize;

use super::context::site_view;
use super::reader::Reader;
use super::views::editions::{covered, CoveredView};
use super::{Cards, Templates};
use crate::date;
use crate::diagnostic::Diagnostic;
use crate::link::Site;
use crate::urls;
use crate::week::Week;

/// A week's edition, rendered for mail.
pub(crate) struct Letter {
    /// `<site title> — week 31, 2024`.
    pub subject: String,
    pub html: String,
    pub text: String,
}

#[derive(Serialize)]
struct LetterContext<'a> {
    site: super::context::SiteView<'a>,
    letter: LetterView<'a>,
}

#[derive(Serialize)]
struct LetterView<'a> {
    subject: String,
    /// The line mail clients show after the subject in the inbox.
    preheader: String,
    name: String,
    title: String,
    label: String,
    days: String,
    /// The edition's page on the site.
    url: String,
    /// `/editions/`, `/`, absolute.
    editions_url: String,
    site_url: &'a str,
    count: usize,
    articles: Vec<LetterArticle<'a>>,
    covered: Vec<LetterCovered>,
    /// `newsletter_unsubscribe` from site.yaml.
    unsubscribe: Option<&'a str>,
}

#[derive(Serialize)]
struct LetterArticle<'a> {
    title: &'a str,
    url: String,
    date: String,
    summary: &'a str,
    author: Option<String>,
    tags: Vec<LetterTags<'a>>,
}

#[derive(Serialize)]
struct LetterTags<'a> {
    title: &'a str,
    entities: Vec<LetterLink<'a>>,
}

#[derive(Serialize)]
struct LetterLink<'a> {
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
struct LetterCovered {
    #[serde(flatten)]
    entity: CoveredView,
    /// Its bar, in percent of the row: the top count is 100.
    share: usize,
    /// The rest of the row.
    rest: usize,
}

/// The subject line of `week`'s newsletter.
pub(crate) fn subject(site: &Site, week: Week) -> String {
    format!("{} — {}", site.config.title, week.label())
}

/// Renders `week`'s edition for mail; `None` when the week has no articles.
pub(crate) fn letter(
    site: &Site,
    templates: &Templates,
    week: Week,
) -> Option<Result<Letter, Diagnostic>> {
    let cards = Cards::new();
    let r = Reader::new(site, &cards);
    let view = view(&r, week)?;
    let subject = view.subject.clone();
    let context = LetterContext {
        site: site_view(site),
        letter: view,
    };
    let context = super::context(&context);
    let render = |name: &str| {
        templates
            .tera
            .render(name, &context)
            .map_err(|e| templates.diagnostic(&e, None))
    };
    Some(render("newsletter.html").and_then(|html| {
        Ok(Letter {
            subject,
            html,
            text: render("newsletter.txt")?,
        })
    }))
}

fn view<'a>(r: &Reader<'a>, week: Week) -> Option<LetterView<'a>> {
    let site = r.fixed();
    let articles = r.edition(week)?;
    let urls = r.urls();
    let articles: Vec<LetterArticle> = articles
        .iter()
        .map(|&i| {
            let a = r.listing(i);
            let names: Vec<&str> = r
                .authors(i)
                .into_iter()
                .map(|e| r.identity(e).name)
                .collect();
            let mut tags: Vec<LetterTags> = Vec::new();
            for e in r.tagged(i) {
                let who = r.identity(e);
                let title = site.config.kinds[who.kind].title.as_str();
                let link = LetterLink {
                    name: who.name,
                    url: urls.permalink(&r.entity_path(e)),
                };
                match tags.iter_mut().find(|t| t.title == title) {
                    Some(group) => group.entities.push(link),
                    None => tags.push(LetterTags {
                        title,
                        entities: vec![link],
                    }),
                }
            }
            LetterArticle {
                title: &a.title,
                url: urls.permalink(&urls::article(&a.slug)),
                date: date::display(a.date),
                summary: r.summary(i),
                author: super::context::byline(&names),
                tags,
            }
        })
        .collect();
    let covered = covered(r, &r.most_covered(week), true);
    let top = covered.iter().map(|c| c.count).max().unwrap_or(1).max(1);
    let covered = covered
        .into_iter()
        .map(|entity| {
            let share = (entity.count * 100).div_ceil(top).clamp(1, 100);
            LetterCovered {
                entity,
                share,
                rest: 100 - share,
            }
        })
        .collect();
    let count = articles.len();
    let preheader = format!(
        "{count} briefing{} from {}{}",
        if count == 1 { "" } else { "s" },
        week.days(),
        articles
            .first()
            .map(|a| format!(": {}", a.title))
            .unwrap_or_default()
    );
    Some(LetterView {
        subject: subject(site, week),
        preheader,
        name: week.name(),
        title: week.title(),
        label: week.label(),
        days: week.days(),
        url: urls.permalink(&urls::edition(week)),
        editions_url: urls.permalink(urls::EDITIONS),
        site_url: &site.config.base_url,
        count,
        articles,
        covered,
        unsubscribe: site.config.newsletter_unsubscribe.as_deref(),
    })
}
