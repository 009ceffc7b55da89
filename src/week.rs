//! ISO 8601 weeks, the unit of an edition: Monday to Sunday in the site's
//! `timezone`, named by their ISO week-year, so that 30 December 2024 is in
//! `2025-W01`. An article belongs to the week its instant falls in there:
//! Sunday 23:30 at +02:00 is Sunday in Paris but Sunday 21:30 in UTC, and
//! Monday 00:10 at +02:00 is the next week in Paris but still Sunday in UTC.
//! The math is jiff's; this module names the weeks and says where they start.

use jiff::civil::{ISOWeekDate, Weekday};
use jiff::tz::TimeZone;
use time::OffsetDateTime;

/// One ISO week: (ISO week-year, week 1–53).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Week {
    year: i16,
    week: i8,
}

impl Week {
    /// The week, when that year has it (week 53 only in long years).
    pub fn new(year: i16, week: i8) -> Option<Week> {
        ISOWeekDate::new(year, week, Weekday::Monday).ok()?;
        Some(Week { year, week })
    }

    /// Reads `2024-W31` (or `2024-w31`, as URLs write it).
    pub fn parse(text: &str) -> Result<Week, String> {
        let text = text.trim();
        let malformed = || format!("`{text}` is not a week: write it as YYYY-Www, like 2024-W31");
        let (year, week) = text.split_once(['W', 'w']).ok_or_else(malformed)?;
        let year = year.strip_suffix('-').ok_or_else(malformed)?;
        if year.len() != 4 || week.len() != 2 {
            return Err(malformed());
        }
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !digits(year) || !digits(week) {
            return Err(malformed());
        }
        let (year, week): (i16, i8) = match (year.parse(), week.parse()) {
            (Ok(year), Ok(week)) => (year, week),
            _ => return Err(malformed()),
        };
        Week::new(year, week).ok_or_else(|| {
            let weeks = ISOWeekDate::new(year, 1, Weekday::Monday)
                .map(|d| d.weeks_in_year())
                .unwrap_or(52);
            format!("`{text}` does not exist: ISO year {year} has weeks 01 to {weeks}")
        })
    }

    /// The week `instant` falls in, in `zone`.
    pub fn of(instant: OffsetDateTime, zone: &TimeZone) -> Week {
        match crate::date::day_in(instant, zone) {
            Some(day) => Week::from_iso(day.iso_week_date()),
            // Out of jiff's range (years beyond ±9999): the date as written.
            None => Week {
                year: instant.year().clamp(-9999, 9999) as i16,
                week: instant.iso_week() as i8,
            },
        }
    }

    fn from_iso(iso: ISOWeekDate) -> Week {
        Week {
            year: iso.year(),
            week: iso.week(),
        }
    }

    pub fn year(self) -> i16 {
        self.year
    }

    pub fn number(self) -> i8 {
        self.week
    }

    /// `2024-w31`: the edition's folder under `/editions/`.
    pub fn id(self) -> String {
        format!("{:04}-w{:02}", self.year, self.week)
    }

    /// `2024-W31`, as ISO 8601 and `--week` write it.
    pub fn name(self) -> String {
        format!("{:04}-W{:02}", self.year, self.week)
    }

    /// `week 31, 2024`, as a sentence says it.
    pub fn label(self) -> String {
        format!("week {}, {}", self.week, self.year)
    }

    /// `Week 31, 2024`, as a heading says it.
    pub fn title(self) -> String {
        format!("Week {}, {}", self.week, self.year)
    }

    fn monday(self) -> ISOWeekDate {
        // Checked when the week was made.
        ISOWeekDate::new(self.year, self.week, Weekday::Monday)
            .unwrap_or_else(|_| ISOWeekDate::from_date(jiff::civil::Date::MIN))
    }

    /// The week before.
    pub fn previous(self) -> Option<Week> {
        let sunday = self.monday().date().yesterday().ok()?;
        Some(Week::from_iso(sunday.iso_week_date()))
    }

    /// The week after.
    pub fn next(self) -> Option<Week> {
        let monday = self
            .monday()
            .date()
            .checked_add(jiff::Span::new().days(7))
            .ok()?;
        Some(Week::from_iso(monday.iso_week_date()))
    }

    /// Its first moment: Monday 00:00 in `zone`.
    pub fn start(self, zone: &TimeZone) -> Option<OffsetDateTime> {
        crate::date::start_of(self.monday().date(), zone)
    }

    /// Its end: the next Monday 00:00 in `zone`.
    pub fn end(self, zone: &TimeZone) -> Option<OffsetDateTime> {
        self.next()?.start(zone)
    }

