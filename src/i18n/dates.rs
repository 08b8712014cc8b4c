//! How times are written for people: in the reader's zone, with its
//! abbreviation, and in their language ("6 December 2026, 14:05 CET",
//! "6 grudnia 2026, 14:05 CET"). The server stores UTC; spreadsheets get UTC
//! in ISO 8601 (`domain::dates`).

use chrono::{DateTime, Datelike, NaiveDateTime, Timelike};
use chrono_tz::Tz;

use super::Tr;

impl Tr {
    fn local(&self, at: NaiveDateTime) -> DateTime<Tz> {
        at.and_utc().with_timezone(&self.zone)
    }

    fn month_day_year(&self, at: DateTime<Tz>, month_key: &str) -> String {
        let month = self.t(&format!("{month_key}-{}", at.month()));
        self.tn("date", vec![("day", super::arg(at.day().to_string())), ("month", super::arg(month)), ("year", super::arg(at.year().to_string()))])
    }

    /// "6 December 2026": a day, such as a grace date or an expiry.
    pub fn date(&self, at: NaiveDateTime) -> String {
        self.month_day_year(self.local(at), "month")
    }

    /// "14:05 CET": a time later today, such as when a limit frees up.
    pub fn time(&self, at: NaiveDateTime) -> String {
        let local = self.local(at);
        // The offset prints as the zone's abbreviation, as `%Z` would,
        // without parsing a format string for every cell of a table.
        format!("{:02}:{:02} {}", local.hour(), local.minute(), local.offset())
    }

    /// "6 December 2026, 14:05 CET": in a sentence (emails, notices, lists).
    pub fn date_time(&self, at: NaiveDateTime) -> String {
        self.t2("date-time", "date", self.date(at), "time", self.time(at))
    }

    /// "6 Dec 2026, 14:05 CET": a table cell.
    pub fn short_date_time(&self, at: NaiveDateTime) -> String {
        let date = self.month_day_year(self.local(at), "month-short");
        self.t2("date-time", "date", date, "time", self.time(at))
    }

    /// "6 Dec 2026, 14:05 CET", or "Never" for a time that has not happened.
    pub fn short_date_time_or_never(&self, at: Option<NaiveDateTime>) -> String {
        at.map(|at| self.short_date_time(at)).unwrap_or_else(|| self.t("never"))
    }

    /// "6 Dec 2026, 14:05:09 CET": the activity log, to the second.
    pub fn date_time_seconds(&self, at: NaiveDateTime) -> String {
        let local = self.local(at);
        let date = self.month_day_year(local, "month-short");
        let time = format!("{:02}:{:02}:{:02} {}", local.hour(), local.minute(), local.second(), local.offset());
        self.t2("date-time", "date", date, "time", time)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Language, Tr};
    use chrono_tz::Tz;

    #[test]
    fn times_are_written_in_the_readers_zone_and_language() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap().and_hms_opt(13, 5, 9).unwrap();
        let warsaw: Tz = "Europe/Warsaw".parse().unwrap();
        let pl = Tr::new(Language::Polish, warsaw);
        assert_eq!(pl.date_time(at), "6 grudnia 2026, 14:05 CET");
        assert_eq!(pl.short_date_time(at), "6 gru 2026, 14:05 CET");
        let en = Tr::new(Language::English, warsaw);
        assert_eq!(en.date_time(at), "6 December 2026, 14:05 CET");
        assert_eq!(en.date_time_seconds(at), "6 Dec 2026, 14:05:09 CET");
        let utc = Tr::default();
        assert_eq!(utc.time(at), "13:05 UTC");
        assert_eq!(utc.short_date_time_or_never(None), "Never");
        assert_eq!(pl.short_date_time_or_never(None), "Nigdy");
        // Past midnight in Tokyo it is already the next day.
        let tokyo = Tr::new(Language::English, "Asia/Tokyo".parse().unwrap());
        let late = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap().and_hms_opt(20, 0, 0).unwrap();
        assert_eq!(tokyo.date(late), "7 December 2026");
        // Summer time has its own abbreviation.
        let july = chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap().and_hms_opt(12, 0, 0).unwrap();
        assert_eq!(pl.time(july), "14:00 CEST");
    }
}
