//! Dates in front matter: `YYYY-MM-DD` or RFC 3339, and how pages show them.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

/// Parses `2024-07-23` (midnight UTC) or `2024-07-23T10:00:00+02:00`.
pub fn parse(text: &str) -> Result<OffsetDateTime, String> {
    let text = text.trim();
    if let Ok(date) = Date::parse(text, format_description!("[year]-[month]-[day]")) {
        return Ok(PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_utc());
    }
    OffsetDateTime::parse(text, &Rfc3339).map_err(|_| {
        format!(
            "`{text}` is not a date: expected a real calendar day as YYYY-MM-DD (2024-07-23) or RFC 3339 (2024-07-23T09:30:00Z)"
        )
    })
}

/// The build time: `SOURCE_DATE_EPOCH` (seconds since 1970, as
/// reproducible builds set it) when set, else the clock. It decides the
/// embargo and the news sitemap's window, and nothing else.
pub fn build_time() -> Result<OffsetDateTime, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) if !text.trim().is_empty() => text
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|seconds| OffsetDateTime::from_unix_timestamp(seconds).ok())
            .ok_or_else(|| {
                format!("`{text}` is not a time: expected whole seconds since 1970-01-01 UTC")
            }),
        _ => Ok(OffsetDateTime::now_utc()),
    }
}

/// `23 July 2024`, as pages show it.
pub fn display(date: OffsetDateTime) -> String {
    let format = format_description!("[day padding:none] [month repr:long] [year]");
    date.format(format).unwrap_or_default()
}

/// `2024-07-23`, for `<time datetime>` and the sitemap.
pub fn iso_day(date: OffsetDateTime) -> String {
    let format = format_description!("[year]-[month]-[day]");
    date.format(format).unwrap_or_default()
}

/// RFC 3339 in UTC, for Atom.
pub fn rfc3339(date: OffsetDateTime) -> String {
    date.to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// RFC 3339 in the offset the date was written in, for structured data
/// (ISO 8601 with time and zone).
pub fn rfc3339_in_offset(date: OffsetDateTime) -> String {
    date.format(&Rfc3339).unwrap_or_default()
}

/// `2024-07` and `July 2024`: the archive's month id and heading.
pub fn month(date: OffsetDateTime) -> (String, String) {
    let id = date
        .format(format_description!("[year]-[month]"))
        .unwrap_or_default();
    let label = date
        .format(format_description!("[month repr:long] [year]"))
        .unwrap_or_default();
    (id, label)
}

/// Today in local time when the system says, else UTC (`briefing new`).
pub fn today() -> String {
    let now = OffsetDateTime::now_local().unwrap_or_else(|_| OffsetDateTime::now_utc());
    iso_day(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_forms() {
        let day = parse("2024-07-23").unwrap();
        assert_eq!(rfc3339(day), "2024-07-23T00:00:00Z");
        let exact = parse("2024-07-23T10:00:00+02:00").unwrap();
        assert_eq!(rfc3339(exact), "2024-07-23T08:00:00Z");
        assert_eq!(display(day), "23 July 2024");
        assert_eq!(month(day), ("2024-07".into(), "July 2024".into()));
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(parse("2024-02-30").is_err());
        assert!(parse("10000-01-01").is_err());
        assert!(parse("yesterday").is_err());
    }
}
