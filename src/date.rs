//! Dates in front matter: `YYYY-MM-DD` or RFC 3339, and how pages show them.
//! A day without a time is that day at midnight in the site's `timezone`
//! (a jiff [`TimeZone`] from its bundled tz database, so the result does
//! not depend on the machine's `/usr/share/zoneinfo`).

use jiff::tz::{TimeZone, TimeZoneDatabase};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, UtcOffset};

/// The time zone an IANA name (`Europe/London`) names, from the tz database
/// built into the binary.
pub fn zone(name: &str) -> Result<TimeZone, String> {
    static BUNDLED: std::sync::LazyLock<TimeZoneDatabase> =
        std::sync::LazyLock::new(TimeZoneDatabase::bundled);
    if name == "UTC" {
        return Ok(TimeZone::UTC);
    }
    BUNDLED.get(name).map_err(|_| {
        format!("`timezone`: `{name}` is not an IANA time-zone name such as `UTC`, `Europe/London` or `America/New_York`")
    })
}

/// Parses `2024-07-23` (midnight in `zone`) or `2024-07-23T10:00:00+02:00`.
pub fn parse(text: &str, zone: &TimeZone) -> Result<OffsetDateTime, String> {
    let text = text.trim();
    if let Ok(date) = Date::parse(text, format_description!("[year]-[month]-[day]")) {
        return midnight(date, zone).ok_or_else(|| format!("`{text}` is out of range"));
    }
    OffsetDateTime::parse(text, &Rfc3339).map_err(|_| {
        format!(
            "`{text}` is not a date: expected a real calendar day as YYYY-MM-DD (2024-07-23) or RFC 3339 (2024-07-23T09:30:00Z)"
        )
    })
}

/// `date` at 00:00 in `zone` (or the first moment of the day, where a
/// clock change skips midnight), with the zone's offset then.
pub fn midnight(date: Date, zone: &TimeZone) -> Option<OffsetDateTime> {
    let day = jiff::civil::Date::new(
        date.year().try_into().ok()?,
        u8::from(date.month()) as i8,
        date.day() as i8,
    )
    .ok()?;
    let start = day
        .to_zoned_datetime(zone.clone())
        .ok()?
        .start_of_day()
        .ok()?;
    from_jiff(start.timestamp(), start.offset().seconds())
}

/// The calendar day an instant falls on in `zone`.
pub fn day_in(instant: OffsetDateTime, zone: &TimeZone) -> Option<jiff::civil::Date> {
    let at = jiff::Timestamp::new(instant.unix_timestamp(), instant.nanosecond() as i32).ok()?;
    Some(at.to_zoned_datetime(zone.clone()).date())
}

/// A jiff calendar day at 00:00 in `zone`, as the `time` value pages use.
pub fn start_of(day: jiff::civil::Date, zone: &TimeZone) -> Option<OffsetDateTime> {
    let date = Date::from_calendar_date(
        day.year().into(),
        time::Month::try_from(day.month() as u8).ok()?,
        day.day() as u8,
    )
    .ok()?;
    midnight(date, zone)
}

fn from_jiff(at: jiff::Timestamp, offset_seconds: i32) -> Option<OffsetDateTime> {
    let instant = OffsetDateTime::from_unix_timestamp(at.as_second()).ok()?;
    Some(instant.to_offset(UtcOffset::from_whole_seconds(offset_seconds).ok()?))
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
        let day = parse("2024-07-23", &TimeZone::UTC).unwrap();
        assert_eq!(rfc3339(day), "2024-07-23T00:00:00Z");
        let exact = parse("2024-07-23T10:00:00+02:00", &TimeZone::UTC).unwrap();
        assert_eq!(rfc3339(exact), "2024-07-23T08:00:00Z");
        assert_eq!(display(day), "23 July 2024");
        assert_eq!(month(day), ("2024-07".into(), "July 2024".into()));
    }

    #[test]
    fn rejects_impossible_dates() {
        let utc = TimeZone::UTC;
        assert!(parse("2024-02-30", &utc).is_err());
        assert!(parse("10000-01-01", &utc).is_err());
        assert!(parse("yesterday", &utc).is_err());
    }

    #[test]
    fn a_day_is_midnight_in_the_site_zone() {
        let london = zone("Europe/London").unwrap();
        // British Summer Time: midnight is 23:00 UTC the day before.
        let summer = parse("2024-07-23", &london).unwrap();
        assert_eq!(rfc3339(summer), "2024-07-22T23:00:00Z");
        assert_eq!(rfc3339_in_offset(summer), "2024-07-23T00:00:00+01:00");
        assert_eq!(display(summer), "23 July 2024");
        let winter = parse("2024-01-10", &london).unwrap();
        assert_eq!(rfc3339_in_offset(winter), "2024-01-10T00:00:00Z");
        let tokyo = zone("Asia/Tokyo").unwrap();
        assert_eq!(
            rfc3339(parse("2024-07-23", &tokyo).unwrap()),
            "2024-07-22T15:00:00Z"
        );
        // A time with an offset stays what it says, whatever the zone.
        let exact = parse("2024-07-23T10:00:00+02:00", &tokyo).unwrap();
        assert_eq!(rfc3339_in_offset(exact), "2024-07-23T10:00:00+02:00");
    }

    #[test]
    fn where_midnight_is_skipped_the_day_starts_when_it_can() {
        // Santiago moved its clocks from 00:00 to 01:00 on 8 September 2024.
        let santiago = zone("America/Santiago").unwrap();
        let day = parse("2024-09-08", &santiago).unwrap();
        assert_eq!(rfc3339_in_offset(day), "2024-09-08T01:00:00-03:00");
    }

    #[test]
    fn unknown_zones_are_refused() {
        assert!(zone("Europe/Londres").is_err());
        assert!(zone("UTC").is_ok());
        assert!(zone("America/New_York").is_ok());
    }
}
