//! `site.yaml`: the site's settings, with defaults for a folder that has none.
//!
//! Unknown keys are errors: a typo such as `per_pgae` must not pass silently.

use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::frontmatter::Fields;
use crate::slug::is_slug;

/// The settings file's name, at the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// Used when `site.yaml` sets no `base_url`: where `briefing serve` listens.
pub const DEFAULT_BASE_URL: &str = "http://localhost:1111/";

/// Paths that pages of their own already use (or the built-in `authors`);
/// no kind declared in `kinds:` may take them.
const RESERVED_KINDS: &[&str] = &[
    "articles", "authors", "editions", "search", "page", "pagefind", "archive", "static",
];

/// The index in [`Config::kinds`] of `companies`, the first kind.
pub const COMPANIES: usize = 0;

/// The index in [`Config::kinds`] of `authors`, the built-in kind that
/// articles name with `author:` (after companies and topics, before the
/// kinds `site.yaml` declares).
pub const AUTHORS: usize = 2;

/// A family of entities with a page each: companies, topics, or one declared in `kinds:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kind {
    /// Folder under `content/`, front-matter key and URL segment (`companies`).
    pub id: String,
    /// Heading for its index page and nav (`Companies`).
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute, always ending in `/`.
    pub base_url: String,
    /// The path of `base_url`, always starting and ending in `/`.
    pub base_path: String,
    pub language: String,
    pub author: String,
    pub per_page: usize,
    pub autolink: bool,
    /// Custom domain for GitHub/Codeberg/GitLab Pages: `publish git:…` writes it to `CNAME`.
    pub cname: Option<String>,
    /// companies, topics, authors, then the extra kinds in the order
    /// `site.yaml` lists them.
    pub kinds: Vec<Kind>,
    /// IANA time-zone name (`Europe/London`): a date without a time is that
    /// day at midnight here, and editions' weeks are counted here.
    pub timezone: String,
    /// The zone `timezone` names.
    pub zone: jiff::tz::TimeZone,
    /// A file under `static/`: the publisher's logo in structured data.
    pub logo: Option<String>,
    /// Whether the site has a search page and index.
    pub search: bool,
    /// Whether article and entity pages get a social card (`card.png`).
    pub social_cards: bool,
    /// The newsletter's `From`, as written (`Desk <desk@example.org>`).
    pub newsletter_from: Option<String>,
    /// The newsletter's `List-Unsubscribe` target (a `mailto:` or `https:` URL).
    pub newsletter_unsubscribe: Option<String>,
    /// When the site is built (not a `site.yaml` key: `SOURCE_DATE_EPOCH` or
    /// the clock): the end of the news sitemap's window.
    pub build_time: time::OffsetDateTime,
    /// How many places away in date order a related article may be (not a
    /// `site.yaml` key: [`BuildOptions`](crate::build::BuildOptions) sets it).
    pub related_window: usize,
}

impl Default for Config {
    fn default() -> Self {
        let mut config = Config {
            title: "AI Industry Briefing".into(),
            description: String::new(),
            base_url: String::new(),
            base_path: String::new(),
            language: "en".into(),
            author: "The Briefing desk".into(),
            per_page: 20,
            autolink: true,
            cname: None,
            timezone: "UTC".into(),
            zone: jiff::tz::TimeZone::UTC,
            logo: None,
            search: true,
            social_cards: true,
            newsletter_from: None,
            newsletter_unsubscribe: None,
            build_time: time::OffsetDateTime::UNIX_EPOCH,
            related_window: crate::link::related::RELATED_WINDOW,
            kinds: vec![
                Kind {
                    id: "companies".into(),
                    title: "Companies".into(),
                },
                Kind {
                    id: "topics".into(),
                    title: "Topics".into(),
                },
                Kind {
                    id: "authors".into(),
                    title: "Authors".into(),
                },
            ],
        };
        // The default is a valid URL.
        let _ = config.set_base_url(DEFAULT_BASE_URL);
        config
    }
}