    /// `22–28 July 2024`, `29 July – 4 August 2024`, `30 December 2024 –
    /// 5 January 2025`: the days it spans.
    pub fn days(self) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let first = self.monday().date();
        let last = first
            .checked_add(jiff::Span::new().days(6))
            .unwrap_or(first);
        let month = |d: jiff::civil::Date| MONTHS[(d.month() as usize).clamp(1, 12) - 1];
        if first.year() != last.year() {
            format!(
                "{} {} {} – {} {} {}",
                first.day(),
                month(first),
                first.year(),
                last.day(),
                month(last),
                last.year()
            )
        } else if first.month() != last.month() {
            format!(
                "{} {} – {} {} {}",
                first.day(),
                month(first),
                last.day(),
                month(last),
                last.year()
            )
        } else {
            format!(
                "{}–{} {} {}",
                first.day(),
                last.day(),
                month(last),
                last.year()
            )
        }
    }
}

impl std::fmt::Display for Week {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date;

    fn at(text: &str, zone: &TimeZone) -> Week {
        Week::of(date::parse(text, zone).unwrap(), zone)
    }

    #[test]
    fn weeks_are_named_by_their_iso_week_year() {
        let utc = TimeZone::UTC;
        assert_eq!(at("2024-12-30", &utc).name(), "2025-W01");
        assert_eq!(at("2024-12-29", &utc).name(), "2024-W52");
        assert_eq!(at("2021-01-03", &utc).name(), "2020-W53");
        assert_eq!(at("2024-07-29", &utc).id(), "2024-w31");
        assert_eq!(at("2024-07-29", &utc).label(), "week 31, 2024");
    }

    #[test]
    fn sunday_night_and_monday_morning_fall_in_the_zone() {
        let paris = date::zone("Europe/Paris").unwrap();
        let utc = TimeZone::UTC;
        // Sunday 28 July 2024, 23:30 in Paris: week 30 there and in UTC (21:30).
        assert_eq!(at("2024-07-28T23:30:00+02:00", &paris).name(), "2024-W30");
        assert_eq!(at("2024-07-28T23:30:00+02:00", &utc).name(), "2024-W30");
        // Monday 29 July, 00:10 in Paris: week 31 there, still Sunday in UTC.
        assert_eq!(at("2024-07-29T00:10:00+02:00", &paris).name(), "2024-W31");
        assert_eq!(at("2024-07-29T00:10:00+02:00", &utc).name(), "2024-W30");
        // A day without a time is midnight in the zone: Monday there.
        assert_eq!(at("2024-07-29", &paris).name(), "2024-W31");
    }

    #[test]
    fn weeks_start_on_monday_midnight_in_the_zone() {
        let paris = date::zone("Europe/Paris").unwrap();
        let week = Week::new(2024, 31).unwrap();
        let start = week.start(&paris).unwrap();
        assert_eq!(date::rfc3339_in_offset(start), "2024-07-29T00:00:00+02:00");
        let end = week.end(&paris).unwrap();
        assert_eq!(date::rfc3339_in_offset(end), "2024-08-05T00:00:00+02:00");
        assert_eq!(week.days(), "29 July – 4 August 2024");
        assert_eq!(Week::new(2024, 30).unwrap().days(), "22–28 July 2024");
        assert_eq!(
            Week::new(2025, 1).unwrap().days(),
            "30 December 2024 – 5 January 2025"
        );
    }

    #[test]
    fn neighbours_cross_years() {
        let first = Week::new(2025, 1).unwrap();
        assert_eq!(first.previous(), Week::new(2024, 52));
        assert_eq!(Week::new(2020, 53).unwrap().next(), Week::new(2021, 1));
        assert_eq!(Week::new(2024, 52).unwrap().next(), Some(first));
        assert!(first.previous().unwrap() < first);
    }

    #[test]
    fn parsing_tells_malformed_from_missing() {
        assert_eq!(Week::parse("2024-W31"), Ok(Week::new(2024, 31).unwrap()));
        assert_eq!(Week::parse("2024-w05"), Ok(Week::new(2024, 5).unwrap()));
        assert_eq!(Week::parse("2020-W53"), Ok(Week::new(2020, 53).unwrap()));
        let missing = Week::parse("2024-W99").unwrap_err();
        assert!(missing.contains("does not exist"), "{missing}");
        assert!(Week::parse("2024-W53").unwrap_err().contains("01 to 52"));
        assert!(Week::parse("2024-W00").is_err());
        for bad in [
            "2024-31", "2024W31", "24-W31", "2024-W3", "2024-W+1", "week",
        ] {
            assert!(
                Week::parse(bad).unwrap_err().contains("is not a week"),
                "{bad}"
            );
        }
    }
}
