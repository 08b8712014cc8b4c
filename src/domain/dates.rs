//! How times are written for people, in one place. Every time is UTC (the
//! server stores UTC); the formats name it where a reader could doubt it.

use chrono::NaiveDateTime;

/// "2026-12-06": a grace date, a day.
pub fn day(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d").to_string()
}

/// "2026-12-06 14:05": a table cell, where the column says UTC.
pub fn minute(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}

/// "14:05 UTC": a time later today, such as when a limit frees up.
pub fn minute_utc(at: NaiveDateTime) -> String {
    at.format("%H:%M UTC").to_string()
}

/// "2026-12-06 14:05", or "Never" for a time that has not happened.
pub fn minute_or_never(at: Option<NaiveDateTime>) -> String {
    at.map(minute).unwrap_or_else(|| "Never".to_owned())
}

/// "2026-12-06 at 14:05 UTC": in a sentence (emails, notices, lists).
pub fn when(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d at %H:%M UTC").to_string()
}

/// "2026-12-06 14:05:09 UTC": the activity log, to the second.
pub fn second_utc(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// "2026-12-06 14:05:09": a spreadsheet cell (the CSV's header says UTC).
pub fn second(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_reads_the_same_instant() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap().and_hms_opt(14, 5, 9).unwrap();
        assert_eq!(day(at), "2026-12-06");
        assert_eq!(minute(at), "2026-12-06 14:05");
        assert_eq!(minute_or_never(None), "Never");
        assert_eq!(when(at), "2026-12-06 at 14:05 UTC");
        assert_eq!(second_utc(at), "2026-12-06 14:05:09 UTC");
        assert_eq!(second(at), "2026-12-06 14:05:09");
    }
}