impl Config {
    /// Reads `site.yaml` under `root`; defaults when the file does not exist.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8(bytes)
                .map_err(|_| vec![Diagnostic::error(CONFIG_FILE, "not valid UTF-8 text")])?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(vec![Diagnostic::error(CONFIG_FILE, e.to_string())]),
        };
        Config::parse(&text)
    }

    /// Parses the text of `site.yaml`.
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let file = Path::new(CONFIG_FILE);
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut fields = Fields::parse(text, 1, file).map_err(|d| vec![d])?;
        let mut config = Config::default();

        if let Some(title) = fields.text("title") {
            config.title = title;
        }
        if let Some(description) = fields.text("description") {
            config.description = description;
        }
        if let Some(base_url) = fields.text("base_url") {
            if let Err(message) = config.set_base_url(&base_url) {
                fields.error("base_url", message);
            }
        }
        if let Some(language) = fields.text("language") {
            config.language = language;
        }
        if let Some(author) = fields.text("author") {
            config.author = author;
        }
        if let Some(per_page) = fields.positive_integer("per_page") {
            config.per_page = per_page;
        }
        if let Some(autolink) = fields.boolean("autolink") {
            config.autolink = autolink;
        }
        config.cname = fields
            .text("cname")
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty());
        if let Some(timezone) = fields.text("timezone") {
            match crate::date::zone(timezone.trim()) {
                Ok(zone) => {
                    config.timezone = timezone.trim().to_string();
                    config.zone = zone;
                }
                Err(message) => fields.error("timezone", message),
            }
        }
        config.logo = fields
            .text("logo")
            .map(|l| l.trim().trim_start_matches('/').to_string())
            .filter(|l| !l.is_empty());
        if let Some(search) = fields.boolean("search") {
            config.search = search;
        }
        if let Some(social_cards) = fields.boolean("social_cards") {
            config.social_cards = social_cards;
        }
        config.newsletter_from = fields
            .text("newsletter_from")
            .filter(|f| !f.trim().is_empty());
        config.newsletter_unsubscribe = fields
            .text("newsletter_unsubscribe")
            .filter(|u| !u.trim().is_empty());
        for (id, mut kind_fields) in fields.map_of_maps("kinds") {
            let title = kind_fields.text("title");
            if !is_slug(&id) {
                kind_fields.error(
                    "title",
                    format!("kind `{id}` must be a lowercase id made of a-z, 0-9 and -"),
                );
            } else if id == "authors" {
                kind_fields.error(
                    "title",
                    "kind `authors` is built in: articles name theirs with `author:`",
                );
            } else if RESERVED_KINDS.contains(&id.as_str()) {
                kind_fields.error(
                    "title",
                    format!("kind `{id}` would clash with the site's own `/{id}/` pages"),
                );
            } else {
                let title = title.unwrap_or_else(|| title_case(&id));
                match config.kinds.iter_mut().find(|k| k.id == id) {
                    Some(existing) => existing.title = title,
                    None => config.kinds.push(Kind { id, title }),
                }
            }
            fields.absorb(kind_fields);
        }

        let problems = fields.finish();
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    /// Sets `base_url` (and `base_path` from it), as `--base-url` does.
    pub fn set_base_url(&mut self, raw: &str) -> Result<(), String> {
        let parsed = url::Url::parse(raw.trim()).map_err(|e| {
            format!("`base_url` must be an absolute URL such as https://example.org/ ({e})")
        })?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.cannot_be_a_base() {
            return Err(format!(
                "`base_url` must be an http or https URL, not `{raw}`"
            ));
        }
        let mut base_url = parsed.to_string();
        if let Some(cut) = base_url.find(['?', '#']) {
            base_url.truncate(cut);
        }
        if !base_url.ends_with('/') {
            base_url.push('/');
        }
        let mut base_path = parsed.path().to_string();
        if !base_path.ends_with('/') {
            base_path.push('/');
        }
        self.base_url = base_url;
        self.base_path = base_path;
        Ok(())
    }

    pub fn kind(&self, id: &str) -> Option<usize> {
        self.kinds.iter().position(|k| k.id == id)
    }
}

fn title_case(id: &str) -> String {
    let mut chars = id.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars)
            .collect::<String>()
            .replace('-', " "),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_without_a_file() {
        let config = Config::parse("").unwrap();
        assert_eq!(config.per_page, 20);
        assert_eq!(config.base_path, "/");
        assert_eq!(config.kinds.len(), 3);
        assert_eq!(config.kinds[AUTHORS].id, "authors");
    }

    #[test]
    fn reads_kinds_and_subpath_base_url() {
        let config = Config::parse(
            "base_url: https://example.org/sub\nkinds:\n  models: { title: \"Models\" }\n",
        )
        .unwrap();
        assert_eq!(config.base_url, "https://example.org/sub/");
        assert_eq!(config.base_path, "/sub/");
        assert_eq!(config.kinds[3].id, "models");
        assert_eq!(config.kinds[3].title, "Models");
    }

    #[test]
    fn unknown_keys_are_errors_with_their_line() {
        let errors = Config::parse("title: x\nper_pgae: 3\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].to_string(),
            "error: site.yaml:2:1: unknown key `per_pgae`"
        );
    }

    #[test]
    fn bad_values_are_named() {
        let errors =
            Config::parse("per_page: 0\nbase_url: nowhere\nkinds:\n  page: {}\n").unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
    }

    #[test]
    fn time_zones_are_iana_names() {
        let config = Config::parse("timezone: Europe/London\n").unwrap();
        assert_eq!(config.timezone, "Europe/London");
        assert_eq!(config.zone.iana_name(), Some("Europe/London"));
        let errors = Config::parse("title: x\ntimezone: Mars/Olympus\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        let message = errors[0].to_string();
        assert!(
            message.starts_with("error: site.yaml:2:") && message.contains("Mars/Olympus"),
            "{message}"
        );
    }

    #[test]
    fn reserved_kind_names_are_refused() {
        for id in [
            "authors", "editions", "search", "page", "pagefind", "archive",
        ] {
            let errors = Config::parse(&format!("kinds:\n  {id}: {{}}\n")).unwrap_err();
            assert_eq!(errors.len(), 1, "{id}: {errors:?}");
            assert!(errors[0].to_string().contains(id), "{errors:?}");
        }
    }
}
